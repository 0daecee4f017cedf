/**
 * The family's side of a personal survey link, in plain TypeScript (no Express): opening a link,
 * finding the invitation a session is answering, and sending the answers once.
 */
import type { Types } from 'mongoose'
import { z } from 'zod'
import type { Services } from '../services'
import { isObjectId, toObjectId } from '../db/objectId'
import { InvitationModel, type Invitation } from '../invitations/invitation'
import { linkState, markOpened, type LinkState } from '../invitations/lifecycle'
import { findInvitationByToken } from '../invitations/service'
import { recordResponse } from '../responses/recordResponse'
import { parseAnswers, fieldName, type AnswerError, type ParsedAnswers } from '../surveys/answers'
import type { TSurveyDefinition } from '../surveys/definition'
import type { Language } from '../i18n/languages'

/** What a link or a session leads to: a survey to answer, or a kind page saying why not. */
export type LinkOutcome =
  | { state: 'open'; invitation: Invitation; survey: TSurveyDefinition }
  | { state: Exclude<LinkState, 'open'>; teamId: Types.ObjectId; teamName: string }
  | { state: 'unknown' }

/** The form field that carries the version of the survey the page showed. */
export const VERSION_FIELD = 'version'

/** Fields a survey form may send, besides one `q-<id>` per question. */
const FORM_FIELDS = new Set(['_csrf', VERSION_FIELD])

function outcomeFor(services: Services, invitation: Invitation | null | undefined): LinkOutcome {
  if (!invitation) return { state: 'unknown' }
  const state = linkState(invitation, services.clock.now())
  // The team is named on the page (how to reach them), never anything about the family.
  if (state !== 'open') return { state, teamId: invitation.teamId, teamName: invitation.teamName }
  const survey = services.surveys.latest(invitation.surveyId)
  if (!survey) return { state: 'unknown' }
  return { state, invitation, survey }
}

/**
 * First visit of `/s/<token>`: finds the invitation by the token's hash and, if it is open, marks
 * it opened (only the first time, and never once it is completed).
 */
export async function openLink(services: Services, token: unknown): Promise<LinkOutcome> {
  const outcome = outcomeFor(services, await findInvitationByToken(token))
  if (outcome.state === 'open') await markOpened(outcome.invitation._id, services.clock.now())
  return outcome
}

/** The invitation id kept in a session; anything that is not an ObjectId string is ignored. */
export function checkedInvitationId(candidate: unknown): Types.ObjectId | undefined {
  return isObjectId(candidate) ? toObjectId(candidate) : undefined
}

/** The invitation a session is answering, and whether it can still be answered. */
export async function invitationForSession(
  services: Services,
  invitationId: unknown,
): Promise<LinkOutcome & { invitationId?: Types.ObjectId }> {
  const id = checkedInvitationId(invitationId)
  if (!id) return { state: 'unknown' }
  return { ...outcomeFor(services, await InvitationModel.findById(id).lean()), invitationId: id }
}

/**
 * The survey of an invitation that has been answered (the thank-you page uses it for its style),
 * or undefined when it has not: nobody is thanked for answers that were never sent.
 */
export async function answeredSurvey(
  services: Services,
  invitationId: unknown,
): Promise<{ survey: TSurveyDefinition | undefined } | undefined> {
  const id = checkedInvitationId(invitationId)
  if (!id) return undefined
  const invitation = await InvitationModel.findById(id, { surveyId: 1, status: 1, completedAt: 1 }).lean()
  if (!invitation || (invitation.status !== 'completed' && !invitation.completedAt)) return undefined
  return { survey: services.surveys.latest(invitation.surveyId) }
}

export class UnexpectedFieldError extends Error {}

/**
 * The survey form's hidden `version` field, for the route's body schema. Missing (a page rendered
 * before the field existed) is undefined; anything but a version number reads as 0, a version no
 * survey has, so it is refused like any version the registry does not have.
 */
export const shownVersion = z
  .string()
  .regex(/^[1-9][0-9]{0,5}$/)
  .transform(Number)
  .optional()
  .catch(0)

/**
 * The survey version a form was shown with, so a response records what the family read even if a
 * newer version was published while the page was open: without one, the latest version; a
 * version the registry does not have for this survey is undefined (refused).
 */
export function shownSurvey(
  services: Services,
  surveyId: string,
  version: number | undefined,
): TSurveyDefinition | undefined {
  if (version === undefined) return services.surveys.latest(surveyId)
  return services.surveys.version(surveyId, version)
}

/**
 * Reads the answers from a form body. Fields a browser never sends (unknown names, bracketed keys
 * such as `q-share-views[$ne]`) are refused outright; a form with no answers at all is an error,
 * so that a stray tap on "Send" does not use up the link.
 */
export function readSurveyForm(survey: TSurveyDefinition, body: unknown): ParsedAnswers {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  const expected = new Set(survey.questions.map((question) => fieldName(question.id)))
  for (const [key, value] of Object.entries(fields)) {
    if (!expected.has(key) && !FORM_FIELDS.has(key)) throw new UnexpectedFieldError(key)
    // A form sends strings (a repeated key, several): an object is no browser's doing.
    const formValue =
      typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    if (!formValue) throw new UnexpectedFieldError(key)
  }
  const parsed = parseAnswers(survey, fields)
  if (parsed.errors.length === 0 && parsed.answers.length === 0 && parsed.texts.length === 0) {
    const first = survey.questions[0]!
    parsed.errors.push({
      question: first.id,
      message: 'Answer at least one question before you send your answers',
      kind: 'noneAnswered',
    })
  }
  return parsed
}

/** Error-summary entries for answer errors: each links to its question's first field. */
export function errorSummaryItems(errors: AnswerError[]): Array<{ href: string; text: string }> {
  return errors.map((error) => ({ href: fieldName(error.question), text: error.message }))
}

export type SubmitOutcome = 'recorded' | 'already-recorded'

/** Stores the online response for an open invitation; a second attempt stores nothing. */
export async function submitOnlineResponse(
  services: Services,
  invitation: Invitation,
  survey: TSurveyDefinition,
  parsed: ParsedAnswers,
  language: Language = 'en',
): Promise<SubmitOutcome> {
  const outcome = await recordResponse(
    {
      survey,
      claimKey: `invitation:${String(invitation._id)}`,
      team: { id: invitation.teamId, name: invitation.teamName },
      service: invitation.service,
      respondent: invitation.respondent,
      mode: 'online',
      source: 'online',
      submittedAt: services.clock.now(),
      answers: parsed.answers,
      texts: parsed.texts,
      caseRef: invitation.caseRef,
      invitationId: invitation._id,
      storedAt: services.clock.now(),
      language,
    },
    services.config.worryWords,
    services.responseHooks,
  )
  return outcome.recorded ? 'recorded' : 'already-recorded'
}
