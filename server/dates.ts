/**
 * London time, the one zone Family Voice thinks in (periods, tallies, retention days, audit days),
 * and the one way pages and messages write a date: "1 December 2026", "1 December 2026 at 14:05"
 * (24-hour), whatever the server's own zone.
 */
import { DateTime } from 'luxon'

export const ZONE = 'Europe/London'

function london(date: Date): DateTime {
  return DateTime.fromJSDate(date, { zone: ZONE }).setLocale('en-GB')
}

/** "1 December 2026"; empty for no date. */
export function formatDate(date: Date | undefined): string {
  return date ? london(date).toFormat('d LLLL yyyy') : ''
}

/** "1 December 2026 at 14:05"; empty for no date. */
export function formatDateTime(date: Date | undefined): string {
  return date ? london(date).toFormat("d LLLL yyyy 'at' HH:mm") : ''
}

/** "Tuesday 1 December 2026", for the closing date in an invitation email. */
export function formatLongDate(date: Date): string {
  return london(date).toFormat('cccc d LLLL yyyy')
}

/** "1 December": for a text message, where a link that lasts a few weeks makes the year clear. */
export function formatDayAndMonth(date: Date): string {
  return london(date).toFormat('d LLLL')
}

/** The London day an instant falls in, "2026-12-02". */
export function londonDay(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat('yyyy-MM-dd')
}

/** The start of a London day given as "2026-12-02", or undefined when it is not a real day. */
export function londonDayStart(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined
  const day = DateTime.fromISO(text, { zone: ZONE })
  return day.isValid ? day.startOf('day').toJSDate() : undefined
}
