/**
 * Bulk sending: a CSV of case closures exported from the case-management system becomes a preview
 * of emailed invitations (texted, for a row with a mobile number and no email). All or nothing: if any row is wrong, every bad row is listed with its
 * line number and reason and nothing is stored or sent. Columns are documented in README.md
 * ("Bulk sending").
 */
import { parse } from 'csv-parse/sync'
import type { Types } from 'mongoose'
import type { Services } from '../services'
import { CASE_EVENT_LABELS, type TRespondentType, type TSurveyDefinition } from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import type { Team } from '../teams/team'
import { TeamModel } from '../teams/team'
import { BulkUploadModel, type BulkRow, type BulkUpload } from './bulkUpload'
import { checkIsoPastDate } from './dateInput'
import { normaliseUkMobile } from './mobileNumber'
import { checkEmail, checkFirstName, isCaseEvent, isRespondent } from './sendForm'
import { sendInvitation } from './sending'
import { CASE_REF_PATTERN } from './service'

export const BULK_COLUMNS = [
  'case_ref',
  'event',
  'event_date',
  'survey',
  'team',
  'respondent',
  'email',
  'mobile',
  'first_name',
] as const
/** And an `email` or a `mobile` column (or both). */
export const REQUIRED_COLUMNS = ['case_ref', 'event', 'event_date', 'team', 'email or mobile'] as const
export const MAX_BULK_BYTES = 1024 * 1024
export const MAX_BULK_ROWS = 500
/** A preview not confirmed within a day must be uploaded again. */
export const PREVIEW_LIFETIME_MS = 24 * 60 * 60 * 1000

export interface BulkProblem {
  /** Line in the file (1 is the header); 0 for the file as a whole. */
  line: number
  reason: string
}

export interface BulkCheck {
  rows: BulkRow[]
  problems: BulkProblem[]
}

/** The survey for an event when the row does not name one: the one for the respondent type. */
export function defaultSurvey(
  surveys: TSurveyDefinition[],
  respondent: TRespondentType | undefined,
): TSurveyDefinition | undefined {
  if (respondent) return surveys.find((survey) => survey.audience === respondent)
  return surveys.find((survey) => survey.audience === 'parent-carer') ?? surveys[0]
}

interface ParsedRecord {
  record: string[]
  info: { lines: number; error?: { code?: string } }
}

