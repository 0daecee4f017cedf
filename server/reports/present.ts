/**
 * Turns report numbers into what pages, charts and the CSV show, so that all three say the same
 * thing: "99%", "fewer than 5", "hidden", "no answers".
 */
import {
  CASE_EVENT_LABELS,
  RESPONDENT_LABELS,
  type TChoiceQuestion,
  type TRespondentType,
  type TSurveyDefinition,
} from '../surveys/definition'
import { RESPONDENT_NOUNS } from './sentences'
import type { BreakdownTable, ResponseRates } from './service'
import { answeredText, percentText, type Cell, type CellStatus } from './suppression'

export interface CellView {
  percent: string
  answered: string
  status: CellStatus
  /** For charts: the percentage, or null for a gap. */
  value: number | null
}

export function cellView(cell: Cell, threshold: number): CellView {
  return {
    percent: percentText(cell, threshold),
    answered: answeredText(cell, threshold),
    status: cell.status,
    value: cell.status === 'shown' ? cell.percent : null,
  }
}

export interface TableView {
  columns: { key: string; label: string; responses: number }[]
  rows: { question: TChoiceQuestion; cells: CellView[] }[]
}

/** Questions down the side, groups (quarters, teams…) across: reads well on a narrow screen. */
export function questionsByGroup(table: BreakdownTable, threshold: number): TableView {
  return {
    columns: table.rows.map((row) => ({ key: row.key, label: row.label, responses: row.responses })),
    rows: table.questions.map((question, column) => ({
      question,
      cells: table.rows.map((row) => cellView(row.cells[column]!, threshold)),
    })),
  }
}

export interface ChartGap {
  /** The position on the x axis (a quarter, a month, a team). */
  index: number
  /** Why there is no point there: "fewer than 5 answers", "hidden …", "no answers". */
  reason: string
}

export interface ChartData {
  type: 'line' | 'bar'
  title: string
  labels: string[]
  datasets: { label: string; data: (number | null)[]; gaps: ChartGap[] }[]
  /** One line per distinct target of the questions shown ("Target: 90%"). */
  targets: { label: string; value: number; questions: string[] }[]
}

/** Why a chart has a gap where a cell is not shown; the same words as the table, said in full. */
export function gapReason(status: CellStatus, threshold: number): string {
  switch (status) {
    case 'small':
      return `fewer than ${threshold} answers`
    case 'protecting':
      return 'hidden so a smaller group cannot be worked out'
    default:
      return 'no answers'
  }
}

/**
 * A chart of the same numbers as the table beside it; hidden cells are gaps, each with its
 * reason, and each question's target is drawn as a line.
 */
export function chartData(
  table: BreakdownTable,
  type: ChartData['type'],
  title: string,
  threshold: number,
): ChartData {
  const targets = new Map<number, string[]>()
  for (const question of table.questions) {
    if (question.target === undefined) continue
    targets.set(question.target, [...(targets.get(question.target) ?? []), question.text])
  }
  return {
    type,
    title,
    labels: table.rows.map((row) => row.label),
    datasets: table.questions.map((question, column) => ({
      label: question.text,
      data: table.rows.map((row) => {
        const cell = row.cells[column]!
        return cell.status === 'shown' ? cell.percent : null
      }),
      gaps: table.rows.flatMap((row, index) => {
        const cell = row.cells[column]!
        return cell.status === 'shown' ? [] : [{ index, reason: gapReason(cell.status, threshold) }]
      }),
    })),
    targets: [...targets.entries()]
      .sort(([a], [b]) => b - a)
      .map(([value, questions]) => ({ label: `Target: ${value}%`, value, questions })),
  }
}

/**
 * JSON for a `<script type="application/json">` block: never executed (so the CSP allows it),
 * and with <, >, & and line separators escaped so that a team name cannot close the block.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

const AUDIENCE_PLURALS: Record<TSurveyDefinition['audience'], string> = {
  'parent-carer': 'parents and carers',
  'child-young-person': 'children and young people',
  professional: 'partner professionals',
  carer: 'foster and kinship carers',
}

/**
 * The name a QA Board knows the survey by, e.g. "Case closure: parents and carers" (never the
 * family-facing title, "Your experience of our service", which says nothing to a Board).
 */
export function reportName(survey: TSurveyDefinition): string {
  return survey.reportName ?? `${CASE_EVENT_LABELS[survey.event]}: ${AUDIENCE_PLURALS[survey.audience]}`
}

/** "Case closure: parent or carer (closure-family)". */
export function surveyName(survey: TSurveyDefinition): string {
  return `${CASE_EVENT_LABELS[survey.event]}: ${RESPONDENT_LABELS[survey.audience].toLowerCase()} (${survey.id})`
}

/**
 * "Answered by 32 of 40 families asked (80%)": of the survey links sent in the period, how many
 * were answered, from the invitation tallies; the rate is left out while fewer than the threshold
 * were asked. Undefined when nobody was sent a link.
 */
export function responseRateSentence(
  rates: ResponseRates,
  threshold: number,
  respondent: TRespondentType,
): string | undefined {
  const { sent, answered, cell } = rates.total
  if (sent === 0) return undefined
  const noun = RESPONDENT_NOUNS[respondent]
  if (cell.status !== 'shown' || cell.percent === null) {
    return `Fewer than ${threshold} survey links were sent in this period, too few to give a response rate.`
  }
  return `Answered by ${answered} of ${sent} ${sent === 1 ? noun.one : noun.many} asked (${cell.percent}%).`
}

/**
 * Breakdowns that would only repeat another table: one with a single row (the headline again),
 * or one whose rows have exactly the numbers of an earlier one (each service is one team).
 */
export function withoutRepeats<T extends { table: BreakdownTable }>(
  shown: BreakdownTable[],
  candidates: T[],
): T[] {
  const fingerprint = (table: BreakdownTable) =>
    JSON.stringify(table.rows.map((row) => JSON.stringify([row.responses, row.cells])).sort())
  const seen = new Set(shown.map(fingerprint))
  return candidates.filter((candidate) => {
    if (candidate.table.rows.length <= 1) return false
    const print = fingerprint(candidate.table)
    if (seen.has(print)) return false
    seen.add(print)
    return true
  })
}
