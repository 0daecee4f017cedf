/**
 * The daily retention schedule (schedule.ts says what and why): case references removed from
 * responses and invitations, free text deleted (never under an open safeguarding flag), an
 * invitation's contact details removed once it has been closed long enough, old audit events
 * deleted. Counts are kept: a response keeps its answers, period and team, an invitation its
 * survey, team, dates and status, so the report tallies do not change.
 *
 * Big collections are read by `_id` range in `_id` order (ids carry the time a record was made,
 * db/timeOrderedIds.ts), which the embedded engine reads from the index; a date filter would decode
 * every document. Records that are changed rather than deleted stay in the range, so each sweep
 * remembers how far it has got (retentionRecord.ts) and a day reads only what came of age since.
 */
import type { mongo, Types } from 'mongoose'
import type { Services } from '../services'
import { AuditEventModel, recordAudit } from '../audit/auditEvent'
import { CommentModel } from '../comments/comment'
import { deleteInBatches } from '../db/deleteInBatches'
import { firstIdAt } from '../db/timeOrderedIds'
import { InvitationModel } from '../invitations/invitation'
import { ResponseModel } from '../responses/response'
import { pruneOldRecords } from '../retention'
import { runEvery } from '../runEvery'
import {
  addRemovals,
  ensureRetentionDay,
  RetentionDayModel,
  RetentionSweepModel,
  type DeferredRecord,
  type RemovalCounts,
} from './retentionRecord'
import { INVITATION_CONTACT_FIELDS, REMOVAL_KINDS, type RemovalKind } from './schedule'
import { londonDay } from '../dates'

const DAY_MS = 24 * 60 * 60 * 1000
const BATCH_SIZE = 500
/** A day's run that has not finished within this long is taken over by another process. */
const RUN_LEASE_MS = 60 * 60 * 1000
/** Statuses an invitation does not leave by itself (an expired one can still be resent). */
const CLOSED_STATUSES = ['completed', 'expired', 'cancelled']

type Doc = mongo.Document & { _id: Types.ObjectId }
type Collection = mongo.Collection

interface Handled {
  changed: number
  deferred: DeferredRecord[]
}

/** The UK day a time falls in, "2026-12-02": the key of its retention record. */
export function retentionDayKey(at: Date): string {
  return londonDay(at)
}

const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS)

/**
 * Walks one collection from where the sweep stopped up to `before` (exclusive), in _id order and
 * batches, then looks again at the deferred records that are due; `handle` changes or deletes.
 */
async function sweep(
  name: string,
  collection: Collection,
  before: Date,
  now: Date,
  projection: Record<string, 1>,
  handle: (docs: Doc[]) => Promise<Handled>,
): Promise<number> {
  const state: { through?: Types.ObjectId; deferred: DeferredRecord[] } = (await RetentionSweepModel.findById(
    name,
  ).lean()) ?? { deferred: [] }
  let through = state.through
  const due = state.deferred.filter((entry) => entry.notBefore <= now)
  let deferred = state.deferred.filter((entry) => entry.notBefore > now)
  let changed = 0
  const save = () =>
    RetentionSweepModel.updateOne({ _id: name }, { $set: { through, deferred } }, { upsert: true })

  for (let i = 0; i < due.length; i += BATCH_SIZE) {
    const ids = due.slice(i, i + BATCH_SIZE).map((entry) => entry.id)
    const docs = (await collection.find({ _id: { $in: ids } }, { projection }).toArray()) as Doc[]
    const result = await handle(docs)
    changed += result.changed
    deferred = deferred.concat(result.deferred)
  }
  const upper = firstIdAt(before)
  for (;;) {
    const range = through ? { $gt: through, $lt: upper } : { $lt: upper }
    const docs = (await collection
      .find({ _id: range }, { projection })
      .sort({ _id: 1 })
      .limit(BATCH_SIZE)
      .toArray()) as Doc[]
    if (docs.length === 0) break
    const result = await handle(docs)
    changed += result.changed
    deferred = deferred.concat(result.deferred)
    through = docs[docs.length - 1]!._id
    // Saved after every batch, so a run that dies resumes here.
    await save()
    if (docs.length < BATCH_SIZE) break
  }
  await save()
  return changed
}

/** Case references go from records made more than `days` ago; everything else on them stays. */
function caseRefSweep(name: string, collection: Collection, now: Date, days: number) {
  return sweep(name, collection, ago(now, days), now, { caseRef: 1 }, async (docs) => {
    const ids = docs.filter((doc) => doc.caseRef !== undefined).map((doc) => doc._id)
    if (ids.length === 0) return { changed: 0, deferred: [] }
    // Through the driver: not one of the fields the report tallies depend on, so no recount.
    const result = await collection.updateMany({ _id: { $in: ids } }, { $unset: { caseRef: '' } })
    return { changed: result.modifiedCount, deferred: [] }
  })
}

