import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express'
import { isLanguage, LANGUAGES } from '../i18n/languages'
import { translatorFor } from '../i18n/pageText'
import { log } from '../log'
import { isSurveyPath } from '../security/session'

/** An error whose message is safe to show to the person who made the request. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/')
}

/** A form sent with a missing, old or foreign CSRF token. */
export const FORM_EXPIRED =
  'For your security, forms stop working after a while. Go back, refresh the page and try again.'

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: 'There is a problem', body: 'We could not understand that request.' },
  403: { title: 'That form has expired', body: FORM_EXPIRED },
  404: { title: 'Page not found', body: 'If you typed the web address, check it is correct.' },
  413: { title: 'That was too long', body: 'What you sent was too large. Please shorten it and try again.' },
  429: { title: 'Too many attempts', body: 'Please wait a few minutes and try again.' },
  500: {
    title: 'Sorry, there is a problem with the service',
    body: 'Please try again later. Your answers have not been lost if you saw a confirmation.',
  },
}

/**
 * An error page a family reaches while answering is in the language they chose (kept in their
 * survey session); every other error page is in English.
 */
function pageWords(req: Request, res: Response, status: number): { title: string; body: string } {
  const english = MESSAGES[status] ?? MESSAGES[status < 500 ? 400 : 500]!
  const remembered: unknown = isSurveyPath(req.path) ? req.session?.language : undefined
  const language: unknown = res.locals.lang ?? remembered
  if (!isLanguage(language) || language === 'en') return english
  const t = translatorFor(language)
  res.locals.lang = language
  res.locals.dir = LANGUAGES[language].dir
  res.locals.t = t
  const key = MESSAGES[status] ? status : status < 500 ? 400 : 500
  return { title: t(`errors.${key}.title`), body: t(`errors.${key}.body`) }
}

export const notFound: RequestHandler = (req, res) => {
  if (wantsJson(req)) {
    res.status(404).json({ error: 'Not found.' })
    return
  }
  const words = pageWords(req, res, 404)
  res.status(404).render('errors/error', { title: words.title, message: words.body })
}

/** Every error ends here: 4xx with a clear message, 500 without details; never a stack trace. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const raw = error as {
    status?: number
    statusCode?: number
  }
  let status = raw.status ?? raw.statusCode ?? 500
  if (status < 400 || status > 599) status = 500
  if (status >= 500) log.error({ err: error }, 'request failed')

  if (res.headersSent) return
  const known = wantsJson(req)
    ? (MESSAGES[status] ?? MESSAGES[status < 500 ? 400 : 500]!)
    : pageWords(req, res, status)
  const message = error instanceof HttpError ? error.message : known.body
  if (wantsJson(req)) {
    res
      .status(status)
      .json({ error: status === 403 && !(error instanceof HttpError) ? 'Forbidden.' : message })
    return
  }
  res.status(status).render('errors/error', { title: known.title, message })
}
