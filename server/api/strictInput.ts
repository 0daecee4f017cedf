/**
 * The API's input is read strictly, so a misspelt filter (`tem=…`) is never answered with the
 * all-teams figures: every query parameter (and every field of a JSON body) must be one the
 * endpoint knows, given once as text; a query parameter must not be empty. The message names the
 * parameter. The whole input is one schema, read with readInput like any route's.
 */
import { z } from 'zod'

type Fields = Record<string, unknown>

/** The first problem with a query string, in the order it was written, or undefined. */
function queryProblem(query: unknown, allowed: readonly string[]): string | undefined {
  const entries = Object.entries(query && typeof query === 'object' ? (query as Fields) : {})
  for (const [name, value] of entries) {
    if (!allowed.includes(name)) {
      return `Unknown parameter "${name.slice(0, 50)}": use ${allowed.join(', ')}.`
    }
    if (typeof value !== 'string') return `Give ${name} once, as plain text.`
    if (value.trim() === '') return `The parameter "${name}" is empty: give a value or leave it out.`
  }
  return undefined
}

/** Input checked as a whole by `problem` first (its message is the answer), then read by `shape`. */
export function strictFields<S extends z.ZodRawShape>(
  problem: (value: unknown) => string | undefined,
  shape: S,
) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const message = problem(value)
      if (message !== undefined) ctx.addIssue({ code: 'custom', message })
    })
    .pipe(z.object(shape))
}

/** A query string of only the `allowed` parameters, read by `shape`. */
export function strictQuery<S extends z.ZodRawShape>(allowed: readonly string[], shape: S) {
  return strictFields((query) => queryProblem(query, allowed), shape)
}

/** An API endpoint's input: its path, its strict query and (for a POST) its body. */
export function apiInput<
  Q extends z.ZodType,
  P extends z.ZodRawShape = Record<never, never>,
  B extends z.ZodType = z.ZodObject<Record<never, never>>,
>(parts: { params?: P; query: Q; body?: B }) {
  return z.object({
    params: z.object(parts.params ?? ({} as P)),
    query: parts.query,
    body: parts.body ?? (z.object({}) as unknown as B),
  })
}
