/**
 * Importing responses from a CSV file (telephone and paper answers typed up, historic exports
 * from another survey tool). All or nothing: every row is checked first, and if any row is wrong
 * nothing is written and every bad row is listed with its line number. Idempotent: each row's
 * claimKey is `import:<external_id>` or `import:<hash of the row>`, and the unique claimKey index
 * makes a second import of the same row store nothing.
 */
import { CsvError, parse } from 'csv-parse/sync'
import { DateTime } from 'luxon'
import type { Clock } from '../clock'
import { CASE_REF_PATTERN } from '../invitations/service'
import { recordResponse, type ResponseHooks } from '../responses/recordResponse'
import { MODES, ResponseModel, type ChoiceAnswer, type Mode } from '../responses/response'
import { sha256Hex } from '../security/sha256'
import { fieldName, parseAnswers, type ParsedAnswers, type TextAnswer } from '../surveys/answers'
import {
  isChoiceQuestion,
  RESPONDENT_TYPES,
  type TRespondentType,
  type TSurveyDefinition,
} from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import { SERVICES, TeamModel, type Service, type Team } from '../teams/team'
import { ZONE } from '../dates'

export const REQUIRED_COLUMNS = ['survey', 'submitted_at', 'team'] as const
export const OPTIONAL_COLUMNS = ['respondent', 'mode', 'case_ref', 'external_id', 'service'] as const
const RESERVED = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS])

/** Teams created by --create-teams get this service unless the row has a `service` column. */
export const DEFAULT_NEW_TEAM_SERVICE: Service = 'Locality'

export interface ImportDependencies {
  surveys: SurveyRegistry
  clock: Clock
  worryWords: readonly string[]
  hooks?: ResponseHooks
}

export interface ImportOptions {
  createTeams?: boolean
  dryRun?: boolean
}

export interface RowProblem {
  /** Line in the file (the header is line 1). */
  line: number
  reason: string
}

export interface ImportResult {
  ok: boolean
  problems: RowProblem[]
  /** Data rows read. */
  rows: number
  /** Newly stored (or, in a dry run, that would be). */
  imported: number
  alreadyPresent: number
  teamsCreated: { name: string; service: Service }[]
  dryRun: boolean
}

interface ValidRow {
  line: number
  survey: TSurveyDefinition
  submittedAt: Date
  teamName: string
  service?: Service
  respondent: TRespondentType
  mode: Mode
  caseRef?: string
  externalId?: string
  answers: ChoiceAnswer[]
  texts: TextAnswer[]
  claimKey: string
}

const MAX_EXTERNAL_ID = 200
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/

/** ISO 8601 with or without an offset; without one it is London time. */
export function parseSubmittedAt(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined
  const parsed = DateTime.fromISO(value, { zone: ZONE })
  return parsed.isValid ? parsed.toJSDate() : undefined
}

/** The identity of a row without an external_id: a hash of what it says, not how it is written. */
export function rowHash(
  row: Omit<ValidRow, 'line' | 'claimKey' | 'survey' | 'externalId'> & { surveyId: string },
): string {
  const canonical = JSON.stringify([
    row.surveyId,
    row.submittedAt.toISOString(),
    row.teamName,
    row.respondent,
    row.mode,
    row.caseRef ?? '',
    row.answers.map((a) => [a.question, a.answer]).sort(),
    row.texts.map((t) => [t.question, t.text]).sort(),
  ])
  return sha256Hex(canonical)
}

function parseCsv(text: string): { records: { cells: string[]; line: number }[]; problem?: RowProblem } {
  try {
    const parsed = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
    return {
      records: parsed.map(({ record, info }) => ({
        cells: record,
        // info.lines is where the record ends; a quoted cell may span lines.
        line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
      })),
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1
      return { records: [], problem: { line, reason: `the file is not valid CSV: ${error.message}` } }
    }
    throw error
  }
}

/**
 * The answer cells, checked by parseAnswers as the survey form checks them (so showIf applies),
 * with each refusal worded for a CSV row: the column and the cell rather than the question text.
 */
