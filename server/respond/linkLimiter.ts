import type { Options } from 'express-rate-limit'
import type { Request, RequestHandler } from 'express'
import { DatabaseRateLimitStore } from '../security/rateLimitStore'

export const LINK_LIMIT = 30
export const LINK_WINDOW_MS = 15 * 60 * 1000

export interface SurveyLinkLimiter {
  /** Refuses with 429 an address that has used up its unusable links. */
  check: RequestHandler
  /** Counts one unusable link for the request's address. */
  countUnusable(req: Request): Promise<void>
}

/**
 * Slows down anyone guessing survey links: at most 30 unusable links (unknown, used, expired,
 * cancelled) from one IP address in 15 minutes. Only unusable links are counted, before the page
 * saying so is sent, so a family centre or office sharing one address is never locked out by
 * people answering, however many open their links at once. (Counting every request and refunding
 * the ones that opened, as express-rate-limit's skipSuccessfulRequests does, refused 50 families
 * opening links together, and a process killed mid-request never refunded its count.) Counted in
 * the database, so every app process shares one limit; guesses in flight together may pass the
 * limit by the number in flight.
 */
export function surveyLinkLimiter(options: { limit?: number; windowMs?: number } = {}): SurveyLinkLimiter {
  const limit = options.limit ?? LINK_LIMIT
  const windowMs = options.windowMs ?? LINK_WINDOW_MS
  const store = new DatabaseRateLimitStore('survey-link')
  store.init({ windowMs } as Options)
  const policy = `"${limit}-in-${windowMs / 60_000}min"; q=${limit}; w=${windowMs / 1000}`
  const keyOf = (req: Request) => req.ip ?? 'unknown'
  return {
    async check(req, res, next) {
      const seen = await store.get(keyOf(req))
      if (!seen || seen.totalHits < limit) return next()
      res.set('RateLimit-Policy', policy)
      res.status(429).render('errors/error', {
        title: 'Too many attempts',
        message:
          'That link could not be opened because there have been too many attempts from your connection. Please wait 15 minutes and try again.',
      })
    },
    async countUnusable(req) {
      await store.increment(keyOf(req))
    },
  }
}
