/**
 * Reporting periods: UK financial years (April to March), their quarters (Q1 April-June …
 * Q4 January-March) and calendar months, all in Europe/London time. Period keys are stored
 * on each response at submission so that reports group on plain fields in the database.
 */
import { DateTime } from 'luxon'
import { ZONE } from '../dates'

export type PeriodKind = 'year' | 'quarter' | 'month' | 'range'

export interface Period {
  /** `2020-21`, `2020-21-Q4`, `2021-04`, or `2021-01-01..2021-03-31` for a custom range. */
  id: string
  kind: PeriodKind
  label: string
  /** First day, inclusive, as YYYY-MM-DD in London time. */
  from: string
  /** Last day, inclusive, as YYYY-MM-DD in London time. */
  to: string
}

export interface PeriodKeys {
  year: string
  quarter: string
  month: string
}

function financialYearStart(date: DateTime): number {
  return date.month >= 4 ? date.year : date.year - 1
}

function yearId(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`
}

/** The period keys a response submitted at this instant belongs to (London time). */
export function periodKeysFor(instant: Date): PeriodKeys {
  const local = DateTime.fromJSDate(instant, { zone: ZONE })
  const startYear = financialYearStart(local)
  const quarter = Math.floor(((local.month + 8) % 12) / 3) + 1
  return {
    year: yearId(startYear),
    quarter: `${yearId(startYear)}-Q${quarter}`,
    month: local.toFormat('yyyy-MM'),
  }
}

const YEAR_RE = /^(\d{4})-(\d{2})$/
const QUARTER_RE = /^(\d{4})-(\d{2})-Q([1-4])$/
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/
const RANGE_RE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/

function validYearPair(start: string, end: string): boolean {
  return (Number(start) + 1) % 100 === Number(end)
}

function day(date: DateTime): string {
  return date.toFormat('yyyy-MM-dd')
}

/** Parses a period id; undefined when it is not one. */
export function parsePeriod(id: string): Period | undefined {
  const month = MONTH_RE.exec(id)
  const yearMatch = YEAR_RE.exec(id)
  // `2020-21` is a financial year (the second part is the next year's last two digits);
  // `2021-04` is not, so it falls through to months. Only 2000-2011 would be ambiguous.
  if (yearMatch && validYearPair(yearMatch[1]!, yearMatch[2]!)) {
    const start = DateTime.fromObject({ year: Number(yearMatch[1]), month: 4, day: 1 }, { zone: ZONE })
    return {
      id,
      kind: 'year',
      label: `${yearMatch[1]}/${yearMatch[2]}`,
      from: day(start),
      to: day(start.plus({ years: 1 }).minus({ days: 1 })),
    }
  }
  if (month) {
    const start = DateTime.fromObject(
      { year: Number(month[1]), month: Number(month[2]), day: 1 },
      { zone: ZONE },
    )
    return {
      id,
      kind: 'month',
      label: start.toFormat('LLLL yyyy'),
      from: day(start),
      to: day(start.endOf('month')),
    }
  }
  const quarter = QUARTER_RE.exec(id)
  if (quarter && validYearPair(quarter[1]!, quarter[2]!)) {
    const q = Number(quarter[3])
    const start = DateTime.fromObject({ year: Number(quarter[1]), month: 4, day: 1 }, { zone: ZONE }).plus({
      months: (q - 1) * 3,
    })
    return {
      id,
      kind: 'quarter',
      label: `${quarter[1]}/${quarter[2]} Q${q}`,
      from: day(start),
      to: day(start.plus({ months: 3 }).minus({ days: 1 })),
    }
  }
  const range = RANGE_RE.exec(id)
  if (range) {
    const from = DateTime.fromISO(range[1]!, { zone: ZONE })
    const to = DateTime.fromISO(range[2]!, { zone: ZONE })
    if (!from.isValid || !to.isValid || to < from) return undefined
    return {
      id,
      kind: 'range',
      label: `${from.toFormat('d LLL yyyy')} to ${to.toFormat('d LLL yyyy')}`,
      from: day(from),
      to: day(to),
    }
  }
  return undefined
}

/** The instants [start, end) a period covers, London midnight to London midnight. */
export function periodBounds(period: Period): { start: Date; end: Date } {
  const start = DateTime.fromISO(period.from, { zone: ZONE }).startOf('day')
  const end = DateTime.fromISO(period.to, { zone: ZONE }).plus({ days: 1 }).startOf('day')
  return { start: start.toJSDate(), end: end.toJSDate() }
}

/** The period of the same kind just before this one (custom ranges: the same length just before). */
export function previousPeriod(period: Period): Period | undefined {
  const from = DateTime.fromISO(period.from, { zone: ZONE })
  switch (period.kind) {
    case 'year':
      return parsePeriod(periodKeysFor(from.minus({ years: 1 }).toJSDate()).year)
    case 'quarter':
      return parsePeriod(periodKeysFor(from.minus({ months: 3 }).toJSDate()).quarter)
    case 'month':
      return parsePeriod(periodKeysFor(from.minus({ months: 1 }).toJSDate()).month)
    case 'range': {
      const to = DateTime.fromISO(period.to, { zone: ZONE })
      const days = Math.round(to.diff(from, 'days').days) + 1
      return parsePeriod(`${day(from.minus({ days }))}..${day(from.minus({ days: 1 }))}`)
    }
  }
}

/** The `count` quarters ending with the one containing `instant`, oldest first. */
export function lastQuarters(count: number, instant: Date): Period[] {
  const quarters: Period[] = []
  let current = parsePeriod(periodKeysFor(instant).quarter)
  while (current && quarters.length < count) {
    quarters.unshift(current)
    current = previousPeriod(current)
  }
  return quarters
}

/** The months of a period (for month-by-month trends), oldest first. */
export function monthsIn(period: Period): Period[] {
  const months: Period[] = []
  let cursor = DateTime.fromISO(period.from, { zone: ZONE }).startOf('month')
  const end = DateTime.fromISO(period.to, { zone: ZONE })
  while (cursor <= end && months.length < 240) {
    const month = parsePeriod(cursor.toFormat('yyyy-MM'))
    if (month) months.push(month)
    cursor = cursor.plus({ months: 1 })
  }
  return months
}

/** The stored field a period of this kind groups on; custom ranges filter on submittedAt instead. */
export function periodField(kind: PeriodKind): 'period.year' | 'period.quarter' | 'period.month' | undefined {
  return kind === 'year'
    ? 'period.year'
    : kind === 'quarter'
      ? 'period.quarter'
      : kind === 'month'
        ? 'period.month'
        : undefined
}