function checkAnswers(
  survey: TSurveyDefinition,
  header: string[],
  cells: string[],
  reasons: string[],
): ParsedAnswers {
  const body: Record<string, string> = {}
  const written = new Map<string, string>()
  header.forEach((column, index) => {
    if (RESERVED.has(column)) return
    const raw = cells[index] ?? ''
    const cell = raw.trim()
    if (cell === '') return // skipped
    const question = survey.questions.find((q) => q.id === column)
    if (!question) {
      reasons.push(`column "${column}" is not a question of the survey ${survey.id}`)
      return
    }
    written.set(question.id, cell)
    // Answer ids are lower-case slugs, so "Yes" in a spreadsheet is the answer "yes".
    body[fieldName(question.id)] = isChoiceQuestion(question) ? cell.toLowerCase() : raw
  })
  const parsed = parseAnswers(survey, body)
  const refused = new Map(parsed.errors.map((error) => [error.question, error]))
  for (const question of survey.questions) {
    const error = refused.get(question.id)
    if (error?.problem === 'not-an-answer' && isChoiceQuestion(question)) {
      reasons.push(
        `"${written.get(question.id)}" is not an answer to ${question.id} (use ${question.answers.map((a) => a.id).join(', ')})`,
      )
    } else if (error?.problem === 'too-long' && !isChoiceQuestion(question)) {
      reasons.push(`the answer to ${question.id} is longer than ${question.maxLength} characters`)
    } else if (error) {
      reasons.push(`${question.id}: ${error.message}`)
    } else if (
      parsed.notShown.includes(question.id) &&
      question.showIf &&
      !refused.has(question.showIf.question)
    ) {
      const { question: earlier, answerIn } = question.showIf
      const given = written.get(earlier)
      reasons.push(
        `${question.id} is only asked when ${earlier} is ${answerIn.join(' or ')}, and this row has ${given ? `"${given}"` : `no answer to ${earlier}`}`,
      )
    }
  }
  return parsed
}

function checkRow(
  cells: string[],
  header: string[],
  line: number,
  surveys: SurveyRegistry,
  now: Date,
): { row?: Omit<ValidRow, 'claimKey'>; reasons: string[] } {
  const reasons: string[] = []
  if (cells.length !== header.length) {
    return { reasons: [`has ${cells.length} cells but the header has ${header.length}`] }
  }
  const value = (column: string) => {
    const index = header.indexOf(column)
    return index === -1 ? '' : (cells[index] ?? '').trim()
  }

  const surveyId = value('survey')
  const survey = surveyId ? surveys.latest(surveyId) : undefined
  if (!surveyId) reasons.push('survey is empty')
  else if (!survey) reasons.push(`there is no survey called "${surveyId}"`)

  const submittedText = value('submitted_at')
  const submittedAt = submittedText ? parseSubmittedAt(submittedText) : undefined
  if (!submittedText) reasons.push('submitted_at is empty')
  else if (!submittedAt)
    reasons.push(
      `submitted_at "${submittedText}" is not an ISO 8601 date and time, e.g. 2021-01-15T14:30 or 2021-01-15T14:30:00Z`,
    )
  else if (submittedAt.getTime() > now.getTime())
    reasons.push(`submitted_at "${submittedText}" is in the future`)

  const teamName = value('team')
  if (!teamName) reasons.push('team is empty')
  else if (teamName.length > 100) reasons.push('team is longer than 100 characters')

  const respondentText = value('respondent')
  if (respondentText && !(RESPONDENT_TYPES as readonly string[]).includes(respondentText)) {
    reasons.push(`respondent "${respondentText}" is not one of ${RESPONDENT_TYPES.join(', ')}`)
  }
  const modeText = value('mode')
  if (modeText && !(MODES as readonly string[]).includes(modeText)) {
    reasons.push(`mode "${modeText}" is not one of ${MODES.join(', ')}`)
  }
  const caseRef = value('case_ref')
  if (caseRef && !CASE_REF_PATTERN.test(caseRef)) {
    reasons.push(
      `case_ref "${caseRef}" must be the case-management id: letters, numbers and hyphens, up to 30`,
    )
  }
  const externalId = value('external_id')
  if (externalId && (externalId.length > MAX_EXTERNAL_ID || CONTROL.test(externalId))) {
    reasons.push(`external_id must be plain text of up to ${MAX_EXTERNAL_ID} characters`)
  }
  const serviceText = value('service')
  if (serviceText && !(SERVICES as readonly string[]).includes(serviceText)) {
    reasons.push(`service "${serviceText}" is not one of ${SERVICES.join(', ')}`)
  }

  const parsed = survey ? checkAnswers(survey, header, cells, reasons) : undefined
  if (reasons.length || !survey || !submittedAt || !parsed) return { reasons }
  return {
    reasons,
    row: {
      line,
      survey,
      submittedAt,
      teamName,
      ...(serviceText ? { service: serviceText as Service } : {}),
      respondent: (respondentText || survey.audience) as TRespondentType,
      mode: (modeText || 'telephone') as Mode,
      ...(caseRef ? { caseRef } : {}),
      ...(externalId ? { externalId } : {}),
      answers: parsed.answers,
      texts: parsed.texts,
    },
  }
}

