/**
 * Stores one survey response, whoever gave it (online, staff entry, import). The unique
 * `claimKey` index is the atomic claim: a second attempt with the same key stores nothing,
 * so double submits and concurrent posts with one link give exactly one response.
 */
import type { Types } from 'mongoose'
import { CommentModel, type Comment } from '../comments/comment'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { idAt } from '../db/timeOrderedIds'
import { matchWorryWords } from '../comments/worryWords'
import { periodKeysFor } from '../periods/period'
import type { TextAnswer } from '../surveys/answers'
import type { TRespondentType, TSurveyDefinition } from '../surveys/definition'
import { ResponseModel, type ChoiceAnswer, type Mode, type SurveyResponse } from './response'

export interface NewResponse {
  survey: TSurveyDefinition
  claimKey: string
  team: { id: Types.ObjectId; name: string }
  service: string
  respondent: TRespondentType
  mode: Mode
  source: SurveyResponse['source']
  submittedAt: Date
  answers: ChoiceAnswer[]
  texts: TextAnswer[]
  caseRef?: string
  invitationId?: Types.ObjectId
  enteredBy?: Types.ObjectId
  externalId?: string
  /**
   * When it is stored, by the services clock (the system's when absent). The response's and its
   * comments' ids carry this time, so the retention schedule reads them by _id range.
   */
  storedAt?: Date
  /** Online answers: the language the family chose. */
  language?: SurveyResponse['language']
}

export interface ResponseHooks {
  /** Called once for each free-text answer that matched a worry word. */
  commentFlagged?(comment: Comment): Promise<void>
  /**
   * The invitation's link has been answered; needed for a response with an invitationId. Called
   * again when a second attempt finds the response stored, so a process that stopped in between
   * never leaves the link unanswered.
   */
  invitationAnswered?(invitationId: Types.ObjectId, at: Date): Promise<void>
}

export type RecordOutcome =
  { recorded: true; response: SurveyResponse } | { recorded: false; reason: 'already-recorded' }

export async function recordResponse(
  input: NewResponse,
  worryWords: readonly string[],
  hooks: ResponseHooks = {},
): Promise<RecordOutcome> {
  const answered = hooks.invitationAnswered
  // Checked before anything is stored: a response the link never hears of would leave it open.
  if (input.invitationId && !answered)
    throw new Error('A response to an invitation needs hooks.invitationAnswered')
  const period = periodKeysFor(input.submittedAt)
  const storedAt = input.storedAt ?? new Date()
  let response: SurveyResponse
  try {
    const created = await ResponseModel.create({
      _id: idAt(storedAt),
      claimKey: input.claimKey,
      surveyId: input.survey.id,
      surveyVersion: input.survey.version,
      invitationId: input.invitationId,
      teamId: input.team.id,
      teamName: input.team.name,
      service: input.service,
      respondent: input.respondent,
      mode: input.mode,
      caseRef: input.caseRef,
      submittedAt: input.submittedAt,
      period,
      answers: input.answers,
      enteredBy: input.enteredBy,
      source: input.source,
      externalId: input.externalId,
      language: input.language,
    })
    response = created.toObject()
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error
    // Stored before, perhaps by a process that died before it could mark the link answered.
    if (input.invitationId) await answered?.(input.invitationId, input.submittedAt)
    return { recorded: false, reason: 'already-recorded' }
  }

  const flagged: Comment[] = []
  for (const text of input.texts) {
    const matched = matchWorryWords(text.text, worryWords)
    const comment = await CommentModel.create({
      _id: idAt(storedAt),
      responseId: response._id,
      surveyId: input.survey.id,
      question: text.question,
      text: text.text,
      teamId: input.team.id,
      teamName: input.team.name,
      service: input.service,
      respondent: input.respondent,
      submittedAt: input.submittedAt,
      period,
      review: { status: 'pending' },
      // Flagged and its alert due in one write, so neither can be lost (feedback/safeguarding).
      ...(matched.length > 0 ? { flag: { matched, flaggedAt: input.submittedAt }, alertState: 'due' } : {}),
    })
    if (matched.length > 0) flagged.push(comment.toObject())
  }

  if (input.invitationId) await answered?.(input.invitationId, input.submittedAt)
  for (const comment of flagged) await hooks.commentFlagged?.(comment)
  return { recorded: true, response }
}
