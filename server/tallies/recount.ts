/**
 * Recounting the report tallies from the raw responses and invitations: `npm run cli --
 * recount-reports` rebuilds them; with `--check` nothing changes and every difference is listed.
 *
 * The check compares each tally document with what its sources say was applied to it (their
 * `tallied` snapshots, plus the batches still in progress that it has already taken), and lists
 * the sources still waiting to be counted. So it is exact while the app runs and counts.
 */
import { InvitationModel, type Invitation } from '../invitations/invitation'
import { ResponseModel, type SurveyResponse } from '../responses/response'
import {
  invitationIncrements,
  invitationSnapshot,
  responseIncrements,
  type InvitationSnapshot,
} from './sources'
import {
  decodeCells,
  encodeCells,
  mergeCells,
  parseTallyId,
  ReportTallyModel,
  type Cells,
  type Increments,
} from './tally'
import { decodeIncrements, TallyBatchModel } from './worker'

const CURSOR_BATCH = 2000
const INVITATION_FIELDS = {
  surveyId: 1,
  teamId: 1,
  teamName: 1,
  service: 1,
  respondent: 1,
  sentAt: 1,
  status: 1,
  tallyState: 1,
  tallyBatch: 1,
  tallied: 1,
} as const

interface Expected {
  /** What every tally document should hold. */
  tallies: Increments
  /** Sources whose current state is not (yet) what was applied. */
  waiting: number
}

/**
 * Reads every response and invitation once. `mode` 'current': what they say now (the rebuild);
 * 'applied': what their snapshots say was applied (the check).
 */
async function expectedTallies(mode: 'current' | 'applied'): Promise<Expected> {
  const tallies: Increments = new Map()
  let waiting = 0
  // Batches in progress. Their sources count as their batch will leave them (the snapshot stored
  // on the batch, whether or not the source has been given it yet), minus the batch's increments
  // in every tally document that has not taken the batch yet.
  const inFlight =
    mode === 'applied' ? await TallyBatchModel.find({ increments: { $exists: true } }).lean() : []
  const planned = new Map<string, unknown>()
  for (const batch of inFlight)
    for (const source of batch.sources ?? []) planned.set(String(source.id), source.snapshot)
  const responses = ResponseModel.collection.find(
    {},
    {
      projection: {
        surveyId: 1,
        teamId: 1,
        teamName: 1,
        service: 1,
        respondent: 1,
        mode: 1,
        submittedAt: 1,
        answers: 1,
        tallyState: 1,
        tallied: 1,
      },
      batchSize: CURSOR_BATCH,
    },
  )
  for await (const doc of responses) {
    const response = doc as unknown as SurveyResponse
    const applied = planned.has(String(response._id)) ? planned.get(String(response._id)) : response.tallied
    if (mode === 'current' || applied) responseIncrements(response, tallies)
    if (!response.tallied) waiting++
  }
  const invitations = InvitationModel.collection.find(
    {},
    {
      projection: INVITATION_FIELDS,
      batchSize: CURSOR_BATCH,
    },
  )
  for await (const doc of invitations) {
    const invitation = doc as unknown as Invitation
    const now = invitationSnapshot(invitation)
    const tallied = (invitation.tallied ?? null) as InvitationSnapshot | null
    const applied = planned.has(String(invitation._id))
      ? (planned.get(String(invitation._id)) as InvitationSnapshot | null)
      : tallied
    invitationIncrements(mode === 'current' ? now : applied, tallies)
    if (JSON.stringify(now) !== JSON.stringify(tallied) || invitation.tallyState !== 'done') waiting++
  }
  if (inFlight.length > 0) {
    const tallyDocs = new Map(
      (await ReportTallyModel.find({}, { applied: 1 }).lean()).map((doc) => [doc._id, doc.applied ?? {}]),
    )
    for (const batch of inFlight) {
      for (const [id, cells] of decodeIncrements(batch.increments!)) {
        if (tallyDocs.get(id)?.[batch._id.toHexString()]) continue
        const into = tallies.get(id) ?? new Map()
        tallies.set(id, into)
        mergeCells(into, cells, -1)
      }
    }
  }
  return { tallies, waiting }
}

