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
import { translatorFor } from '../i18n/pageText'
import { chooseLanguage, helpContactFor, localiseErrors, useLanguage } from './language'
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

declare module 'express-session' {
  interface SessionData {
    /** The invitation this session has just answered: a resubmission shows the thank-you page again. */
    answeredInvitationId?: string
  }
}

type Unavailable = Exclude<LinkOutcome['state'], 'open'> | 'no-session'

// The words are in server/i18n/locales (unavailable.<key>); unknown and cancelled links read and
// answer the same (status too), so a page never confirms that a link existed.
const UNAVAILABLE: Record<Unavailable, { status: number; key: string }> = {
  completed: { status: 410, key: 'completed' },
  expired: { status: 410, key: 'expired' },
  cancelled: { status: 404, key: 'unknown' },
  unknown: { status: 404, key: 'unknown' },
  'no-session': { status: 404, key: 'noSession' },
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

  const familyLanguages = services.config.familyLanguages

  /** A survey is offered in the languages turned on that it is completely translated into. */
  const offeredFor = (survey: TSurveyDefinition) =>
    familyLanguages.filter((code) => services.surveys.languagesFor(survey).includes(code))

  /** Pages other than the survey: in any language the council has turned on. */
  const pageLanguage = (req: Request, res: Response, withLinks: boolean) => {
    const language = chooseLanguage(req, familyLanguages)
    const t = useLanguage(res, language, familyLanguages, withLinks ? req.path : undefined)
    return { language, t }
  }

  const renderUnavailable = (req: Request, res: Response, kind: Unavailable) => {
    const page = UNAVAILABLE[kind]
    // No language links on /s/<token>: following one would open the link again.
    const { language, t } = pageLanguage(req, res, req.path.startsWith('/survey'))
    res.status(page.status).render('respond/unavailable', {
      title: t(`unavailable.${page.key}.title`),
      paragraphs: [t(`unavailable.${page.key}.p1`), t(`unavailable.${page.key}.p2`)],
      helpContact: helpContactFor(helpContact, language, t),
    })
  }

  const renderThankYou = (
    req: Request,
    res: Response,
    survey: TSurveyDefinition | undefined,
    status = 200,
  ) => {
    const { language, t } = pageLanguage(req, res, req.method === 'GET')
    res.status(status).render('respond/thank-you', {
      title: t('thankYou.title'),
      childFriendly: survey?.childFriendly ?? false,
      helpContact: helpContactFor(helpContact, language, t),
    })
  }

  const renderSurvey = (
    req: Request,
    res: Response,
    invitation: Invitation,
    survey: TSurveyDefinition,
    form: { values: Record<string, string>; errors: AnswerError[] },
    status = 200,
  ) => {
    const offered = offeredFor(survey)
    const language = chooseLanguage(req, offered)
    useLanguage(res, language, offered, '/survey')
    const shown = services.surveys.inLanguage(survey, language)
    const errors = localiseErrors(form.errors, shown, language)
    res.status(status).render('respond/survey', {
      title: shown.title,
      survey: shown,
      values: form.values,
      answerErrors: errors,
      errors: errorSummaryItems(errors),
      childFriendly: survey.childFriendly,
      // The team's own name: the service it belongs to means nothing to a family.
      askedBy: invitation.teamName,
      linkedToCase: Boolean(invitation.caseRef),
      scripts: survey.questions.some((question) => question.showIf) ? ['/public/js/show-if.js'] : [],
    })
  }

  /** After an answer is stored (or found already stored), the session forgets the invitation. */
  const finishSession = (req: Request, invitationId: string) => {
    delete req.session.invitationId
    req.session.answeredInvitationId = invitationId
  }

  router.use(['/s', '/survey'], noStore)

  const linkLimiter = surveyLinkLimiter()
  router.get('/s/:token', linkLimiter.check, async (req, res) => {
    const outcome = await openLink(services, req.params.token)
    if (outcome.state !== 'open') {
      // Counted before the answer goes out, so the next guess already sees it.
      await linkLimiter.countUnusable(req)
      return renderUnavailable(req, res, outcome.state)
    }
    // A language in the link (`?lang=cy`, e.g. from a letter in Welsh) or chosen earlier in this visit.
    const language = chooseLanguage(req, familyLanguages)
    // A fresh session, so that nobody can plant a session id before the family arrives.
    await regenerateSession(req)
    req.session.invitationId = String(outcome.invitation._id)
    if (req.query.lang === language) req.session.language = language
    // Longer than a staff session's idle limit, so a family who pauses does not lose their answers.
    req.session.cookie.maxAge = FAMILY_SESSION_MS
    await saveSession(req)
    res.redirect(303, '/survey')
  })

  router.get('/survey', async (req, res) => {
    if (!req.session.invitationId) {
      if (req.session.answeredInvitationId) return res.redirect(303, '/survey/thank-you')
      return renderUnavailable(req, res, 'no-session')
    }
    const outcome = await invitationForSession(services, req.session.invitationId)
    if (outcome.state !== 'open') return renderUnavailable(req, res, outcome.state)
    renderSurvey(req, res, outcome.invitation, outcome.survey, { values: {}, errors: [] })
  })

  router.post('/survey', async (req, res) => {
    const sessionInvitationId = req.session.invitationId
    if (!sessionInvitationId) {
      // The back button after sending: the answers are already stored.
      if (req.session.answeredInvitationId) {
        return renderThankYou(req, res, await surveyForInvitation(services, req.session.answeredInvitationId))
      }
      return renderUnavailable(req, res, 'no-session')
    }
    const outcome = await invitationForSession(services, sessionInvitationId)
    if (outcome.state === 'completed') {
      // Another request from this session (a double click) got there first.
      finishSession(req, sessionInvitationId)
      return renderThankYou(req, res, await surveyForInvitation(services, sessionInvitationId))
    }
    if (outcome.state !== 'open') return renderUnavailable(req, res, outcome.state)
    const { invitation, survey } = outcome

    let parsed
    try {
      parsed = readSurveyForm(survey, req.body)
    } catch (error) {
      if (error instanceof UnexpectedFieldError) {
        const language = chooseLanguage(req, offeredFor(survey))
        throw new HttpError(400, translatorFor(language)('answerErrors.unexpectedField'))
      }
      throw error
    }
    if (parsed.errors.length > 0) return renderSurvey(req, res, invitation, survey, parsed, 400)

    // The language the survey page was shown in.
    const language = chooseLanguage(req, offeredFor(survey))
    const result = await submitOnlineResponse(services, invitation, survey, parsed, language)
    finishSession(req, sessionInvitationId)
    if (result === 'recorded') return res.redirect(303, '/survey/thank-you')
    renderThankYou(req, res, survey)
  })

  router.get('/survey/thank-you', async (req, res) => {
    renderThankYou(req, res, await surveyForInvitation(services, req.session.answeredInvitationId))
  })

  return router
}
