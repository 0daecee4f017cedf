/** Small helpers for the admin forms: reading flat form fields and reporting field errors. */
import { Types } from 'mongoose'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { HttpError } from '../http/errors'

/** One entry in the error summary: `href` is the id of the field it links to. */
export interface FieldError {
  href: string
  text: string
}

/** Thrown by the admin services when the input breaks a rule; the routes show the form again. */
export class ValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => error.text).join('; '))
  }
}

export type { Actor } from '../audit/staffAudit'

type Body = Record<string, unknown> | undefined

/** A single text field ("" when missing); a repeated field is a bad request, not a crash. */
export function textField(body: Body, name: string): string {
  const value = body?.[name]
  if (value === undefined) return ''
  if (typeof value !== 'string') throw new HttpError(400, `The ${name} field was sent more than once.`)
  return value
}

/** A field that may be repeated (checkboxes): always an array of strings. */
export function listField(body: Body, name: string): string[] {
  const value = body?.[name]
  if (value === undefined) return []
  const values = Array.isArray(value) ? value : [value]
  if (!values.every((item): item is string => typeof item === 'string')) {
    throw new HttpError(400, `The ${name} field could not be read.`)
  }
  return values.filter((item) => item !== '')
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value)
}

/** The id from the URL, or 404: a malformed id is a page that does not exist. */
export function objectIdParam(value: unknown): Types.ObjectId {
  if (!isObjectId(value)) throw new HttpError(404, 'If you typed the web address, check it is correct.')
  return new Types.ObjectId(value)
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Runs a write a unique index may refuse, reporting a refusal against the field that must be unique. */
export async function writeUnique<T>(write: () => Promise<T>, taken: FieldError): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new ValidationError([taken])
    throw error
  }
}
