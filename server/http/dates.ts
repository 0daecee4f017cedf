/**
 * The one way staff pages write a date ("1 December 2026") and a time ("14:05", 24-hour), in
 * London time whatever the server's zone. Every staff page formats through these two.
 */
import { DateTime } from 'luxon'

const ZONE = 'Europe/London'

/** "1 December 2026"; empty for no date. */
export function formatDate(date: Date | undefined): string {
  if (!date) return ''
  return DateTime.fromJSDate(date, { zone: ZONE }).setLocale('en-GB').toFormat('d LLLL yyyy')
}

/** "1 December 2026 at 14:05"; empty for no date. */
export function formatDateTime(date: Date | undefined): string {
  if (!date) return ''
  return DateTime.fromJSDate(date, { zone: ZONE }).setLocale('en-GB').toFormat("d LLLL yyyy 'at' HH:mm")
}
