/**
 * Staff pages for personal survey links: send (email or printed letter), what was sent, the
 * list with filters, one invitation with its timeline, cancel, resend and reprint. Thin: read the
 * request, call the services in sendForm/sending/queries, render.
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import { isObjectId, toObjectId } from '../db/objectId'
import { HttpError } from '../http/errors'
import { objectId, readInput, routeInput, type FieldError } from '../http/input'
import {
  CASE_EVENT_LABELS,
  CASE_EVENTS,
  RESPONDENT_LABELS,
  RESPONDENT_TYPES,
  type TCaseEvent,
} from '../surveys/definition'
import { textMessageDelivery } from '../config'
import { SERVICES, TeamModel, type Team } from '../teams/team'
import { bulkRoutes } from './bulkRoutes'
import { invitationSummary, noStore, sendableTeams, signedInUser, staffOnly } from './web'
import { INVITATION_STATUSES, type Invitation } from './invitation'
import { letterView } from './letter'
import {
  checkListFilters,
  defaultSentBy,
  findVisibleInvitation,
  LIST_FILTER_FIELDS,
  listInvitations,
  STATUS_LABELS,
  timelineFor,
  type ListFilters,
} from './queries'
import {
  checkSendForm,
  emptyValues,
  EVENT_DATE_WHAT,
  isCaseEvent,
  MAX_RECIPIENTS,
  SEND_FORM_FIELDS,
  sendFormValues,
  type SendFormValues,
} from './sendForm'
import { LIVE_STATUSES } from './lifecycle'
import { resendInvitation, sendInvitation } from './sending'
import { cancelInvitation, reprintLetter } from './lifecycle'
import { may, type Action } from '../staff/policy'
import { recordStaffAudit } from '../audit/staffAudit'

declare module 'express-session' {
  interface SessionData {
    /**
     * Tokens of letters just made, by invitation id, shown once on the letter page and then
     * forgotten (only the hash is stored; printing again makes a new token).
     */
    freshLetters?: Record<string, string>
    /** A one-off message for the next invitation page, e.g. "Invitation cancelled". */
    invitationNotice?: string
  }
}

function fieldErrorMap(errors: FieldError[]): Record<string, string> {
  const map: Record<string, string> = {}
  for (const error of errors) map[error.href] ??= error.text
  return map
}

/** `?event=closure`: the chooser's choice; missing shows the chooser. */
const NewSendInput = routeInput({ query: { event: z.string().optional() } })

const SendInput = routeInput({
  body: {
    event: z.enum(CASE_EVENTS, { error: 'Choose when in the case the survey is for, then try again.' }),
    ...SEND_FORM_FIELDS,
  },
})

/** The invitations just sent, from the redirect after sending; ids that are not ours are skipped. */
const SentInput = routeInput({
  query: {
    ids: z
      .string()
      .default('')
      .transform((text) => text.split(',').slice(0, MAX_RECIPIENTS).filter(isObjectId).map(toObjectId)),
  },
})

const ListInput = routeInput({ query: LIST_FILTER_FIELDS })

/** Every page and action on one invitation. */
const InvitationInput = routeInput({ params: { id: objectId.transform(toObjectId) } })

function surveyTitleWithAudience(services: Services, event: TCaseEvent) {
  return services.surveys.forEvent(event).map((survey) => ({
    id: survey.id,
    text: `${survey.title} (${RESPONDENT_LABELS[survey.audience]}${survey.childFriendly ? ', child-friendly' : ''})`,
  }))
}

