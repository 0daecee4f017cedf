/**
 * The "Send a survey" form, read and checked in plain TypeScript. One form invites up to
 * MAX_RECIPIENTS members of one family (one case), each with their own survey, respondent type
 * and email address or mobile number (for a text message); blank rows are ignored. Every message follows the GOV.UK error patterns and
 * names the field it links to.
 */
import {
  CASE_EVENTS,
  RESPONDENT_TYPES,
  type TCaseEvent,
  type TRespondentType,
  type TSurveyDefinition,
} from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import { SERVICES, type Service, type Team } from '../teams/team'
import type { z } from 'zod'
import { cappedText, type FieldError } from '../http/input'
import { checkPastDate, datePartsFields, datePartsOf, type DateParts } from './dateInput'
import { MOBILE_ERROR, normaliseUkMobile } from './mobileNumber'
import { CASE_REF_PATTERN } from './service'

const ROW_NUMBERS = [1, 2, 3, 4, 5] as const
export const MAX_RECIPIENTS = ROW_NUMBERS.length
export const FIRST_NAME_MAX = 50

export const EVENT_DATE_WHAT: Record<TCaseEvent, string> = {
  closure: 'the date the case closed',
  assessment: 'the date the assessment ended',
  'cp-conference': 'the date of the conference',
  'cla-review': 'the date of the review',
  'iro-midway': 'the date of the visit',
}

export type Channel = 'email' | 'sms' | 'letter'

export interface RecipientRow {
  survey: string
  respondent: string
  email: string
  mobile: string
  firstName: string
}

/** What the form shows: exactly what was typed, to put back after an error. */
export interface SendFormValues {
  team: string
  service: string
  caseRef: string
  eventDate: DateParts
  channel: string
  rows: RecipientRow[]
}

export interface CheckedRecipient {
  row: number
  survey: TSurveyDefinition
  respondent: TRespondentType
  email?: string
  /** +447…, for a text message. */
  mobile?: string
  firstName?: string
}

export interface CheckedSend {
  event: TCaseEvent
  team: Team
  service: Service
  caseRef: string
  eventDate: Date
  channel: Channel
  recipients: CheckedRecipient[]
}

export function isCaseEvent(value: unknown): value is TCaseEvent {
  return typeof value === 'string' && (CASE_EVENTS as readonly string[]).includes(value)
}

export function isRespondent(value: unknown): value is TRespondentType {
  return typeof value === 'string' && (RESPONDENT_TYPES as readonly string[]).includes(value)
}

function isService(value: string): value is Service {
  return (SERVICES as readonly string[]).includes(value)
}

/** Simple and permissive, like GOV.UK Notify: something@something.something, no spaces. */
export const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/

export function checkEmail(email: string): string | undefined {
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
    return 'Enter an email address in the correct format, like name@example.com'
  }
  return undefined
}

