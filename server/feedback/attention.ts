/**
 * "Needs attention": free text that matched the worry list. Each flag waits until a person has
 * read it and acknowledged it (with an optional note of what was done). Managers see their own
 * teams' flags; QA and admins see every team's.
 */
import { CommentModel, type Comment } from '../comments/comment'
import type { StaffUser } from '../staff/access'
import { recordFilter } from '../staff/policy'
import { cleanText } from '../surveys/answers'
import { userNames } from './review'

export const ATTENTION_PAGE_SIZE = 20
export const MAX_NOTE_LENGTH = 2000

const FLAGGED = { 'flag.flaggedAt': { $exists: true } }
const OPEN = { ...FLAGGED, 'flag.acknowledgedAt': { $exists: false } }
const ACKNOWLEDGED = { ...FLAGGED, 'flag.acknowledgedAt': { $exists: true } }

export interface AttentionPage {
  /** Unacknowledged flags on this page, newest first. */
  open: Comment[]
  /** Acknowledged flags on this page (after every open one), most recently acknowledged first. */
  acknowledged: Comment[]
  openTotal: number
  total: number
  page: number
  pageCount: number
  people: Map<string, string>
}

/** Open flags first, then acknowledged ones; paged across both. */
export async function listFlags(user: StaffUser, requestedPage: number): Promise<AttentionPage> {
  const scope = recordFilter(user, 'read-free-text')
  const openTotal = await CommentModel.countDocuments({ ...OPEN, ...scope })
  const acknowledgedTotal = await CommentModel.countDocuments({ ...ACKNOWLEDGED, ...scope })
  const total = openTotal + acknowledgedTotal
  const pageCount = Math.max(1, Math.ceil(total / ATTENTION_PAGE_SIZE))
  const page = Math.min(Math.max(1, requestedPage), pageCount)
  const skip = (page - 1) * ATTENTION_PAGE_SIZE

  const open =
    skip < openTotal
      ? await CommentModel.find({ ...OPEN, ...scope })
          .sort({ 'flag.flaggedAt': -1, _id: -1 })
          .skip(skip)
          .limit(ATTENTION_PAGE_SIZE)
          .lean()
      : []
  const room = ATTENTION_PAGE_SIZE - open.length
  const acknowledged =
    room > 0
      ? await CommentModel.find({ ...ACKNOWLEDGED, ...scope })
          .sort({ 'flag.acknowledgedAt': -1, _id: -1 })
          .skip(Math.max(0, skip - openTotal))
          .limit(room)
          .lean()
      : []
  const people = await userNames(acknowledged.map((comment) => comment.flag?.acknowledgedBy))
  return { open, acknowledged, openTotal, total, page, pageCount, people }
}

/** How many flags wait for this user's attention. */
export async function countOpenFlags(user: StaffUser): Promise<number> {
  return CommentModel.countDocuments({ ...OPEN, ...recordFilter(user, 'read-free-text') })
}

/** A flag the user may see, or null (not flagged, not found, or another team's). */
export async function findFlag(user: StaffUser, id: string): Promise<Comment | null> {
  return CommentModel.findOne({ _id: id, ...FLAGGED, ...recordFilter(user, 'read-free-text') }).lean()
}

export function parseNote(raw: unknown): { note: string } | { error: string } {
  if (raw !== undefined && typeof raw !== 'string') return { error: 'Enter what was done as text' }
  const note = cleanText(raw ?? '')
  if (note.length > MAX_NOTE_LENGTH) {
    return { error: `What was done must be ${MAX_NOTE_LENGTH} characters or fewer` }
  }
  return { note }
}

export type AcknowledgeOutcome =
  | { outcome: 'acknowledged'; comment: Comment }
  | { outcome: 'already-acknowledged'; comment: Comment }
  | { outcome: 'not-found' }

/** Records who acknowledged the flag and when; a second acknowledgement changes nothing. */
export async function acknowledgeFlag(
  user: StaffUser,
  id: string,
  note: string,
  at: Date,
): Promise<AcknowledgeOutcome> {
  const set: Record<string, unknown> = { 'flag.acknowledgedBy': user.id, 'flag.acknowledgedAt': at }
  if (note) set['flag.acknowledgementNote'] = note
  const updated = await CommentModel.findOneAndUpdate(
    { _id: id, ...OPEN, ...recordFilter(user, 'read-free-text') },
    { $set: set },
    { new: true },
  ).lean()
  if (updated) return { outcome: 'acknowledged', comment: updated }
  const existing = await findFlag(user, id)
  if (existing) return { outcome: 'already-acknowledged', comment: existing }
  return { outcome: 'not-found' }
}
