/**
 * Small numbers. A percentage over fewer than the threshold (default 5) answers could identify a
 * family, so it is shown as "fewer than 5". In a breakdown whose cells add up to a total that is
 * shown (teams, services, months… of one period), one hidden cell could be worked out by
 * subtracting the shown cells from the total; so when exactly one cell of such a group is hidden,
 * the next-smallest is hidden too ("secondary suppression"), including its number answered.
 */
import type { Result } from './headlines'

/**
 * shown: the percentage is shown; small: fewer than the threshold answered (primary);
 * protecting: hidden so that a small cell cannot be derived (secondary); empty: nobody answered
 * (nothing to hide, but no percentage either).
 */
export type CellStatus = 'shown' | 'small' | 'protecting' | 'empty'

export interface Cell extends Result {
  status: CellStatus
}

export const FEWER_THAN = (threshold: number): string => `fewer than ${threshold}`
export const HIDDEN_TEXT = 'hidden'
export const NO_ANSWERS_TEXT = 'no answers'

export function primaryStatus(result: Result): CellStatus {
  if (result.protecting) return 'protecting'
  if (result.answered === 0) return 'empty'
  return result.suppressed ? 'small' : 'shown'
}

const isHidden = (cell: Cell) => cell.status === 'small' || cell.status === 'protecting'

/**
 * Applies secondary suppression. `groups` lists, for each total that is shown, the indexes of the
 * cells that add up to it (a column of a team table, the months of a quarter…). Repeats until no
 * group has exactly one hidden cell, since hiding a cell in one group can expose another.
 */
export function protectSmallNumbers(
  results: readonly Result[],
  groups: readonly (readonly number[])[],
): Cell[] {
  const cells: Cell[] = results.map((result) => ({ ...result, status: primaryStatus(result) }))
  let changed = true
  while (changed) {
    changed = false
    for (const group of groups) {
      const members = group.map((index) => cells[index]).filter((cell): cell is Cell => cell !== undefined)
      if (members.filter(isHidden).length !== 1) continue
      let smallest: Cell | undefined
      for (const cell of members) {
        if (cell.status !== 'shown') continue
        if (!smallest || cell.answered < smallest.answered) smallest = cell
      }
      if (!smallest) continue
      smallest.status = 'protecting'
      smallest.suppressed = true
      smallest.percent = null
      changed = true
    }
  }
  return cells
}

/**
 * The complement rule: a filtered result (one team, one way of answering…) whose complement within
 * a wider total the same viewer can see (all teams, every way) has fewer than the threshold
 * answering is hidden too, or the small group's percentage is the difference of two reports.
 * `wider` lists, for each result, the same figure in each wider total (undefined: no such figure).
 */
export function protectComplements<T extends Result>(
  results: readonly T[],
  wider: readonly (readonly (Result | undefined)[])[],
  threshold: number,
): T[] {
  return results.map((result, index) => {
    if (result.suppressed || result.answered === 0) return result
    const exposes = (wider[index] ?? []).some((total) => {
      const rest = (total?.answered ?? result.answered) - result.answered
      return rest > 0 && rest < threshold
    })
    return exposes ? { ...result, suppressed: true, percent: null, protecting: true } : result
  })
}

/**
 * What a viewer can work out from reports with fewer filters, by inclusion and exclusion. With k
 * filters (team, respondent, way of answering) and `bySubset[R]` the number answered with the
 * filters in the bit set R removed (`bySubset[0]` is this result), the cell with the filters in S
 * negated and the others kept holds the sum over R ⊆ S of (−1)^(|S|−|R|)·bySubset[R]: with team and
 * respondent, "other teams, other respondents" is all − team − respondent + both. Returns that
 * count for every non-empty S.
 */
export function derivableCounts(bySubset: readonly number[]): number[] {
  const bits = (n: number) => n.toString(2).replace(/0/g, '').length
  const counts: number[] = []
  for (let negated = 1; negated < bySubset.length; negated++) {
    let sum = 0
    for (let removed = negated; ; removed = (removed - 1) & negated) {
      sum += (bits(negated) - bits(removed)) % 2 === 0 ? bySubset[removed]! : -bySubset[removed]!
      if (removed === 0) break
    }
    counts.push(sum)
  }
  return counts
}

/**
 * The complement rule across several filters at once: a result is hidden when any cell that
 * derivableCounts finds from the reports with fewer filters has 1 to threshold − 1 answering.
 * `bySubset[i]` lists, for result i, the number answered in each wider report (bit set order,
 * see widerFilters); a result without them is left as it is. `ignoredMasks`: sets S not to check.
 */
export function protectDerivable<T extends Result>(
  results: readonly T[],
  bySubset: readonly (readonly number[] | undefined)[],
  threshold: number,
  ignoredMasks: readonly number[] = [],
): T[] {
  return results.map((result, index) => {
    const wider = bySubset[index]
    if (result.suppressed || result.answered === 0 || !wider || wider.length < 3) return result
    const exposes = derivableCounts([result.answered, ...wider]).some(
      (count, at) => !ignoredMasks.includes(at + 1) && count > 0 && count < threshold,
    )
    return exposes ? { ...result, suppressed: true, percent: null, protecting: true } : result
  })
}

/** What a person reads in place of the percentage. */
export function percentText(cell: Cell, threshold: number): string {
  switch (cell.status) {
    case 'shown':
      return `${cell.percent}%`
    case 'small':
      return FEWER_THAN(threshold)
    case 'protecting':
      return HIDDEN_TEXT
    case 'empty':
      return NO_ANSWERS_TEXT
  }
}

/** What a person reads for the number who answered. */
export function answeredText(cell: Cell, threshold: number): string {
  switch (cell.status) {
    case 'shown':
      return String(cell.answered)
    case 'small':
      return FEWER_THAN(threshold)
    case 'protecting':
      return HIDDEN_TEXT
    case 'empty':
      return '0'
  }
}

/** A breakdown cell as JSON: hidden cells give no numbers at all. */
export function cellJson(cell: Cell): {
  answered: number | null
  positive: number | null
  percent: number | null
  suppressed: boolean
} {
  const hidden = cell.status === 'small' || cell.status === 'protecting'
  return {
    answered: hidden ? null : cell.answered,
    positive: hidden || cell.status === 'empty' ? null : cell.positive,
    percent: cell.status === 'shown' ? cell.percent : null,
    suppressed: cell.status !== 'shown',
  }
}
