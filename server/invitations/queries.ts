/**
 * Finding invitations for staff pages, always through the access policy (`staff/policy.ts`): the
 * list and every page or action on one invitation use the same filter, so an invitation the list
 * leaves out cannot be opened, reprinted or cancelled by address either (404).
 */
import { DateTime } from 'luxon'
import { Types } from 'mongoose'
import type { StaffUser } from '../staff/access'
import { may, recordFilter, type Action } from '../staff/policy'
import { formatDateTime, ZONE } from './dateInput'
import { INVITATION_STATUSES, InvitationModel, type Invitation, type InvitationStatus } from './invitation'

export const PAGE_SIZE = 50

export const STATUS_LABELS: Record<InvitationStatus, string> = {
  queued: 'Waiting to send',
  sent: 'Sent',
  failed: 'Not delivered',
  opened: 'Opened',
  completed: 'Completed',
  expired: 'Expired',
  cancelled: 'Cancelled',
}

export const STATUS_TAGS: Record<InvitationStatus, string> = {
  queued: 'govuk-tag--grey',
  sent: 'govuk-tag--blue',
  failed: 'govuk-tag--red',
  opened: 'govuk-tag--yellow',
  completed: 'govuk-tag--green',
  expired: 'govuk-tag--grey',
  cancelled: 'govuk-tag--orange',
}

export const CHANNEL_LABELS: Record<Invitation['channel'], string> = {
  email: 'Email',
  letter: 'Printed letter',
  link: 'Link given by hand',
}

export function isObjectIdText(value: unknown): value is string {
  return typeof value === 'string' && /^[a-f0-9]{24}$/.test(value)
}

/** The invitation if it exists and the user may do this to it; undefined otherwise (show 404). */
export async function findVisibleInvitation(
  user: StaffUser,
  id: unknown,
  action: Action = 'see',
): Promise<Invitation | undefined> {
  if (!isObjectIdText(id)) return undefined
  const invitation = await InvitationModel.findOne({ _id: id, ...recordFilter(user, action) }).lean()
  return invitation ?? undefined
}

/** Whose invitations the list shows: the user's own, or everyone's the user may see. */
export type SentBy = 'me' | 'anyone'

/** Practitioners start at their own ("My invitations"); everyone else at all they may see. */
export function defaultSentBy(user: StaffUser): SentBy {
  return user.role === 'practitioner' ? 'me' : 'anyone'
}

export interface ListFilters {
  status: string
  survey: string
  team: string
  from: string
  to: string
  sentBy: SentBy
  page: number
}

function queryText(query: unknown, name: string): string {
  const value = (query as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value.trim().slice(0, 100) : ''
}

/** Filters from the query string; anything not understood is dropped (and reported). */
export function readListFilters(
  query: unknown,
  known: { surveys: string[]; teams: string[]; sentBy: SentBy },
): { filters: ListFilters; problems: Array<{ href: string; text: string }> } {
  const problems: Array<{ href: string; text: string }> = []
  const filters: ListFilters = {
    status: queryText(query, 'status'),
    survey: queryText(query, 'survey'),
    team: queryText(query, 'team'),
    from: queryText(query, 'from'),
    to: queryText(query, 'to'),
    sentBy:
      queryText(query, 'sentBy') === 'me'
        ? 'me'
        : queryText(query, 'sentBy') === 'anyone'
          ? 'anyone'
          : known.sentBy,
    page: Math.max(1, Math.min(1000, Number.parseInt(queryText(query, 'page'), 10) || 1)),
  }
  if (filters.status && !(INVITATION_STATUSES as readonly string[]).includes(filters.status)) {
    problems.push({ href: 'status', text: 'Select a status from the list' })
    filters.status = ''
  }
  if (filters.survey && !known.surveys.includes(filters.survey)) {
    problems.push({ href: 'survey', text: 'Select a survey from the list' })
    filters.survey = ''
  }
  if (filters.team && !known.teams.includes(filters.team)) {
    problems.push({ href: 'team', text: 'Select one of the teams in the list' })
    filters.team = ''
  }
  for (const [name, label] of [
    ['from', 'Sent from'],
    ['to', 'Sent to'],
  ] as const) {
    if (filters[name] && !DateTime.fromISO(filters[name], { zone: ZONE }).isValid) {
      problems.push({ href: name, text: `${label} must be a real date, like 2026-03-27` })
      filters[name] = ''
    }
  }
  return { filters, problems }
}

export async function listInvitations(
  user: StaffUser,
  filters: ListFilters,
): Promise<{ invitations: Invitation[]; total: number }> {
  const query: Record<string, unknown> = { ...recordFilter(user, 'see') }
  // "Sent by me" narrows the list; what the user may see is the policy's alone.
  if (filters.sentBy === 'me') query.createdBy = user.id
  if (filters.status) query.status = filters.status
  if (filters.survey) query.surveyId = filters.survey
  if (filters.team) {
    // The team filter narrows within the user's scope, never widens it.
    const teamId = new Types.ObjectId(filters.team)
    query.teamId = may(user, 'see', { teamId }) ? teamId : { $in: [] }
  }
  const created: Record<string, Date> = {}
  if (filters.from) created.$gte = DateTime.fromISO(filters.from, { zone: ZONE }).startOf('day').toJSDate()
  if (filters.to)
    created.$lt = DateTime.fromISO(filters.to, { zone: ZONE }).plus({ days: 1 }).startOf('day').toJSDate()
  if (Object.keys(created).length) query.createdAt = created
  const [invitations, total] = await Promise.all([
    InvitationModel.find(query, { tokenHash: 0, events: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .skip((filters.page - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE)
      .lean(),
    InvitationModel.countDocuments(query),
  ])
  return { invitations, total }
}

export interface TimelineEntry {
  at: Date
  when: string
  text: string
  note?: string
}

const EVENT_TEXT: Record<string, string> = {
  emailed: 'Email delivered to the mail server',
  kept: 'Email kept in the local outbox',
  reminded: 'Reminder',
  resent: 'Resent with a new link',
  'letter-printed': 'Letter printed',
  'delivery-failed': 'Email could not be delivered',
  cancelled: 'Cancelled',
  expired: 'Link expired',
  recorded: 'Answers recorded by staff',
}

/** What happened, oldest first: the events recorded plus the times the family's side sets. */
export function timelineFor(invitation: Invitation): TimelineEntry[] {
  const entries: Array<Omit<TimelineEntry, 'when'>> = [
    {
      at: invitation.createdAt,
      text: invitation.channel === 'email' ? 'Created and queued to send' : 'Created',
    },
  ]
  for (const event of invitation.events ?? []) {
    const by = event.byName ? ` by ${event.byName}` : ''
    entries.push({
      at: event.at,
      text: `${EVENT_TEXT[event.kind] ?? event.kind}${by}`,
      ...(event.note ? { note: event.note } : {}),
    })
  }
  if (invitation.openedAt) entries.push({ at: invitation.openedAt, text: 'Opened by the family' })
  if (invitation.completedAt) entries.push({ at: invitation.completedAt, text: 'Answers received' })
  return entries
    .filter((entry) => entry.at instanceof Date)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((entry) => ({ ...entry, when: formatDateTime(entry.at) }))
}