// Letters (any language), spaces, hyphens and apostrophes: what a greeting needs, nothing that
// could be used to write a message of one's own into the email.
const FIRST_NAME_PATTERN = /^[\p{L}\p{M}][\p{L}\p{M}' \-’]*$/u

export function checkFirstName(name: string): string | undefined {
  if (name === '') return undefined
  if ([...name].length > FIRST_NAME_MAX) return `First name must be ${FIRST_NAME_MAX} characters or fewer`
  if (!FIRST_NAME_PATTERN.test(name)) {
    return 'First name must only include letters, spaces, hyphens and apostrophes'
  }
  return undefined
}

export function emptyValues(team: Team | undefined, surveys: TSurveyDefinition[]): SendFormValues {
  return {
    team: team ? String(team._id) : '',
    service: '',
    caseRef: '',
    eventDate: { day: '', month: '', year: '' },
    channel: 'email',
    rows: Array.from({ length: MAX_RECIPIENTS }, () => ({
      survey: surveys[0]?.id ?? '',
      respondent: '',
      email: '',
      mobile: '',
      firstName: '',
    })),
  }
}

/** How long each field of a recipient row may be as typed (`survey-1`, `email-2`, …). */
const ROW_FIELD_LENGTHS = { survey: 100, respondent: 50, email: 320, mobile: 40, firstName: 200 } as const
type RowFieldName = `${keyof typeof ROW_FIELD_LENGTHS}-${(typeof ROW_NUMBERS)[number]}`

const ROW_FIELDS = Object.fromEntries(
  ROW_NUMBERS.flatMap((n) =>
    Object.entries(ROW_FIELD_LENGTHS).map(([name, max]) => [`${name}-${n}`, cappedText(max)]),
  ),
) as Record<RowFieldName, ReturnType<typeof cappedText>>

/** The form's fields for the route's body schema, each read as typed (checkSendForm judges them). */
export const SEND_FORM_FIELDS = {
  team: cappedText(30),
  service: cappedText(100),
  caseRef: cappedText(100),
  ...datePartsFields('eventDate'),
  channel: cappedText(20),
  ...ROW_FIELDS,
}

export type SendFormBody = z.output<z.ZodObject<typeof SEND_FORM_FIELDS>>

/** The form as typed, in the shape the page and checkSendForm use. */
export function sendFormValues(body: SendFormBody): SendFormValues {
  return {
    team: body.team,
    service: body.service,
    caseRef: body.caseRef,
    eventDate: datePartsOf(body, 'eventDate'),
    channel: body.channel,
    rows: ROW_NUMBERS.map((n) => ({
      survey: body[`survey-${n}`],
      respondent: body[`respondent-${n}`],
      email: body[`email-${n}`],
      mobile: body[`mobile-${n}`],
      firstName: body[`firstName-${n}`],
    })),
  }
}

/**
 * Checks the form against the surveys for the event and the teams this user may send for.
 * Returns the recipients to invite, or every error found.
 */

interface ContactRule {
  missing: string
  /** The contact as it will be used, or the problem with what was typed. */
  read: (typed: string) => { value: string } | { problem: string }
}

const EMAIL_RULE = (who: string): ContactRule => ({
  missing: `Enter an email address${who}`,
  read: (typed) => {
    const problem = checkEmail(typed)
    return problem ? { problem } : { value: typed }
  },
})

const MOBILE_RULE = (who: string): ContactRule => ({
  missing: `Enter a mobile number${who}`,
  read: (typed) => {
    const normalised = normaliseUkMobile(typed)
    return normalised ? { value: normalised } : { problem: MOBILE_ERROR }
  },
})

/** One person's email or mobile: given, well formed, and not already given for someone else. */
function checkContact(
  typed: string,
  href: string,
  rule: ContactRule,
  seen: Set<string>,
  errors: FieldError[],
): string | undefined {
  if (typed === '') {
    errors.push({ href, text: rule.missing })
    return undefined
  }
  const read = rule.read(typed)
  if ('problem' in read) {
    errors.push({ href, text: read.problem })
    return undefined
  }
  const key = read.value.toLowerCase()
  if (seen.has(key)) {
    errors.push({ href, text: `You have entered ${typed} more than once` })
    return undefined
  }
  seen.add(key)
  return read.value
}

export function checkSendForm(
  values: SendFormValues,
  context: {
    event: TCaseEvent
    surveys: SurveyRegistry
    teams: Team[]
    now: Date
    /** Whether text messages can be sent here (config.textMessageDelivery is not 'none'). */
    textMessages?: boolean
  },
): { ok: true; send: CheckedSend } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const eventSurveys = context.surveys.forEvent(context.event)

  const team = context.teams.find((candidate) => String(candidate._id) === values.team)
  if (values.team === '') errors.push({ href: 'team', text: 'Select the team sending the survey' })
  else if (!team) errors.push({ href: 'team', text: 'Select one of your teams' })

  let service: Service | undefined = team?.service
  if (values.service !== '') {
    if (isService(values.service)) service = values.service
    else errors.push({ href: 'service', text: 'Select a service from the list' })
  }

  if (values.caseRef === '') {
    errors.push({ href: 'caseRef', text: 'Enter the case reference' })
  } else if (!CASE_REF_PATTERN.test(values.caseRef)) {
    errors.push({
      href: 'caseRef',
      text: 'Case reference must be the case-management ID: letters, numbers and hyphens only, up to 30 characters',
    })
  }

  const date = checkPastDate(values.eventDate, EVENT_DATE_WHAT[context.event], context.now)
  if (!date.ok) errors.push({ href: `eventDate-${date.field}`, text: date.message })

  let channel: Channel | undefined
  if (values.channel === 'email' || values.channel === 'letter') channel = values.channel
  else if (values.channel === 'sms' && context.textMessages) channel = values.channel
  else if (values.channel === 'sms') {
    errors.push({ href: 'channel-email', text: 'Text messages are not available: choose email or a letter' })
  } else errors.push({ href: 'channel-email', text: 'Select how the family will get the link' })

  const recipients: CheckedRecipient[] = []
  const seenEmails = new Set<string>()
  const seenMobiles = new Set<string>()
  values.rows.forEach((row, index) => {
    const n = index + 1
    // A row counts by what the chosen channel reads (an email typed before choosing text is left).
    const address = channel === 'sms' ? row.mobile : row.email
    const blank = address === '' && row.firstName === ''
    // Letters always have a first row; any other row counts once something is typed in it.
    if (blank && !(channel === 'letter' && n === 1)) return
    const who = values.rows.length > 1 ? ` for person ${n}` : ''
    const survey = eventSurveys.find((candidate) => candidate.id === row.survey)
    if (!survey) errors.push({ href: `survey-${n}`, text: `Select a survey${who}` })
    let respondent: TRespondentType | undefined = survey?.audience
    if (row.respondent !== '') {
      if (isRespondent(row.respondent)) respondent = row.respondent
      else errors.push({ href: `respondent-${n}`, text: `Select who is answering${who}` })
    }
    const email =
      channel === 'email'
        ? checkContact(row.email, `email-${n}`, EMAIL_RULE(who), seenEmails, errors)
        : undefined
    const mobile =
      channel === 'sms'
        ? checkContact(row.mobile, `mobile-${n}`, MOBILE_RULE(who), seenMobiles, errors)
        : undefined
    const nameProblem = checkFirstName(row.firstName)
    if (nameProblem)
      errors.push({ href: `firstName-${n}`, text: `${nameProblem}${who ? ` (person ${n})` : ''}` })
    if (survey && respondent) {
      recipients.push({
        row: n,
        survey,
        respondent,
        ...(email ? { email } : {}),
        ...(mobile ? { mobile } : {}),
        ...(row.firstName ? { firstName: row.firstName } : {}),
      })
    }
  })
  if (channel === 'email' && values.rows.every((row) => row.email === '' && row.firstName === '')) {
    errors.push({ href: 'email-1', text: 'Enter the email address of at least one person to invite' })
  }
  if (channel === 'sms' && values.rows.every((row) => row.mobile === '' && row.firstName === '')) {
    errors.push({ href: 'mobile-1', text: 'Enter the mobile number of at least one person to invite' })
  }

  if (errors.length || !team || !service || !date.ok || !channel) return { ok: false, errors }
  return {
    ok: true,
    send: {
      event: context.event,
      team,
      service,
      caseRef: values.caseRef,
      eventDate: date.date.set({ hour: 12 }).toJSDate(),
      channel,
      recipients,
    },
  }
}
