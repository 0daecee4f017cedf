/**
 * The family-facing survey: `/s/<token>` (or the code typed at `/s`) moves the token out of the
 * address into the session, `/survey` shows and takes the answers, `/survey/thank-you` closes the
 * loop with where to get help.
 *
 * Every POST answers 303 (POST-redirect-GET), errors included: answers with a problem are kept in
 * the session and `/survey` shows them again with the errors, so Back, Reload and Forward never
 * ask to resend a form. A redirect waits for a changed session to be saved (security/session.ts),
 * so the page redirected to always sees what the form put there. The session is written when the
 * link is opened and in an error round only: reading, sending and thanking write nothing to it.
 *
 * Every page is in the family's language (./language.ts): the survey in one it is translated into.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express'
import type { Types } from 'mongoose'
import { z } from 'zod'
import type { Services } from '../services'
import { HttpError } from '../http/errors'
import { readInput, routeInput } from '../http/input'
import { translatorFor, type Translate } from '../i18n/pageText'
import { FAMILY_SESSION_MS, regenerateSession } from '../security/session'
import type { AnswerError } from '../surveys/answers'
import type { TSurveyDefinition } from '../surveys/definition'
import type { Invitation } from '../invitations/invitation'
import { normalCode } from '../invitations/token'
import { TeamModel } from '../teams/team'
import { closedLinkPage, codePage, familyPage, listenWords, type FamilyPage } from './familyText'
import { chooseLanguage, helpContactFor, localiseErrors, useLanguage } from './language'
import { surveyLinkLimiter } from './linkLimiter'
import {
  answeredSurvey,
  errorSummaryItems,
  invitationForSession,
  openLink,
  readSurveyForm,
  shownSurvey,
  shownVersion,
  submitOnlineResponse,
  UnexpectedFieldError,
  VERSION_FIELD,
  type LinkOutcome,
} from './service'

declare module 'express-session' {
  interface SessionData {
    /** Answers sent with a problem, shown again by `GET /survey` until they are sent. */
    surveyForm?: { version: number; values: Record<string, string>; errors: AnswerError[] }
  }
}

// The language (`?lang=`) every family page may carry is read by chooseLanguage (./language.ts).

/** A personal link; what the token is worth is the invitation's to say (a kind page if nothing). */
const LinkInput = routeInput({ params: { token: z.string() } })

/** The code typed from a letter; a mangled address shows the empty form, not an error in English. */
const CodeInput = routeInput({ query: { code: z.string().optional().catch(undefined) } })

