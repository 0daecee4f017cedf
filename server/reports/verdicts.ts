/**
 * Signs of Safety framing for QA reports: each result goes under "What's working well?" or "What
 * are we worried about?". A result is a worry when it is under its target, or has fallen by the
 * configured number of points (WORRY_FALL_POINTS, default 5) or more since the previous period.
 * Suppressed results go under neither: "too few answers to report".
 */
export type Verdict = 'working-well' | 'worry' | 'too-few'

export interface VerdictInput {
  percent: number | null
  suppressed: boolean
  target?: number
  /** The same result for the previous period, when it could be shown. */
  previousPercent: number | null
  previousLabel?: string
  fallPoints: number
}

export interface VerdictOutcome {
  verdict: Verdict
  /** Why it is a worry, e.g. "under the target of 85%", "down 12 points since May 2018". */
  reasons: string[]
  /** Points up (+) or down (-) since the previous period; null when either is not shown. */
  change: number | null
}

export function changeInPoints(percent: number | null, previousPercent: number | null): number | null {
  return percent === null || previousPercent === null ? null : percent - previousPercent
}

export function verdictFor(input: VerdictInput): VerdictOutcome {
  const change = input.suppressed ? null : changeInPoints(input.percent, input.previousPercent)
  if (input.suppressed || input.percent === null) return { verdict: 'too-few', reasons: [], change: null }
  const reasons: string[] = []
  if (input.target !== undefined && input.percent < input.target) {
    reasons.push(`under the target of ${input.target}%`)
  }
  if (change !== null && change <= -input.fallPoints) {
    const points = -change
    reasons.push(
      `down ${points} ${points === 1 ? 'point' : 'points'}${input.previousLabel ? ` since ${input.previousLabel}` : ''}`,
    )
  }
  return { verdict: reasons.length ? 'worry' : 'working-well', reasons, change }
}

/** "up 4 points", "down 1 point", "no change", or "" when there is nothing to compare. */
export function changeText(change: number | null): string {
  if (change === null) return ''
  if (change === 0) return 'no change'
  const points = Math.abs(change)
  return `${change > 0 ? 'up' : 'down'} ${points} ${points === 1 ? 'point' : 'points'}`
}
