/** Ids as they appear in our paths, forms and cursors: a MongoDB ObjectId's 24 hex characters. */
import { Types } from 'mongoose'

const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID_PATTERN.test(value)
}

/** The ObjectId for a value that passed isObjectId (or the schema's `objectId`). */
export function toObjectId(value: string): Types.ObjectId {
  return new Types.ObjectId(value)
}
