/**
 * The counting side of reports, read from the maintained tallies (server/tallies/): a report
 * selects a survey, a time (a period, or lists of quarters or months) and optionally teams, a
 * respondent type and a way of answering; the tally documents of those months (and, for the
 * partial months of a custom date range, days) are read by _id, once per page, and their cells
 * filtered and grouped here. No report reads the responses themselves. Everything else
 * (percentages, rounding, suppression) happens in pure TypeScript on these counts.
 */
import { DateTime } from 'luxon'
import type { Types } from 'mongoose'
import { parsePeriod, periodKeysFor, type Period } from '../periods/period'
import { ZONE } from '../dates'
import { decodeCells, parseTallyId, ReportTallyModel, tallyId, type Cell } from '../tallies/tally'
import type { TallyWorker } from '../tallies/worker'
import type { ReportFilter } from './filters'

/** Which responses (or invitations) a report counts. */
export interface Selection {
  surveyIds: string[]
  time: Period | { quarters: string[] } | { months: string[] }
  /** One team, or the teams a viewer may see; undefined: every team. */
  teamIds?: Types.ObjectId[]
  respondent?: string
  mode?: string
}

/** The selection for a report filter. `teamIds` limits to the teams a viewer may see (undefined: all). */
export function selectionFor(
  filter: Pick<ReportFilter, 'team' | 'respondent' | 'mode'> & { surveyId: string },
  time: Selection['time'],
  teamIds: Types.ObjectId[] | undefined,
): Selection {
  return {
    surveyIds: [filter.surveyId],
    time,
    ...(filter.team ? { teamIds: [filter.team._id] } : teamIds ? { teamIds } : {}),
    ...(filter.respondent ? { respondent: filter.respondent } : {}),
    ...(filter.mode ? { mode: filter.mode } : {}),
  }
}

function monthsOfQuarter(quarterId: string): string[] {
  const quarter = parsePeriod(quarterId)
  if (!quarter) return []
  const start = DateTime.fromISO(quarter.from, { zone: ZONE })
  return [0, 1, 2].map((i) => start.plus({ months: i }).toFormat('yyyy-MM'))
}

/**
 * The tally documents that make up a time for one survey: whole months, and for a custom range
 * that starts or ends inside a month, the days of those partial months.
 */
export function tallyIdsForTime(surveyId: string, time: Selection['time']): string[] {
  if ('quarters' in time) return time.quarters.flatMap(monthsOfQuarter).map((m) => tallyId(surveyId, 'm', m))
  if ('months' in time) return time.months.map((m) => tallyId(surveyId, 'm', m))
  const ids: string[] = []
  let cursor = DateTime.fromISO(time.from, { zone: ZONE }).startOf('day')
  const last = DateTime.fromISO(time.to, { zone: ZONE }).startOf('day')
  while (cursor <= last && ids.length < 5000) {
    const monthEnd = cursor.endOf('month').startOf('day')
    if (cursor.day === 1 && monthEnd <= last) {
      ids.push(tallyId(surveyId, 'm', cursor.toFormat('yyyy-MM')))
      cursor = monthEnd.plus({ days: 1 })
    } else {
      ids.push(tallyId(surveyId, 'd', cursor.toFormat('yyyy-MM-dd')))
      cursor = cursor.plus({ days: 1 })
    }
  }
  return ids
}

/** How long a page waits for pending work to be counted; a large import may take longer. */
const CATCH_UP_MS = 10_000

/**
 * The tally documents one page reads, fetched together and once. Before its first read it lets
 * the tally worker apply whatever is pending, so a page counts every response stored before it
 * (unless a backlog takes longer than CATCH_UP_MS, when the page shows what is counted so far).
 */
export class TallyStore {
  private readonly cells = new Map<string, Cell[]>()
  private caughtUp: Promise<unknown> | undefined

  constructor(private readonly worker: TallyWorker) {}

