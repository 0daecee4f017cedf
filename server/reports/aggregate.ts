/**
 * The database side of reports: match on survey and a stored period key (or submittedAt for a
 * custom range) plus team/respondent/mode, unwind the answers and count them with $group/$sum.
 * Only stages both MongoDB and FerretDB v1 support. Everything else (percentages, rounding,
 * suppression) happens in pure TypeScript on these counts.
 */
import type { Types } from 'mongoose'
import { InvitationModel } from '../invitations/invitation'
import { periodBounds, periodField, type Period } from '../periods/period'
import { ResponseModel } from '../responses/response'
import type { ReportFilter } from './filters'

export type Match = Record<string, unknown>

/** The responses a report counts. `teamIds` limits to the teams a viewer may see (undefined: all). */
export function responseMatch(
  filter: Pick<ReportFilter, 'team' | 'respondent' | 'mode'> & { surveyId: string },
  period: Period | { quarters: string[] } | { months: string[] },
  teamIds: Types.ObjectId[] | undefined,
): Match {
  const match: Match = { surveyId: filter.surveyId }
  if ('quarters' in period) match['period.quarter'] = { $in: period.quarters }
  else if ('months' in period) match['period.month'] = { $in: period.months }
  else {
    const field = periodField(period.kind)
    if (field) match[field] = period.id
    else {
      const { start, end } = periodBounds(period)
      match.submittedAt = { $gte: start, $lt: end }
    }
  }
  if (filter.team) match.teamId = filter.team._id
  else if (teamIds) match.teamId = { $in: teamIds }
  if (filter.respondent) match.respondent = filter.respondent
  if (filter.mode) match.mode = filter.mode
  return match
}

/** Group keys a breakdown can use: stored fields only, never computed dates. */
export const GROUP_FIELDS = {
  team: '$teamName',
  service: '$service',
  respondent: '$respondent',
  mode: '$mode',
  quarter: '$period.quarter',
  month: '$period.month',
  survey: '$surveyId',
} as const
export type GroupKey = keyof typeof GROUP_FIELDS

/** question id → answer id → count. */
export type AnswerCounts = Map<string, Map<string, number>>
/** AnswerCounts for each group (the key '' when not grouped). */
export type GroupedAnswerCounts = Map<string, AnswerCounts>

/** How many responses gave exactly this set of answers, within one combination of group keys. */
export interface AnswerSet {
  keys: Partial<Record<GroupKey, string>>
  answers: { question: string; answer: string }[]
  n: number
}

/**
 * The counting query behind every report: $match the responses, then $group on the chosen keys
 * (team, month…) and the response's list of chosen answers, counting with $sum. The database
 * returns one row per distinct combination, which for survey answers is far fewer than the
 * responses; rollUp() then adds them up per question and answer.
 *
 * Why not $unwind the answers and $group by question and answer? On FerretDB v1 (development and
 * tests) $unwind keeps only the unwound field, so no group key survives it; and FerretDB's SQLite
 * backend only uses an index for `_id`, so every query is a pass over the whole collection. One
 * $group that gives the response counts and the answer counts of every group at once is the
 * fewest passes on FerretDB, and cheap on MongoDB, where the $match uses the period-key indexes.
 */
export async function answerSets(match: Match, keys: readonly GroupKey[] = []): Promise<AnswerSet[]> {
  const id: Record<string, string> = { answers: '$answers' }
  for (const key of keys) id[key] = GROUP_FIELDS[key]
  const rows = await ResponseModel.aggregate<{ _id: Record<string, unknown>; n: number }>([
    { $match: match },
    { $group: { _id: id, n: { $sum: 1 } } },
  ])
  return rows.map((row) => ({
    keys: Object.fromEntries(keys.map((key) => [key, String(row._id[key] ?? '')])),
    answers: Array.isArray(row._id.answers) ? (row._id.answers as AnswerSet['answers']) : [],
    n: row.n,
  }))
}

/** Response counts and answer counts per value of `by` (one group, '', when not given). */
export function rollUp(
  sets: readonly AnswerSet[],
  by?: GroupKey,
): { responses: Map<string, number>; answers: GroupedAnswerCounts } {
  const responses = new Map<string, number>()
  const answers: GroupedAnswerCounts = new Map()
  for (const set of sets) {
    const group = by ? (set.keys[by] ?? '') : ''
    responses.set(group, (responses.get(group) ?? 0) + set.n)
    const byQuestion = answers.get(group) ?? new Map<string, Map<string, number>>()
    answers.set(group, byQuestion)
    for (const { question, answer } of set.answers) {
      const byAnswer = byQuestion.get(question) ?? new Map<string, number>()
      byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + set.n)
      byQuestion.set(question, byAnswer)
    }
  }
  return { responses, answers }
}

/** Number of responses per group (the key '' when not grouped), without their answers. */
export async function countResponses(match: Match, groupBy?: GroupKey): Promise<Map<string, number>> {
  const rows = await ResponseModel.aggregate<{ _id: string | null; n: number }>([
    { $match: match },
    { $group: { _id: groupBy ? GROUP_FIELDS[groupBy] : null, n: { $sum: 1 } } },
  ])
  return new Map(rows.map((row) => [groupBy ? String(row._id ?? '') : '', row.n]))
}

/**
 * Invitations sent in the period (sentAt inside it), and how many of those were answered, per
 * team. Computed from the invitations themselves: nothing extra is stored.
 */
export async function countInvitations(
  filter: Pick<ReportFilter, 'team' | 'respondent'> & { surveyId: string },
  period: Period,
  teamIds: Types.ObjectId[] | undefined,
): Promise<{ sent: Map<string, number>; answered: Map<string, number> }> {
  const { start, end } = periodBounds(period)
  const match: Match = { surveyId: filter.surveyId, sentAt: { $gte: start, $lt: end } }
  if (filter.team) match.teamId = filter.team._id
  else if (teamIds) match.teamId = { $in: teamIds }
  if (filter.respondent) match.respondent = filter.respondent
  const byTeam = async (extra: Match) =>
    new Map(
      (
        await InvitationModel.aggregate<{ _id: string; n: number }>([
          { $match: { ...match, ...extra } },
          { $group: { _id: '$teamName', n: { $sum: 1 } } },
        ])
      ).map((row) => [String(row._id), row.n]),
    )
  const [sent, answered] = await Promise.all([byTeam({}), byTeam({ status: 'completed' })])
  return { sent, answered }
}