/** The answers are read by readSurveyForm, with the survey's own parseAnswers. */
const SurveyFormInput = routeInput({ body: { [VERSION_FIELD]: shownVersion } })

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

  /**
   * Pages other than the survey: in any language the council has turned on, with links to the
   * others where following one is safe (never on /s/<token>: it would open the link again).
   */
  const pageLanguage = (req: Request, res: Response) => {
    const language = chooseLanguage(req, familyLanguages)
    const withLinks = req.method === 'GET' && !req.path.startsWith('/s/')
    const t = useLanguage(res, language, familyLanguages, withLinks ? req.baseUrl + req.path : undefined)
    return { language, t }
  }

  const renderPage = (req: Request, res: Response, page: (t: Translate) => FamilyPage) => {
    const { language, t } = pageLanguage(req, res)
    const words = page(t)
    res.status(words.status).render('respond/unavailable', {
      title: words.title,
      paragraphs: words.paragraphs,
      helpContact: helpContactFor(helpContact, language, t),
    })
  }

  /** Why a link or session cannot be answered; a closed link names its team and how to reach it. */
  const renderUnavailable = async (
    req: Request,
    res: Response,
    outcome: Exclude<LinkOutcome, { state: 'open' }>,
  ) => {
    if (outcome.state === 'unknown') return renderPage(req, res, (t) => familyPage(t, 'unknown'))
    const team = await teamContact(outcome.teamId, outcome.teamName)
    renderPage(req, res, (t) => closedLinkPage(t, outcome.state, team))
  }

  const renderThankYou = (req: Request, res: Response, survey: TSurveyDefinition | undefined) => {
    const { language, t } = pageLanguage(req, res)
    res.render('respond/thank-you', {
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
  ) => {
    const offered = offeredFor(survey)
    const language = chooseLanguage(req, offered)
    const t = useLanguage(res, language, offered, '/survey')
    const shown = services.surveys.inLanguage(survey, language)
    const errors = localiseErrors(form.errors, shown, language)
    res.status(form.errors.length > 0 ? 400 : 200).render('respond/survey', {
      title: shown.title,
      survey: shown,
      versionField: VERSION_FIELD,
      values: form.values,
      answerErrors: errors,
      errors: errorSummaryItems(errors),
      childFriendly: survey.childFriendly,
      listen: listenWords(t),
      // The team's own name: the service it belongs to means nothing to a family.
      askedBy: invitation.teamName,
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

  /**
   * The session keeps the invitation after the answers are stored: the invitation being completed
   * is what leads this session to the thank-you page, so sending the answers writes nothing to the
   * session (one database write fewer for each family; see README "Performance"). Only answers kept
   * from an error round are removed, which writes once.
   */
  const forgetKeptAnswers = (req: Request) => {
    if (req.session.surveyForm) delete req.session.surveyForm
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
    token: string,
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
    // A language in the link (`?lang=cy`, e.g. from a letter in Welsh): now that the session has
    // an invitation, choosing it keeps it for the visit.
    chooseLanguage(req, familyLanguages)
    // Longer than a staff session's idle limit, so a family who pauses does not lose their answers.
    req.session.cookie.maxAge = FAMILY_SESSION_MS
    res.redirect(303, '/survey')
  }

  router.get('/s/:token', linkLimiter.check, async (req, res) => {
    const { token } = readInput(LinkInput, req).params
    await startSurvey(req, res, token, (outcome) => renderUnavailable(req, res, outcome))
  })

  // The short address on paper: a family types the code from their letter.
  router.get('/s', linkLimiter.check, async (req, res) => {
    const typed = readInput(CodeInput, req).query.code
    const { language, t } = pageLanguage(req, res)
    const text = codePage(t)
    const renderCodePage = (error?: string, status = 200) =>
      res.status(status).render('respond/code', {
        title: text.title,
        text,
        code: typed ?? '',
        codeError: error,
        errors: error ? [{ href: 'code', text: error }] : [],
        helpContact: helpContactFor(helpContact, language, t),
        scripts: error ? [{ module: res.app.locals.asset('govuk-components.js') }] : [],
      })
    if (typed === undefined) return renderCodePage()
    if (typed.trim() === '') return renderCodePage(text.missing, 400)
    if (!normalCode(typed)) return renderCodePage(text.malformed, 400)
    await startSurvey(req, res, typed, async (outcome) => {
      if (outcome.state === 'unknown') return renderCodePage(text.notFound, 404)
      await renderUnavailable(req, res, outcome)
    })
  })

  router.get('/survey', async (req, res) => {
    if (!req.session.invitationId) return renderPage(req, res, (t) => familyPage(t, 'no-session'))
    const outcome = await invitationForSession(services, req.session.invitationId)
    // Back after sending: the stored invitation, not the session, says the answers are in.
    if (outcome.state === 'completed') return res.redirect(303, '/survey/thank-you')
    if (outcome.state !== 'open') return renderUnavailable(req, res, outcome)
    const kept = req.session.surveyForm
    // Answers sent with a problem come back on the version of the survey they were given on.
    const survey =
      (kept && services.surveys.version(outcome.invitation.surveyId, kept.version)) || outcome.survey
    renderSurvey(req, res, outcome.invitation, survey, kept ?? { values: {}, errors: [] })
  })

  router.post('/survey', async (req, res) => {
    const sessionInvitationId = req.session.invitationId
    // Without a session, the survey page says to open the link again.
    if (!sessionInvitationId) return res.redirect(303, '/survey')
    const outcome = await invitationForSession(services, sessionInvitationId)
    if (outcome.state === 'completed') {
      // The back button after sending, or a double click that another request got to first.
      forgetKeptAnswers(req)
      return res.redirect(303, '/survey/thank-you')
    }
    // Expired or cancelled while the page was open: the survey page says so.
    if (outcome.state !== 'open') return res.redirect(303, '/survey')
    const { invitation } = outcome

    const { body } = readInput(SurveyFormInput, req)
    const survey = shownSurvey(services, invitation.surveyId, body[VERSION_FIELD])
    // The language the survey page was shown in (the version sent decides which are offered).
    const language = chooseLanguage(req, survey ? offeredFor(survey) : familyLanguages)
    if (!survey) throw new HttpError(400, translatorFor(language)('answerErrors.unknownVersion'))
    let parsed
    try {
      parsed = readSurveyForm(survey, req.body)
    } catch (error) {
      if (error instanceof UnexpectedFieldError) {
        throw new HttpError(400, translatorFor(language)('answerErrors.unexpectedField'))
      }
      throw error
    }
    if (parsed.errors.length > 0) {
      req.session.surveyForm = { version: survey.version, values: parsed.values, errors: parsed.errors }
      return res.redirect(303, '/survey')
    }

    await submitOnlineResponse(services, invitation, survey, parsed, language)
    forgetKeptAnswers(req)
    res.redirect(303, '/survey/thank-you')
  })

  router.get('/survey/thank-you', async (req, res) => {
    // Only once this session's invitation is answered; nobody else is thanked for answers.
    const answered = await answeredSurvey(services, req.session.invitationId)
    if (!answered) return renderPage(req, res, (t) => familyPage(t, 'no-answers'))
    renderThankYou(req, res, answered.survey)
  })

  return router
}

/** The team's current name and phone, or the name the invitation was sent under. */
async function teamContact(teamId: Types.ObjectId, teamName: string) {
  const team = await TeamModel.findById(teamId, { name: 1, phone: 1 }).lean()
  return { name: team?.name ?? teamName, phone: team?.phone || undefined }
}
