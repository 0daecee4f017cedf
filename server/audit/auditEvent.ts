import { Schema, model, type Types } from 'mongoose'

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
auditSchema.index({ at: -1 })
auditSchema.index({ userId: 1, at: -1 })

export const AuditEventModel = model<AuditEvent>('AuditEvent', auditSchema)

export interface AuditInput {
  userId?: Types.ObjectId
  actorLabel: string
  action: string
  target?: string
  detail?: string
  ip?: string
}

export async function recordAudit(at: Date, input: AuditInput): Promise<void> {
  await AuditEventModel.create({ at, ...input })
}
