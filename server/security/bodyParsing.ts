import express, { type RequestHandler } from 'express'
import { HttpError } from '../http/errors'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Rejects bodies whose bytes, or percent-encoded bytes, are not valid UTF-8. */
function verifyUtf8Form(_req: unknown, _res: unknown, buffer: Buffer): void {
  try {
    const text = strictUtf8.decode(buffer)
    for (const part of text.split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    throw new HttpError(
      400,
      'The form contained characters that could not be read. Please check what you typed and try again.',
    )
  }
}

/**
 * Forms are parsed flat (`extended: false`): a field is a string or an array of strings, never an
 * object, so `answers[$ne]` stays a harmless key and no query operator can be smuggled in.
 */
export function setUpBodyParsing(): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200, verify: verifyUtf8Form }),
    express.json({ limit: '100kb', strict: true }),
  ]
}
