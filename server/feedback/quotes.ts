/**
 * Anonymised quotes for reports: only free text a reviewer approved, and the redacted version
 * when the reviewer made one (the original may name people). Pending and rejected comments are
 * never quoted, nor is one whose safeguarding flag is still open (whatever its review says).
 */
import type { Types } from 'mongoose'
import { CommentModel } from '../comments/comment'
import { parsePeriod } from '../periods/period'
import { NO_OPEN_FLAG } from './attention'

export interface QuoteFilter {
  surveyId: string
  period?: { field: 'period.year' | 'period.quarter' | 'period.month'; value: string }
  /** Instants [start, end), for custom ranges. */
  range?: { start: Date; end: Date }
  teamIds?: Types.ObjectId[]
  /** At most this many quotes (default 10, never more than 100). */
  limit?: number
}

export interface Quote {
  /** The redacted version when there is one, else the original. */
  text: string
  teamName: string
  /** The question id, e.g. `went-well`. */
  question: string
  submittedAt: Date
  /** The financial quarter it was given in, e.g. "2020/21 Q4". */
  quarter: string
}

export const DEFAULT_QUOTE_LIMIT = 10
const MAX_QUOTE_LIMIT = 100

/** Approved quotes, newest first. */
export async function approvedQuotes(filter: QuoteFilter): Promise<Quote[]> {
  const query: Record<string, unknown> = {
    surveyId: filter.surveyId,
    'review.status': 'approved',
    ...NO_OPEN_FLAG,
  }
  if (filter.period) query[filter.period.field] = filter.period.value
  if (filter.range) query.submittedAt = { $gte: filter.range.start, $lt: filter.range.end }
  if (filter.teamIds) query.teamId = { $in: filter.teamIds }
  const requested = filter.limit ?? DEFAULT_QUOTE_LIMIT
  const limit = Math.max(1, Math.min(MAX_QUOTE_LIMIT, Math.floor(requested) || DEFAULT_QUOTE_LIMIT))
  const comments = await CommentModel.find(query)
    .sort({ submittedAt: -1, _id: -1 })
    .limit(limit)
    .select({ text: 1, teamName: 1, question: 1, submittedAt: 1, period: 1, review: 1 })
    .lean()
  return comments.map((comment) => {
    const redacted = comment.review.redactedText?.trim()
    return {
      text: redacted ? redacted : comment.text,
      teamName: comment.teamName,
      question: comment.question,
      submittedAt: comment.submittedAt,
      quarter: parsePeriod(comment.period?.quarter ?? '')?.label ?? '',
    }
  })
}
