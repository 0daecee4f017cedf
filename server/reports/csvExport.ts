/**
 * The dashboard's tables as one CSV for spreadsheets: headlines, every answer's count, and each
 * breakdown. Number columns hold numbers or nothing, so a spreadsheet can sum them; why a number
 * is missing ("fewer than 5", "hidden", "not counted", "no answers") is in the Status column,
 * in the words the pages use. Each row names the question by id and by its wording. Every cell
 * goes through toCsv, which neutralises spreadsheet formulas (a team called "=cmd" stays text).
 */
import { toCsv } from '../http/csv'
import type { TChoiceQuestion } from '../surveys/definition'
import type { BreakdownTable, SurveyReport } from './service'
import {
  FEWER_THAN,
  HIDDEN_TEXT,
  NO_ANSWERS_TEXT,
  percentText,
  primaryStatus,
  type Cell,
} from './suppression'

export const CSV_HEADER = [
  'Survey',
  'Period',
  'Table',
  'Group',
  'Question',
  'Question text',
  'Statement',
  'Answer',
  'Count',
  'Answered',
  'Percent',
  'Change (points)',
  'Status',
]

/** The Status of a shown number. */
export const SHOWN_STATUS = 'shown'
export const NOT_COUNTED_STATUS = 'not counted'

function positiveLabels(question: TChoiceQuestion): string {
  return question.answers
    .filter((answer) => question.positive.includes(answer.id))
    .map((answer) => answer.label)
    .join(' or ')
}

/** Count, Answered and Percent (numbers or empty), and the Status that explains an empty one. */
function cellColumns(cell: Cell, threshold: number) {
  switch (cell.status) {
    case 'shown':
      return { numbers: [cell.positive, cell.answered, cell.percent ?? ''], status: SHOWN_STATUS }
    case 'empty':
      return { numbers: [0, 0, ''], status: NO_ANSWERS_TEXT }
    default:
      return { numbers: ['', '', ''], status: percentText(cell, threshold) }
  }
}

export function reportCsv(
  report: SurveyReport,
  tables: { name: string; table: BreakdownTable }[],
  threshold: number,
  groupLabel: string,
): string {
  const survey = report.filter.survey.id
  const period = report.filter.period.id
  const rows: unknown[][] = []
  for (const q of report.questions) {
    const cell: Cell = { ...q.headline, status: primaryStatus(q.headline) }
    const { numbers, status } = cellColumns(cell, threshold)
    rows.push([
      survey,
      period,
      'Headline',
      groupLabel,
      q.question.id,
      q.question.text,
      q.question.statement,
      positiveLabels(q.question),
      ...numbers,
      q.outcome.change ?? '',
      status,
    ])
  }
  for (const q of report.questions) {
    const headline = primaryStatus(q.headline)
    for (const answer of q.answers) {
      // A "not counted" answer's count is shown (it is outside every percentage); the rest of a
      // question with fewer than the threshold answered gives no numbers.
      const [count, answered, percent, status] = answer.notCounted
        ? [answer.count, '', '', NOT_COUNTED_STATUS]
        : headline === 'small' || headline === 'protecting'
          ? ['', '', '', headline === 'small' ? FEWER_THAN(threshold) : HIDDEN_TEXT]
          : headline === 'empty'
            ? [answer.count, 0, '', NO_ANSWERS_TEXT]
            : [answer.count, q.headline.answered, answer.percent ?? '', SHOWN_STATUS]
      rows.push([
        survey,
        period,
        'Answers',
        groupLabel,
        q.question.id,
        q.question.text,
        q.question.statement,
        answer.label,
        count,
        answered,
        percent,
        '',
        status,
      ])
    }
  }
  for (const { name, table } of tables) {
    for (const row of table.rows) {
      table.questions.forEach((question, column) => {
        const { numbers, status } = cellColumns(row.cells[column]!, threshold)
        rows.push([
          survey,
          period,
          name,
          row.label,
          question.id,
          question.text,
          question.statement,
          positiveLabels(question),
          ...numbers,
          '',
          status,
        ])
      })
    }
  }
  return toCsv(CSV_HEADER, rows)
}