export function checkBulkCsv(
  text: string,
  context: {
    surveys: SurveyRegistry
    teams: Team[]
    now: Date
    /** Whether text messages can be sent here (config.textMessageDelivery is not 'none'). */
    textMessages?: boolean
  },
): BulkCheck {
  const problems: BulkProblem[] = []
  if (Buffer.byteLength(text, 'utf8') > MAX_BULK_BYTES) {
    return {
      rows: [],
      problems: [{ line: 0, reason: 'The file is larger than 1 MB. Split it into smaller files.' }],
    }
  }
  let records: ParsedRecord[]
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as ParsedRecord[]
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0
    return {
      rows: [],
      problems: [
        { line, reason: `The file could not be read as CSV: ${(error as Error).message.split('\n')[0]}` },
      ],
    }
  }
  if (records.length === 0) return { rows: [], problems: [{ line: 0, reason: 'The file is empty.' }] }

  const header = records[0]!.record.map((name) => name.trim().toLowerCase())
  const unknown = header.filter((name) => !(BULK_COLUMNS as readonly string[]).includes(name))
  const missing: string[] = REQUIRED_COLUMNS.filter(
    (name) => name !== 'email or mobile' && !header.includes(name),
  )
  if (!header.includes('email') && !header.includes('mobile')) missing.push('email')
  if (unknown.length) {
    problems.push({
      line: 1,
      reason: `Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
    })
  }
  if (missing.length) {
    problems.push({
      line: 1,
      reason: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    })
  }
  if (new Set(header).size !== header.length)
    problems.push({ line: 1, reason: 'A column name appears twice' })
  if (problems.length) return { rows: [], problems }

  const dataRecords = records.slice(1)
  if (dataRecords.length === 0)
    return { rows: [], problems: [{ line: 0, reason: 'The file has no rows under the header.' }] }
  if (dataRecords.length > MAX_BULK_ROWS) {
    return {
      rows: [],
      problems: [
        {
          line: 0,
          reason: `The file has ${dataRecords.length} rows; the most is ${MAX_BULK_ROWS}. Split it into smaller files.`,
        },
      ],
    }
  }

  const teamsByName = new Map(context.teams.map((team) => [team.name.toLowerCase(), team]))
  const seen = new Map<string, number>()
  const rows: BulkRow[] = []
  for (const { record, info } of dataRecords) {
    const line = info.lines
    const reasons: string[] = []
    if (record.length !== header.length) {
      problems.push({ line, reason: `Has ${record.length} values; the header has ${header.length} columns` })
      continue
    }
    const cell = (name: (typeof BULK_COLUMNS)[number]) => {
      const index = header.indexOf(name)
      return index === -1 ? '' : (record[index] ?? '').trim()
    }

    const caseRef = cell('case_ref')
    if (caseRef === '') reasons.push('case_ref is empty')
    else if (!CASE_REF_PATTERN.test(caseRef)) {
      reasons.push('case_ref must be letters, numbers and hyphens only, up to 30 characters')
    }

    const event = cell('event')
    const eventOk = isCaseEvent(event)
    if (!eventOk) {
      reasons.push(
        event === ''
          ? 'event is empty'
          : `event “${event}” is not one of: ${Object.keys(CASE_EVENT_LABELS).join(', ')}`,
      )
    }

    const date = checkIsoPastDate(cell('event_date'), 'event_date', context.now)
    if (!date.ok) reasons.push(date.message.replace(/^Event_date/, 'event_date'))

    const respondentText = cell('respondent')
    let respondent: TRespondentType | undefined
    if (respondentText !== '') {
      if (isRespondent(respondentText)) respondent = respondentText
      else
        reasons.push(
          `respondent “${respondentText}” is not one of: parent-carer, child-young-person, professional, carer`,
        )
    }

    let survey: TSurveyDefinition | undefined
    if (eventOk) {
      const eventSurveys = context.surveys.forEvent(event)
      const surveyId = cell('survey')
      if (surveyId === '') {
        survey = defaultSurvey(eventSurveys, respondent)
        if (!survey)
          reasons.push(`there is no ${event} survey for respondent “${respondentText}”; name the survey`)
      } else {
        survey = eventSurveys.find((candidate) => candidate.id === surveyId)
        if (!survey) {
          reasons.push(
            context.surveys.has(surveyId)
              ? `survey “${surveyId}” is not a ${event} survey`
              : `there is no survey called “${surveyId}”`,
          )
        }
      }
    }

    const teamName = cell('team')
    const team = teamsByName.get(teamName.toLowerCase())
    if (teamName === '') reasons.push('team is empty')
    else if (!team) reasons.push(`there is no team called “${teamName}” that you can send for`)

    // A row with an email is emailed; one with only a mobile number is texted.
    const email = cell('email')
    const mobileText = email === '' ? cell('mobile') : ''
    let mobile: string | undefined
    if (email !== '') {
      const problem = checkEmail(email)
      if (problem) reasons.push(`email “${email}” is not a valid email address`)
    } else if (mobileText !== '') {
      mobile = normaliseUkMobile(mobileText)
      if (!context.textMessages) {
        reasons.push(
          'mobile: text messages are not available here (GOV.UK Notify is not set up); give an email',
        )
      } else if (!mobile) reasons.push(`mobile “${mobileText}” is not a UK mobile number`)
    } else reasons.push(header.includes('mobile') ? 'email and mobile are both empty' : 'email is empty')

    const firstName = cell('first_name')
    const nameProblem = checkFirstName(firstName)
    if (nameProblem) reasons.push(nameProblem.replace('First name', 'first_name'))

    const address = email !== '' ? email.toLowerCase() : mobile
    if (survey && address) {
      const key = `${address} ${survey.id} ${caseRef}`
      const earlier = seen.get(key)
      if (earlier)
        reasons.push(`repeats line ${earlier} (same ${mobile ? 'mobile' : 'email'}, survey and case)`)
      else seen.set(key, line)
    }

    if (reasons.length) {
      problems.push({ line, reason: reasons.join('; ') })
      continue
    }
    rows.push({
      line,
      caseRef,
      event,
      eventDate: (date.ok ? date.date : undefined)!.set({ hour: 12 }).toJSDate(),
      surveyId: survey!.id,
      teamId: team!._id,
      teamName: team!.name,
      respondent: respondent ?? survey!.audience,
      ...(email !== '' ? { email } : { mobile: mobile! }),
      ...(firstName ? { firstName } : {}),
    })
  }
  return problems.length ? { rows: [], problems } : { rows, problems }
}

export async function storePreview(
  services: Services,
  createdBy: Types.ObjectId,
  rows: BulkRow[],
  fileName: string | undefined,
): Promise<BulkUpload> {
  const created = await BulkUploadModel.create({
    createdBy,
    createdAt: services.clock.now(),
    status: 'preview',
    rows,
    invitationIds: [],
    ...(fileName ? { fileName: fileName.slice(0, 200) } : {}),
  })
  return created.toObject()
}

export type ConfirmOutcome =
  | { ok: true; upload: BulkUpload }
  | { ok: false; reason: 'not-found' | 'already-sent' | 'too-old' | 'team-changed'; detail?: string }

/**
 * Sends every row of a preview, once: the claim (preview → sending, by the same user) is atomic.
 * Teams are checked again first, so a team retired or taken away since the preview sends nothing.
 */
export async function confirmBulkUpload(
  services: Services,
  id: Types.ObjectId,
  user: { id: Types.ObjectId; allowedTeamIds: Types.ObjectId[] | 'all' },
): Promise<ConfirmOutcome> {
  const now = services.clock.now()
  const existing = await BulkUploadModel.findOne({ _id: id, createdBy: user.id }).lean()
  if (!existing) return { ok: false, reason: 'not-found' }
  if (existing.status !== 'preview') return { ok: false, reason: 'already-sent' }
  if (now.getTime() - existing.createdAt.getTime() > PREVIEW_LIFETIME_MS)
    return { ok: false, reason: 'too-old' }

  const teamIds = [...new Set(existing.rows.map((row) => String(row.teamId)))]
  const teams = await TeamModel.find({ _id: { $in: teamIds } }).lean()
  for (const teamId of teamIds) {
    const team = teams.find((candidate) => String(candidate._id) === teamId)
    const allowed =
      user.allowedTeamIds === 'all' || user.allowedTeamIds.some((allowedId) => String(allowedId) === teamId)
    if (!team || team.retired || !allowed) {
      return { ok: false, reason: 'team-changed', detail: team?.name ?? 'a team' }
    }
  }

  const claimed = await BulkUploadModel.findOneAndUpdate(
    { _id: id, createdBy: user.id, status: 'preview' },
    { $set: { status: 'sending' } },
    { new: true },
  ).lean()
  if (!claimed) return { ok: false, reason: 'already-sent' }

  const invitationIds: Types.ObjectId[] = []
  for (const row of claimed.rows) {
    const team = teams.find((candidate) => String(candidate._id) === String(row.teamId))!
    const { invitation } = await sendInvitation(services, {
      surveyId: row.surveyId,
      team,
      respondent: row.respondent,
      caseRef: row.caseRef,
      eventDate: row.eventDate,
      ...(row.mobile
        ? { channel: 'sms' as const, recipientMobile: row.mobile }
        : { channel: 'email' as const, recipientEmail: row.email! }),
      ...(row.firstName ? { recipientName: row.firstName } : {}),
      createdBy: user.id,
      expiresInDays: services.config.invitationExpiryDays,
    })
    invitationIds.push(invitation._id)
  }
  const upload = await BulkUploadModel.findOneAndUpdate(
    { _id: id },
    { $set: { status: 'sent', invitationIds, sentAt: now } },
    { new: true },
  ).lean()
  return { ok: true, upload: upload! }
}
