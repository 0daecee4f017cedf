/**
 * Reading the audit trail for admins: newest first, filtered by user, action and dates (whole days
 * in UK time), a page at a time.
 */
import { DateTime } from 'luxon'
import type { Types } from 'mongoose'
import { AuditEventModel, type AuditEvent } from './auditEvent'

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

/** The start of a UK calendar day, or undefined when the text is not a real YYYY-MM-DD date. */
export function ukDayStart(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined
  const day = DateTime.fromISO(text, { zone: 'Europe/London' })
  return day.isValid ? day.startOf('day').toJSDate() : undefined
}

function query(filter: AuditFilter): Record<string, unknown> {
  const where: Record<string, unknown> = {}
  if (filter.userId) where.userId = filter.userId
  if (filter.action) where.action = filter.action
  const at: Record<string, Date> = {}
  const from = filter.from ? ukDayStart(filter.from) : undefined
  if (from) at.$gte = from
  const to = filter.to ? ukDayStart(filter.to) : undefined
  if (to) at.$lt = DateTime.fromJSDate(to, { zone: 'Europe/London' }).plus({ days: 1 }).toJSDate()
  if (Object.keys(at).length) where.at = at
  return where
}

export async function findAuditEvents(
  filter: AuditFilter,
  page: number,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<{ events: AuditEvent[]; total: number; page: number; pages: number }> {
  const where = query(filter)
  const total = await AuditEventModel.countDocuments(where)
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const current = Math.min(Math.max(1, page), pages)
  const events = await AuditEventModel.find(where)
    .sort({ at: -1, _id: -1 })
    .skip((current - 1) * pageSize)
    .limit(pageSize)
    .lean()
  return { events, total, page: current, pages }
}

/** Every action that appears in the trail, for the filter list. */
export async function auditActions(): Promise<string[]> {
  const groups = await AuditEventModel.aggregate<{ _id: string }>([
    { $group: { _id: '$action', count: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ])
  return groups.map((group) => group._id)
}
