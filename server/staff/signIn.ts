/**
 * Checking an email address and password. Plain TypeScript: the routes deal with the session.
 * Every failure looks the same from outside (no account, wrong password, disabled account), and
 * takes about as long, so the page never tells whether an account exists.
 */
import type { Clock } from '../clock'
import { recordAudit } from '../audit/auditEvent'
import { claimSignInAttempt, clearLoginFailures, forgetOldLoginFailures } from '../security/rateLimits'
import { secondFactorNeeded } from './mfa/service'
import { hashPassword, verifyPassword } from './passwords'
import { UserModel, type User } from './user'

export type SignInResult =
  /** The password is right; `secondFactor` says what is still needed before the session is signed in. */
  | { outcome: 'signed-in'; user: User; secondFactor?: 'code' | 'set-up' }
  | { outcome: 'failed' }
  /** Too many failed attempts on this account: refused even with the right password. */
  | { outcome: 'locked' }

let dummyHash: Promise<string> | undefined
/** A hash to verify against when there is no account, so that the answer takes as long. */
function timingHash(): Promise<string> {
  dummyHash ??= hashPassword('no account has this password, it only spends time')
  return dummyHash
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function checkSignIn(
  clock: Clock,
  input: { email: string; password: string; ip?: string },
): Promise<SignInResult> {
  const email = normaliseEmail(input.email).slice(0, 254)
  const ip = input.ip
  // The attempt takes its place in the account's count before the (slow) password check.
  if (!(await claimSignInAttempt(clock, email))) {
    const user = await UserModel.findOne({ email }, { _id: 1 }).lean()
    await recordAudit(clock.now(), {
      userId: user?._id,
      actorLabel: user ? email : 'unknown account',
      action: 'session.sign-in-blocked',
      detail: 'Too many failed attempts in 5 minutes',
      ip,
    })
    return { outcome: 'locked' }
  }

  const user = await UserModel.findOne({ email }).lean()
  const passwordMatches = await verifyPassword(user?.passwordHash ?? (await timingHash()), input.password)
  if (!user || !passwordMatches || user.disabled) {
    await forgetOldLoginFailures(clock)
    await recordAudit(clock.now(), {
      userId: user?._id,
      actorLabel: user ? email : 'unknown account',
      action: 'session.sign-in-failed',
      detail: !user
        ? 'No account with that email address'
        : user.disabled
          ? 'Account disabled'
          : 'Wrong password',
      ip,
    })
    return { outcome: 'failed' }
  }

  await clearLoginFailures(email)
  // Audited once the second factor is in too (a wrong code is audited as session.mfa-failed).
  const secondFactor = await secondFactorNeeded(user)
  if (secondFactor) return { outcome: 'signed-in', user, secondFactor }
  await recordSignedIn(clock, user, ip)
  return { outcome: 'signed-in', user }
}

/** Audits a completed sign-in (after every factor) and notes when it happened. */
export async function recordSignedIn(
  clock: Clock,
  user: Pick<User, '_id' | 'email'>,
  ip: string | undefined,
  detail?: string,
): Promise<void> {
  await UserModel.updateOne({ _id: user._id }, { $set: { lastSignedInAt: clock.now() } })
  await recordAudit(clock.now(), {
    userId: user._id,
    actorLabel: user.email,
    action: 'session.signed-in',
    ...(detail ? { detail } : {}),
    ip,
  })
}
