/**
 * The family-facing survey: `/s/<token>` (or the code typed at `/s`) moves the token out of the
 * address into the session, `/survey` shows and takes the answers, `/survey/thank-you` closes the
 * loop with where to get help.
 *
 * Every POST answers 303 (POST-redirect-GET), errors included: answers with a problem are kept in
 * the session and `/survey` shows them again with the errors, so Back, Reload and Forward never
 * ask to resend a form. The session is saved before each redirect is sent: express-session saves
 * at the end of the response but sends the headers first, so a browser following the redirect
 * could read the session as it was before (the thank-you page once showed the adult text to a
 * child that way).
 */
import { Router, type Request, type RequestHandler, type Response } from 'express'
import type { Types } from 'mongoose'
import type { Services } from '../services'
import { HttpError } from '../http/errors'
import { FAMILY_SESSION_MS } from '../security/session'
import type { AnswerError } from '../surveys/answers'
import type { TSurveyDefinition } from '../surveys/definition'
import type { Invitation } from '../invitations/invitation'
import { normalCode } from '../invitations/token'
import { TeamModel } from '../teams/team'
import { CODE_PAGE, closedLinkPage, FAMILY_PAGES, LISTEN, type FamilyPage } from './familyText'
import { surveyLinkLimiter } from './linkLimiter'
import {
  errorSummaryItems,
  invitationForSession,
  openLink,
  readSurveyForm,
  shownSurvey,
  submitOnlineResponse,
  surveyForInvitation,
  UnexpectedFieldError,
  VERSION_FIELD,
  type LinkOutcome,
} from './service'

declare module 'express-session' {
  interface SessionData {
    /** The invitation this session has just answered: a resubmission shows the thank-you page again. */
    answeredInvitationId?: string
    /** Answers sent with a problem, shown again by `GET /survey` until they are sent. */
    surveyForm?: { version: number; values: Record<string, string>; errors: AnswerError[] }
  }
}

function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error) : resolve())),
  )
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())))
}

