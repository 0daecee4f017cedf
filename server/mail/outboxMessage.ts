import { Schema, model, type Types } from 'mongoose'

/**
 * pending → sending → sent; failed after a permanent refusal or too many attempts; kept when
 * there is no SMTP_URL (read by admins at /admin/outbox); cancelled when its invitation was
 * cancelled, completed, expired or its link replaced before it went.
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'kept', 'cancelled'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export const MESSAGE_CHANNELS = ['email', 'sms'] as const
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number]

/**
 * An email waiting to go, or gone. Messages are stored first and sent by the outbox worker, so
 * nothing is lost while SMTP is down; without SMTP_URL they stay here for admins to read.
 */
export interface OutboxMessage {
  _id: Types.ObjectId
  /** Email (SMTP or GOV.UK Notify) or a text message (GOV.UK Notify); `to` is an address or +447… */
  channel: MessageChannel
  to: string
  subject: string
  text: string
  html?: string
  /** What the message is for, so delivery can update it (e.g. the invitation's status). */
  purpose: 'invitation' | 'reminder' | 'safeguarding' | 'password-reset' | 'other'
  invitationId?: Types.ObjectId
  status: OutboxStatus
  attempts: number
  nextAttemptAt: Date
  lastError?: string
  /** When the worker claimed it (status sending); a claim older than a few minutes is retried. */
  claimedAt?: Date
  sentAt?: Date
  createdAt: Date
}

const outboxSchema = new Schema<OutboxMessage>(
  {
    // Messages queued before text messages existed have no channel: they are email.
    channel: { type: String, enum: MESSAGE_CHANNELS, default: 'email' },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: String,
    purpose: {
      type: String,
      required: true,
      enum: ['invitation', 'reminder', 'safeguarding', 'password-reset', 'other'],
    },
    invitationId: { type: Schema.Types.ObjectId, ref: 'Invitation' },
    status: { type: String, required: true, enum: OUTBOX_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
    claimedAt: Date,
    sentAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
)
outboxSchema.index({ status: 1, nextAttemptAt: 1 })
outboxSchema.index({ createdAt: -1 })
outboxSchema.index({ invitationId: 1 })

export const OutboxMessageModel = model<OutboxMessage>('OutboxMessage', outboxSchema)
