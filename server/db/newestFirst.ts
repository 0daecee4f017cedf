/**
 * Long lists (invitations, the audit trail) a page at a time, newest first, with "Previous" and
 * "Next" links instead of page numbers, and a count that stops at a bound.
 *
 * Why not sort by a date with skip and count everything: on the embedded engine a sort on any
 * field but `_id`, a skip and a count all read and decode every matching document (~0.2 ms each),
 * which at a million records is minutes. A find sorted by `{_id: ±1}` is read straight from an
 * index and stops after the page, and an `_id` bound is pushed down to SQLite, so a page costs
 * about the same at any size. Records get time-ordered ids (server/db/timeOrderedIds.ts), so `_id`
 * order is newest-first order. MongoDB does the same queries from the same indexes.
 */
import type { Model, Types } from 'mongoose'

/** Where a page starts: records older than `before` ("Next"), or newer than `after` ("Previous"). */
export interface PageCursor {
  before?: Types.ObjectId
  after?: Types.ObjectId
}

export interface NewestFirstPage<T> {
  /** Newest first. */
  items: T[]
  /** Set when newer records exist: the "Previous" link is `?after=<newer>`. */
  newer?: Types.ObjectId
  /** Set when older records exist: the "Next" link is `?before=<older>`. */
  older?: Types.ObjectId
}

type Filter = Record<string, unknown>
type Bound = '$lt' | '$gt'

/**
 * The filter with one more bound on `_id`, kept together with any `_id` range it has (a date
 * range, say): of two bounds of the same kind the tighter one. ObjectIds are fixed-length hex, so
 * their text orders as they do.
 */
function withIdBound(filter: Filter, bound: Bound, id: Types.ObjectId): Filter {
  const range = { ...((filter._id as Record<string, Types.ObjectId> | undefined) ?? {}) }
  const existing = range[bound]
  const tighter =
    !existing ||
    (bound === '$lt' ? id.toHexString() < existing.toHexString() : id.toHexString() > existing.toHexString())
  if (tighter) range[bound] = id
  return { ...filter, _id: range }
}

/**
 * Up to `limit` records matching any of `filters`, in `_id` order (1 oldest first, -1 newest
 * first). Alternatives instead of one `$in`: `{teamId: {$in: [a, b]}}` sorted by `_id` makes
 * SQLite read and sort every record of both teams, while `{teamId: a}` and `{teamId: b}` each
 * stream from the `(teamId, _id)` index; the streams are merged here. Each filter's `_id`, if it
 * has one, must be a range (`$gte`, `$lt`…), not an equality.
 */
async function readInIdOrder<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filters: Filter[],
  direction: 1 | -1,
  limit: number,
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const streams = await Promise.all(
    filters.map((filter) => model.find(filter, projection).sort({ _id: direction }).limit(limit).lean<T[]>()),
  )
  const seen = new Set<string>()
  return streams
    .flat()
    .filter((item) => {
      const key = item._id.toHexString()
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => direction * a._id.toHexString().localeCompare(b._id.toHexString()))
    .slice(0, limit)
}

async function anyInIdOrder(model: Model<{ _id: Types.ObjectId }>, filters: Filter[], direction: 1 | -1) {
  return (await readInIdOrder(model, filters, direction, 1, { _id: 1 })).length > 0
}

/**
 * One page of the records matching any of `filters`, newest first, starting at `cursor`. Reads
 * the page and one record more (is there a next page?), plus one record the other way when the
 * page was reached by a cursor (is there a previous one?).
 */
export async function newestFirstPage<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filters: Filter[],
  cursor: PageCursor,
  pageSize: number,
  projection?: Record<string, 0 | 1>,
): Promise<NewestFirstPage<T>> {
  const forwards = cursor.after !== undefined
  const bounded = cursor.after
    ? filters.map((filter) => withIdBound(filter, '$gt', cursor.after!))
    : cursor.before
      ? filters.map((filter) => withIdBound(filter, '$lt', cursor.before!))
      : filters
  const read = await readInIdOrder(model, bounded, forwards ? 1 : -1, pageSize + 1, projection)
  const beyond = read.length > pageSize
  // "Previous" back to the newest records: show the first page, full, as it is without a cursor.
  if (forwards && !beyond) return newestFirstPage(model, filters, {}, pageSize, projection)
  const items = read.slice(0, pageSize)
  if (forwards) items.reverse()
  const newest = items[0]?._id
  const oldest = items[items.length - 1]?._id
  const ids = model as unknown as Model<{ _id: Types.ObjectId }>
  const hasNewer = forwards
    ? beyond
    : cursor.before !== undefined &&
      newest !== undefined &&
      (await anyInIdOrder(
        ids,
        filters.map((filter) => withIdBound(filter, '$gt', newest)),
        1,
      ))
  const hasOlder = forwards
    ? oldest !== undefined &&
      (await anyInIdOrder(
        ids,
        filters.map((filter) => withIdBound(filter, '$lt', oldest)),
        -1,
      ))
    : beyond
  return {
    items,
    ...(hasNewer && newest ? { newer: newest } : {}),
    ...(hasOlder && oldest ? { older: oldest } : {}),
  }
}

/**
 * Lists count up to this many ("More than 100 invitations"). Counting reads each record it counts
 * (on the embedded engine ~0.2 ms each, several times that on a busy machine), so a bound of 500
 * cost more than the page itself; 100 keeps small counts exact (what failed, what is waiting).
 */
export const COUNT_LIMIT = 100

/**
 * How many records match any of `filters`, reading at most `limit + 1` of them: `more` when there
 * are more than `limit`. Filters must not overlap.
 */
export async function countUpTo<T>(
  model: Model<T>,
  filters: Filter[],
  limit: number,
): Promise<{ count: number; more: boolean }> {
  let total = 0
  for (const filter of filters) {
    total += await model.countDocuments(filter, { limit: limit + 1 - total })
    if (total > limit) return { count: limit, more: true }
  }
  return { count: total, more: false }
}
