/**
 * Reading the body of `POST /api/v1/invitations` strictly: a JSON object with only the fields the
 * contract names (contracts.md), each checked by the same rules as the send form and the bulk CSV.
 * The first problem found is the answer (400), and it names the field.
 */
import { z } from 'zod'
import { textMessageDelivery, type Config } from '../config'
import { findTeamByName, CASE_REF_PATTERN, type NewInvitation } from '../invitations/service'
import { checkEmail, checkFirstName, isCaseEvent, isRespondent } from '../invitations/sendForm'
import { normaliseUkMobile } from '../invitations/mobileNumber'
import { defaultSurvey } from '../invitations/bulk'
import { may, type Viewer } from '../staff/policy'
import {
  CASE_EVENTS,
  RESPONDENT_TYPES,
  type TRespondentType,
  type TSurveyDefinition,
} from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import { strictFields } from './strictInput'

/** A field as given: trimmed, and undefined when empty. */
const field = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined)

const fields = {
  event_id: field,
  survey: field,
  event: field,
  team: field,
  respondent: field,
  case_ref: field,
  channel: field,
  email: field,
  mobile: field,
  first_name: field,
}
const INVITATION_FIELDS = Object.keys(fields)

/** The body's shape: a JSON object of only the contract's fields, each a string. */
function bodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Send a JSON object with the header "Content-Type: application/json".'
  }
  const unknown = Object.keys(body).find((name) => !INVITATION_FIELDS.includes(name))
  if (unknown !== undefined)
    return `Unknown field "${unknown.slice(0, 50)}": use ${INVITATION_FIELDS.join(', ')}.`
  const notText = Object.entries(body).find(([, value]) => typeof value !== 'string')
  return notText ? `"${notText[0]}" must be a string.` : undefined
}

/** The body of `POST /api/v1/invitations`, for the route's input schema. */
export const invitationBody = strictFields(bodyProblem, fields)
export type InvitationFields = z.output<typeof invitationBody>

/** Letters, digits and . _ : / - as case-management ids are written; never a name. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/

export interface InvitationRequest {
  eventId: string
  /** What to send, as sendInvitation takes it (the expiry is the configuration's). */
  invitation: Omit<NewInvitation, 'id' | 'eventId' | 'expiresInDays'>
}

export type Checked = { ok: true; request: InvitationRequest } | { ok: false; error: string }

const problem = (error: string): Checked => ({ ok: false, error })

/** Checks the fields' values in the contract's order; the first problem is the answer. */
export async function checkInvitationRequest(
  body: InvitationFields,
  context: { surveys: SurveyRegistry; viewer: Viewer; config: Pick<Config, 'notify' | 'smtpUrl'> },
): Promise<Checked> {
  const eventId = body.event_id
  if (!eventId) return problem('"event_id" is required: the case-management id of the event.')
  if (!EVENT_ID_PATTERN.test(eventId)) {
    return problem(
      '"event_id" must be 1 to 100 letters, digits or . _ : / - (starting with a letter or digit).',
    )
  }

  const respondentText = body.respondent
  let respondent: TRespondentType | undefined
  if (respondentText !== undefined) {
    if (!isRespondent(respondentText)) {
      return problem(`"respondent" must be one of: ${RESPONDENT_TYPES.join(', ')}.`)
    }
    respondent = respondentText
  }

  const surveyId = body.survey
  const event = body.event
  let survey: TSurveyDefinition | undefined
  if (surveyId !== undefined && event !== undefined) return problem('Give "survey" or "event", not both.')
  if (surveyId !== undefined) {
    survey = context.surveys.latest(surveyId)
    if (!survey) return problem(`"survey": there is no survey called "${surveyId.slice(0, 60)}".`)
  } else if (event !== undefined) {
    if (!isCaseEvent(event)) return problem(`"event" must be one of: ${CASE_EVENTS.join(', ')}.`)
    const forEvent = context.surveys.forEvent(event)
    // A carer answers the survey written for parents and carers.
    survey =
      defaultSurvey(forEvent, respondent) ??
      (respondent === 'carer' ? defaultSurvey(forEvent, 'parent-carer') : undefined)
    if (!survey) {
      return problem(`"respondent": there is no ${event} survey for ${respondentText}; name the "survey".`)
    }
  } else {
    return problem('"survey" or "event" is required.')
  }

  const teamName = body.team
  if (!teamName) return problem('"team" is required: the team\'s name in Family Voice.')
  const team = await findTeamByName(teamName)
  // A team this token may not send for answers as one that does not exist: no one learns which do.
  if (!team || !may(context.viewer, 'send', { teamId: team._id })) {
    return problem(`"team": there is no team called "${teamName.slice(0, 100)}".`)
  }
  if (team.retired) return problem(`"team": the team "${team.name}" has been retired.`)

  const caseRef = body.case_ref
  if (!caseRef) return problem('"case_ref" is required: the case-management id of the case.')
  if (!CASE_REF_PATTERN.test(caseRef)) {
    return problem('"case_ref" must be letters, numbers and hyphens only, up to 30 characters.')
  }

  const channel = body.channel
  if (channel !== 'email' && channel !== 'sms') return problem('"channel" must be "email" or "sms".')
  const emailText = body.email
  const mobileText = body.mobile
  let email: string | undefined
  let mobile: string | undefined
  if (channel === 'email') {
    if (mobileText !== undefined) return problem('"mobile" is only for "channel": "sms".')
    if (!emailText) return problem('"email" is required for "channel": "email".')
    if (checkEmail(emailText)) return problem('"email" is not a valid email address.')
    email = emailText
  } else {
    if (emailText !== undefined) return problem('"email" is only for "channel": "email".')
    if (textMessageDelivery(context.config) === 'none') {
      return problem('"channel": text messages need GOV.UK Notify, which is not set up here; use "email".')
    }
    if (!mobileText) return problem('"mobile" is required for "channel": "sms".')
    mobile = normaliseUkMobile(mobileText)
    if (!mobile) return problem('"mobile" must be a UK mobile number, like 07400 123456 or +447400123456.')
  }

  const firstName = body.first_name
  if (firstName !== undefined) {
    const nameProblem = checkFirstName(firstName)
    if (nameProblem) return problem(`"first_name": ${nameProblem.replace(/^First name /, '')}.`)
  }

  return {
    ok: true,
    request: {
      eventId,
      invitation: {
        surveyId: survey.id,
        team,
        respondent: respondent ?? survey.audience,
        caseRef,
        channel,
        ...(email ? { recipientEmail: email } : {}),
        ...(mobile ? { recipientMobile: mobile } : {}),
        ...(firstName ? { recipientName: firstName } : {}),
      },
    },
  }
}