/** When an invitation was closed (answered, cancelled, or its link ran out); undefined while it is live. */
function closedAt(doc: Doc): Date | undefined {
  if (!CLOSED_STATUSES.includes(doc.status as string)) return undefined
  if (doc.status === 'completed') return (doc.completedAt ?? doc.expiresAt) as Date
  if (doc.status === 'cancelled') return (doc.cancelledAt ?? doc.expiresAt) as Date
  return doc.expiresAt as Date
}

/** The fields that say who the family is or how to reach them, and mail server replies that repeat them. */
const CONTACT_UNSET: Record<string, ''> = Object.fromEntries(
  [...INVITATION_CONTACT_FIELDS, 'failureReason'].map((field) => [field, '']),
)

/**
 * The fields that say who the family is or how to reach them, and mail server replies that repeat
 * them; a `$set` of the timeline only when one of its events holds such a reply.
 */
export function invitationContactRemoval(doc: Doc): mongo.UpdateFilter<mongo.Document> | undefined {
  const events = (doc.events ?? []) as { kind?: string; note?: string }[]
  const present = INVITATION_CONTACT_FIELDS.filter((field) => doc[field] !== undefined)
  const failureNotes = events.some((event) => event.kind === 'delivery-failed' && event.note !== undefined)
  if (present.length === 0 && doc.failureReason === undefined && !failureNotes) return undefined
  if (!failureNotes) return { $unset: CONTACT_UNSET }
  return {
    $unset: CONTACT_UNSET,
    $set: {
      events: events.map((event) => {
        if (event.kind !== 'delivery-failed') return event
        const { note: _note, ...rest } = event
        return rest
      }),
    },
  }
}

function invitationContactSweep(now: Date, days: number) {
  const projection = Object.fromEntries(
    [
      ...INVITATION_CONTACT_FIELDS,
      'status',
      'completedAt',
      'cancelledAt',
      'expiresAt',
      'failureReason',
      'events',
      'tokenRotations',
    ].map((field) => [field, 1 as const]),
  )
  const collection = InvitationModel.collection as unknown as Collection
  return sweep('invitation-contacts', collection, ago(now, days), now, projection, async (docs) => {
    let changed = 0
    const deferred: DeferredRecord[] = []
    // Most due invitations need only fields unset: one update for all of them. Those whose
    // timeline holds a mail server's reply are rewritten one at a time.
    const plain: Types.ObjectId[] = []
    for (const doc of docs) {
      const closed = closedAt(doc)
      // Live (it may yet be answered or resent): look again once it could be due.
      const dueAt = new Date((closed ?? (doc.expiresAt as Date)).getTime() + days * DAY_MS)
      if (!closed || dueAt > now) {
        deferred.push({ id: doc._id, notBefore: dueAt > now ? dueAt : now })
        continue
      }
      const update = invitationContactRemoval(doc)
      if (!update) continue
      if (!update.$set) {
        plain.push(doc._id)
        continue
      }
      // Only as read: a resend meanwhile (status or link changed) is looked at again next run.
      const result = await collection.updateOne(
        { _id: doc._id, status: doc.status, tokenRotations: doc.tokenRotations },
        update,
      )
      if (result.modifiedCount === 1) changed++
      else deferred.push({ id: doc._id, notBefore: now })
    }
    if (plain.length) {
      const result = await collection.updateMany(
        { _id: { $in: plain }, status: { $in: CLOSED_STATUSES } },
        { $unset: CONTACT_UNSET },
      )
      changed += result.modifiedCount
      if (result.matchedCount < plain.length) {
        // Resent meanwhile: live again, looked at next run.
        const reopened = await collection
          .find({ _id: { $in: plain }, status: { $nin: CLOSED_STATUSES } }, { projection: { _id: 1 } })
          .toArray()
        for (const doc of reopened) deferred.push({ id: doc._id as Types.ObjectId, notBefore: now })
      }
    }
    return { changed, deferred }
  })
}

/** Free text goes with its review and flag notes; a comment under an open flag waits for a person. */
function freeTextSweep(now: Date, days: number) {
  const collection = CommentModel.collection as unknown as Collection
  const nextDay = new Date(now.getTime() + DAY_MS)
  return sweep('free-text', collection, ago(now, days), now, { flag: 1 }, async (docs) => {
    const open = docs.filter((doc) => doc.flag && !(doc.flag as { acknowledgedAt?: Date }).acknowledgedAt)
    const ids = docs.filter((doc) => !open.includes(doc)).map((doc) => doc._id)
    const result = ids.length ? await collection.deleteMany({ _id: { $in: ids } }) : { deletedCount: 0 }
    return {
      changed: result.deletedCount,
      deferred: open.map((doc) => ({ id: doc._id, notBefore: nextDay })),
    }
  })
}

