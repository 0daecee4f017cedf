/**
 * The family-facing survey: `/s/<token>` moves the token out of the address into the session,
 * `/survey` shows and takes the answers, `/survey/thank-you` closes the loop with where to get help.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express'
import type { Services } from '../app'
import { HttpError } from '../http/errors'
import { FAMILY_SESSION_MS } from '../security/session'
import type { AnswerError } from '../surveys/answers'
import type { TSurveyDefinition } from '../surveys/definition'
import type { Invitation } from '../invitations/invitation'
import { surveyLinkLimiter } from './linkLimiter'
import {
  errorSummaryItems,
  invitationForSession,
  openLink,
  readSurveyForm,
  submitOnlineResponse,
  surveyForInvitation,
  UnexpectedFieldError,
  type LinkOutcome,
} from './service'

type Unavailable = Exclude<LinkOutcome['state'], 'open'> | 'no-session'

const UNAVAILABLE: Record<Unavailable, { status: number; title: string; paragraphs: string[] }> = {
  completed: {
    status: 410,
    title: 'This survey has already been answered',
    paragraphs: [
      'Each survey link can only be used once, and this one has been used. Thank you if it was you who answered.',
      'If you think someone else has used your link, or you want to add something, contact the person who sent it to you.',
    ],
  },
  expired: {
    status: 410,
    title: 'This survey link has expired',
    paragraphs: [
      'Survey links only work for a few weeks, and this one has now closed.',
      'If you would still like to tell us about your experience, contact the person who sent you the link.',
    ],
  },
  // Unknown and cancelled links read and answer the same (status too), so a page never confirms
  // that a link existed.
  cancelled: {
    status: 404,
    title: 'This survey link does not work',
    paragraphs: [
      'Check that you have copied the whole link from your email or letter.',
      'If it still does not work, contact the person who sent it to you.',
    ],
  },
  unknown: {
    status: 404,
    title: 'This survey link does not work',
    paragraphs: [
      'Check that you have copied the whole link from your email or letter.',
      'If it still does not work, contact the person who sent it to you.',
    ],
  },
  'no-session': {
    status: 404,
    title: 'Open your survey link again',
    paragraphs: [
      'We could not find the survey you were answering. This can happen if the page was left open for a long time.',
      'Open the personal link from your email or letter again to carry on. If you have already sent your answers, you do not need to do anything else.',
    ],
  },
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

  const renderUnavailable = (res: Response, kind: Unavailable) => {
    const page = UNAVAILABLE[kind]
    res.status(page.status).render('respond/unavailable', {
      title: page.title,
      paragraphs: page.paragraphs,
      helpContact,
    })
  }

  const renderThankYou = (res: Response, survey: TSurveyDefinition | undefined, status = 200) => {
    res.status(status).render('respond/thank-you', {
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
    status = 200,
  ) => {
    res.status(status).render('respond/survey', {
      title: survey.title,
      survey,
      values: form.values,
      answerErrors: form.errors,
      errors: errorSummaryItems(form.errors),
      childFriendly: survey.childFriendly,
      // "Locality North (Locality)", or just "Family Front Door" when the team is the service.
      askedBy:
        invitation.teamName === invitation.service
          ? invitation.teamName
          : `${invitation.teamName} (${invitation.service})`,
      linkedToCase: Boolean(invitation.caseRef),
      scripts: survey.questions.some((question) => question.showIf) ? ['/public/js/show-if.js'] : [],
    })
  }

  router.use(['/s', '/survey'], noStore)

  const linkLimiter = surveyLinkLimiter()
  router.get('/s/:token', linkLimiter.check, async (req, res) => {
    const outcome = await openLink(services, req.params.token)
    if (outcome.state !== 'open') {
      // Counted before the answer goes out, so the next guess already sees it.
      await linkLimiter.countUnusable(req)
      return renderUnavailable(res, outcome.state)
    }
    // A fresh session, so that nobody can plant a session id before the family arrives.
    await regenerateSession(req)
    req.session.invitationId = String(outcome.invitation._id)
    // Longer than a staff session's idle limit, so a family who pauses does not lose their answers.
    req.session.cookie.maxAge = FAMILY_SESSION_MS
    await saveSession(req)
    res.redirect(303, '/survey')
  })

  // The session keeps the invitation after the answers are stored: the invitation being completed
  // is what leads this session to the thank-you page, so sending the answers writes nothing to
  // the session (one database write fewer for each family; see README "Performance").
  router.get('/survey', async (req, res) => {
    if (!req.session.invitationId) return renderUnavailable(res, 'no-session')
    const outcome = await invitationForSession(services, req.session.invitationId)
    if (outcome.state === 'completed') return res.redirect(303, '/survey/thank-you')
    if (outcome.state !== 'open') return renderUnavailable(res, outcome.state)
    renderSurvey(res, outcome.invitation, outcome.survey, { values: {}, errors: [] })
  })

  router.post('/survey', async (req, res) => {
    const sessionInvitationId = req.session.invitationId
    if (!sessionInvitationId) return renderUnavailable(res, 'no-session')
    const outcome = await invitationForSession(services, sessionInvitationId)
    if (outcome.state === 'completed') {
      // The back button after sending, or a double click that another request got to first.
      return renderThankYou(res, await surveyForInvitation(services, sessionInvitationId))
    }
    if (outcome.state !== 'open') return renderUnavailable(res, outcome.state)
    const { invitation, survey } = outcome

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
    if (parsed.errors.length > 0) return renderSurvey(res, invitation, survey, parsed, 400)

    const result = await submitOnlineResponse(services, invitation, survey, parsed)
    if (result === 'recorded') return res.redirect(303, '/survey/thank-you')
    renderThankYou(res, survey)
  })

  router.get('/survey/thank-you', async (req, res) => {
    renderThankYou(res, await surveyForInvitation(services, req.session.invitationId))
  })

  return router
}
