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

/** How many gave each answer to each question among the matching responses. */
export async function countAnswers(match: Match): Promise<AnswerCounts> {
  const rows = await ResponseModel.aggregate<{ _id: { q: string; a: string }; n: number }>([
    { $match: match },
    { $unwind: '$answers' },
    { $group: { _id: { q: '$answers.question', a: '$answers.answer' }, n: { $sum: 1 } } },
  ])
  const byQuestion: AnswerCounts = new Map()
  for (const row of rows) {
    const byAnswer = byQuestion.get(row._id.q) ?? new Map<string, number>()
    byAnswer.set(row._id.a, (byAnswer.get(row._id.a) ?? 0) + row.n)
    byQuestion.set(row._id.q, byAnswer)
  }
  return byQuestion
}

/**
 * Answer counts and response counts per group (team, month…). The groups are found with one
 * $group, then each group's answers are counted with its own $match: FerretDB v1's $unwind keeps
 * only the unwound field, so a group key cannot be carried through $unwind into $group.
 */
export async function countByGroup(
  match: Match,
  groupBy: GroupKey,
): Promise<{ responses: Map<string, number>; answers: GroupedAnswerCounts }> {
  const responses = await countResponses(match, groupBy)
  const field = GROUP_FIELDS[groupBy].slice(1)
  const keys = [...responses.keys()]
  const counts = await Promise.all(keys.map((key) => countAnswers({ ...match, [field]: key })))
  return { responses, answers: new Map(keys.map((key, i) => [key, counts[i]!])) }
}

/** Number of responses per group (the key '' when not grouped). */
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
