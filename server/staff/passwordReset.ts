/**
 * Resetting a forgotten password by email. A request always gets the same answer; an active
 * account's address gets a link carrying 256 random bits, of which only the SHA-256 is stored. The
 * link works for 30 minutes and once: setting the new password claims it in one conditional update,
 * so two uses at once cannot both win. Setting it ends every session of the account.
 */
import { randomBytes } from 'node:crypto'
import { Schema, model, type Types } from 'mongoose'
import type { Options } from 'express-rate-limit'
import type { Services } from '../services'
import type { Clock } from '../clock'
import { recordAudit } from '../audit/auditEvent'
import { isObjectId } from '../db/objectId'
import { DatabaseRateLimitStore } from '../security/rateLimitStore'
import { clearLoginFailures } from '../security/rateLimits'
import { sha256Hex } from '../security/sha256'
import { passwordProblem } from './passwordPolicy'
import { hashPassword } from './passwords'
import { endSessionsOf } from './sessions'
import { normaliseEmail } from './signIn'
import { UserModel, type User } from './user'

export const RESET_LINK_MINUTES = 30
/** Emails to one address, whoever asks: more are not sent (the answer is the same). */
export const RESET_EMAILS_PER_ADDRESS = 3
export const RESET_EMAIL_WINDOW_MS = 60 * 60 * 1000

export interface PasswordReset {
  _id: Types.ObjectId
  tokenHash: string
  userId: Types.ObjectId
  createdAt: Date
  expiresAt: Date
  usedAt?: Date
}

const passwordResetSchema = new Schema<PasswordReset>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: Date,
  },
  { versionKey: false },
)
passwordResetSchema.index({ tokenHash: 1 }, { unique: true })
passwordResetSchema.index({ userId: 1 })

export const PasswordResetModel = model<PasswordReset>('PasswordReset', passwordResetSchema)

const emailsPerAddress = new DatabaseRateLimitStore('password-reset-email')
emailsPerAddress.init({ windowMs: RESET_EMAIL_WINDOW_MS } as Options)

