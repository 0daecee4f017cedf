/**
 * The free-text review queue: a QA reviewer reads each comment and approves it for quoting
 * (optionally with a redacted version, names removed) or rejects it. The original text is never
 * changed; the redaction is kept beside it in review.redactedText.
 */
import { toObjectId } from '../db/objectId'
import { CommentModel, type Comment, type ReviewStatus } from '../comments/comment'
import { cleanText } from '../surveys/answers'
import type { StaffUser } from '../staff/access'
import { userNames } from '../staff/userNames'
import { hasOpenFlag, NO_OPEN_FLAG } from './attention'

export const REVIEW_PAGE_SIZE = 20
export const MAX_REDACTION_LENGTH = 5000

export interface ReviewFilter {
  surveyId?: string
  teamId?: string
  status: ReviewStatus
  page: number
}

export interface ReviewPage {
  comments: Comment[]
  total: number
  page: number
  pageCount: number
  /** Reviewer names by user id, for "approved by …". */
  reviewers: Map<string, string>
}

function query(filter: ReviewFilter): Record<string, unknown> {
  const where: Record<string, unknown> = { 'review.status': filter.status }
  if (filter.surveyId) where.surveyId = filter.surveyId
  if (filter.teamId) where.teamId = toObjectId(filter.teamId)
  return where
}

/** One page of comments, newest first. */
export async function listForReview(filter: ReviewFilter): Promise<ReviewPage> {
  const where = query(filter)
  const total = await CommentModel.countDocuments(where)
  const pageCount = Math.max(1, Math.ceil(total / REVIEW_PAGE_SIZE))
  const page = Math.min(Math.max(1, filter.page), pageCount)
  const comments = await CommentModel.find(where)
    .sort({ submittedAt: -1, _id: -1 })
    .skip((page - 1) * REVIEW_PAGE_SIZE)
    .limit(REVIEW_PAGE_SIZE)
    .lean()
  const reviewers = await userNames(
    comments.flatMap((comment) => [comment.review.reviewedBy, comment.flag?.acknowledgedBy]),
  )
  return { comments, total, page, pageCount, reviewers }
}

export async function findComment(id: string): Promise<Comment | null> {
  return CommentModel.findById(id).lean()
}

export type ReviewDecision = { decision: 'approve'; redactedText: string } | { decision: 'reject' }

/**
 * Reads the reviewer's form: `decision` approve|reject, and for approve the `redactedText` to
 * quote. An unchanged text means "quote as written" and stores no redaction.
 */
export function parseDecision(body: {
  decision?: string | undefined
  redactedText?: string | undefined
}): ReviewDecision | { error: string } {
  if (body.decision === 'reject') return { decision: 'reject' }
  if (body.decision !== 'approve') return { error: 'Choose whether to approve or reject the comment' }
  const raw = body.redactedText
  const redactedText = cleanText(raw ?? '')
  if (raw !== undefined && redactedText === '') {
    return { error: 'Enter the version to quote, or reject the comment if none of it can be quoted' }
  }
  if (redactedText.length > MAX_REDACTION_LENGTH) {
    return { error: `The version to quote must be ${MAX_REDACTION_LENGTH} characters or fewer` }
  }
  return { decision: 'approve', redactedText }
}

export type ReviewOutcome = { ok: true; comment: Comment } | { ok: false; reason: 'not-found' | 'flag-open' }

/**
 * Records the decision; the original text is untouched. A comment whose safeguarding flag is still
 * open cannot be approved (the write itself requires no open flag, so a flag cannot slip past a
 * page loaded earlier); it can be rejected.
 */
export async function reviewComment(
  id: string,
  decision: ReviewDecision,
  reviewer: StaffUser,
  at: Date,
): Promise<ReviewOutcome> {
  const existing = await CommentModel.findById(id).select({ text: 1, flag: 1 }).lean()
  if (!existing) return { ok: false, reason: 'not-found' }
  if (decision.decision === 'approve' && hasOpenFlag(existing)) return { ok: false, reason: 'flag-open' }
  const review: Record<string, unknown> = {
    'review.status': decision.decision === 'approve' ? 'approved' : 'rejected',
    'review.reviewedBy': reviewer.id,
    'review.reviewedAt': at,
  }
  const redaction =
    decision.decision === 'approve' && decision.redactedText !== '' && decision.redactedText !== existing.text
      ? decision.redactedText
      : undefined
  const update =
    redaction !== undefined
      ? { $set: { ...review, 'review.redactedText': redaction } }
      : { $set: review, $unset: { 'review.redactedText': 1 } }
  const where = decision.decision === 'approve' ? { _id: id, ...NO_OPEN_FLAG } : { _id: id }
  const updated = await CommentModel.findOneAndUpdate(where, update, { new: true }).lean()
  if (updated) return { ok: true, comment: updated }
  return { ok: false, reason: (await CommentModel.exists({ _id: id })) ? 'flag-open' : 'not-found' }
}
