/**
 * Report tallies: the counts reports read instead of the responses. One document per survey and
 * month (`closure-family|m|2021-01`) and per survey and day (`closure-family|d|2021-01-15`, for
 * custom date ranges), London time. Each holds cells, one per combination of team, service,
 * respondent type and way of answering, with the number of responses, each question's answer
 * counts, and the invitations sent (and answered) that day or month for response rates.
 *
 * The cells are stored as one JSON string, not as nested fields: FerretDB decodes a document
 * field by field (a month of a few thousand counters took ~25 ms to read), while one string is
 * read in a fraction of a millisecond, on MongoDB too. Only the tally worker writes them, with an
 * optimistic version check, so no $inc is needed.
 */
import { Schema, model } from 'mongoose'
import { periodKeysFor } from '../periods/period'
import { londonDay } from '../dates'

export type Grain = 'm' | 'd'

/** What a cell is about. `mode` is '' for invitation counts, which have no way of answering. */
export interface CellKey {
  teamId: string
  teamName: string
  service: string
  respondent: string
  mode: string
}

/** Counts in one cell. Increments use the same shape, possibly negative. */
export interface CellCounts {
  /** Responses. */
  n: number
  /** question id → answer id → count. */
  a: Record<string, Record<string, number>>
  /** Invitations sent in this day or month, and how many of those were answered. */
  sent: number
  answered: number
}

export interface Cell extends CellKey, CellCounts {}

/** Cells of one tally document, by cellId(key). */
export type Cells = Map<string, Cell>

export interface ReportTally {
  _id: string
  surveyId: string
  grain: Grain
  /** `2021-01` for a month, `2021-01-15` for a day. */
  period: string
  /** JSON of Cell[]. */
  cells: string
  /** Bumped on every write: the optimistic lock. */
  version: number
  /** Batches already applied (batch id → when), so a retried batch is never counted twice. */
  applied: Record<string, Date>
}

const reportTallySchema = new Schema<ReportTally>(
  {
    _id: { type: String, required: true },
    surveyId: { type: String, required: true },
    grain: { type: String, required: true, enum: ['m', 'd'] },
    period: { type: String, required: true },
    cells: { type: String, required: true },
    version: { type: Number, required: true },
    applied: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
)

export const ReportTallyModel = model<ReportTally>('ReportTally', reportTallySchema)

export function tallyId(surveyId: string, grain: Grain, period: string): string {
  return `${surveyId}|${grain}|${period}`
}

/** The month and day tally documents an instant is counted in (London time). */
export function tallyIdsFor(surveyId: string, instant: Date): [string, string] {
  const month = periodKeysFor(instant).month
  const day = londonDay(instant)
  return [tallyId(surveyId, 'm', month), tallyId(surveyId, 'd', day)]
}

export function cellId(key: CellKey): string {
  return JSON.stringify([key.teamId, key.teamName, key.service, key.respondent, key.mode])
}

export function emptyCounts(): CellCounts {
  return { n: 0, a: {}, sent: 0, answered: 0 }
}

/** Adds `increment` into `target` (both counts). */
export function addCounts(target: CellCounts, increment: CellCounts, sign = 1): void {
  target.n += sign * increment.n
  target.sent += sign * increment.sent
  target.answered += sign * increment.answered
  for (const [question, answers] of Object.entries(increment.a)) {
    const into = (target.a[question] ??= {})
    for (const [answer, count] of Object.entries(answers)) {
      into[answer] = (into[answer] ?? 0) + sign * count
      if (into[answer] === 0) delete into[answer]
    }
    if (Object.keys(into).length === 0) delete target.a[question]
  }
}

function isEmpty(counts: CellCounts): boolean {
  return counts.n === 0 && counts.sent === 0 && counts.answered === 0 && Object.keys(counts.a).length === 0
}

export function decodeCells(text: string): Cells {
  const list = JSON.parse(text) as Cell[]
  return new Map(list.map((cell) => [cellId(cell), cell]))
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Cells, questions and answers in a stable order (so equal tallies are equal text), empty cells dropped. */
export function encodeCells(cells: Cells): string {
  return JSON.stringify(
    [...cells.entries()]
      .filter(([, cell]) => !isEmpty(cell))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, cell]) => ({
        ...cell,
        a: sortedKeys(
          Object.fromEntries(Object.entries(cell.a).map(([q, answers]) => [q, sortedKeys(answers)])),
        ),
      })),
  )
}

/** Increments for many tally documents: tally id → cell id → cell. */
export type Increments = Map<string, Cells>

export function addToIncrements(
  increments: Increments,
  id: string,
  key: CellKey,
  counts: CellCounts,
  sign = 1,
) {
  const cells = increments.get(id) ?? new Map<string, Cell>()
  increments.set(id, cells)
  const cid = cellId(key)
  const cell = cells.get(cid) ?? { ...key, ...emptyCounts() }
  cells.set(cid, cell)
  addCounts(cell, counts, sign)
}

export function mergeCells(into: Cells, add: Cells, sign = 1): void {
  for (const [cid, cell] of add) {
    const target = into.get(cid) ?? { ...cell, ...emptyCounts(), a: {} }
    into.set(cid, target)
    addCounts(target, cell, sign)
  }
}

/** The survey, grain and period a tally id names. */
export function parseTallyId(id: string): { surveyId: string; grain: Grain; period: string } {
  const [surveyId = '', grain = 'm', period = ''] = id.split('|')
  return { surveyId, grain: grain as Grain, period }
}
