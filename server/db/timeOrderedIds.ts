/**
 * ObjectIds that carry the record's own time, so that `_id` order is newest-first order and a
 * date range is an `_id` range. The embedded engine reads a find sorted by `{_id: ±1}` straight
 * from the index and pushes `_id` ranges down to SQLite, while any other sort or date filter
 * reads every matching document (see server/db/ferretdb-v1.24.patch).
 *
 * An ObjectId starts with its creation time in seconds; `idAt` puts the services clock's time
 * there instead of the system's (they are the same in production; tests move the clock), and
 * keeps the rest: the process's random bytes and its counter, so ids made in one second in one
 * process still sort in the order they were made, and stay unique.
 */
import { Types } from 'mongoose'

function seconds(at: Date): number {
  const value = Math.floor(at.getTime() / 1000)
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError('An ObjectId can only carry a time between 1970 and 2106')
  }
  return value
}

/** A new, unique ObjectId whose time is `at`. */
export function idAt(at: Date): Types.ObjectId {
  const bytes = Uint8Array.from(new Types.ObjectId().id)
  new DataView(bytes.buffer).setUint32(0, seconds(at))
  return new Types.ObjectId(bytes)
}

/** The smallest ObjectId of records made at or after `at` (whole seconds): `{_id: {$gte: …}}`. */
export function firstIdAt(at: Date): Types.ObjectId {
  return Types.ObjectId.createFromTime(Math.ceil(at.getTime() / 1000))
}
