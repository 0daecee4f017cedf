/** Writes that a unique index may refuse (a user's email address, a team's name). */
import { isDuplicateKeyError } from '../db/duplicateKey'
import { ValidationError, type FieldError } from '../http/input'

/** Runs a write a unique index may refuse, reporting a refusal against the field that must be unique. */
export async function writeUnique<T>(write: () => Promise<T>, taken: FieldError): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new ValidationError([taken])
    throw error
  }
}
