/**
 * Applies new and changed responses and invitations to the report tallies, exactly once, without
 * transactions, whatever crashes or how many app processes run:
 *
 *  1. Claim: a batch document is written (with a lease), then pending sources are claimed for it
 *     in one conditional update (`tallyState: 'pending'` and no batch → 'claimed', tallyBatch).
 *  2. Plan: the batch's increments (what its sources add, minus what they added before) are
 *     computed from the claimed documents and stored on the batch, once (first writer wins).
 *  3. Apply: each tally document takes the increments with an optimistic version check and
 *     records the batch id in `applied`; a document that already has the id is skipped.
 *  4. Finish: sources get their `tallied` snapshot, become 'done' (or stay 'pending' when they
 *     changed meanwhile) and leave the batch; the batch is deleted.
 *
 * A process that dies anywhere leaves a batch whose lease runs out; the next run (here or in
 * another process) resumes it from the step it reached. Step 3 is idempotent per tally document,
 * steps 1, 2 and 4 per source, so a resumed batch counts nothing twice and loses nothing.
 */
import { Schema, Types, model } from 'mongoose'
import type { Clock } from '../clock'
import { InvitationModel, type Invitation } from '../invitations/invitation'
import { ResponseModel, type SurveyResponse } from '../responses/response'
import {
  invitationIncrements,
  invitationSnapshot,
  responseIncrements,
  type InvitationSnapshot,
  type TallyTracking,
} from './sources'
import {
  decodeCells,
  encodeCells,
  mergeCells,
  parseTallyId,
  ReportTallyModel,
  type Cell,
  type Cells,
  type Increments,
} from './tally'
import { runEvery, singleFlight } from '../runEvery'

/** A batch whose process has not finished it within this long is resumed by another run. */
export const LEASE_MS = 60_000
/** How long a tally document remembers an applied batch id. */
const APPLIED_MEMORY_MS = 24 * 60 * 60 * 1000
/** Small enough that a batch's updates hold a collection's write lock only briefly. */
const BATCH_SIZE = 100

export type SourceKind = 'response' | 'invitation'

interface TallyBatch {
  _id: Types.ObjectId
  kind: SourceKind
  leaseUntil: Date
  /** JSON of [tallyId, Cell[]][], set once at step 2. */
  increments?: string
  /** The claimed sources and the snapshot each gets at step 4. */
  sources?: { id: Types.ObjectId; snapshot: unknown }[]
}

const tallyBatchSchema = new Schema<TallyBatch>(
  {
    kind: { type: String, required: true, enum: ['response', 'invitation'] },
    leaseUntil: { type: Date, required: true },
    increments: String,
    sources: [{ _id: false, id: Schema.Types.ObjectId, snapshot: Schema.Types.Mixed }],
  },
  { versionKey: false },
)
export const TallyBatchModel = model<TallyBatch>('TallyBatch', tallyBatchSchema)

type Source = (SurveyResponse | Invitation) & TallyTracking<unknown>

interface SourceKindHandling {
  collection: () => typeof ResponseModel.collection
  /** Adds what the document contributes now, minus what its `tallied` snapshot says was applied. */
  delta(doc: Source, into: Increments): void
  snapshot(doc: Source): unknown
}

const KINDS: Record<SourceKind, SourceKindHandling> = {
  response: {
    collection: () => ResponseModel.collection,
    delta(doc, into) {
      // Responses do not change once given: applied once, never again.
      if (!doc.tallied) responseIncrements(doc as SurveyResponse, into)
    },
    snapshot: () => true,
  },
  invitation: {
    collection: () => InvitationModel.collection,
    delta(doc, into) {
      invitationIncrements(invitationSnapshot(doc as Invitation), into)
      invitationIncrements(doc.tallied as InvitationSnapshot | null | undefined, into, -1)
    },
    snapshot: (doc) => invitationSnapshot(doc as Invitation),
  },
}

function encodeIncrements(increments: Increments): string {
  return JSON.stringify([...increments.entries()].map(([id, cells]) => [id, [...cells.values()]]))
}

