import { Schema, model, type Types } from 'mongoose'
import { RESPONDENT_TYPES, type TRespondentType } from '../surveys/definition'
import { tallyTracking, type InvitationSnapshot, type TallyTracking } from '../tallies/sources'

export const INVITATION_STATUSES = [
  'queued',
  'sent',
  'failed',
  'opened',
  'completed',
  'expired',
  'cancelled',
] as const
export type InvitationStatus = (typeof INVITATION_STATUSES)[number]

/** Something that happened to an invitation, for the status timeline on its page. */
export interface InvitationEvent {
  at: Date
  kind:
    | 'emailed'
    | 'texted'
    | 'kept'
    | 'reminded'
    | 'resent'
    | 'letter-printed'
    | 'delivery-failed'
    | 'cancelled'
    | 'expired'
    | 'recorded'
  /** Plain words for the timeline, e.g. the mail server's reply. Never the token. */
  note?: string
  byName?: string
}

/**
 * A personal, single-use survey link. Only the SHA-256 of the token is stored; the token itself
 * is shown once (CLI, letter) or sent once (email).
 */
export interface Invitation extends TallyTracking<InvitationSnapshot> {
  _id: Types.ObjectId
  tokenHash: string
  surveyId: string
  teamId: Types.ObjectId
  teamName: string
  service: string
  respondent: TRespondentType
  caseRef?: string
  eventDate?: Date
  /** How the link reaches the family: email, text message, letter (printed, QR) or given by hand (CLI). */
  channel: 'email' | 'sms' | 'letter' | 'link'
  recipientEmail?: string
  /** A UK mobile number in E.164 form (+447…), for text messages. */
  recipientMobile?: string
  /** The case-management system's id of the event it was sent for (the invitations API). */
  eventId?: string
  recipientName?: string
  createdBy?: Types.ObjectId
  status: InvitationStatus
  expiresAt: Date
  sentAt?: Date
  failedAt?: Date
  failureReason?: string
  openedAt?: Date
  completedAt?: Date
  cancelledAt?: Date
  reminderSentAt?: Date
  expiredAt?: Date
  /** How many times the link was replaced (resend, reminder, reprinted letter). */
  tokenRotations?: number
  events?: InvitationEvent[]
  createdAt: Date
}

const invitationSchema = new Schema<Invitation>(
  {
    tokenHash: { type: String, required: true },
    surveyId: { type: String, required: true },
    teamId: { type: Schema.Types.ObjectId, required: true, ref: 'Team' },
    teamName: { type: String, required: true },
    service: { type: String, required: true },
    respondent: { type: String, required: true, enum: RESPONDENT_TYPES },
    caseRef: String,
    eventDate: Date,
    channel: { type: String, required: true, enum: ['email', 'sms', 'letter', 'link'], default: 'link' },
    recipientEmail: String,
    recipientMobile: String,
    eventId: String,
    recipientName: String,
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    status: { type: String, required: true, default: 'queued' },
    expiresAt: { type: Date, required: true },
    sentAt: Date,
    failedAt: Date,
    failureReason: String,
    openedAt: Date,
    completedAt: Date,
    cancelledAt: Date,
    reminderSentAt: Date,
    expiredAt: Date,
    tokenRotations: { type: Number, default: 0 },
    events: [{ _id: false, at: { type: Date, required: true }, kind: String, note: String, byName: String }],
  },
  { timestamps: { createdAt: true, updatedAt: false } },
)
// Response rates come from the report tallies; any change marks the invitation for recounting.
tallyTracking(invitationSchema, { changesCount: true })
invitationSchema.index({ tokenHash: 1 }, { unique: true })
// The invitations lists, newest first: an invitation's _id carries the time it was made
// (timeOrderedIds.ts), and each filter leads an index that ends in _id, so a page is read in
// order from an index on both engines (see db/newestFirst.ts).
invitationSchema.index({ createdBy: 1, teamId: 1, _id: -1 })
invitationSchema.index({ teamId: 1, _id: -1 })
invitationSchema.index({ status: 1, _id: -1 })
invitationSchema.index({ surveyId: 1, _id: -1 })
invitationSchema.index({ status: 1, expiresAt: 1 })
invitationSchema.index({ status: 1, sentAt: 1 })
// Erasure and subject access find a case's invitations by its reference (dataProtection/).
invitationSchema.index({ caseRef: 1 }, { sparse: true })

export const InvitationModel = model<Invitation>('Invitation', invitationSchema)
