/**
 * "Needs attention": free text that matched the worry list. Each flag waits until a person has
 * read it and acknowledged it (what was done and who was told), or marked it not a safeguarding
 * concern (with why). Until then it cannot be quoted. Managers see their own
 * teams' flags; QA and admins see every team's.
 */
import { CommentModel, type Comment } from '../comments/comment'
import type { StaffUser } from '../staff/access'
import { recordFilter } from '../staff/policy'
import { cleanText } from '../surveys/answers'
import { userNames } from '../staff/userNames'

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

/** A flag the user may see, or null (not flagged, not found, or another team's). */
export async function findFlag(user: StaffUser, id: string): Promise<Comment | null> {
  return CommentModel.findOne({ _id: id, ...FLAGGED, ...recordFilter(user, 'read-free-text') }).lean()
}

/** Required free text from a form field, cleaned, or the error to show against it. */
function requiredText(
  raw: string | undefined,
  missing: string,
  label: string,
): { text: string } | { error: string } {
  const text = cleanText(raw ?? '')
  if (text === '') return { error: missing }
  if (text.length > MAX_NOTE_LENGTH)
    return {
      error: `${label[0]!.toUpperCase()}${label.slice(1)} must be ${MAX_NOTE_LENGTH} characters or fewer`,
    }
  return { text }
}

export interface FieldProblem {
  field: 'note' | 'toldWho' | 'reason'
  message: string
}

/** What was done and who was told: both required to acknowledge a flag. */
export function parseAcknowledgement(body: {
  note?: string | undefined
  toldWho?: string | undefined
}): FlagClosing | { errors: FieldProblem[] } {
  const note = requiredText(body.note, 'Enter what was done', 'what was done')
  const told = requiredText(body.toldWho, 'Enter who was told', 'who was told')
  const errors: FieldProblem[] = []
  if ('error' in note) errors.push({ field: 'note', message: note.error })
  if ('error' in told) errors.push({ field: 'toldWho', message: told.error })
  if (errors.length || 'error' in note || 'error' in told) return { errors }
  return { outcome: 'acted', note: note.text, toldWho: told.text }
}

/** Why a flag is not a safeguarding concern: required. */
export function parseNotConcernReason(raw: string | undefined): FlagClosing | { errors: FieldProblem[] } {
  const reason = requiredText(raw, 'Enter why this is not a safeguarding concern', 'the reason')
  if ('error' in reason) return { errors: [{ field: 'reason', message: reason.error }] }
  return { outcome: 'not-a-concern', reason: reason.text }
}

export type AcknowledgeOutcome =
  | { outcome: 'acknowledged'; comment: Comment }
  | { outcome: 'already-acknowledged'; comment: Comment }
  | { outcome: 'not-found' }

export type FlagClosing =
  { outcome: 'acted'; note: string; toldWho: string } | { outcome: 'not-a-concern'; reason: string }

/**
 * Closes an open flag: who, when and how (acted, with what was done and who was told; or not a
 * safeguarding concern, with why). One conditional write, so of two people closing it at once
 * one wins and the other is told it was already done; a closed flag never changes again.
 */
export async function closeFlag(
  user: StaffUser,
  id: string,
  closing: FlagClosing,
  at: Date,
): Promise<AcknowledgeOutcome> {
  const set: Record<string, unknown> = {
    'flag.acknowledgedBy': user.id,
    'flag.acknowledgedAt': at,
    'flag.outcome': closing.outcome,
  }
  if (closing.outcome === 'acted') {
    set['flag.acknowledgementNote'] = closing.note
    set['flag.toldWho'] = closing.toldWho
  } else {
    set['flag.notConcernReason'] = closing.reason
  }
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

/** True when the comment has a flag nobody has acknowledged yet. */
export function hasOpenFlag(comment: Pick<Comment, 'flag'>): boolean {
  return Boolean(comment.flag?.flaggedAt) && !comment.flag?.acknowledgedAt
}

/** The filter for comments with no open flag: never flagged, or the flag acknowledged. */
export const NO_OPEN_FLAG = {
  $or: [{ 'flag.flaggedAt': { $exists: false } }, { 'flag.acknowledgedAt': { $exists: true } }],
}
