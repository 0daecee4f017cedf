/** Shapes comments for the feedback pages: plain strings only, so views never reach into models. */
import type { Comment } from '../comments/comment'
import type { SurveyRegistry } from '../surveys/registry'
import { RESPONDENT_LABELS, type TRespondentType } from '../surveys/definition'
import { quarterLabel, questionWording, surveyTitle } from './format'
import { formatDateTime } from '../dates'

export interface CommentView {
  id: string
  text: string
  surveyTitle: string
  question: string
  teamName: string
  respondent: string
  quarter: string
  submittedAt: string
  status: Comment['review']['status']
  redactedText?: string
  reviewedBy?: string
  reviewedAt?: string
  matched: string[]
  flaggedAt?: string
  acknowledged: boolean
  acknowledgedBy?: string
  acknowledgedAt?: string
  acknowledgementNote?: string
  /** open: waiting for someone to act; acted; or not-a-concern. Undefined when never flagged. */
  flagStatus?: 'open' | 'acted' | 'not-a-concern'
  toldWho?: string
  notConcernReason?: string
  /** The flag in Needs attention. */
  flagHref?: string
}

export function presentComment(
  comment: Comment,
  surveys: SurveyRegistry,
  people: Map<string, string> = new Map(),
): CommentView {
  const name = (id: unknown) => (id ? (people.get(String(id)) ?? 'a former member of staff') : undefined)
  return {
    id: String(comment._id),
    text: comment.text,
    surveyTitle: surveyTitle(surveys, comment.surveyId),
    question: questionWording(surveys, comment.surveyId, comment.question),
    teamName: comment.teamName,
    respondent: RESPONDENT_LABELS[comment.respondent as TRespondentType] ?? comment.respondent,
    quarter: quarterLabel(comment.period?.quarter),
    submittedAt: formatDateTime(comment.submittedAt),
    status: comment.review.status,
    redactedText: comment.review.redactedText,
    reviewedBy: name(comment.review.reviewedBy),
    reviewedAt: comment.review.reviewedAt ? formatDateTime(comment.review.reviewedAt) : undefined,
    matched: comment.flag?.matched ?? [],
    flaggedAt: comment.flag?.flaggedAt ? formatDateTime(comment.flag.flaggedAt) : undefined,
    acknowledged: Boolean(comment.flag?.acknowledgedAt),
    acknowledgedBy: name(comment.flag?.acknowledgedBy),
    acknowledgedAt: comment.flag?.acknowledgedAt ? formatDateTime(comment.flag.acknowledgedAt) : undefined,
    acknowledgementNote: comment.flag?.acknowledgementNote,
    flagStatus: !comment.flag?.flaggedAt
      ? undefined
      : !comment.flag.acknowledgedAt
        ? 'open'
        : (comment.flag.outcome ?? 'acted'),
    toldWho: comment.flag?.toldWho,
    notConcernReason: comment.flag?.notConcernReason,
    flagHref: comment.flag?.flaggedAt ? `/feedback/attention/${String(comment._id)}` : undefined,
  }
}