/** Applies the whole schedule once, now; returns what it removed. */
export async function applyRetentionSchedule(
  services: Pick<Services, 'clock' | 'config'>,
): Promise<RemovalCounts> {
  const now = services.clock.now()
  const { config } = services
  const responses = ResponseModel.collection as unknown as Collection
  const invitations = InvitationModel.collection as unknown as Collection
  const counts: RemovalCounts = {
    responseCaseRefs: await caseRefSweep('response-case-refs', responses, now, config.caseRefRetentionDays),
    invitationCaseRefs: await caseRefSweep(
      'invitation-case-refs',
      invitations,
      now,
      config.caseRefRetentionDays,
    ),
    invitationContacts: await invitationContactSweep(now, config.invitationContactRetentionDays),
    freeText: await freeTextSweep(now, config.freeTextRetentionDays),
    // Deleted records leave the range, so an _id range alone reads only what is due.
    auditEvents: await deleteInBatches(AuditEventModel.collection, {
      _id: { $lt: firstIdAt(ago(now, config.auditRetentionDays)) },
    }),
  }
  // Retention records are counts only, kept as long as the audit trail.
  await RetentionDayModel.deleteMany({ _id: { $lt: retentionDayKey(ago(now, config.auditRetentionDays)) } })
  return counts
}

function describeCounts(counts: RemovalCounts): string {
  const parts = REMOVAL_KINDS.filter((kind) => (counts[kind] ?? 0) > 0).map(
    (kind) => `${kind} ${counts[kind]}`,
  )
  return parts.length ? parts.join(', ') : 'nothing due'
}

/** Records a run of the schedule: its counts on the day's record, and an audit event. */
async function recordRun(now: Date, counts: RemovalCounts, actorLabel: string): Promise<void> {
  const day = retentionDayKey(now)
  await addRemovals(day, counts)
  await RetentionDayModel.updateOne({ _id: day }, { $set: { 'schedule.finishedAt': now } })
  await recordAudit(now, {
    actorLabel,
    action: 'retention.applied',
    target: `retention ${day}`,
    detail: describeCounts(counts),
  })
}

/**
 * Runs the schedule once a UK day across every app process: the first to claim the day runs it;
 * a claim whose process died is taken over once its lease has passed. Undefined: already done.
 */
export async function applyScheduleIfDue(
  services: Pick<Services, 'clock' | 'config'>,
): Promise<RemovalCounts | undefined> {
  const now = services.clock.now()
  const day = retentionDayKey(now)
  await ensureRetentionDay(day)
  const claimed = await RetentionDayModel.findOneAndUpdate(
    {
      _id: day,
      'schedule.finishedAt': { $exists: false },
      $or: [{ 'schedule.leaseUntil': { $exists: false } }, { 'schedule.leaseUntil': { $lt: now } }],
    },
    { $set: { 'schedule.startedAt': now, 'schedule.leaseUntil': new Date(now.getTime() + RUN_LEASE_MS) } },
  ).lean()
  if (!claimed) return undefined
  const counts = await applyRetentionSchedule(services)
  await recordRun(services.clock.now(), counts, 'Retention schedule')
  return counts
}

/** `npm run cli -- apply-retention`: the schedule now, whether or not today's run has happened. */
export async function applyScheduleNow(
  services: Pick<Services, 'clock' | 'config'>,
  actorLabel: string,
): Promise<RemovalCounts> {
  const counts = await applyRetentionSchedule(services)
  await recordRun(services.clock.now(), counts, actorLabel)
  return counts
}

/**
 * The hourly work of every process: housekeeping (retention.ts), counted on the day's record, then
 * the day's schedule if no process has run it yet.
 */
export async function runRetentionHour(services: Pick<Services, 'clock' | 'config'>): Promise<RemovalCounts> {
  const pruned = await pruneOldRecords(services)
  await addRemovals(retentionDayKey(services.clock.now()), pruned)
  const scheduled = (await applyScheduleIfDue(services)) ?? {}
  const all: RemovalCounts = { ...pruned }
  for (const [kind, count] of Object.entries(scheduled) as [RemovalKind, number][])
    all[kind] = (all[kind] ?? 0) + count
  return all
}

/** Runs the hourly work now and then every intervalMs; the returned function stops it and waits for a run. */
export function startRetentionJobs(
  services: Pick<Services, 'clock' | 'config'>,
  intervalMs: number,
): () => Promise<void> {
  return runEvery(
    'retention',
    intervalMs,
    async () => {
      const removed = Object.entries(await runRetentionHour(services)).filter(([, count]) => count > 0)
      // Counts only: what was removed may hold personal data.
      if (removed.length) {
        console.log(`[retention] removed ${removed.map(([kind, count]) => `${count} ${kind}`).join(', ')}`)
      }
    },
    { now: true },
  )
}