  private catchUp(): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined
    const waited = new Promise((resolve) => (timer = setTimeout(resolve, CATCH_UP_MS)))
    // A failed catch-up (logged by the worker's next run) still lets the page show what is counted.
    const run = this.worker.runOnce().catch(() => undefined)
    return Promise.race([run, waited]).finally(() => clearTimeout(timer))
  }

  /** Reads the documents not read yet (one query for all of them). */
  async load(ids: readonly string[]): Promise<void> {
    this.caughtUp ??= this.catchUp()
    await this.caughtUp
    const missing = [...new Set(ids)].filter((id) => !this.cells.has(id))
    if (missing.length === 0) return
    const docs = await ReportTallyModel.find({ _id: { $in: missing } }, { cells: 1 }).lean()
    for (const id of missing) this.cells.set(id, [])
    for (const doc of docs) this.cells.set(doc._id, [...decodeCells(doc.cells).values()])
  }

  /** The cells of the selection, each with the survey and month it belongs to. */
  async select(selection: Selection): Promise<{ cell: Cell; surveyId: string; month: string }[]> {
    const ids = selection.surveyIds.flatMap((surveyId) => tallyIdsForTime(surveyId, selection.time))
    await this.load(ids)
    const teams = selection.teamIds && new Set(selection.teamIds.map((id) => id.toHexString()))
    return ids.flatMap((id) => {
      const { surveyId, period } = parseTallyId(id)
      return (this.cells.get(id) ?? [])
        .filter(
          (cell) =>
            (!teams || teams.has(cell.teamId)) &&
            (!selection.respondent || cell.respondent === selection.respondent),
        )
        .map((cell) => ({ cell, surveyId, month: period.slice(0, 7) }))
    })
  }
}

/** What a breakdown can group on. */
export const GROUP_KEYS = ['team', 'service', 'respondent', 'mode', 'quarter', 'month', 'survey'] as const
export type GroupKey = (typeof GROUP_KEYS)[number]

/** question id → answer id → count. */
export type AnswerCounts = Map<string, Map<string, number>>
/** AnswerCounts for each group (the key '' when not grouped). */
export type GroupedAnswerCounts = Map<string, AnswerCounts>

/** Counts of one combination of group keys: responses, and each question's answers. */
export interface AnswerSet {
  keys: Partial<Record<GroupKey, string>>
  answers: { question: string; answer: string; n: number }[]
  n: number
}

function groupKeys(
  cell: Cell,
  surveyId: string,
  month: string,
  keys: readonly GroupKey[],
): AnswerSet['keys'] {
  const values: Record<GroupKey, () => string> = {
    team: () => cell.teamName,
    service: () => cell.service,
    respondent: () => cell.respondent,
    mode: () => cell.mode,
    month: () => month,
    quarter: () => periodKeysFor(DateTime.fromISO(`${month}-01`, { zone: ZONE }).toJSDate()).quarter,
    survey: () => surveyId,
  }
  return Object.fromEntries(keys.map((key) => [key, values[key]()]))
}

/**
 * The counts behind every report: the selection's response cells, each with its group keys
 * (team, month…). rollUp() adds them up per group, question and answer.
 */
export async function answerSets(
  store: TallyStore,
  selection: Selection,
  keys: readonly GroupKey[] = [],
): Promise<AnswerSet[]> {
  return (await store.select(selection))
    .filter(({ cell }) => cell.n !== 0 && (!selection.mode || cell.mode === selection.mode))
    .map(({ cell, surveyId, month }) => ({
      keys: groupKeys(cell, surveyId, month, keys),
      n: cell.n,
      answers: Object.entries(cell.a).flatMap(([question, answers]) =>
        Object.entries(answers).map(([answer, n]) => ({ question, answer, n })),
      ),
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
    for (const { question, answer, n } of set.answers) {
      const byAnswer = byQuestion.get(question) ?? new Map<string, number>()
      byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + n)
      byQuestion.set(question, byAnswer)
    }
  }
  return { responses, answers }
}

/** Number of responses per group (the key '' when not grouped), without their answers. */
export async function countResponses(
  store: TallyStore,
  selection: Selection,
  groupBy?: GroupKey,
): Promise<Map<string, number>> {
  const { responses } = rollUp(await answerSets(store, selection, groupBy ? [groupBy] : []), groupBy)
  return responses
}

/**
 * Invitations sent in the time (sentAt inside it), and how many of those were answered, per
 * team. The way of answering does not apply to invitations.
 */
export async function countInvitations(
  store: TallyStore,
  selection: Selection,
): Promise<{ sent: Map<string, number>; answered: Map<string, number> }> {
  const sent = new Map<string, number>()
  const answered = new Map<string, number>()
  for (const { cell } of await store.select(selection)) {
    if (cell.sent === 0 && cell.answered === 0) continue
    sent.set(cell.teamName, (sent.get(cell.teamName) ?? 0) + cell.sent)
    answered.set(cell.teamName, (answered.get(cell.teamName) ?? 0) + cell.answered)
  }
  return { sent, answered }
}
