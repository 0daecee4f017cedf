/**
 * The dashboard's tables as one CSV for spreadsheets: headlines, every answer's count, and each
 * breakdown. Hidden cells say "fewer than 5" or "hidden" exactly as the pages do, and every cell
 * goes through toCsv, which neutralises spreadsheet formulas (a team called "=cmd" stays text).
 */
import { toCsv } from '../http/csv'
import type { TChoiceQuestion } from '../surveys/definition'
import type { BreakdownTable, SurveyReport } from './service'
import { FEWER_THAN, answeredText, percentText, primaryStatus, type Cell } from './suppression'

export const CSV_HEADER = [
  'Survey',
  'Period',
  'Table',
  'Group',
  'Question',
  'Statement',
  'Answer',
  'Count',
  'Answered',
  'Percent',
  'Change (points)',
]

function positiveLabels(question: TChoiceQuestion): string {
  return question.answers
    .filter((answer) => question.positive.includes(answer.id))
    .map((answer) => answer.label)
    .join(' or ')
}

function cellColumns(cell: Cell, threshold: number): [number | string, number | string, number | string] {
  if (cell.status === 'shown') return [cell.positive, cell.answered, cell.percent ?? '']
  return ['', answeredText(cell, threshold), percentText(cell, threshold)]
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
    rows.push([
      survey,
      period,
      'Headline',
      groupLabel,
      q.question.id,
      q.question.statement,
      positiveLabels(q.question),
      ...cellColumns(cell, threshold),
      q.outcome.change ?? '',
    ])
  }
  for (const q of report.questions) {
    const hidden = primaryStatus(q.headline) === 'small'
    for (const answer of q.answers) {
      rows.push([
        survey,
        period,
        'Answers',
        groupLabel,
        q.question.id,
        q.question.statement,
        answer.label,
        hidden && !answer.notCounted ? '' : answer.count,
        answer.notCounted ? 'not counted' : hidden ? FEWER_THAN(threshold) : q.headline.answered,
        answer.notCounted ? '' : hidden ? FEWER_THAN(threshold) : (answer.percent ?? ''),
        '',
      ])
    }
  }
  for (const { name, table } of tables) {
    for (const row of table.rows) {
      table.questions.forEach((question, column) => {
        rows.push([
          survey,
          period,
          name,
          row.label,
          question.id,
          question.statement,
          positiveLabels(question),
          ...cellColumns(row.cells[column]!, threshold),
          '',
        ])
      })
    }
  }
  return toCsv(CSV_HEADER, rows)
}
