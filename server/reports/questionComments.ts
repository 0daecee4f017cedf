/**
 * The comments given with a question's answers, for QA reading a report ("what did the families
 * who answered No say?"), as survey tools let you open the responses behind a chart. Free text,
 * so: the access policy decides whose comments ('read-free-text'; awaiting review only for
 * reviewers), and a comment with an open safeguarding flag is never shown as a comment here,
 * only counted, with the way to Needs attention.
 */
import { CommentModel } from '../comments/comment'
import { NO_OPEN_FLAG } from '../feedback/attention'
import { periodBounds, periodField } from '../periods/period'
import { ResponseModel } from '../responses/response'
import { mayAtAll, recordFilter, type Viewer } from '../staff/policy'
import type { TChoiceQuestion } from '../surveys/definition'
import type { ReportFilter } from './filters'

/** At most this many comments on the page; the review queue pages through the rest. */
export const COMMENT_LIMIT = 200

export interface QuestionComment {
  text: string
  teamName: string
  /** The text question the comment answered, e.g. "What went well?". */
  askedAs: string
  answerLabel: string
  status: 'approved' | 'pending'
}

export interface QuestionComments {
  comments: QuestionComment[]
  /** Comments held back because their safeguarding flag is still open. */
  heldBack: number
  /** Whether comments awaiting review are included (reviewers only). */
  includesPending: boolean
}

export async function questionComments(
  viewer: Viewer,
  filter: ReportFilter,
  question: TChoiceQuestion,
  textQuestions: Map<string, string>,
): Promise<QuestionComments> {
  const includesPending = mayAtAll(viewer, 'review-free-text')
  const field = periodField(filter.period.kind)
  const bounds = periodBounds(filter.period)
  const base: Record<string, unknown> = {
    surveyId: filter.survey.id,
    ...(field ? { [field]: filter.period.id } : { submittedAt: { $gte: bounds.start, $lt: bounds.end } }),
    // Both the policy's teams and the chosen team: a team filter narrows, never widens.
    $and: [recordFilter(viewer, 'read-free-text'), filter.team ? { teamId: filter.team._id } : {}],
    'review.status': { $in: includesPending ? ['approved', 'pending'] : ['approved'] },
    ...(filter.respondent ? { respondent: filter.respondent } : {}),
  }
  const [found, flagged] = await Promise.all([
    CommentModel.find({ ...base, ...NO_OPEN_FLAG })
      .sort({ submittedAt: -1, _id: -1 })
      .limit(COMMENT_LIMIT)
      .select({ text: 1, teamName: 1, question: 1, responseId: 1, review: 1 })
      .lean(),
    CommentModel.find({
      ...base,
      'flag.flaggedAt': { $exists: true },
      'flag.acknowledgedAt': { $exists: false },
    })
      .select({ responseId: 1 })
      .lean(),
  ])
  // The answer each response gave to this question (and its way of answering, for the filter).
  const responseIds = [...new Set([...found, ...flagged].map((comment) => String(comment.responseId)))]
  const responses = await ResponseModel.find({ _id: { $in: responseIds } })
    .select({ answers: 1, mode: 1 })
    .lean()
  const answerOf = new Map(
    responses
      .filter((response) => !filter.mode || response.mode === filter.mode)
      .map((response) => [
        String(response._id),
        response.answers.find((answer) => answer.question === question.id)?.answer,
      ]),
  )
  const labels = new Map(question.answers.map((answer) => [answer.id, answer.label]))
  const comments = found.flatMap((comment): QuestionComment[] => {
    const answer = answerOf.get(String(comment.responseId))
    if (answer === undefined) return []
    const redacted = comment.review.redactedText?.trim()
    return [
      {
        text: redacted ? redacted : comment.text,
        teamName: comment.teamName,
        askedAs: textQuestions.get(comment.question) ?? comment.question,
        answerLabel: labels.get(answer) ?? answer,
        status: comment.review.status === 'approved' ? 'approved' : 'pending',
      },
    ]
  })
  const heldBack = flagged.filter((comment) => answerOf.get(String(comment.responseId)) !== undefined).length
  return { comments, heldBack, includesPending }
}
