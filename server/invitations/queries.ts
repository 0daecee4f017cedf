/**
 * Finding invitations for staff pages, always through the access policy (`staff/policy.ts`): the
 * list and every page or action on one invitation use the same filter, so an invitation the list
 * leaves out cannot be opened, reprinted or cancelled by address either (404).
 */
import { DateTime } from 'luxon'
import type { Types } from 'mongoose'
import type { z } from 'zod'
import { isObjectId, toObjectId } from '../db/objectId'
import { cappedText } from '../http/input'
import { firstIdAt } from '../db/timeOrderedIds'
import { COUNT_LIMIT, countUpTo, newestFirstPage, type PageCursor } from '../db/newestFirst'
import type { StaffUser } from '../staff/access'
import { may, recordFilter, teamIdsFor, type Action } from '../staff/policy'
import { formatDateTime, ZONE } from '../dates'
import { isMessaged } from './lifecycle'
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
  sms: 'Text message',
  letter: 'Printed letter',
  link: 'Link given by hand',
}

/** The invitation if it exists and the user may do this to it; undefined otherwise (show 404). */
export async function findVisibleInvitation(
  user: StaffUser,
  id: Types.ObjectId,
  action: Action = 'see',
): Promise<Invitation | undefined> {
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
  /** Where the page starts ("Previous" and "Next" links); not a filter the user sets. */
  cursor: PageCursor
}

/** A page cursor comes from our own links: a broken one just shows the first page. */
const cursorId = cappedText(100).transform((value) => (isObjectId(value) ? toObjectId(value) : undefined))

/** The list's query string, for the route's schema: each filter as typed (checkListFilters judges it). */
export const LIST_FILTER_FIELDS = {
  status: cappedText(100),
  survey: cappedText(100),
  team: cappedText(100),
  from: cappedText(100),
  to: cappedText(100),
  sentBy: cappedText(100).transform((value): SentBy | undefined =>
    value === 'me' || value === 'anyone' ? value : undefined,
  ),
  before: cursorId,
  after: cursorId,
}

export type ListQuery = z.output<z.ZodObject<typeof LIST_FILTER_FIELDS>>

/** The filters asked for; any not understood is dropped (and reported). */
export function checkListFilters(
  query: ListQuery,
  known: { surveys: string[]; teams: string[]; sentBy: SentBy },
): { filters: ListFilters; problems: Array<{ href: string; text: string }> } {
  const problems: Array<{ href: string; text: string }> = []
  const { before } = query
  const after = before ? undefined : query.after
  const filters: ListFilters = {
    status: query.status,
    survey: query.survey,
    team: query.team,
    from: query.from,
    to: query.to,
    sentBy: query.sentBy ?? known.sentBy,
    cursor: before ? { before } : after ? { after } : {},
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

export interface InvitationList {
  invitations: Invitation[]
  /** How many match, up to COUNT_LIMIT; `more` when there are more than that. */
  count: { count: number; more: boolean }
  newer?: Types.ObjectId
  older?: Types.ObjectId
}

/**
 * The filters to read, one per team the list may show (see newestFirstPage for why not one
 * `$in`): the user's scope, narrowed by the list's filters. An invitation's id carries the
 * time it was created, so the date filters are an `_id` range.
 */
function listQueries(user: StaffUser, filters: ListFilters): Array<Record<string, unknown>> {
  const query: Record<string, unknown> = {}
  // "Sent by me" narrows the list; what the user may see is the access policy's alone.
  if (filters.sentBy === 'me') query.createdBy = user.id
  if (filters.status) query.status = filters.status
  if (filters.survey) query.surveyId = filters.survey
  const created: Record<string, Types.ObjectId> = {}
  if (filters.from)
    created.$gte = firstIdAt(DateTime.fromISO(filters.from, { zone: ZONE }).startOf('day').toJSDate())
  if (filters.to)
    created.$lt = firstIdAt(
      DateTime.fromISO(filters.to, { zone: ZONE }).plus({ days: 1 }).startOf('day').toJSDate(),
    )
  if (Object.keys(created).length) query._id = created
  // The teams the policy lets the user see; the team filter narrows that, never widens it.
  let teamIds = teamIdsFor(user, 'see')
  if (filters.team) {
    const teamId = toObjectId(filters.team)
    teamIds = may(user, 'see', { teamId }) ? [teamId] : []
  }
  return teamIds ? teamIds.map((teamId) => ({ ...query, teamId })) : [query]
}

export async function listInvitations(user: StaffUser, filters: ListFilters): Promise<InvitationList> {
  const queries = listQueries(user, filters)
  const [page, count] = await Promise.all([
    newestFirstPage(InvitationModel, queries, filters.cursor, PAGE_SIZE, { tokenHash: 0, events: 0 }),
    countUpTo(InvitationModel, queries, COUNT_LIMIT),
  ])
  return { invitations: page.items, count, newer: page.newer, older: page.older }
}

export interface TimelineEntry {
  at: Date
  when: string
  text: string
  note?: string
}

const EVENT_TEXT: Record<string, string> = {
  emailed: 'Email delivered to the mail server',
  texted: 'Text message accepted by GOV.UK Notify',
  kept: 'Kept in the local outbox',
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
      text: isMessaged(invitation.channel) ? 'Created and queued to send' : 'Created',
    },
  ]
  for (const event of invitation.events ?? []) {
    const by = event.byName ? ` by ${event.byName}` : ''
    const what =
      event.kind === 'delivery-failed' && invitation.channel === 'sms'
        ? 'Text message could not be delivered'
        : (EVENT_TEXT[event.kind] ?? event.kind)
    entries.push({
      at: event.at,
      text: `${what}${by}`,
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
