import { Schema, model, type Types } from 'mongoose'
import type { PeriodKeys } from '../periods/period'

export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/**
 * A free-text answer. It may name people or disclose harm, so it is quoted only after a person
 * approves it (with an optional redacted version kept apart from the original), and it is
 * checked for worry words at submission.
 */
export interface Comment {
  _id: Types.ObjectId
  responseId: Types.ObjectId
  surveyId: string
  question: string
  text: string
  teamId: Types.ObjectId
  teamName: string
  service: string
  respondent: string
  submittedAt: Date
  period: PeriodKeys
  review: {
    status: ReviewStatus
    /** The version safe to quote (names removed); the original text is never changed. */
    redactedText?: string
    reviewedBy?: Types.ObjectId
    reviewedAt?: Date
  }
  /** Set when the text matched the worry list; a person must acknowledge it. */
  flag?: {
    matched: string[]
    flaggedAt: Date
    /** Who closed the flag and when: acted on it, or judged it not a safeguarding concern. */
    acknowledgedBy?: Types.ObjectId
    acknowledgedAt?: Date
    /** How it was closed; absent on flags acknowledged before this was recorded (acted). */
    outcome?: FlagOutcome
    /** What the person who acknowledged it did, in their words. */
    acknowledgementNote?: string
    /** Who they told (duty manager, MASH, police …), in their words. */
    toldWho?: string
    /** Why it is not a safeguarding concern, when that was the outcome. */
    notConcernReason?: string
  }
  /**
   * The alert email for a flag: `due` until it is in the outbox (so an outbox that could not be
   * written is tried again by the background job), `claimed` while one process queues it, `queued`
   * once it is there, `no-address` when the team has no duty email and SAFEGUARDING_EMAIL is
   * unset (the flag waits in Needs attention). Top level and indexed, so the job's equality filter reads the index.
   */
  alertState?: AlertState
  alertClaimedAt?: Date
}

export const FLAG_OUTCOMES = ['acted', 'not-a-concern'] as const
export type FlagOutcome = (typeof FLAG_OUTCOMES)[number]
export const ALERT_STATES = ['due', 'claimed', 'queued', 'no-address'] as const
export type AlertState = (typeof ALERT_STATES)[number]

const commentSchema = new Schema<Comment>({
  responseId: { type: Schema.Types.ObjectId, required: true, ref: 'Response' },
  surveyId: { type: String, required: true },
  question: { type: String, required: true },
  text: { type: String, required: true },
  teamId: { type: Schema.Types.ObjectId, required: true, ref: 'Team' },
  teamName: { type: String, required: true },
  service: { type: String, required: true },
  respondent: { type: String, required: true },
  submittedAt: { type: Date, required: true },
  period: { year: String, quarter: String, month: String },
  review: {
    status: { type: String, enum: REVIEW_STATUSES, default: 'pending' },
    redactedText: String,
    reviewedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    reviewedAt: Date,
  },
  flag: {
    type: new Schema(
      {
        matched: [String],
        flaggedAt: Date,
        acknowledgedBy: { type: Schema.Types.ObjectId, ref: 'User' },
        acknowledgedAt: Date,
        outcome: { type: String, enum: FLAG_OUTCOMES },
        acknowledgementNote: { type: String, maxlength: 2000 },
        toldWho: { type: String, maxlength: 2000 },
        notConcernReason: { type: String, maxlength: 2000 },
      },
      { _id: false },
    ),
    required: false,
  },
  alertState: { type: String, enum: ALERT_STATES },
  alertClaimedAt: Date,
})
commentSchema.index({ responseId: 1, question: 1 }, { unique: true })
commentSchema.index({ 'review.status': 1, submittedAt: -1 })
commentSchema.index({ surveyId: 1, 'period.quarter': 1 })
commentSchema.index({ alertState: 1 })

export const CommentModel = model<Comment>('Comment', commentSchema)
