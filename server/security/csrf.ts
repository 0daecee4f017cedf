import type { Request, RequestHandler } from 'express'
import { csrfSync } from 'csrf-sync'
import { FORM_EXPIRED, HttpError } from '../http/errors'

const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token')
  },
})

/**
 * A token made only when a template prints it: rendering copies res.locals (which would call a
 * getter), but copying this object does not call toString. So pages without a form, like 404s
 * for guessed links, create no session and set no cookie.
 */
class LazyCsrfToken {
  constructor(private readonly req: Request) {}
  toString(): string {
    return generateToken(this.req)
  }
}

/** A synchroniser token on every form. The bearer-token API is exempt: it uses no cookies. */
export function setUpCsrf(): RequestHandler[] {
  const exposeToken: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = new LazyCsrfToken(req)
    next()
  }
  const protect: RequestHandler = (req, res, next) => {
    if (req.path.startsWith('/api/')) return next()
    // A missing or foreign token is a 403 with the "form has expired" page, like any HttpError.
    csrfSynchronisedProtection(req, res, (error?: unknown) =>
      next(error === invalidCsrfTokenError ? new HttpError(403, FORM_EXPIRED) : error),
    )
  }
  return [exposeToken, protect]
}