export function invitationRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services

  // /invitations/bulk… before /invitations/:id.
  router.use(bulkRoutes(services))

  const renderSendForm = (
    res: Response,
    options: { event: TCaseEvent; teams: Team[]; values: SendFormValues; errors: FieldError[] },
    status = 200,
  ) => {
    res.status(status).render('invitations/new', {
      title: 'Send a survey',
      backLink: '/invitations/new',
      event: options.event,
      eventLabel: CASE_EVENT_LABELS[options.event],
      eventDateLabel: EVENT_DATE_WHAT[options.event],
      surveys: surveyTitleWithAudience(services, options.event),
      teams: options.teams.map((team) => ({ id: String(team._id), name: team.name, service: team.service })),
      services: SERVICES,
      respondents: RESPONDENT_TYPES.map((id) => ({ id, text: RESPONDENT_LABELS[id] })),
      values: options.values,
      textMessages: textMessageDelivery(services.config),
      errors: options.errors,
      fieldErrors: fieldErrorMap(options.errors),
      maxRecipients: MAX_RECIPIENTS,
    })
  }

  const renderChooseEvent = (res: Response, errors: FieldError[], status = 200) => {
    res.status(status).render('invitations/choose-event', {
      title: 'Send a survey',
      events: CASE_EVENTS.map((id) => ({ id, text: CASE_EVENT_LABELS[id] })),
      errors,
    })
  }

  router.get('/invitations/new', staffOnly, async (req, res) => {
    const { event } = readInput(NewSendInput, req).query
    if (event === undefined) return renderChooseEvent(res, [])
    if (!isCaseEvent(event)) {
      return renderChooseEvent(
        res,
        [{ href: 'event-closure', text: 'Select when in the case the survey is for' }],
        400,
      )
    }
    const teams = await sendableTeams(signedInUser(req))
    const values = emptyValues(teams.length === 1 ? teams[0] : undefined, services.surveys.forEvent(event))
    renderSendForm(res, { event, teams, values, errors: [] })
  })

  router.post('/invitations/new', staffOnly, async (req, res) => {
    const user = signedInUser(req)
    const { body } = readInput(SendInput, req)
    const { event } = body
    const values = sendFormValues(body)
    const teams = await sendableTeams(user)
    const checked = checkSendForm(values, {
      event,
      surveys: services.surveys,
      teams,
      now: clock.now(),
      textMessages: textMessageDelivery(services.config) !== 'none',
    })
    if (!checked.ok) return renderSendForm(res, { event, teams, values, errors: checked.errors }, 400)

    const { send } = checked
    const sentIds: string[] = []
    const letters: Record<string, string> = {}
    for (const recipient of send.recipients) {
      const { invitation, token } = await sendInvitation(services, {
        surveyId: recipient.survey.id,
        team: send.team,
        service: send.service,
        respondent: recipient.respondent,
        caseRef: send.caseRef,
        eventDate: send.eventDate,
        channel: send.channel,
        ...(recipient.email ? { recipientEmail: recipient.email } : {}),
        ...(recipient.mobile ? { recipientMobile: recipient.mobile } : {}),
        ...(recipient.firstName ? { recipientName: recipient.firstName } : {}),
        createdBy: user.id,
        expiresInDays: services.config.invitationExpiryDays,
      })
      sentIds.push(String(invitation._id))
      if (send.channel === 'letter') letters[String(invitation._id)] = token
      await recordStaffAudit(
        services,
        req,
        'invitation.sent',
        `invitation ${String(invitation._id)}`,
        `${invitation.surveyId} by ${send.channel} for ${invitation.teamName}`,
      )
    }
    if (Object.keys(letters).length) {
      req.session.freshLetters = { ...(req.session.freshLetters ?? {}), ...letters }
    }
    // The ids go in the address, not the session: nothing to lose if another request saves the
    // session at the same moment, and the page still checks the user may see each one.
    res.redirect(303, `/invitations/sent?ids=${sentIds.join(',')}`)
  })

  router.get('/invitations/sent', staffOnly, noStore, async (req, res) => {
    const user = signedInUser(req)
    const { ids } = readInput(SentInput, req).query
    const invitations = (await Promise.all(ids.map((id) => findVisibleInvitation(user, id)))).filter(
      (invitation): invitation is Invitation => invitation !== undefined,
    )
    if (invitations.length === 0) return res.redirect(303, '/invitations')
    const summaries = invitations.map((invitation) => invitationSummary(services, invitation))
    const letters = summaries.filter((summary) => summary.isLetter)
    const texts = summaries.filter((summary) => summary.isText)
    res.render('invitations/sent', {
      title: letters.length === summaries.length ? 'Letters ready to print' : 'Survey sent',
      invitations: summaries,
      letterCount: letters.length,
      emailCount: summaries.length - letters.length - texts.length,
      textCount: texts.length,
      expiryDays: services.config.invitationExpiryDays,
      reminderDays: services.config.reminderAfterDays,
    })
  })

  router.get('/invitations', staffOnly, async (req, res) => {
    const user = signedInUser(req)
    const teams =
      user.role === 'qa' || user.role === 'admin'
        ? await TeamModel.find({}).sort({ name: 1 }).lean()
        : await TeamModel.find({ _id: { $in: user.teamIds } })
            .sort({ name: 1 })
            .lean()
    const surveys = services.surveys.all()
    const { filters, problems } = checkListFilters(readInput(ListInput, req).query, {
      surveys: surveys.map((survey) => survey.id),
      teams: teams.map((team) => String(team._id)),
      sentBy: defaultSentBy(user),
    })
    const list = await listInvitations(user, filters)
    const pageHref = (cursor: Record<string, string>) => {
      const params = new URLSearchParams()
      for (const key of ['status', 'survey', 'team', 'from', 'to'] as const) {
        if (filters[key]) params.set(key, filters[key])
      }
      if (filters.sentBy !== defaultSentBy(user)) params.set('sentBy', filters.sentBy)
      for (const [key, value] of Object.entries(cursor)) params.set(key, value)
      const text = params.toString()
      return text ? `/invitations?${text}` : '/invitations'
    }
    const mine = filters.sentBy === 'me'
    res.status(problems.length ? 400 : 200).render('invitations/list', {
      title: mine
        ? 'My invitations'
        : user.role === 'qa' || user.role === 'admin'
          ? 'Invitations'
          : 'Your teams’ invitations',
      scopeText: mine
        ? 'Survey links you have sent.'
        : user.role === 'qa' || user.role === 'admin'
          ? 'Survey links sent by every team.'
          : 'Survey links sent by everyone in your teams, so you can cover a colleague’s case.',
      sentByLink:
        user.role === 'qa' || user.role === 'admin'
          ? undefined
          : mine
            ? { href: '/invitations?sentBy=anyone', text: 'Show everyone’s invitations in your teams' }
            : { href: '/invitations?sentBy=me', text: 'Show only the invitations you sent' },
      errors: problems,
      filters: filters satisfies ListFilters,
      statuses: INVITATION_STATUSES.map((id) => ({ id, text: STATUS_LABELS[id] })),
      surveys: surveys.map((survey) => ({ id: survey.id, text: `${survey.title} (${survey.id})` })),
      teams: teams.map((team) => ({ id: String(team._id), name: team.name })),
      invitations: list.invitations.map((invitation) => invitationSummary(services, invitation)),
      count: list.count.count,
      moreThanCount: list.count.more,
      previousHref: list.newer ? pageHref({ after: String(list.newer) }) : undefined,
      nextHref: list.older ? pageHref({ before: String(list.older) }) : undefined,
    })
  })

  /** The invitation this user may do this to, or 404 (as if it did not exist). */
  const loadVisible = async (req: Request, action: Action = 'see'): Promise<Invitation> => {
    const { id } = readInput(InvitationInput, req).params
    const invitation = await findVisibleInvitation(signedInUser(req), id, action)
    if (!invitation)
      throw new HttpError(404, 'There is no invitation at this address, or it belongs to another team.')
    return invitation
  }

  router.get('/invitations/:id', staffOnly, async (req, res) => {
    const invitation = await loadVisible(req)
    const user = signedInUser(req)
    const notice = req.session.invitationNotice
    if (notice) delete req.session.invitationNotice
    const live = LIVE_STATUSES.includes(invitation.status) && invitation.expiresAt > clock.now()
    res.render('invitations/show', {
      title: 'Invitation',
      backLink: '/invitations',
      invitation: invitationSummary(services, invitation),
      timeline: timelineFor(invitation),
      notice,
      canCancel: may(user, 'cancel', invitation) && LIVE_STATUSES.includes(invitation.status),
      canResend:
        may(user, 'resend', invitation) &&
        Boolean(invitation.channel === 'sms' ? invitation.recipientMobile : invitation.recipientEmail) &&
        [...LIVE_STATUSES, 'expired'].includes(invitation.status),
      canPrint: may(user, 'reprint', invitation) && live,
      canRecord:
        may(user, 'record-answer', invitation) &&
        invitation.status !== 'completed' &&
        invitation.status !== 'cancelled',
    })
  })

  router.post('/invitations/:id/cancel', staffOnly, async (req, res) => {
    const invitation = await loadVisible(req, 'cancel')
    const user = signedInUser(req)
    const cancelled = await cancelInvitation(invitation._id, services.clock.now(), user)
    if (!cancelled) {
      throw new HttpError(
        409,
        `This invitation is ${STATUS_LABELS[invitation.status].toLowerCase()}, so it cannot be cancelled.`,
      )
    }
    await recordStaffAudit(services, req, 'invitation.cancelled', `invitation ${String(invitation._id)}`)
    req.session.invitationNotice =
      'Invitation cancelled. The link now tells the family it is no longer available.'
    res.redirect(303, `/invitations/${String(invitation._id)}`)
  })

  router.post('/invitations/:id/resend', staffOnly, async (req, res) => {
    const invitation = await loadVisible(req, 'resend')
    const result = await resendInvitation(services, invitation._id, signedInUser(req))
    if (!result.ok) {
      throw new HttpError(
        409,
        result.reason === 'no-email'
          ? 'This invitation has no email address to resend to. Print a letter instead.'
          : `This invitation is ${STATUS_LABELS[invitation.status].toLowerCase()}, so it cannot be resent.`,
      )
    }
    await recordStaffAudit(services, req, 'invitation.resent', `invitation ${String(invitation._id)}`)
    req.session.invitationNotice =
      result.invitation.channel === 'sms'
        ? 'A new link is being texted. The link in the earlier text message no longer works.'
        : 'A new link is being emailed. The link in the earlier email no longer works.'
    res.redirect(303, `/invitations/${String(invitation._id)}`)
  })

  const renderLetter = async (res: Response, invitation: Invitation, token: string) => {
    res.render('invitations/letter', {
      title: 'Letter to print',
      printable: true,
      backLink: `/invitations/${String(invitation._id)}`,
      invitationId: String(invitation._id),
      letter: await letterView(services, invitation, token),
    })
  }

  router.get('/invitations/:id/letter', staffOnly, noStore, async (req, res) => {
    const invitation = await loadVisible(req, 'reprint')
    const id = String(invitation._id)
    const token = req.session.freshLetters?.[id]
    if (token) {
      // Shown once: after this page only printing again (a new token) can show a link.
      const { [id]: _shown, ...rest } = req.session.freshLetters ?? {}
      req.session.freshLetters = rest
      return renderLetter(res, invitation, token)
    }
    res.render('invitations/reprint', {
      title: 'Print a letter',
      backLink: `/invitations/${id}`,
      invitation: invitationSummary(services, invitation),
      canPrint: LIVE_STATUSES.includes(invitation.status) && invitation.expiresAt > clock.now(),
    })
  })

  router.post('/invitations/:id/letter', staffOnly, noStore, async (req, res) => {
    const invitation = await loadVisible(req, 'reprint')
    const printed = await reprintLetter(invitation._id, services.clock.now(), signedInUser(req))
    if (!printed) {
      throw new HttpError(
        409,
        `This invitation is ${STATUS_LABELS[invitation.status].toLowerCase()}, so a letter cannot be printed.`,
      )
    }
    await recordStaffAudit(services, req, 'invitation.letter-printed', `invitation ${String(invitation._id)}`)
    await renderLetter(res, printed.invitation, printed.token)
  })

  return router
}
