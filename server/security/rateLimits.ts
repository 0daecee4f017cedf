/**
 * Sign-in throttling, two ways:
 * - per account: at most 10 failed attempts in 5 minutes. The count lives in the database (one
 *   LoginFailure document per failure) so that every process shares it, and is read with the
 *   services clock so that tests can move time. Old documents are removed as new ones are written
 *   (no TTL index: FerretDB has none).
 * - per IP address: express-rate-limit in memory, 50 failed sign-ins in 15 minutes.
 */
import type { RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import { Schema, model, type Types } from 'mongoose'
import type { Clock } from '../clock'

export const ACCOUNT_FAILURE_LIMIT = 10
export const ACCOUNT_FAILURE_WINDOW_MS = 5 * 60 * 1000
export const IP_FAILURE_LIMIT = 50
export const IP_FAILURE_WINDOW_MS = 15 * 60 * 1000

export const TOO_MANY_ATTEMPTS_TITLE = 'Too many attempts'
export const TOO_MANY_ATTEMPTS_MESSAGE = 'Too many attempts, try again in a few minutes.'

export interface LoginFailure {
  _id: Types.ObjectId
  /** The email address as typed, lower-cased: counted whether or not the account exists. */
  email: string
  at: Date
}

const loginFailureSchema = new Schema<LoginFailure>({
  email: { type: String, required: true },
  at: { type: Date, required: true },
})
loginFailureSchema.index({ email: 1, at: -1 })
loginFailureSchema.index({ at: 1 })

export const LoginFailureModel = model<LoginFailure>('LoginFailure', loginFailureSchema)

function windowStart(clock: Clock): Date {
  return new Date(clock.now().getTime() - ACCOUNT_FAILURE_WINDOW_MS)
}

/** Whether this account has used up its failed attempts for now (even the right password is refused). */
export async function accountLocked(clock: Clock, email: string): Promise<boolean> {
  const failures = await LoginFailureModel.countDocuments({ email, at: { $gt: windowStart(clock) } })
  return failures >= ACCOUNT_FAILURE_LIMIT
}

export async function recordLoginFailure(clock: Clock, email: string): Promise<void> {
  await LoginFailureModel.create({ email, at: clock.now() })
  await LoginFailureModel.deleteMany({ at: { $lte: windowStart(clock) } })
}

/** After a successful sign-in the account starts again with a clean count. */
export async function clearLoginFailures(email: string): Promise<void> {
  await LoginFailureModel.deleteMany({ email })
}

/**
 * Limits failed sign-ins from one IP address. Only answers of 400 and over count, so colleagues
 * behind one office address can all sign in. Each app gets its own counter.
 */
export function signInIpLimiter(options: { limit?: number; windowMs?: number } = {}): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? IP_FAILURE_WINDOW_MS,
    limit: options.limit ?? IP_FAILURE_LIMIT,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Client addresses come from the app's 'trust proxy' setting (TRUST_PROXY), not the header.
    validate: { xForwardedForHeader: false },
    handler: (_req, res) => {
      res.status(429).render('errors/error', {
        title: TOO_MANY_ATTEMPTS_TITLE,
        message: TOO_MANY_ATTEMPTS_MESSAGE,
      })
    },
  })
}