export async function importResponses(
  text: string,
  deps: ImportDependencies,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const dryRun = options.dryRun ?? false
  const result: ImportResult = {
    ok: false,
    problems: [],
    rows: 0,
    imported: 0,
    alreadyPresent: 0,
    teamsCreated: [],
    dryRun,
  }
  const { records, problem } = parseCsv(text)
  if (problem) {
    result.problems.push(problem)
    return result
  }
  const [headerRecord, ...dataRecords] = records
  if (!headerRecord) {
    result.problems.push({
      line: 1,
      reason: 'the file is empty: it needs a header row and at least one response',
    })
    return result
  }
  const header = headerRecord.cells.map((cell) => cell.trim())
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column))
  const duplicates = header.filter((column, index) => column !== '' && header.indexOf(column) !== index)
  if (missing.length) {
    result.problems.push({
      line: headerRecord.line,
      reason: `the header has no ${missing.join(', ')} column (required: ${REQUIRED_COLUMNS.join(', ')})`,
    })
  }
  if (duplicates.length) {
    result.problems.push({
      line: headerRecord.line,
      reason: `the header has ${[...new Set(duplicates)].map((c) => `"${c}"`).join(', ')} more than once`,
    })
  }
  if (header.some((column) => column === '')) {
    result.problems.push({ line: headerRecord.line, reason: 'the header has an empty column name' })
  }
  if (result.problems.length) return result
  if (dataRecords.length === 0) {
    result.problems.push({ line: headerRecord.line, reason: 'there are no responses after the header row' })
    return result
  }
  result.rows = dataRecords.length

  const now = deps.clock.now()
  const valid: ValidRow[] = []
  const seen = new Map<string, number>()
  for (const record of dataRecords) {
    const { row, reasons } = checkRow(record.cells, header, record.line, deps.surveys, now)
    if (!row) {
      result.problems.push({ line: record.line, reason: reasons.join('; ') })
      continue
    }
    const identity = row.externalId ?? rowHash({ ...row, surveyId: row.survey.id })
    const earlier = seen.get(identity)
    if (earlier !== undefined) {
      result.problems.push({
        line: record.line,
        reason: row.externalId
          ? `external_id "${row.externalId}" is also on line ${earlier}`
          : `it is the same response as line ${earlier}`,
      })
      continue
    }
    seen.set(identity, record.line)
    valid.push({ ...row, claimKey: `import:${identity}` })
  }

  // Teams: every name must exist, unless --create-teams.
  const names = [...new Set(valid.map((row) => row.teamName))]
  const existing = new Map(
    (await TeamModel.find({ name: { $in: names } }).lean()).map((team) => [team.name, team] as const),
  )
  const toCreate = new Map<string, Service>()
  for (const row of valid) {
    if (existing.has(row.teamName)) continue
    if (!options.createTeams) {
      result.problems.push({
        line: row.line,
        reason: `there is no team called "${row.teamName}" (add --create-teams to create it)`,
      })
      continue
    }
    if (!toCreate.has(row.teamName)) toCreate.set(row.teamName, row.service ?? DEFAULT_NEW_TEAM_SERVICE)
  }
  if (result.problems.length) {
    result.problems.sort((a, b) => a.line - b.line)
    return result
  }

  const present = new Set<string>()
  const keys = valid.map((row) => row.claimKey)
  for (let i = 0; i < keys.length; i += 1000) {
    const found = await ResponseModel.find({ claimKey: { $in: keys.slice(i, i + 1000) } })
      .select({ claimKey: 1 })
      .lean()
    for (const doc of found) present.add(doc.claimKey)
  }
  result.teamsCreated = [...toCreate].map(([name, service]) => ({ name, service }))
  result.ok = true
  if (dryRun) {
    result.alreadyPresent = present.size
    result.imported = valid.length - present.size
    return result
  }

  for (const [name, service] of toCreate) {
    try {
      existing.set(name, (await TeamModel.create({ name, service })).toObject())
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error
      const team = await TeamModel.findOne({ name }).lean()
      if (team) existing.set(name, team)
    }
  }
  for (const row of valid) {
    if (present.has(row.claimKey)) {
      result.alreadyPresent++
      continue
    }
    const team = existing.get(row.teamName) as Team
    const outcome = await recordResponse(
      {
        survey: row.survey,
        claimKey: row.claimKey,
        team: { id: team._id, name: team.name },
        service: row.service ?? team.service,
        respondent: row.respondent,
        mode: row.mode,
        source: 'import',
        submittedAt: row.submittedAt,
        answers: row.answers,
        texts: row.texts,
        ...(row.caseRef ? { caseRef: row.caseRef } : {}),
        ...(row.externalId ? { externalId: row.externalId } : {}),
        storedAt: deps.clock.now(),
      },
      deps.worryWords,
      deps.hooks,
    )
    if (outcome.recorded) result.imported++
    else result.alreadyPresent++
  }
  return result
}

/** The closing line: "Imported 12 responses (3 already present)". */
export function summaryLine(result: ImportResult): string {
  const noun = (n: number) => `${n} ${n === 1 ? 'response' : 'responses'}`
  if (result.dryRun) {
    return `Dry run: would import ${noun(result.imported)} (${result.alreadyPresent} already present). Nothing was written.`
  }
  return `Imported ${noun(result.imported)} (${result.alreadyPresent} already present)`
}
