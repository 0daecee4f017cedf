/**
 * Reading the audit trail for admins: newest first, filtered by user, action and dates (whole days
 * in UK time), a page at a time with "Previous" and "Next" (db/newestFirst.ts).
 */
import { DateTime } from 'luxon'
import type { Types } from 'mongoose'
import { COUNT_LIMIT, countUpTo, newestFirstPage, type PageCursor } from '../db/newestFirst'
import { firstIdAt } from '../db/timeOrderedIds'
import { AuditEventModel, type AuditEvent } from './auditEvent'
import { londonDayStart, ZONE } from '../dates'

export const AUDIT_PAGE_SIZE = 50

export interface AuditFilter {
  userId?: Types.ObjectId
  action?: string
  /** First day shown, YYYY-MM-DD in Europe/London. */
  from?: string
  /** Last day shown (inclusive), YYYY-MM-DD in Europe/London. */
  to?: string
}

/**
 * A date as people type it, "23/11/2026" (day first, as in the UK) or "2026-11-23", as YYYY-MM-DD;
 * undefined when it is not a real date.
 */
export function parseDay(text: string): string | undefined {
  const trimmed = text.trim()
  let day: DateTime | undefined
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed)
  if (uk) day = DateTime.fromObject({ day: Number(uk[1]), month: Number(uk[2]), year: Number(uk[3]) })
  else if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) day = DateTime.fromISO(trimmed)
  return day?.isValid ? day.toISODate()! : undefined
}

/**
 * The filter as a query. An event's id carries its time (recordAudit), so the days are an `_id`
 * range, which the embedded engine reads from the index.
 */
function query(filter: AuditFilter): Record<string, unknown> {
  const where: Record<string, unknown> = {}
  if (filter.userId) where.userId = filter.userId
  if (filter.action) where.action = filter.action
  const range: Record<string, Types.ObjectId> = {}
  const from = filter.from ? londonDayStart(filter.from) : undefined
  if (from) range.$gte = firstIdAt(from)
  const to = filter.to ? londonDayStart(filter.to) : undefined
  if (to) range.$lt = firstIdAt(DateTime.fromJSDate(to, { zone: ZONE }).plus({ days: 1 }).toJSDate())
  if (Object.keys(range).length) where._id = range
  return where
}

export interface AuditPage {
  events: AuditEvent[]
  /** How many match, up to COUNT_LIMIT; `more` when there are more than that. */
  count: { count: number; more: boolean }
  newer?: Types.ObjectId
  older?: Types.ObjectId
}

export async function findAuditEvents(
  filter: AuditFilter,
  cursor: PageCursor,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  const where = [query(filter)]
  const [page, count] = await Promise.all([
    newestFirstPage(AuditEventModel, where, cursor, pageSize),
    countUpTo(AuditEventModel, where, COUNT_LIMIT),
  ])
  return { events: page.items, count, newer: page.newer, older: page.older }
}
