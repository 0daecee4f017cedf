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
    acknowledgedBy?: Types.ObjectId
    acknowledgedAt?: Date
    /** What the person who acknowledged it did, in their words. */
    acknowledgementNote?: string
  }
}

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
        acknowledgementNote: { type: String, maxlength: 2000 },
      },
      { _id: false },
    ),
    required: false,
  },
})
commentSchema.index({ responseId: 1, question: 1 }, { unique: true })
commentSchema.index({ 'review.status': 1, submittedAt: -1 })
commentSchema.index({ surveyId: 1, 'period.quarter': 1 })

export const CommentModel = model<Comment>('Comment', commentSchema)
