/**
 * Changing your own password: the current one first (an attempt on it takes one of the account's
 * sign-in failure slots, so it cannot be guessed faster than at the sign-in page), then a new one
 * that meets the policy, typed twice. Every other session of the account ends; this one goes on.
 */
import mongoose from 'mongoose'
import type { Clock } from '../clock'
import { recordAudit } from '../audit/auditEvent'
import { claimSignInAttempt, clearLoginFailures } from '../security/rateLimits'
import { passwordProblem } from './passwordPolicy'
import { hashPassword, verifyPassword } from './passwords'
import { SessionActivityModel } from './sessions'
import { UserModel } from './user'

export interface PasswordChange {
  current: string
  password: string
  confirm: string
}

export type PasswordChangeOutcome =
  | { ok: true; otherSessionsEnded: number }
  | { ok: false; throttled?: true; errors: Array<{ href: string; text: string }> }

export async function changeOwnPassword(
  clock: Clock,
  who: { userId: string; sessionId: string; ip?: string },
  change: PasswordChange,
): Promise<PasswordChangeOutcome> {
  const user = await UserModel.findById(who.userId).lean()
  if (!user || user.disabled) return { ok: false, errors: [{ href: 'current', text: 'Sign in again' }] }
  if (change.current === '') {
    return { ok: false, errors: [{ href: 'current', text: 'Enter your current password' }] }
  }
  if (!(await claimSignInAttempt(clock, user.email))) {
    return {
      ok: false,
      throttled: true,
      errors: [{ href: 'current', text: 'Too many attempts, try again in a few minutes' }],
    }
  }
  if (!(await verifyPassword(user.passwordHash, change.current))) {
    await recordAudit(clock.now(), {
      userId: user._id,
      actorLabel: user.email,
      action: 'account.password-change-failed',
      detail: 'Wrong current password',
      ...(who.ip ? { ip: who.ip } : {}),
    })
    return { ok: false, errors: [{ href: 'current', text: 'Your current password is not right' }] }
  }
  await clearLoginFailures(user.email)
  const problem = passwordProblem(change.password, { email: user.email, whose: 'your' })
  if (problem) return { ok: false, errors: [{ href: 'password', text: problem }] }
  if (change.password !== change.confirm) {
    return { ok: false, errors: [{ href: 'confirm', text: 'Enter the same new password twice' }] }
  }
  if (change.password === change.current) {
    return {
      ok: false,
      errors: [{ href: 'password', text: 'Choose a password different from your current one' }],
    }
  }
  await UserModel.updateOne(
    { _id: user._id },
    { $set: { passwordHash: await hashPassword(change.password) } },
  )
  // Anyone else signed in as this person (a stolen session, a forgotten shared computer) is out.
  const sessions = mongoose.connection.db?.collection<{ _id: string }>('sessions')
  const ended = sessions
    ? (await sessions.deleteMany({ 'session.staff.userId': String(user._id), _id: { $ne: who.sessionId } }))
        .deletedCount
    : 0
  await SessionActivityModel.deleteMany({ userId: user._id, _id: { $ne: who.sessionId } })
  await recordAudit(clock.now(), {
    userId: user._id,
    actorLabel: user.email,
    action: 'account.password-changed',
    target: `user ${String(user._id)}`,
    detail: `${ended} other ${ended === 1 ? 'session' : 'sessions'} ended`,
    ...(who.ip ? { ip: who.ip } : {}),
  })
  return { ok: true, otherSessionsEnded: ended }
}
