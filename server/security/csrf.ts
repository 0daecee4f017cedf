import type { Request, RequestHandler } from 'express'
import { csrfSync } from 'csrf-sync'

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token')
  },
})

/**
 * A synchroniser token on every form. `csrfToken` is a lazy getter on res.locals, so a token (and
 * so a session) is made only for pages that render a form. The bearer-token API is exempt: it
 * uses no cookies.
 */
export function setUpCsrf(): RequestHandler[] {
  const exposeToken: RequestHandler = (req, res, next) => {
    Object.defineProperty(res.locals, 'csrfToken', {
      get: () => generateToken(req),
      enumerable: true,
      configurable: true,
    })
    next()
  }
  const protect: RequestHandler = (req, res, next) => {
    if (req.path.startsWith('/api/')) return next()
    csrfSynchronisedProtection(req, res, next)
  }
  return [exposeToken, protect]
}
