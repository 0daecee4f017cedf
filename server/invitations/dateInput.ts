/**
 * The GOV.UK date input (day, month, year boxes) read from a form, in Europe/London dates.
 * Used by the send form (date of the case event) and staff entry (date the answers were given).
 */
import { DateTime } from 'luxon'
import { ZONE } from '../dates'
import { cappedText } from '../http/input'

export interface DateParts {
  day: string
  month: string
  year: string
}

export type DateCheck =
  | { ok: true; date: DateTime; parts: DateParts }
  | { ok: false; message: string; parts: DateParts; field: 'day' | 'month' | 'year' }

type DatePartName<P extends string> = `${P}-day` | `${P}-month` | `${P}-year`

/** The three boxes of the date input named `prefix`, for a route's body schema: each as typed. */
export function datePartsFields<P extends string>(
  prefix: P,
): Record<DatePartName<P>, ReturnType<typeof cappedText>> {
  return {
    [`${prefix}-day`]: cappedText(10),
    [`${prefix}-month`]: cappedText(10),
    [`${prefix}-year`]: cappedText(10),
  } as Record<DatePartName<P>, ReturnType<typeof cappedText>>
}

/** The date as typed, from a body read with datePartsFields(prefix). */
export function datePartsOf<P extends string>(body: Record<DatePartName<P>, string>, prefix: P): DateParts {
  return { day: body[`${prefix}-day`], month: body[`${prefix}-month`], year: body[`${prefix}-year`] }
}

export function partsOf(date: DateTime): DateParts {
  return { day: String(date.day), month: String(date.month), year: String(date.year) }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

function monthNumber(text: string): number {
  if (/^\d{1,2}$/.test(text)) return Number(text)
  const index = MONTHS.indexOf(text.toLowerCase().slice(0, 3))
  return index === -1 ? NaN : index + 1
}

/**
 * Checks a date a person typed: all three parts, a real date, after 1999 (in Europe/London).
 * `what` names the date in messages, e.g. "the date the case closed".
 */
export function checkDate(parts: DateParts, what: string): DateCheck {
  const capital = what.charAt(0).toUpperCase() + what.slice(1)
  const missing = (['day', 'month', 'year'] as const).filter((part) => parts[part] === '')
  if (missing.length === 3) return { ok: false, message: `Enter ${what}`, parts, field: 'day' }
  if (missing.length > 0) {
    return {
      ok: false,
      message: `${capital} must include a ${missing.join(' and a ')}`,
      parts,
      field: missing[0]!,
    }
  }
  const day = /^\d{1,2}$/.test(parts.day) ? Number(parts.day) : NaN
  const month = monthNumber(parts.month)
  const year = /^\d{4}$/.test(parts.year) ? Number(parts.year) : NaN
  const date = DateTime.fromObject({ year, month, day }, { zone: ZONE })
  if (!Number.isFinite(day) || !Number.isFinite(month) || !Number.isFinite(year) || !date.isValid) {
    return { ok: false, message: `${capital} must be a real date`, parts, field: 'day' }
  }
  if (year < 2000) return { ok: false, message: `${capital} must be after 1999`, parts, field: 'year' }
  return { ok: true, date, parts }
}

/** As checkDate, and not in the future (`now`, in Europe/London). */
export function checkPastDate(parts: DateParts, what: string, now: Date): DateCheck {
  const checked = checkDate(parts, what)
  if (!checked.ok) return checked
  const capital = what.charAt(0).toUpperCase() + what.slice(1)
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day')
  if (checked.date > today) {
    return { ok: false, message: `${capital} must be today or in the past`, parts, field: 'day' }
  }
  return checked
}

/** An ISO day (YYYY-MM-DD) from a CSV cell, checked the same way. */
export function checkIsoPastDate(text: string, what: string, now: Date): DateCheck {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  const parts = match
    ? { year: match[1]!, month: match[2]!, day: match[3]! }
    : { year: '', month: '', day: '' }
  if (!match) {
    const capital = what.charAt(0).toUpperCase() + what.slice(1)
    return text.trim() === ''
      ? { ok: false, message: `Enter ${what}`, parts, field: 'day' }
      : { ok: false, message: `${capital} must be a date like 2026-03-27`, parts, field: 'day' }
  }
  return checkPastDate(parts, what, now)
}

/** Staff pages write dates one way (server/http/dates.ts); these names stay for their callers. */
