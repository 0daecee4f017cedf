/**
 * The raw responses export for QA: one row per response, with every choice answer id and every
 * free-text answer as its own column. Free text is identifying, so only QA and admins get this
 * file and every download is audited. Cells are neutralised against formula injection by toCsv.
 */
import { CommentModel } from '../comments/comment'
import { toCsv } from '../http/csv'
import { periodBounds, periodField, type Period } from '../periods/period'
import { ResponseModel, type SurveyResponse } from '../responses/response'
import type { SurveyRegistry } from '../surveys/registry'
import { londonIso } from './format'

const FIXED_COLUMNS = [
  'response_id',
  'submitted_at',
  'period_year',
  'period_quarter',
  'period_month',
  'survey',
  'version',
  'team',
  'service',
  'respondent',
  'mode',
  'source',
] as const

const BATCH = 500

/** Question ids as columns: the latest version's order, then questions only older versions asked. */
export function exportColumns(
  surveys: SurveyRegistry,
  surveyId: string,
): { choice: string[]; text: string[] } {
  const choice: string[] = []
  const text: string[] = []
  const latest = surveys.latest(surveyId)
  for (let version = latest?.version ?? 0; version >= 1; version--) {
    for (const question of surveys.version(surveyId, version)?.questions ?? []) {
      const list = question.type === 'free-text' ? text : choice
      if (!choice.includes(question.id) && !text.includes(question.id)) list.push(question.id)
    }
  }
  return { choice, text }
}

export interface RawExport {
  filename: string
  csv: string
  rowCount: number
}

export async function rawResponsesExport(
  surveys: SurveyRegistry,
  surveyId: string,
  period: Period,
): Promise<RawExport> {
  const where: Record<string, unknown> = { surveyId }
  const field = periodField(period.kind)
  if (field) where[field] = period.id
  else {
    const { start, end } = periodBounds(period)
    where.submittedAt = { $gte: start, $lt: end }
  }
  const columns = exportColumns(surveys, surveyId)
  const header = [...FIXED_COLUMNS, ...columns.choice, ...columns.text]
  const rows: unknown[][] = []

  let lastSubmittedAt: Date | undefined
  let lastId: SurveyResponse['_id'] | undefined
  for (;;) {
    // Keyset paging (submittedAt, _id) keeps memory flat and needs no cursor held open.
    const page = await ResponseModel.find(
      lastSubmittedAt
        ? {
            ...where,
            $or: [
              { submittedAt: { $gt: lastSubmittedAt } },
              { submittedAt: lastSubmittedAt, _id: { $gt: lastId } },
            ],
          }
        : where,
    )
      .sort({ submittedAt: 1, _id: 1 })
      .limit(BATCH)
      .lean()
    if (page.length === 0) break
    const comments = await CommentModel.find({ responseId: { $in: page.map((r) => r._id) } })
      .select({ responseId: 1, question: 1, text: 1 })
      .lean()
    const textsByResponse = new Map<string, Map<string, string>>()
    for (const comment of comments) {
      const key = String(comment.responseId)
      const texts = textsByResponse.get(key) ?? new Map<string, string>()
      texts.set(comment.question, comment.text)
      textsByResponse.set(key, texts)
    }
    for (const response of page) {
      const answers = new Map(response.answers.map((answer) => [answer.question, answer.answer]))
      const texts = textsByResponse.get(String(response._id))
      rows.push([
        String(response._id),
        londonIso(response.submittedAt),
        response.period.year,
        response.period.quarter,
        response.period.month,
        response.surveyId,
        response.surveyVersion,
        response.teamName,
        response.service,
        response.respondent,
        response.mode,
        response.source,
        ...columns.choice.map((id) => answers.get(id) ?? ''),
        ...columns.text.map((id) => texts?.get(id) ?? ''),
      ])
    }
    const last = page[page.length - 1]!
    lastSubmittedAt = last.submittedAt
    lastId = last._id
    if (page.length < BATCH) break
  }

  const safeName = `${surveyId}-${period.id}`.replace(/[^a-zA-Z0-9-]+/g, '_')
  return { filename: `responses-${safeName}.csv`, csv: toCsv(header, rows), rowCount: rows.length }
}
