/**
 * Sign-in throttling, two ways:
 * - per account: at most 10 failed attempts in 5 minutes. The count lives in the database so that
 *   every process shares it, and is read with the services clock so that tests can move time. Each
 *   account has 10 failure slots (one LoginFailure document each); an attempt must take a slot
 *   before its password is checked, and a wrong password keeps it. Taking a slot is one atomic
 *   write (inserting its _id, or reusing a slot whose failure has left the window), so 50
 *   attempts at once still get exactly 10 tries, on MongoDB and the embedded engine alike; a
 *   count followed by an insert let them all through. Old documents are removed as new failures
 *   are written (no TTL index: FerretDB has none).
 * - per IP address: express-rate-limit counting in the database (so every process shares one
 *   limit), 50 failed sign-ins in 15 minutes.
 */
import type { RequestHandler } from 'express'
import { rateLimit } from 'express-rate-limit'
import { Schema, model } from 'mongoose'
import type { Clock } from '../clock'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { DatabaseRateLimitStore } from './rateLimitStore'

export const ACCOUNT_FAILURE_LIMIT = 10
export const ACCOUNT_FAILURE_WINDOW_MS = 5 * 60 * 1000
export const IP_FAILURE_LIMIT = 50
export const IP_FAILURE_WINDOW_MS = 15 * 60 * 1000

export const TOO_MANY_ATTEMPTS_TITLE = 'Too many attempts'
export const TOO_MANY_ATTEMPTS_MESSAGE = 'Too many attempts, try again in a few minutes.'

export interface LoginFailure {
  /** `<slot>:<email>`: the unique _id is what makes taking a slot atomic. */
  _id: string
  /** The email address as typed, lower-cased: counted whether or not the account exists. */
  email: string
  /** 0 to ACCOUNT_FAILURE_LIMIT - 1. */
  slot: number
  at: Date
}

const loginFailureSchema = new Schema<LoginFailure>({
  _id: { type: String, required: true },
  email: { type: String, required: true },
  slot: { type: Number, required: true },
  at: { type: Date, required: true },
})
loginFailureSchema.index({ email: 1, at: -1 })
loginFailureSchema.index({ at: 1 })

export const LoginFailureModel = model<LoginFailure>('LoginFailure', loginFailureSchema)

function windowStart(clock: Clock): Date {
  return new Date(clock.now().getTime() - ACCOUNT_FAILURE_WINDOW_MS)
}

/**
 * Takes one of the account's failure slots for a sign-in attempt, before its password is checked.
 * False when every slot holds a failure inside the window: the account is locked, even for the
 * right password, and the refused attempt takes nothing (so the lock does not stretch for ever).
 */
export async function claimSignInAttempt(clock: Clock, email: string): Promise<boolean> {
  const now = clock.now()
  const start = windowStart(clock)
  const held = await LoginFailureModel.find({ email, at: { $gt: start } }, { slot: 1 }).lean()
  const heldSlots = new Set(held.map((failure) => failure.slot))
  for (let slot = 0; slot < ACCOUNT_FAILURE_LIMIT; slot++) {
    if (heldSlots.has(slot)) continue
    const _id = `${slot}:${email}`
    // Each write below succeeds for one attempt only, whichever process it runs in.
    const reused = await LoginFailureModel.updateOne({ _id, at: { $lte: start } }, { $set: { at: now } })
    if (reused.matchedCount === 1) return true
    try {
      await LoginFailureModel.create({ _id, email, slot, at: now })
      return true
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
  }
  return false
}

/** A wrong password keeps its slot; failures that have left the window are removed meanwhile. */
export async function forgetOldLoginFailures(clock: Clock): Promise<void> {
  await LoginFailureModel.deleteMany({ at: { $lte: windowStart(clock) } })
}

/** After a successful sign-in the account starts again with a clean count. */
export async function clearLoginFailures(email: string): Promise<void> {
  await LoginFailureModel.deleteMany({ email })
}

/**
 * Limits failed sign-ins from one IP address. Only answers of 400 and over count, so colleagues
 * behind one office address can all sign in. The count is kept in the database, shared by every
 * app process. `name` gives a limiter its own count (e.g. 'sso-callback-ip' for single sign-on).
 */
export function signInIpLimiter(
  options: { limit?: number; windowMs?: number; name?: string } = {},
): RequestHandler {
  return rateLimit({
    store: new DatabaseRateLimitStore(options.name ?? 'sign-in-ip'),
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
