/**
 * A route's input (its path params, query string and form or JSON body) is read by one zod schema.
 * The schema gives the handler its types; what the person got wrong becomes an entry in the
 * page's error summary (or the API's `{error}`); what no form of ours can send is a plain 400; a
 * malformed id in the path is a 404, as for any page that does not exist.
 *
 *   const Input = routeInput({ params: { id: objectId }, body: { name: formText(100, 'Enter a name') } })
 *   const { params, body } = readInput(Input, req)
 */
import type { Request } from 'express'
import { z } from 'zod'
import { isObjectId } from '../db/objectId'
import { HttpError } from './errors'

/** One entry in a page's error summary: `href` is the id of the field it links to (the summary adds the `#`). */
export interface FieldError {
  href: string
  text: string
}

/** Input the person can correct: the page shows the form again with these in its summary. */
export class ValidationError extends HttpError {
  constructor(readonly errors: FieldError[]) {
    super(400, errors.map((error) => error.text).join(' '))
  }
}

export const NOT_FOUND_MESSAGE = 'If you typed the web address, check it is correct.'

type Shape = z.ZodRawShape
type NoFields = Record<never, never>

/** The schema of a route's input; each part left out is not read. */
export function routeInput<
  P extends Shape = NoFields,
  Q extends Shape = NoFields,
  B extends Shape = NoFields,
>(parts: { params?: P; query?: Q; body?: B }) {
  return z.object({
    params: z.object(parts.params ?? ({} as P)),
    query: z.object(parts.query ?? ({} as Q)),
    body: z.object(parts.body ?? ({} as B)),
  })
}

/**
 * Reads a request with a route's schema. A problem in the path is a 404 (`notFound` its message,
 * where a page names what is not there); a value no form sends (a field sent twice, a nested
 * value) is a 400; a rule the person broke is a ValidationError, one summary entry for each
 * field, in the schema's order.
 */
export function readInput<S extends z.ZodType>(
  schema: S,
  req: Request,
  notFound: string = NOT_FOUND_MESSAGE,
): z.output<S> {
  const input = { params: req.params ?? {}, query: req.query ?? {}, body: req.body ?? {} }
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues
  if (issues.some((issue) => issue.path[0] === 'params')) throw new HttpError(404, notFound)
  const twice = issues.find((issue) => issue.code === 'custom' && issue.params?.[SENT_TWICE] === true)
  if (twice) throw new HttpError(400, `The ${fieldName(twice)} field was sent more than once.`)
  const unreadable = issues.find((issue) => issue.code === 'invalid_type' || issue.code === 'invalid_union')
  if (unreadable) {
    const how = Array.isArray(valueAt(input, unreadable.path))
      ? 'was sent more than once'
      : 'could not be read'
    throw new HttpError(400, `The ${fieldName(unreadable)} ${sentAs(unreadable)} ${how}.`)
  }
  const errors: FieldError[] = []
  for (const issue of issues) {
    const href = fieldName(issue)
    if (!errors.some((error) => error.href === href)) errors.push({ href, text: issue.message })
  }
  throw new ValidationError(errors)
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key]
  return value
}

function fieldName(issue: z.core.$ZodIssue): string {
  const rest = issue.path.slice(1)
  return rest.length ? rest.map(String).join('-') : String(issue.path[0] ?? 'request')
}

function sentAs(issue: z.core.$ZodIssue): string {
  return issue.path[0] === 'query' ? 'value in the web address' : 'field'
}

// Building blocks the route schemas share.

/**
 * A single form or query text field: "" when missing, trimmed unless `trim: false` (passwords),
 * at most `max` characters. `required` is the message when it is empty.
 */
export function formText(max: number, options: { required?: string; tooLong?: string; trim?: boolean } = {}) {
  const tooLong = options.tooLong ?? `Must be ${max} characters or fewer`
  let text = z.string()
  if (options.trim !== false) text = text.trim()
  text = text.max(max, tooLong)
  if (options.required) text = text.min(1, options.required)
  return text.default('')
}

/**
 * A single form field read as typed, for a form that is shown again with what was typed when its
 * own checks (which need the user's teams, the surveys, today) find a problem: "" when missing,
 * trimmed, cut at `max` characters, which is longer than any value those checks accept.
 */
export function cappedText(max: number) {
  return z
    .string()
    .default('')
    .transform((value) => value.trim().slice(0, max))
}

/** Marks the issue `sentOnce` raises, which readInput answers as a plain 400 naming the field. */
const SENT_TWICE = 'sentTwice'

/**
 * A single form field ("" when missing) read as sent and then by `text`; sent twice (or as a
 * nested value) it is a 400 that says so, "The email field was sent more than once.", as the
 * staff sign-in, account and admin forms have always answered.
 *
 *   body: { email: sentOnce(z.string().trim().min(1, 'Enter your email address')) }
 */
export function sentOnce<T extends z.ZodType<unknown, string>>(text: T) {
  return z
    .unknown()
    .default('')
    .transform((value, ctx): string => {
      if (typeof value === 'string') return value
      ctx.addIssue({ code: 'custom', message: 'Sent more than once', params: { [SENT_TWICE]: true } })
      return z.NEVER
    })
    .pipe(text)
}

/** A single form field exactly as sent ("" when missing), for a service's own checks to judge. */
export const sentText = sentOnce(z.string())

/**
 * A value in the web address that our own links set (a notice, a filter, a cursor): "" when it is
 * missing or garbled into more than one value, which the page then ignores.
 */
export const queryText = z.string().catch('')

/** A field that may be repeated (checkboxes, a multi-select): always a list, empty strings dropped. */
export const repeatedText = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .transform((values) => values.filter((value) => value !== ''))

/** A MongoDB ObjectId as 24 hex characters (either case), as ids appear in our paths and forms. */
export const objectId = z.string().refine(isObjectId, 'Choose from the list')

/**
 * A single text value as sent (undefined when missing), for routes whose pages already say in
 * their own words what a value sent twice (or nested) is: `twice(name)` is that message, in place
 * of readInput's own "The name field was sent more than once." (or "could not be read").
 */
export function singleText(twice: (name: string) => string) {
  return z
    .custom<string>((value) => typeof value === 'string', {
      error: (issue) => twice(String(issue.path?.at(-1) ?? 'value')),
    })
    .optional()
}

/** A page number from the query string (1 when missing), `message` when it is not one. */
export function pageNumberWith(message: string) {
  return z
    .string()
    .optional()
    .refine((value) => !value || (/^\d{1,6}$/.test(value) && Number(value) >= 1), message)
    .transform((value) => (value ? Number(value) : 1))
}

/** A page number from the query string: 1 when missing. */
export const pageNumber = pageNumberWith('The page must be a number')