export function decodeIncrements(text: string): Increments {
  const list = JSON.parse(text) as [string, Cell[]][]
  return new Map(list.map(([id, cells]) => [id, decodeCells(JSON.stringify(cells))]))
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000
}

export interface TallyRunResult {
  batches: number
  sources: number
}

export class TallyWorker {
  constructor(private readonly clock: Clock) {}

  /**
   * Applies everything pending now. Reports call it before reading, so what they show includes
   * every response stored before the request; overlapping calls share one run.
   */
  readonly runOnce: () => Promise<TallyRunResult> = singleFlight(() => this.applyPending())

  start(intervalMs: number): () => Promise<void> {
    return runEvery('tallies', intervalMs, () => this.runOnce())
  }

  private async applyPending(): Promise<TallyRunResult> {
    const result: TallyRunResult = { batches: 0, sources: 0 }
    // Batches left by a process that stopped half way.
    for (;;) {
      const now = this.clock.now()
      const stale = await TallyBatchModel.findOneAndUpdate(
        { leaseUntil: { $lt: now } },
        { $set: { leaseUntil: new Date(now.getTime() + LEASE_MS) } },
        { new: true },
      ).lean()
      if (!stale) break
      result.sources += await this.process(stale)
      result.batches++
    }
    for (const kind of ['response', 'invitation'] as const) {
      await this.releaseOrphans(kind)
      for (;;) {
        const claimed = await this.claim(kind)
        if (!claimed) break
        result.sources += await this.process(claimed)
        result.batches++
      }
    }
    return result
  }

  /** Step 1: a new batch with up to BATCH_SIZE pending sources of one kind (undefined: none pending). */
  private async claim(kind: SourceKind): Promise<TallyBatch | undefined> {
    const collection = KINDS[kind].collection()
    const candidates = await collection
      .find({ tallyState: 'pending', tallyBatch: { $exists: false } }, { projection: { _id: 1 } })
      .limit(BATCH_SIZE)
      .toArray()
    if (candidates.length === 0) return undefined
    const batch: TallyBatch = {
      _id: new Types.ObjectId(),
      kind,
      leaseUntil: new Date(this.clock.now().getTime() + LEASE_MS),
    }
    await TallyBatchModel.create(batch)
    await collection.updateMany(
      {
        _id: { $in: candidates.map((doc) => doc._id) },
        tallyState: 'pending',
        tallyBatch: { $exists: false },
      },
      { $set: { tallyState: 'claimed', tallyBatch: batch._id } },
    )
    return batch
  }

  /** Steps 2 to 4 for one batch; returns how many sources it held. */
  private async process(batch: TallyBatch): Promise<number> {
    const planned = batch.increments && batch.sources ? batch : await this.plan(batch)
    for (const [id, cells] of decodeIncrements(planned.increments!))
      await this.applyToTally(id, batch._id, cells)
    const sources = planned.sources ?? []
    const ids = sources.map((source) => source.id)
    const collection = KINDS[batch.kind].collection()
    if (batch.kind === 'response') {
      // Responses do not change while claimed: snapshot and release in one update.
      await collection.updateMany(
        { _id: { $in: ids }, tallyBatch: batch._id },
        { $set: { tallied: true, tallyState: 'done' }, $unset: { tallyBatch: '' } },
      )
    } else {
      for (const source of sources)
        await collection.updateOne({ _id: source.id }, { $set: { tallied: source.snapshot } })
      await collection.updateMany(
        { _id: { $in: ids }, tallyBatch: batch._id, tallyState: 'claimed' },
        { $set: { tallyState: 'done' }, $unset: { tallyBatch: '' } },
      )
      // Changed while claimed: stays pending, for the next batch.
      await collection.updateMany(
        { _id: { $in: ids }, tallyBatch: batch._id },
        { $unset: { tallyBatch: '' } },
      )
    }
    await TallyBatchModel.deleteOne({ _id: batch._id })
    return sources.length
  }