export function resetLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/reset-password/${token}`
}

function resetEmail(name: string, link: string): { subject: string; text: string; html: string } {
  const subject = 'Reset your Family Voice password'
  const paragraphs = [
    `Hello ${name},`,
    'Someone asked to reset the password for your Family Voice account. If it was you, choose a new password with this link. ' +
      `It works once, for ${RESET_LINK_MINUTES} minutes:`,
  ]
  const after = [
    'If you did not ask, you can ignore this email: your password has not changed. ' +
      'Tell your Family Voice administrator if you keep getting these emails.',
  ]
  const escape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  return {
    subject,
    text: [...paragraphs.flatMap((p) => [p, '']), link, '', ...after, ''].join('\n'),
    html: [
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
      `<title>${subject}</title></head>`,
      '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;">',
      ...paragraphs.map((p) => `<p>${escape(p)}</p>`),
      `<p><a href="${escape(link)}" style="color: #1d70b8; font-weight: bold;">Choose a new password</a></p>`,
      `<p style="word-break: break-all;">${escape(link)}</p>`,
      ...after.map((p) => `<p>${escape(p)}</p>`),
      '</body></html>',
    ].join('\n'),
  }
}

/**
 * Sends a reset link when the address is an active account's, and does nothing visible otherwise.
 * The routes answer before calling this, so the answer takes as long either way.
 */
export async function requestPasswordReset(
  services: Pick<Services, 'clock' | 'config' | 'mail'>,
  input: { email: string; ip?: string },
): Promise<void> {
  const { clock } = services
  const email = normaliseEmail(input.email).slice(0, 254)
  const user = await UserModel.findOne({ email }).lean()
  const withinLimit = (await emailsPerAddress.increment(email)).totalHits <= RESET_EMAILS_PER_ADDRESS
  if (user && !user.disabled && withinLimit) {
    const token = randomBytes(32).toString('base64url')
    const now = clock.now()
    // Only the newest link works.
    await PasswordResetModel.deleteMany({ userId: user._id, usedAt: { $exists: false } })
    await PasswordResetModel.create({
      tokenHash: sha256Hex(token),
      userId: user._id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60 * 1000),
    })
    const content = resetEmail(user.name, resetLink(services.config.baseUrl, token))
    await services.mail.enqueue({ to: user.email, purpose: 'password-reset', ...content })
  }
  // Last, once the email is in the outbox. The address typed is kept only when it is an account's.
  await recordAudit(clock.now(), {
    userId: user?._id,
    actorLabel: user ? user.email : 'unknown account',
    action: 'account.password-reset-requested',
    detail: !user
      ? 'No account with that email address'
      : user.disabled
        ? 'Account disabled: no email sent'
        : withinLimit
          ? 'Reset link emailed'
          : `More than ${RESET_EMAILS_PER_ADDRESS} requests in an hour: no email sent`,
    ...(input.ip ? { ip: input.ip } : {}),
  })
}

/** The live reset for a token from a link (unknown, used and expired alike: undefined). */
export async function liveResetForToken(clock: Clock, token: string): Promise<PasswordReset | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
  return liveReset(clock, { tokenHash: sha256Hex(token) })
}

export async function liveResetById(clock: Clock, id: string): Promise<PasswordReset | undefined> {
  if (!isObjectId(id)) return undefined
  return liveReset(clock, { _id: id })
}

async function liveReset(clock: Clock, filter: { tokenHash: string } | { _id: string }) {
  const reset = await PasswordResetModel.findOne(filter).lean()
  if (!reset || reset.usedAt || reset.expiresAt <= clock.now()) return undefined
  const user = await UserModel.findById(reset.userId, { disabled: 1 }).lean()
  return user && !user.disabled ? reset : undefined
}

export async function userOfReset(reset: PasswordReset): Promise<User | undefined> {
  return (await UserModel.findById(reset.userId).lean()) ?? undefined
}

export type ResetOutcome =
  | { ok: true; sessionsEnded: number }
  | { ok: false; unusable: true }
  | { ok: false; unusable?: undefined; errors: Array<{ href: string; text: string }> }

/** Sets the new password if it meets the policy and the link is still unused: the claim is one update. */
export async function resetPassword(
  clock: Clock,
  resetId: string,
  input: { password: string; confirm: string; ip?: string },
): Promise<ResetOutcome> {
  const reset = await liveResetById(clock, resetId)
  const user = reset && (await userOfReset(reset))
  if (!reset || !user) return { ok: false, unusable: true }
  const problem = passwordProblem(input.password, { email: user.email, whose: 'your' })
  if (problem) return { ok: false, errors: [{ href: 'password', text: problem }] }
  if (input.password !== input.confirm) {
    return { ok: false, errors: [{ href: 'confirm', text: 'Enter the same new password twice' }] }
  }
  const passwordHash = await hashPassword(input.password)
  const now = clock.now()
  const claimed = await PasswordResetModel.findOneAndUpdate(
    { _id: reset._id, usedAt: { $exists: false }, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
  ).lean()
  if (!claimed) return { ok: false, unusable: true }
  await UserModel.updateOne({ _id: user._id }, { $set: { passwordHash } })
  // Whoever knew the old password (the reason for a reset, often) is signed out everywhere.
  const sessionsEnded = await endSessionsOf(user._id)
  await clearLoginFailures(user.email)
  await PasswordResetModel.deleteMany({ userId: user._id, usedAt: { $exists: false } })
  await recordAudit(now, {
    userId: user._id,
    actorLabel: user.email,
    action: 'account.password-reset-by-email',
    target: `user ${String(user._id)}`,
    detail: `${sessionsEnded} ${sessionsEnded === 1 ? 'session' : 'sessions'} ended`,
    ...(input.ip ? { ip: input.ip } : {}),
  })
  return { ok: true, sessionsEnded }
}
