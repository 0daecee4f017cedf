/**
 * The invitations API for case-management systems (Liquidlogic LCS, Mosaic): when a case closes or
 * a conference ends, the system posts the event and the family gets its link by email or text.
 *
 * An API token reaches teams as a staff member of its role would (staff/policy.ts, action "send"):
 * `qa` and `admin` tokens every team; `practitioner` and `manager` tokens only the teams named
 * with `create-api-token --team`. A team outside the token's reach answers as an unknown team.
 * Reading an invitation back takes the same reach ("see").
 */
import { Router, type Request, type Response } from 'express'
import type { Services } from '../services'
import type { AuditAction } from '../audit/auditEvent'
import { invitationForEvent } from '../invitations/fromEvent'
import { InvitationModel, type Invitation } from '../invitations/invitation'
import { isObjectIdText } from '../invitations/queries'
import { InvitationInputError } from '../invitations/service'
import { recordFilter, type Viewer } from '../staff/policy'
import { checkInvitationRequest } from './invitationRequest'
import { queryProblem } from './queryCheck'

type Audit = (req: Request, action: AuditAction, target: string, detail?: string) => Promise<unknown>

/** An invitation as the API gives it: never the family's address, number or name. */
export function invitationJson(invitation: Invitation) {
  return {
    id: String(invitation._id),
    status: invitation.status,
    event_id: invitation.eventId ?? null,
    survey: invitation.surveyId,
    team: invitation.teamName,
    respondent: invitation.respondent,
    channel: invitation.channel,
    case_ref: invitation.caseRef ?? null,
    created_at: invitation.createdAt.toISOString(),
    sent_at: invitation.sentAt ? invitation.sentAt.toISOString() : null,
    expires_at: invitation.expiresAt.toISOString(),
    failure_reason: invitation.status === 'failed' ? (invitation.failureReason ?? null) : null,
  }
}

function viewerOf(req: Request): Viewer {
  const token = req.apiToken!
  return { role: token.role, teamIds: token.teamIds }
}

export function invitationApiRoutes(services: Services, audit: Audit): Router {
  const router = Router()

  const refuse = async (req: Request, res: Response, status: number, error: string) => {
    await audit(req, 'api.refused', req.path, `${status}: ${error.slice(0, 300)}`)
    res.status(status).json({ error })
  }

  router.post('/api/v1/invitations', async (req, res) => {
    const problem = queryProblem(req.query, [])
    if (problem) return refuse(req, res, 400, problem)
    if (!req.is('application/json')) {
      return refuse(req, res, 400, 'Send a JSON object with the header "Content-Type: application/json".')
    }
    const checked = await checkInvitationRequest(req.body, {
      surveys: services.surveys,
      viewer: viewerOf(req),
      config: services.config,
    })
    if (!checked.ok) return refuse(req, res, 400, checked.error)
    const { request } = checked
    let outcome
    try {
      outcome = await invitationForEvent(services, {
        eventId: request.eventId,
        apiTokenId: req.apiToken!._id,
        invitation: {
          surveyId: request.survey.id,
          team: request.team,
          respondent: request.respondent,
          caseRef: request.caseRef,
          channel: request.channel,
          ...(request.email ? { recipientEmail: request.email } : {}),
          ...(request.mobile ? { recipientMobile: request.mobile } : {}),
          ...(request.firstName ? { recipientName: request.firstName } : {}),
          expiresInDays: services.config.invitationExpiryDays,
        },
      })
    } catch (error) {
      if (error instanceof InvitationInputError) return refuse(req, res, 400, error.message)
      console.error('[api] an invitation could not be made:', (error as Error).message)
      return refuse(
        req,
        res,
        503,
        'The invitation could not be made just now and nothing was kept: send the same request again.',
      )
    }
    if (outcome.kind === 'busy') {
      return refuse(
        req,
        res,
        409,
        'This event_id is being sent by another request: send it again in a moment.',
      )
    }
    if (outcome.kind === 'gone') {
      return refuse(req, res, 409, 'This event_id was used for an invitation that has since been erased.')
    }
    const { invitation } = outcome
    // The same event_id from a token that cannot see its invitation learns nothing about it.
    if (outcome.kind === 'existing' && !(await visible(viewerOf(req), String(invitation._id)))) {
      return refuse(req, res, 409, 'This event_id has already been used.')
    }
    await audit(
      req,
      outcome.kind === 'created' ? 'api.invitations.created' : 'api.invitations.read',
      `invitation ${String(invitation._id)}`,
      outcome.kind === 'created'
        ? `${invitation.surveyId} by ${invitation.channel} for ${invitation.teamName}`
        : 'event_id sent again',
    )
    res.status(outcome.kind === 'created' ? 201 : 200).json(invitationJson(invitation))
  })

  router.get('/api/v1/invitations/:id', async (req, res) => {
    const problem = queryProblem(req.query, [])
    if (problem) return refuse(req, res, 400, problem)
    const invitation = await visible(viewerOf(req), req.params.id)
    if (!invitation) {
      return refuse(req, res, 404, 'There is no invitation with this id that this token can see.')
    }
    await audit(req, 'api.invitations.read', `invitation ${String(invitation._id)}`)
    res.json(invitationJson(invitation))
  })

  return router
}

async function visible(viewer: Viewer, id: unknown): Promise<Invitation | undefined> {
  if (!isObjectIdText(id)) return undefined
  return (
    (await InvitationModel.findOne({ _id: id, ...recordFilter(viewer, 'see') }, { tokenHash: 0 }).lean()) ??
    undefined
  )
}