  /**
   * Sources claimed for a batch that no longer exists (its process was so slow that another run
   * resumed and closed the batch before the claim landed) had nothing applied: pending again.
   */
  private async releaseOrphans(kind: SourceKind): Promise<void> {
    const collection = KINDS[kind].collection()
    const claimed = await collection
      .find({ tallyState: 'claimed' }, { projection: { tallyBatch: 1 } })
      .toArray()
    const batchIds = [...new Set(claimed.map((doc) => String(doc.tallyBatch)))].map(
      (id) => new Types.ObjectId(id),
    )
    if (batchIds.length === 0) return
    const live = new Set(
      (await TallyBatchModel.find({ _id: { $in: batchIds } }, { _id: 1 }).lean()).map((b) =>
        b._id.toHexString(),
      ),
    )
    for (const id of batchIds.filter((b) => !live.has(b.toHexString()))) {
      await collection.updateMany(
        { tallyBatch: id, tallyState: 'claimed' },
        { $set: { tallyState: 'pending' }, $unset: { tallyBatch: '' } },
      )
    }
  }

  /** Step 2: what the claimed sources add, stored on the batch unless another run stored it first. */
  private async plan(batch: TallyBatch): Promise<TallyBatch> {
    const kind = KINDS[batch.kind]
    const members = (await kind.collection().find({ tallyBatch: batch._id }).toArray()) as unknown as Source[]
    const increments: Increments = new Map()
    for (const doc of members) kind.delta(doc, increments)
    await TallyBatchModel.updateOne(
      { _id: batch._id, increments: { $exists: false } },
      {
        $set: {
          increments: encodeIncrements(increments),
          sources: members.map((doc) => ({ id: doc._id, snapshot: kind.snapshot(doc) })),
        },
      },
    )
    const stored = await TallyBatchModel.findById(batch._id).lean()
    // Closed by another run meanwhile: its sources are released as orphans, nothing is applied here.
    if (!stored?.increments) throw new Error('tally batch closed by another run')
    return stored
  }

  /** Step 3 for one tally document: add the cells once, under an optimistic version check. */
  private async applyToTally(id: string, batchId: Types.ObjectId, cells: Cells): Promise<void> {
    const key = batchId.toHexString()
    for (;;) {
      const now = this.clock.now()
      const current = await ReportTallyModel.findById(id).lean()
      if (!current) {
        const { surveyId, grain, period } = parseTallyId(id)
        try {
          await ReportTallyModel.create({
            _id: id,
            surveyId,
            grain,
            period,
            cells: encodeCells(cells),
            version: 1,
            applied: { [key]: now },
          })
          return
        } catch (error) {
          if (isDuplicateKey(error)) continue
          throw error
        }
      }
      const applied = current.applied ?? {}
      if (applied[key]) return
      const merged = decodeCells(current.cells)
      mergeCells(merged, cells)
      const remembered = await this.stillNeeded(applied, now)
      const written = await ReportTallyModel.updateOne(
        { _id: id, version: current.version },
        {
          $set: {
            cells: encodeCells(merged),
            version: current.version + 1,
            applied: { ...remembered, [key]: now },
          },
        },
      )
      if (written.matchedCount === 1) return
    }
  }

  /**
   * The applied batch ids a tally document must keep: recent ones, and any whose batch still
   * exists (it may be resumed). Older ids of finished batches are forgotten, so `applied` stays small.
   */
  private async stillNeeded(applied: Record<string, Date>, now: Date): Promise<Record<string, Date>> {
    const old = Object.keys(applied).filter(
      (id) => now.getTime() - new Date(applied[id]!).getTime() >= APPLIED_MEMORY_MS,
    )
    if (old.length === 0) return applied
    const live = new Set(
      (
        await TallyBatchModel.find(
          { _id: { $in: old.map((id) => new Types.ObjectId(id)) } },
          { _id: 1 },
        ).lean()
      ).map((b) => b._id.toHexString()),
    )
    return Object.fromEntries(Object.entries(applied).filter(([id]) => !old.includes(id) || live.has(id)))
  }
}
