/**
 * Second factor for local accounts: setting up an authenticator app, checking its codes and the
 * recovery codes, and an admin resetting it. Plain TypeScript; the routes hold the half-signed-in
 * state. Every "exactly once" here is one conditional update on the enrolment document.
 */
import type { Types } from 'mongoose'
import type { Clock } from '../../clock'
import { isDuplicateKeyError } from '../../db/duplicateKey'
import type { Role } from '../user'
import { MfaEnrolmentModel } from './enrolment'
import type { SecretBox } from './secretBox'
import { matchingStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash } from './totp'

/** Roles that must use an authenticator app with a password (they see every team's free text). */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['admin', 'qa']

export function mfaRequiredFor(role: Role): boolean {
  return MFA_REQUIRED_ROLES.includes(role)
}

export async function mfaEnabledFor(userId: Types.ObjectId | string): Promise<boolean> {
  return (await MfaEnrolmentModel.exists({ _id: userId, enabledAt: { $exists: true } })) !== null
}

/** What a password sign-in still needs: a code, setting up an app first, or nothing. */
export async function secondFactorNeeded(user: {
  _id: Types.ObjectId
  role: Role
}): Promise<'code' | 'set-up' | undefined> {
  if (await mfaEnabledFor(user._id)) return 'code'
  return mfaRequiredFor(user.role) ? 'set-up' : undefined
}

/** The secret being set up (made on first call, kept until confirmed), to show as a QR code and text. */
export async function pendingSecretFor(box: SecretBox, userId: Types.ObjectId | string): Promise<string> {
  const found = await MfaEnrolmentModel.findById(userId, { pendingSecret: 1 }).lean()
  const existing = found?.pendingSecret ? box.open(found.pendingSecret) : undefined
  if (existing) return existing
  const secret = newTotpSecret()
  try {
    await MfaEnrolmentModel.updateOne(
      { _id: userId, enabledAt: { $exists: false } },
      {
        $set: { pendingSecret: box.seal(secret) },
        $setOnInsert: { lastUsedStep: -1, recoveryCodeHashes: [] },
      },
      { upsert: true },
    )
  } catch (error) {
    // Already switched on (the filter missed and the insert met the _id): nothing to set up.
    if (!isDuplicateKeyError(error)) throw error
  }
  return secret
}

export type SetUpOutcome =
  { ok: true; recoveryCodes: string[] } | { ok: false; reason: 'wrong-code' | 'already-on' }

/**
 * Turns the app on when `code` comes from the pending secret. Returns the recovery codes, in
 * plain text this once; only their hashes are kept.
 */
export async function confirmSetUp(
  box: SecretBox,
  clock: Clock,
  userId: Types.ObjectId | string,
  code: string,
): Promise<SetUpOutcome> {
  const found = await MfaEnrolmentModel.findById(userId).lean()
  if (found?.enabledAt) return { ok: false, reason: 'already-on' }
  const secret = found?.pendingSecret ? box.open(found.pendingSecret) : undefined
  const step = secret ? matchingStep(secret, code, clock.now()) : undefined
  if (!found?.pendingSecret || step === undefined) return { ok: false, reason: 'wrong-code' }
  const recoveryCodes = newRecoveryCodes()
  const switched = await MfaEnrolmentModel.updateOne(
    { _id: userId, pendingSecret: found.pendingSecret, enabledAt: { $exists: false } },
    {
      $set: {
        secret: found.pendingSecret,
        enabledAt: clock.now(),
        lastUsedStep: step,
        recoveryCodeHashes: recoveryCodes.map(recoveryCodeHash),
      },
      $unset: { pendingSecret: 1 },
    },
  )
  if (switched.modifiedCount !== 1) return { ok: false, reason: 'already-on' }
  return { ok: true, recoveryCodes }
}

export type CodeOutcome = 'accepted' | 'wrong' | 'used'

/**
 * Accepts a code from the app once: its step must be later than the last accepted one, checked and
 * recorded in one conditional update, so the same code sent twice at once is accepted once.
 */
export async function acceptCode(
  box: SecretBox,
  clock: Clock,
  userId: Types.ObjectId | string,
  code: string,
): Promise<CodeOutcome> {
  const found = await MfaEnrolmentModel.findById(userId, { secret: 1, enabledAt: 1 }).lean()
  const secret = found?.enabledAt && found.secret ? box.open(found.secret) : undefined
  const step = secret ? matchingStep(secret, code, clock.now()) : undefined
  if (step === undefined) return 'wrong'
  const claimed = await MfaEnrolmentModel.updateOne(
    { _id: userId, enabledAt: { $exists: true }, lastUsedStep: { $lt: step } },
    { $set: { lastUsedStep: step } },
  )
  return claimed.modifiedCount === 1 ? 'accepted' : 'used'
}

/** Uses up a recovery code: removing its hash is the claim, so it works once. Returns how many are left. */
export async function useRecoveryCode(
  userId: Types.ObjectId | string,
  code: string,
): Promise<{ accepted: boolean; left: number }> {
  const hash = recoveryCodeHash(code)
  const claimed = await MfaEnrolmentModel.findOneAndUpdate(
    { _id: userId, enabledAt: { $exists: true }, recoveryCodeHashes: hash },
    { $pull: { recoveryCodeHashes: hash } },
    { new: true },
  ).lean()
  return { accepted: claimed !== null, left: claimed?.recoveryCodeHashes.length ?? 0 }
}

/** An admin's reset: the app and recovery codes are forgotten; the next sign-in sets them up again. */
export async function resetMfa(userId: Types.ObjectId | string): Promise<boolean> {
  return (await MfaEnrolmentModel.deleteOne({ _id: userId })).deletedCount === 1
}
