/**
 * Feedback given in person: a practitioner or QA officer records a telephone, face-to-face or
 * paper answer on the same survey form families use. Stored through recordResponse with source
 * "staff", the mode and who entered it. Linked to an invitation, the claim key is
 * `invitation:<id>` (so the invitation counts as completed and can be answered only once, online
 * or in person); otherwise `entry:<random>`.
 */
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type { Types } from 'mongoose'
import type { z } from 'zod'
import type { Services } from '../services'
import { cappedText, type FieldError } from '../http/input'
import {
  checkPastDate,
  datePartsFields,
  datePartsOf,
  partsOf,
  type DateParts,
} from '../invitations/dateInput'
import type { Invitation } from '../invitations/invitation'
import { recordedByStaff } from '../invitations/lifecycle'
import { isRespondent } from '../invitations/sendForm'
import { CASE_REF_PATTERN } from '../invitations/service'
import { recordResponse, type RecordOutcome } from '../responses/recordResponse'
import { MODE_LABELS, type Mode } from '../responses/response'
import { parseAnswers, type AnswerError, type ParsedAnswers } from '../surveys/answers'
import type { TRespondentType, TSurveyDefinition } from '../surveys/definition'
import type { Team } from '../teams/team'
import { ZONE } from '../dates'

export const ENTRY_MODES = ['telephone', 'face-to-face', 'paper'] as const satisfies readonly Mode[]
export type EntryMode = (typeof ENTRY_MODES)[number]

export const ENTRY_MODE_OPTIONS = ENTRY_MODES.map((id) => ({ id, text: MODE_LABELS[id] }))

export interface EntryFormValues {
  mode: string
  team: string
  respondent: string
  caseRef: string
  given: DateParts
}

export function emptyEntryValues(
  now: Date,
  defaults: { team?: Team; respondent?: TRespondentType },
): EntryFormValues {
  return {
    mode: '',
    team: defaults.team ? String(defaults.team._id) : '',
    respondent: defaults.respondent ?? '',
    caseRef: '',
    given: partsOf(DateTime.fromJSDate(now, { zone: ZONE })),
  }
}

/** The staff fields for the route's body schema, each read as typed (checkEntryForm judges them). */
export const ENTRY_FORM_FIELDS = {
  mode: cappedText(30),
  team: cappedText(30),
  respondent: cappedText(30),
  caseRef: cappedText(100),
  ...datePartsFields('given'),
}

export type EntryFormBody = z.output<z.ZodObject<typeof ENTRY_FORM_FIELDS>>

/** The staff fields as typed, in the shape the page and checkEntryForm use. */
export function entryFormValues(body: EntryFormBody): EntryFormValues {
  const { mode, team, respondent, caseRef } = body
  return { mode, team, respondent, caseRef, given: datePartsOf(body, 'given') }
}

export interface CheckedEntry {
  mode: EntryMode
  team?: Team
  respondent?: TRespondentType
  caseRef?: string
  submittedAt: Date
  parsed: ParsedAnswers
}

function isEntryMode(value: string): value is EntryMode {
  return (ENTRY_MODES as readonly string[]).includes(value)
}

/**
 * Checks the staff fields and the answers (read from the whole form by the survey's own
 * parseAnswers). With an invitation, team, respondent and case come from it and the form's own
 * fields for them are ignored.
 */
export function checkEntryForm(
  values: EntryFormValues,
  body: unknown,
  context: { survey: TSurveyDefinition; teams: Team[]; now: Date; linked: boolean },
):
  | { ok: true; entry: CheckedEntry }
  | { ok: false; errors: FieldError[]; answerErrors: AnswerError[]; parsed: ParsedAnswers } {
  const errors: FieldError[] = []
  if (!isEntryMode(values.mode))
    errors.push({ href: 'mode-telephone', text: 'Select how the answers were given' })

  let team: Team | undefined
  let respondent: TRespondentType | undefined
  let caseRef: string | undefined
  if (!context.linked) {
    team = context.teams.find((candidate) => String(candidate._id) === values.team)
    if (values.team === '') errors.push({ href: 'team', text: 'Select the team the feedback is about' })
    else if (!team) errors.push({ href: 'team', text: 'Select one of your teams' })
    if (isRespondent(values.respondent)) respondent = values.respondent
    else errors.push({ href: 'respondent', text: 'Select who gave the answers' })
    if (values.caseRef !== '') {
      if (CASE_REF_PATTERN.test(values.caseRef)) caseRef = values.caseRef
      else {
        errors.push({
          href: 'caseRef',
          text: 'Case reference must be the case-management ID: letters, numbers and hyphens only, up to 30 characters',
        })
      }
    }
  }

  const date = checkPastDate(values.given, 'the date the answers were given', context.now)
  if (!date.ok) errors.push({ href: `given-${date.field}`, text: date.message })

  const parsed = parseAnswers(context.survey, body)
  const answerErrors = [...parsed.errors]
  if (parsed.errors.length === 0 && parsed.answers.length === 0 && parsed.texts.length === 0) {
    const first = context.survey.questions[0]
    if (first) answerErrors.push({ question: first.id, message: 'Enter at least one answer' })
  }
  for (const error of answerErrors) errors.push({ href: `q-${error.question}`, text: error.message })

  if (errors.length || !date.ok || !isEntryMode(values.mode))
    return { ok: false, errors, answerErrors, parsed }

  // Today: the moment it is entered. An earlier day: midday that day, safely inside its quarter.
  const today = DateTime.fromJSDate(context.now, { zone: ZONE }).startOf('day')
  const submittedAt = date.date.hasSame(today, 'day') ? context.now : date.date.set({ hour: 12 }).toJSDate()
  return {
    ok: true,
    entry: {
      mode: values.mode,
      ...(team ? { team } : {}),
      ...(respondent ? { respondent } : {}),
      ...(caseRef ? { caseRef } : {}),
      submittedAt,
      parsed,
    },
  }
}

/** Stores a staff-entered response. For an invitation, refused if it already has answers. */
export async function recordStaffEntry(
  services: Services,
  input: {
    survey: TSurveyDefinition
    entry: CheckedEntry
    enteredBy: { id: Types.ObjectId; name: string }
    invitation?: Invitation
  },
): Promise<RecordOutcome> {
  const { survey, entry, invitation } = input
  const team = invitation
    ? { id: invitation.teamId, name: invitation.teamName }
    : { id: entry.team!._id, name: entry.team!.name }
  const outcome = await recordResponse(
    {
      survey,
      claimKey: invitation
        ? `invitation:${String(invitation._id)}`
        : `entry:${randomBytes(16).toString('hex')}`,
      team,
      service: invitation ? invitation.service : entry.team!.service,
      respondent: invitation ? invitation.respondent : entry.respondent!,
      mode: entry.mode,
      source: 'staff',
      submittedAt: entry.submittedAt,
      answers: entry.parsed.answers,
      texts: entry.parsed.texts,
      ...(invitation?.caseRef || entry.caseRef ? { caseRef: invitation?.caseRef ?? entry.caseRef } : {}),
      ...(invitation ? { invitationId: invitation._id } : {}),
      enteredBy: input.enteredBy.id,
      storedAt: services.clock.now(),
    },
    services.config.worryWords,
    services.responseHooks,
  )
  if (outcome.recorded && invitation) {
    const note = `${MODE_LABELS[entry.mode]} answers entered by staff.`
    await recordedByStaff(invitation._id, services.clock.now(), note, input.enteredBy)
  }
  return outcome
}
