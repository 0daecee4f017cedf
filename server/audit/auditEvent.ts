import { Schema, model, type Types } from 'mongoose'
import { idAt } from '../db/timeOrderedIds'

/** Who did or saw what, and when: sign-ins, sends, cancellations, free text viewed, exports. */
export interface AuditEvent {
  _id: Types.ObjectId
  at: Date
  /** The staff user, or undefined for the CLI and integrations (see actorLabel). */
  userId?: Types.ObjectId
  actorLabel: string
  action: string
  /** What it was done to, e.g. "invitation 65f…" or "report closure-family 2020-21-Q4". */
  target?: string
  detail?: string
  ip?: string
}

const auditSchema = new Schema<AuditEvent>({
  at: { type: Date, required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User' },
  actorLabel: { type: String, required: true },
  action: { type: String, required: true },
  target: String,
  detail: String,
  ip: String,
})
// Newest first by _id (see db/newestFirst.ts), for everyone, one user, or one action.
auditSchema.index({ userId: 1, _id: -1 })
auditSchema.index({ action: 1, _id: -1 })
// Subject access lists what was done to a case's records ("invitation 65f…").
auditSchema.index({ target: 1, _id: -1 })

export const AuditEventModel = model<AuditEvent>('AuditEvent', auditSchema)

/**
 * Every action the app records, sorted: the audit page's filter list. (Reading them from the
 * trail would read every event.) An action missing here does not type-check where it is recorded.
 */
export const AUDIT_ACTIONS = [
  'account.mfa-set-up',
  'account.password-change-failed',
  'account.password-changed',
  'account.password-reset-by-email',
  'account.password-reset-requested',
  'api-token.created',
  'api.denied',
  'api.invitations.created',
  'api.invitations.read',
  'api.refused',
  'api.reports.breakdown',
  'api.reports.headlines',
  'case.erased',
  'case.exported',
  'free-text.approved',
  'free-text.rejected',
  'free-text.viewed',
  'invitation.cancelled',
  'invitation.letter-printed',
  'invitation.resent',
  'invitation.sent',
  'invitations.bulk-sent',
  'report.exported',
  'response.entered',
  'responses.exported',
  'retention.applied',
  'safeguarding-flag.acknowledged',
  'safeguarding-flag.not-a-concern',
  'session.mfa-failed',
  'session.sign-in-blocked',
  'session.sign-in-failed',
  'session.signed-in',
  'session.signed-out',
  'session.sso-refused',
  'team.changed',
  'team.created',
  'team.retired',
  'team.unretired',
  'user.changed',
  'user.created',
  'user.created-by-sso',
  'user.disabled',
  'user.enabled',
  'user.mfa-reset',
  'user.password-reset',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditInput {
  userId?: Types.ObjectId
  actorLabel: string
  action: AuditAction
  target?: string
  detail?: string
  ip?: string
}

export async function recordAudit(at: Date, input: AuditInput): Promise<void> {
  // The id carries `at`, so the trail pages and filters by date on _id (audit/trail.ts).
  await AuditEventModel.create({ _id: idAt(at), at, ...input })
}