/** Survey pages are personal: never cached by the browser or anything in between. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store')
  next()
}

export function respondRoutes(services: Services): Router {
  const router = Router()
  const helpContact = services.config.helpContact

  const renderPage = (res: Response, page: FamilyPage) => {
    res.status(page.status).render('respond/unavailable', {
      title: page.title,
      paragraphs: page.paragraphs,
      helpContact,
    })
  }

  /** Why a link or session cannot be answered; a closed link names its team and how to reach it. */
  const renderUnavailable = async (res: Response, outcome: Exclude<LinkOutcome, { state: 'open' }>) => {
    if (outcome.state === 'unknown') return renderPage(res, FAMILY_PAGES.unknown)
    const team = await teamContact(outcome.teamId, outcome.teamName)
    renderPage(res, closedLinkPage(outcome.state, team))
  }

  const renderThankYou = (res: Response, survey: TSurveyDefinition | undefined) => {
    res.render('respond/thank-you', {
      title: 'Thank you for your answers',
      childFriendly: survey?.childFriendly ?? false,
      helpContact,
    })
  }

  const renderSurvey = (
    res: Response,
    invitation: Invitation,
    survey: TSurveyDefinition,
    form: { values: Record<string, string>; errors: AnswerError[] },
  ) => {
    res.status(form.errors.length > 0 ? 400 : 200).render('respond/survey', {
      title: survey.title,
      survey,
      versionField: VERSION_FIELD,
      values: form.values,
      answerErrors: form.errors,
      errors: errorSummaryItems(form.errors),
      childFriendly: survey.childFriendly,
      listen: LISTEN,
      // "Locality North (Locality)", or just "Family Front Door" when the team is the service.
      askedBy:
        invitation.teamName === invitation.service
          ? invitation.teamName
          : `${invitation.teamName} (${invitation.service})`,
      linkedToCase: Boolean(invitation.caseRef),
      scripts: [
        ...(survey.questions.some((question) => question.showIf) ? ['/public/js/show-if.js'] : []),
        res.app.locals.asset('listen.js'),
        // GOV.UK's character count and error summary, where the page has one of them.
        ...(form.errors.length > 0 || survey.questions.some((question) => question.type === 'free-text')
          ? [{ module: res.app.locals.asset('govuk-components.js') }]
          : []),
      ],
    })
  }

  /** After an answer is stored (or found already stored), the session forgets the invitation. */
  const finishSession = (req: Request, invitationId: string) => {
    delete req.session.invitationId
    delete req.session.surveyForm
    req.session.answeredInvitationId = invitationId
  }

  /** Saves the session, then redirects: the next request always sees what this one changed. */
  const redirectAfterSaving = async (req: Request, res: Response, location: string) => {
    await saveSession(req)
    res.redirect(303, location)
  }

  router.use(['/s', '/survey'], noStore, (_req, res, next) => {
    // The family's pages use the small stylesheet made for them (http/assets.ts).
    res.locals.familyPage = true
    next()
  })

  const linkLimiter = surveyLinkLimiter()

  /** Opens an invitation for a link's token or a typed code; otherwise says why not. */
  const startSurvey = async (
    req: Request,
    res: Response,
    token: unknown,
    refuse: (outcome: Exclude<LinkOutcome, { state: 'open' }>) => Promise<void>,
  ) => {
    const outcome = await openLink(services, token)
    if (outcome.state !== 'open') {
      // Counted before the answer goes out, so the next guess already sees it.
      await linkLimiter.countUnusable(req)
      return refuse(outcome)
    }
    // A fresh session, so that nobody can plant a session id before the family arrives.
    await regenerateSession(req)
    req.session.invitationId = String(outcome.invitation._id)
    // Longer than a staff session's idle limit, so a family who pauses does not lose their answers.
    req.session.cookie.maxAge = FAMILY_SESSION_MS
    await redirectAfterSaving(req, res, '/survey')
  }

  router.get('/s/:token', linkLimiter.check, async (req, res) => {
    await startSurvey(req, res, req.params.token, (outcome) => renderUnavailable(res, outcome))
  })

  // The short address on paper: a family types the code from their letter.
  router.get('/s', linkLimiter.check, async (req, res) => {
    const typed = typeof req.query.code === 'string' ? req.query.code : undefined
    const renderCodePage = (error?: string, status = 200) =>
      res.status(status).render('respond/code', {
        title: CODE_PAGE.title,
        text: CODE_PAGE,
        code: typed ?? '',
        codeError: error,
        errors: error ? [{ href: 'code', text: error }] : [],
        helpContact,
        scripts: error ? [{ module: res.app.locals.asset('govuk-components.js') }] : [],
      })
    if (typed === undefined) return renderCodePage()
    if (typed.trim() === '') return renderCodePage(CODE_PAGE.missing, 400)
    if (!normalCode(typed)) return renderCodePage(CODE_PAGE.malformed, 400)
    await startSurvey(req, res, typed, async (outcome) => {
      if (outcome.state === 'unknown') return renderCodePage(CODE_PAGE.notFound, 404)
      await renderUnavailable(res, outcome)
    })
  })

  router.get('/survey', async (req, res) => {
    if (!req.session.invitationId) {
      if (req.session.answeredInvitationId) return res.redirect(303, '/survey/thank-you')
      return renderPage(res, FAMILY_PAGES['no-session'])
    }
    const outcome = await invitationForSession(services, req.session.invitationId)
    if (outcome.state !== 'open') return renderUnavailable(res, outcome)
    const kept = req.session.surveyForm
    // Answers sent with a problem come back on the version of the survey they were given on.
    const survey =
      (kept && services.surveys.version(outcome.invitation.surveyId, kept.version)) || outcome.survey
    renderSurvey(res, outcome.invitation, survey, kept ?? { values: {}, errors: [] })
  })

  router.post('/survey', async (req, res) => {
    const sessionInvitationId = req.session.invitationId
    // The back button after sending: the answers are already stored. Without a session, the
    // survey page says to open the link again.
    if (!sessionInvitationId)
      return res.redirect(303, req.session.answeredInvitationId ? '/survey/thank-you' : '/survey')
    const outcome = await invitationForSession(services, sessionInvitationId)
    if (outcome.state === 'completed') {
      // Another request from this session (a double click) got there first.
      finishSession(req, sessionInvitationId)
      return redirectAfterSaving(req, res, '/survey/thank-you')
    }
    // Expired or cancelled while the page was open: the survey page says so.
    if (outcome.state !== 'open') return res.redirect(303, '/survey')
    const { invitation } = outcome

    const survey = shownSurvey(services, invitation.surveyId, req.body)
    if (!survey) {
      throw new HttpError(
        400,
        'The form was for a version of this survey we do not have, so nothing was saved. Open your survey link again.',
      )
    }
    let parsed
    try {
      parsed = readSurveyForm(survey, req.body)
    } catch (error) {
      if (error instanceof UnexpectedFieldError) {
        throw new HttpError(
          400,
          'The form contained something we did not expect, so nothing was saved. Go back, check your answers and send them again.',
        )
      }
      throw error
    }
    if (parsed.errors.length > 0) {
      req.session.surveyForm = { version: survey.version, values: parsed.values, errors: parsed.errors }
      return redirectAfterSaving(req, res, '/survey')
    }

    await submitOnlineResponse(services, invitation, survey, parsed)
    finishSession(req, sessionInvitationId)
    await redirectAfterSaving(req, res, '/survey/thank-you')
  })

  router.get('/survey/thank-you', async (req, res) => {
    // Only after answers were sent from this session; nobody else is thanked for answers.
    if (!req.session.answeredInvitationId) return renderPage(res, FAMILY_PAGES['no-answers'])
    renderThankYou(res, await surveyForInvitation(services, req.session.answeredInvitationId))
  })

  return router
}

/** The team's current name and phone, or the name the invitation was sent under. */
async function teamContact(teamId: Types.ObjectId, teamName: string) {
  const team = await TeamModel.findById(teamId, { name: 1, phone: 1 }).lean()
  return { name: team?.name ?? teamName, phone: team?.phone || undefined }
}
