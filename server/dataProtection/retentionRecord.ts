/**
 * What the retention schedule did, one document per UK day (`_id` "2026-12-02"): how many of each
 * kind were removed that day (counts only, never what), and when the day's schedule ran. Admins
 * read them at /admin/retention; the hourly housekeeping of every app process adds its counts too.
 *
 * A sweep remembers how far through a collection the schedule has got (`through`, an _id), so each
 * day reads only the records that have come of age since, never the years already done.
 */
import { Schema, model, type Types } from 'mongoose'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { REMOVAL_KINDS, type RemovalKind } from './schedule'

export type RemovalCounts = Partial<Record<RemovalKind, number>>

export interface RetentionDay {
  _id: string
  removed: RemovalCounts
  schedule?: {
    startedAt?: Date
    finishedAt?: Date
    /** Another process may take the day's run over once this has passed (the first one died). */
    leaseUntil?: Date
  }
}

const retentionDaySchema = new Schema<RetentionDay>(
  {
    _id: { type: String, required: true },
    removed: Object.fromEntries(REMOVAL_KINDS.map((kind) => [kind, Number])),
    schedule: { startedAt: Date, finishedAt: Date, leaseUntil: Date },
  },
  { versionKey: false, minimize: false },
)
export const RetentionDayModel = model<RetentionDay>('RetentionDay', retentionDaySchema)

export interface RetentionSweep {
  _id: string
  /** Every record with an _id up to this one has been dealt with (or is in `deferred`). */
  through?: Types.ObjectId
  /**
   * Records passed but not yet due (an open safeguarding flag, a link resent later), each looked at
   * again from `notBefore`: few, read by _id.
   */
  deferred: DeferredRecord[]
}

export interface DeferredRecord {
  id: Types.ObjectId
  notBefore: Date
}

const retentionSweepSchema = new Schema<RetentionSweep>(
  {
    _id: { type: String, required: true },
    through: Schema.Types.ObjectId,
    deferred: [{ _id: false, id: Schema.Types.ObjectId, notBefore: Date }],
  },
  { versionKey: false },
)
export const RetentionSweepModel = model<RetentionSweep>('RetentionSweep', retentionSweepSchema)

/** Makes sure the day's document exists (two processes racing: one insert wins, both carry on). */
export async function ensureRetentionDay(day: string): Promise<void> {
  if (await RetentionDayModel.exists({ _id: day })) return
  try {
    await RetentionDayModel.collection.insertOne({ _id: day as never, removed: {}, schedule: {} })
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error
  }
}

/** Adds counts to the day's record, in one $inc (several processes add to one day). */
export async function addRemovals(day: string, counts: RemovalCounts): Promise<void> {
  const inc = Object.fromEntries(
    Object.entries(counts)
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([kind, count]) => [`removed.${kind}`, count]),
  )
  if (Object.keys(inc).length === 0) return
  await ensureRetentionDay(day)
  await RetentionDayModel.collection.updateOne({ _id: day as never }, { $inc: inc })
}
