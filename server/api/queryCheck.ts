/**
 * The API's query strings are read strictly, so a misspelt filter (`tem=…`) is never answered
 * with the all-teams figures: every parameter must be one the endpoint knows, given once, and
 * not empty. The message names the parameter.
 */
export function queryProblem(query: unknown, allowed: readonly string[]): string | undefined {
  const entries = Object.entries(query && typeof query === 'object' ? (query as Record<string, unknown>) : {})
  for (const [name, value] of entries) {
    if (!allowed.includes(name)) {
      return `Unknown parameter "${name.slice(0, 50)}": use ${allowed.join(', ')}.`
    }
    if (typeof value !== 'string') return `Give ${name} once, as plain text.`
    if (value.trim() === '') return `The parameter "${name}" is empty: give a value or leave it out.`
  }
  return undefined
}
