/**
 * Wrong codes are limited per account in the database (shared by every app process): 10 in 15
 * minutes, counting set-up, sign-in and recovery codes together. An attempt is counted before it is
 * checked, so many sent at once cannot get more tries; an accepted code gives its attempt back.
 */
import type { Options } from 'express-rate-limit'
import { DatabaseRateLimitStore } from '../../security/rateLimitStore'

export const MFA_FAILURE_LIMIT = 10
export const MFA_FAILURE_WINDOW_MS = 15 * 60 * 1000

const store = new DatabaseRateLimitStore('mfa-code')
store.init({ windowMs: MFA_FAILURE_WINDOW_MS } as Options)

/** False when the account has used up its attempts for now. */
export async function takeCodeAttempt(userId: string): Promise<boolean> {
  return (await store.increment(userId)).totalHits <= MFA_FAILURE_LIMIT
}

export async function giveBackCodeAttempt(userId: string): Promise<void> {
  await store.decrement(userId)
}
