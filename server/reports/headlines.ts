/**
 * Headline numbers: the share of people who gave the positive answer among those who answered
 * ("not counted" answers such as "not applicable" and skipped questions are left out), as a whole
 * percent rounded half up, with the number who answered. Pure functions: the database only counts.
 */
import type { TChoiceQuestion } from '../surveys/definition'

/** How many gave each answer to one question, by answer id. */
export type AnswerCounts = ReadonlyMap<string, number>

/** A result that may be hidden: a percentage over fewer than the threshold identifies families. */
export interface Result {
  answered: number
  positive: number
  /** Whole percent, half up; null when suppressed or nobody answered. */
  percent: number | null
  suppressed: boolean
  /**
   * Hidden although enough answered, because a small group could be worked out from it: by
   * subtracting it from a wider total (all teams minus this one), or from its breakdown's total.
   */
  protecting?: boolean
}

export interface Headline extends Result {
  question: string
  statement: string
}

/**
 * round(100 * positive / answered), halves rounded up, in integers so that 12.5 is never
 * 12.4999… in floating point: floor((200p + a) / 2a).
 */
export function percentHalfUp(positive: number, answered: number): number {
  if (!Number.isInteger(positive) || !Number.isInteger(answered) || answered <= 0 || positive < 0) {
    throw new RangeError(`percentHalfUp needs whole numbers with answered > 0 (got ${positive}/${answered})`)
  }
  return Math.floor((200 * positive + answered) / (2 * answered))
}

/** Under the threshold (including nobody) the percentage is not shown. */
export function isSmallNumber(answered: number, threshold: number): boolean {
  return answered < threshold
}

export function resultFrom(answered: number, positive: number, threshold: number): Result {
  const suppressed = isSmallNumber(answered, threshold)
  return {
    answered,
    positive,
    percent: suppressed || answered === 0 ? null : percentHalfUp(positive, answered),
    suppressed,
  }
}

/** Answered and positive counts for one question from its answer counts. */
export function tally(
  question: TChoiceQuestion,
  counts: AnswerCounts | undefined,
): { answered: number; positive: number; notCounted: number } {
  let answered = 0
  let positive = 0
  let notCounted = 0
  const known = new Set(question.answers.map((answer) => answer.id))
  for (const [answer, count] of counts ?? []) {
    if (!known.has(answer)) continue
    if (question.notCounted.includes(answer)) {
      notCounted += count
      continue
    }
    answered += count
    if (question.positive.includes(answer)) positive += count
  }
  return { answered, positive, notCounted }
}

export function headlineFor(
  question: TChoiceQuestion,
  counts: AnswerCounts | undefined,
  threshold: number,
): Headline {
  const { answered, positive } = tally(question, counts)
  return {
    question: question.id,
    statement: question.statement,
    ...resultFrom(answered, positive, threshold),
  }
}

/** "99% told us that the practitioner gave them opportunities to share their views and opinions". */
export function headlineSentence(percent: number, statement: string): string {
  return `${percent}% told us that ${statement}`
}

/** One row of a question's answer table. */
export interface AnswerRow {
  id: string
  label: string
  count: number
  /** Share of those who answered; null for "not counted" answers or when suppressed. */
  percent: number | null
  notCounted: boolean
  positive: boolean
}

/** Every answer's count and percent; counts are hidden (null percent) when too few answered. */
export function answerRows(
  question: TChoiceQuestion,
  counts: AnswerCounts | undefined,
  threshold: number,
): AnswerRow[] {
  const { answered } = tally(question, counts)
  const hidden = isSmallNumber(answered, threshold)
  return question.answers.map((answer) => {
    const count = counts?.get(answer.id) ?? 0
    const notCounted = question.notCounted.includes(answer.id)
    return {
      id: answer.id,
      label: answer.label,
      count,
      percent: notCounted || hidden || answered === 0 ? null : percentHalfUp(count, answered),
      notCounted,
      positive: question.positive.includes(answer.id),
    }
  })
}
