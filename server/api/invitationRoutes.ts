/**
 * The invitations API for case-management systems (Liquidlogic LCS, Mosaic): when a case closes or
 * a conference ends, the system posts the event and the family gets its link by email or text.
 *
 * An API token reaches teams as a staff member of its role would (staff/policy.ts, action "send"):
 * `qa` and `admin` tokens every team; `practitioner` and `manager` tokens only the teams named
 * with `create-api-token --team`. A team outside the token's reach answers as an unknown team.
 * Reading an invitation back takes the same reach ("see").
 */
import { Router, type ErrorRequestHandler, type Request } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import type { AuditAction } from '../audit/auditEvent'
import { isObjectId } from '../db/objectId'
import { HttpError } from '../http/errors'
import { readInput } from '../http/input'
import { invitationForEvent } from '../invitations/fromEvent'
import { InvitationModel, type Invitation } from '../invitations/invitation'
import { InvitationInputError } from '../invitations/service'
import { log } from '../log'
import { recordFilter, type Viewer } from '../staff/policy'
import { checkInvitationRequest, invitationBody } from './invitationRequest'
import { apiInput, strictQuery } from './strictInput'

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

  const CreateInput = apiInput({ query: strictQuery([], {}), body: invitationBody })
  router.post('/api/v1/invitations', async (req, res) => {
    // A form's fields are not the contract's: only a JSON body is read.
    if (!req.is('application/json')) {
      throw new HttpError(400, 'Send a JSON object with the header "Content-Type: application/json".')
    }
    const { body } = readInput(CreateInput, req)
    const checked = await checkInvitationRequest(body, {
      surveys: services.surveys,
      viewer: viewerOf(req),
      config: services.config,
    })
    if (!checked.ok) throw new HttpError(400, checked.error)
    const { request } = checked
    let outcome
    try {
      outcome = await invitationForEvent(services, {
        eventId: request.eventId,
        apiTokenId: req.apiToken!._id,
        invitation: { ...request.invitation, expiresInDays: services.config.invitationExpiryDays },
      })
    } catch (error) {
      if (error instanceof InvitationInputError) throw error
      log.error({ err: error }, 'an invitation from the API could not be made')
      throw new HttpError(
        503,
        'The invitation could not be made just now and nothing was kept: send the same request again.',
      )
    }
    if (outcome.kind === 'busy') {
      throw new HttpError(409, 'This event_id is being sent by another request: send it again in a moment.')
    }
    if (outcome.kind === 'gone') {
      throw new HttpError(409, 'This event_id was used for an invitation that has since been erased.')
    }
    const { invitation } = outcome
    // The same event_id from a token that cannot see its invitation learns nothing about it.
    if (outcome.kind === 'existing' && !(await visible(viewerOf(req), String(invitation._id)))) {
      throw new HttpError(409, 'This event_id has already been used.')
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

  // A malformed id answers as an unknown one, refused and audited like it.
  const ReadInput = apiInput({ params: { id: z.string() }, query: strictQuery([], {}) })
  router.get('/api/v1/invitations/:id', async (req, res) => {
    const { params } = readInput(ReadInput, req)
    const invitation = await visible(viewerOf(req), params.id)
    if (!invitation) throw new HttpError(404, 'There is no invitation with this id that this token can see.')
    await audit(req, 'api.invitations.read', `invitation ${String(invitation._id)}`)
    res.json(invitationJson(invitation))
  })

  // Every refusal here is audited (its status and words), then answered by the one error handler.
  const auditRefusal: ErrorRequestHandler = (error: unknown, req, _res, next) => {
    if (!(error instanceof HttpError)) return next(error)
    audit(req, 'api.refused', req.path, `${error.status}: ${error.message.slice(0, 300)}`).then(
      () => next(error),
      next,
    )
  }
  router.use(auditRefusal)

  return router
}

async function visible(viewer: Viewer, id: string): Promise<Invitation | undefined> {
  if (!isObjectId(id)) return undefined
  return (
    (await InvitationModel.findOne({ _id: id, ...recordFilter(viewer, 'see') }, { tokenHash: 0 }).lean()) ??
    undefined
  )
}
