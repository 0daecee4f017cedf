import type { RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import { DatabaseRateLimitStore } from '../security/rateLimitStore'

export const LINK_LIMIT = 30
export const LINK_WINDOW_MS = 15 * 60 * 1000

/**
 * Slows down anyone guessing survey links: at most 30 unusable links (unknown, used, expired,
 * cancelled) from one IP address in 15 minutes. Links that open are not counted, so a family
 * centre or office sharing one address is never locked out by people answering. Counted in the
 * database, so every app process shares one limit.
 */
export function surveyLinkLimiter(options: { limit?: number; windowMs?: number } = {}): RequestHandler {
  return rateLimit({
    store: new DatabaseRateLimitStore('survey-link'),
    windowMs: options.windowMs ?? LINK_WINDOW_MS,
    limit: options.limit ?? LINK_LIMIT,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).render('errors/error', {
        title: 'Too many attempts',
        message:
          'That link could not be opened because there have been too many attempts from your connection. Please wait 15 minutes and try again.',
      })
    },
  })
}