export interface TallyDifference {
  tallyId: string
  cell: string
  stored: string
  expected: string
}

function cellText(cells: Cells | undefined, id: string): string {
  const cell = cells?.get(id)
  if (!cell) return 'nothing'
  return JSON.stringify({ n: cell.n, a: cell.a, sent: cell.sent, answered: cell.answered })
}

/** Every cell where a tally document differs from what its sources say. */
export async function checkTallies(): Promise<{ differences: TallyDifference[]; waiting: number }> {
  const expected = await expectedTallies('applied')
  const stored = new Map(
    (await ReportTallyModel.find({}, { cells: 1 }).lean()).map((doc) => [doc._id, decodeCells(doc.cells)]),
  )
  const differences: TallyDifference[] = []
  for (const id of [...new Set([...stored.keys(), ...expected.tallies.keys()])].sort()) {
    const have = stored.get(id)
    // Normalise both sides through the same encoding (drops empty cells).
    const want = decodeCells(encodeCells(expected.tallies.get(id) ?? new Map()))
    const haveNormal = decodeCells(encodeCells(have ?? new Map()))
    for (const cell of new Set([...haveNormal.keys(), ...want.keys()])) {
      const a = cellText(haveNormal, cell)
      const b = cellText(want, cell)
      if (a !== b) differences.push({ tallyId: id, cell, stored: a, expected: b })
    }
  }
  return { differences, waiting: expected.waiting }
}

/**
 * Rebuilds every tally document from the raw responses and invitations and marks them all
 * counted. Run it while the app is stopped: a tally batch applied at the same time would be lost.
 */
export async function rebuildTallies(): Promise<{ tallies: number; marked: number }> {
  const { tallies } = await expectedTallies('current')
  await replaceTallies(tallies)
  return { tallies: tallies.size, marked: await markAllCounted() }
}

/** Makes the tally documents exactly these counts (the bench seeds them this way too). */
export async function replaceTallies(tallies: Increments): Promise<void> {
  await TallyBatchModel.deleteMany({})
  await ReportTallyModel.deleteMany({ _id: { $nin: [...tallies.keys()] } })
  for (const [id, cells] of tallies) {
    const { surveyId, grain, period } = parseTallyId(id)
    await ReportTallyModel.replaceOne(
      { _id: id },
      { _id: id, surveyId, grain, period, cells: encodeCells(cells), version: 1, applied: {} },
      { upsert: true },
    )
  }
}

/** After a rebuild every source's snapshot is what it says now; only the ones that differ are written. */
async function markAllCounted(): Promise<number> {
  let marked = 0
  const unmarked: unknown[] = []
  for await (const doc of ResponseModel.collection.find({}, { projection: { tallyState: 1, tallied: 1 } })) {
    if (doc.tallyState !== 'done' || doc.tallied !== true || doc.tallyBatch) unmarked.push(doc._id)
  }
  for (let i = 0; i < unmarked.length; i += CURSOR_BATCH) {
    const chunk = unmarked.slice(i, i + CURSOR_BATCH)
    const result = await ResponseModel.collection.updateMany(
      { _id: { $in: chunk as never[] } },
      { $set: { tallyState: 'done', tallied: true }, $unset: { tallyBatch: '' } },
    )
    marked += result.modifiedCount
  }
  const invitations = InvitationModel.collection.find({}, { projection: INVITATION_FIELDS })
  for await (const doc of invitations) {
    const snapshot = invitationSnapshot(doc as unknown as Invitation)
    if (
      doc.tallyState === 'done' &&
      !doc.tallyBatch &&
      JSON.stringify(doc.tallied ?? null) === JSON.stringify(snapshot)
    )
      continue
    await InvitationModel.collection.updateOne(
      { _id: doc._id },
      { $set: { tallyState: 'done', tallied: snapshot }, $unset: { tallyBatch: '' } },
    )
    marked++
  }
  return marked
}
