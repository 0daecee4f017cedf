/**
 * The invitation lifecycle: what each status means, which changes are allowed, and every write
 * that changes an invitation's status or adds to its timeline (`events`, shown on its page).
 *
 * An invitation is made `queued` (email, text message: until the outbox delivers it) or `sent`
 * (a letter, a link given by hand) by createInvitation. From there it moves only as TRANSITIONS
 * allows, and each move is one conditional write whose filter is `status: {$in: <the statuses it
 * may come from>}`: of two moves at once only one lands, on MongoDB and on the patched FerretDB (a
 * per-collection lock from read to write) alike, and a refused move changes nothing.
 *
 * The outbox and the responses report back through hooks (invitationOutboxHooks, and
 * invitationAnswered in services.ts) rather than importing this module.
 */
import type { Types } from 'mongoose'
import type { OutboxHooks } from '../mail/outboxWorker'
import { OutboxMessageModel, type OutboxMessage } from '../mail/outboxMessage'
import {
  INVITATION_STATUSES,
  InvitationModel,
  type Invitation,
  type InvitationEvent,
  type InvitationStatus,
} from './invitation'
import { hashToken, newInvitationToken } from './token'

/**
 * Where each status may go. Queued again is a resend (a new link, by email or text message);
 * completed is where a stored response leads from anywhere, even a link cancelled or expired
 * while the family was answering: the response is stored and counts.
 */
export const TRANSITIONS: Readonly<Record<InvitationStatus, readonly InvitationStatus[]>> = {
  queued: ['queued', 'sent', 'failed', 'opened', 'completed', 'cancelled', 'expired'],
  sent: ['queued', 'failed', 'opened', 'completed', 'cancelled', 'expired'],
  failed: ['queued', 'sent', 'failed', 'completed', 'cancelled', 'expired'],
  opened: ['queued', 'completed', 'cancelled', 'expired'],
  expired: ['queued', 'completed'],
  cancelled: ['completed'],
  completed: [],
}

export function canMove(from: InvitationStatus, to: InvitationStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** The statuses an invitation may move to `to` from: the filter of that move. */
export function statusesMovingTo(to: InvitationStatus): InvitationStatus[] {
  return INVITATION_STATUSES.filter((from) => canMove(from, to))
}

/** Statuses in which a family can still use the link. */
export const LIVE_STATUSES: InvitationStatus[] = ['queued', 'sent', 'failed', 'opened']

/** Statuses the one automatic reminder goes to: delivered and not yet answered. */
export const REMINDABLE_STATUSES: InvitationStatus[] = ['sent', 'opened']

/** Channels whose link is delivered by the outbox: "queued" until it has gone. */
export function isMessaged(channel: Invitation['channel']): boolean {
  return channel === 'email' || channel === 'sms'
}

/** The status an invitation is made with, and when it counts as sent. */
export function statusWhenMade(
  channel: Invitation['channel'],
  now: Date,
): { status: InvitationStatus; sentAt?: Date } {
  // A link given by hand or printed is live at once; an email or text is "sent" when the outbox delivers it.
  return isMessaged(channel) ? { status: 'queued' } : { status: 'sent', sentAt: now }
}

export type LinkState = 'open' | 'completed' | 'expired' | 'cancelled'

/** Whether a family can still answer through this invitation. */
export function linkState(invitation: Invitation, now: Date): LinkState {
  if (invitation.status === 'completed' || invitation.completedAt) return 'completed'
  if (invitation.status === 'cancelled') return 'cancelled'
  if (invitation.status === 'expired' || invitation.expiresAt.getTime() <= now.getTime()) return 'expired'
  return 'open'
}

export interface Actor {
  id: Types.ObjectId
  name: string
}

function event(at: Date, kind: InvitationEvent['kind'], note?: string, actor?: Actor): InvitationEvent {
  return { at, kind, ...(note ? { note } : {}), ...(actor ? { byName: actor.name } : {}) }
}

interface Change {
  set?: Record<string, unknown>
  unset?: readonly string[]
  event?: InvitationEvent
  /** Replace the link's token: the old link stops working at once. */
  newToken?: string
}

/** One conditional write: the change lands only on an invitation that still matches `filter`. */
async function apply(filter: Record<string, unknown>, change: Change): Promise<Invitation | undefined> {
  const set = { ...change.set, ...(change.newToken ? { tokenHash: hashToken(change.newToken) } : {}) }
  const updated = await InvitationModel.findOneAndUpdate(
    filter,
    {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(change.unset?.length
        ? { $unset: Object.fromEntries(change.unset.map((field) => [field, 1])) }
        : {}),
      ...(change.newToken ? { $inc: { tokenRotations: 1 } } : {}),
      ...(change.event ? { $push: { events: change.event } } : {}),
    },
    { new: true },
  ).lean()
  return updated ?? undefined
}

/** Moves the invitation to `to` if its status allows it (and it meets `where`); else changes nothing. */
function move(
  id: Types.ObjectId | string,
  to: InvitationStatus,
  change: Change & { where?: Record<string, unknown> },
): Promise<Invitation | undefined> {
  const { where, set, ...rest } = change
  return apply(
    { _id: id, status: { $in: statusesMovingTo(to) }, ...where },
    { ...rest, set: { status: to, ...set } },
  )
}

/** Adds to the timeline without changing the status. */
async function recordEvent(id: Types.ObjectId, entry: InvitationEvent): Promise<void> {
  await InvitationModel.updateOne({ _id: id }, { $push: { events: entry } })
}

/** Messages not yet delivered for this invitation carry a link that no longer works: drop them. */
async function cancelUndeliveredMail(
  invitationId: Types.ObjectId,
  reason = 'Replaced or no longer needed',
): Promise<void> {
  await OutboxMessageModel.updateMany(
    { invitationId, status: 'pending' },
    { $set: { status: 'cancelled', lastError: reason } },
  )
}

export type NewLink = { invitation: Invitation; token: string }

/**
 * Gives an invitation a new link: `write` makes the change with the new token, if it may. Messages
 * still waiting carry the old link; `dropWaitingMail` drops them (a reminder is itself one).
 */
async function withNewLink(
  write: (token: string) => Promise<Invitation | undefined>,
  dropWaitingMail: boolean,
): Promise<NewLink | undefined> {
  const token = newInvitationToken()
  const invitation = await write(token)
  if (!invitation) return undefined
  if (dropWaitingMail) await cancelUndeliveredMail(invitation._id)
  return { invitation, token }
}

/** A letter was printed with the link of an invitation just made. */
export async function letterPrinted(id: Types.ObjectId, now: Date): Promise<void> {
  await recordEvent(id, event(now, 'letter-printed'))
}

/**
 * Resend: queued again with a new link and a fresh expiry date, by text message to its mobile
 * number or else by email (the channel becomes email); mail still waiting with the old link is
 * dropped. Completed and cancelled invitations cannot be resent; expired ones can.
 */
export function queueWithNewLink(
  id: Types.ObjectId,
  input: { now: Date; expiresAt: Date; byText: boolean; actor: Actor },
): Promise<NewLink | undefined> {
  const { now, expiresAt, byText, actor } = input
  const resend = (token: string) =>
    move(id, 'queued', {
      where: byText
        ? { channel: 'sms', recipientMobile: { $exists: true, $ne: '' } }
        : { recipientEmail: { $exists: true, $ne: '' } },
      set: byText ? { expiresAt } : { expiresAt, channel: 'email' },
      newToken: token,
      event: event(
        now,
        'resent',
        `A new link was ${byText ? 'texted' : 'emailed'}; the earlier link no longer works.`,
        actor,
      ),
    })
  return withNewLink(resend, true)
}

/**
 * A new letter for a live invitation: a new token (any earlier letter or email link stops working,
 * and mail still waiting with it is dropped).
 */
export function reprintLetter(id: Types.ObjectId, now: Date, actor: Actor): Promise<NewLink | undefined> {
  return withNewLink(
    (token) =>
      apply(
        { _id: id, status: { $in: LIVE_STATUSES }, expiresAt: { $gt: now } },
        {
          newToken: token,
          event: event(
            now,
            'letter-printed',
            'A new letter was printed; any earlier link no longer works.',
            actor,
          ),
        },
      ),
    true,
  )
}

/**
 * Claims the one automatic reminder (reminderSentAt set while unset, so two workers never remind
 * twice) and gives the invitation a new link for it.
 */
export function remindWithNewLink(id: Types.ObjectId, now: Date): Promise<NewLink | undefined> {
  return withNewLink(
    (token) =>
      apply(
        {
          _id: id,
          status: { $in: REMINDABLE_STATUSES },
          reminderSentAt: { $exists: false },
          expiresAt: { $gt: now },
        },
        {
          set: { reminderSentAt: now },
          newToken: token,
          event: event(now, 'reminded', 'Reminder queued with a new link; the earlier link no longer works.'),
        },
      ),
    false,
  )
}

/** Cancelled by staff: its link shows "no longer available" and unsent mail is dropped. */
export async function cancelInvitation(
  id: Types.ObjectId,
  now: Date,
  actor: Actor,
): Promise<Invitation | undefined> {
  const cancelled = await move(id, 'cancelled', {
    set: { cancelledAt: now },
    event: event(now, 'cancelled', undefined, actor),
  })
  if (cancelled) await cancelUndeliveredMail(id)
  return cancelled
}

/** Past its expiry date, and its unsent mail dropped; true when this call expired it. */
export async function expire(id: Types.ObjectId, now: Date): Promise<boolean> {
  const expired = await move(id, 'expired', {
    where: { expiresAt: { $lte: now } },
    set: { expiredAt: now },
    event: event(now, 'expired'),
  })
  if (expired) await cancelUndeliveredMail(id)
  return expired !== undefined
}

/**
 * A case erased (dataProtection/erasure.ts): a live link is cancelled and can never open again.
 * Through the driver, as the rest of the erasure, so the record is not marked for recounting.
 */
export async function cancelErased(id: Types.ObjectId, now: Date): Promise<void> {
  await InvitationModel.collection.updateOne(
    { _id: id, status: { $in: statusesMovingTo('cancelled') } },
    { $set: { status: 'cancelled', cancelledAt: now } },
  )
}

/** The family opened the link: only the first time, and never once it is answered. */
export async function markOpened(id: Types.ObjectId, now: Date): Promise<void> {
  await move(id, 'opened', { set: { openedAt: now } })
}

/** The link has been answered (idempotent: the first completion time stays); true for the first. */
export async function markAnswered(id: Types.ObjectId, at: Date): Promise<boolean> {
  return (await move(id, 'completed', { set: { completedAt: at } })) !== undefined
}

/** Answers given in person were entered by staff: on the timeline, and a waiting reminder is dropped. */
export async function recordedByStaff(
  id: Types.ObjectId,
  now: Date,
  note: string,
  enteredBy: Actor,
): Promise<void> {
  await recordEvent(id, event(now, 'recorded', note, enteredBy))
  // A reminder still waiting would carry a link that now says "already answered".
  await cancelUndeliveredMail(id, 'Answers were recorded by staff')
}

type DeliveredMessage = Pick<OutboxMessage, 'invitationId' | 'purpose'> &
  Partial<Pick<OutboxMessage, 'channel'>>

/** The outbox delivered (or, without SMTP or Notify, kept) an invitation's email or text message. */
export async function mailDelivered(message: DeliveredMessage, now: Date, kept: boolean): Promise<void> {
  if (!message.invitationId) return
  const texted = message.channel === 'sms'
  const note = kept
    ? texted
      ? 'GOV.UK Notify is not set up: the text message was kept in the local outbox.'
      : 'No mail server is set up: the email was kept in the local outbox.'
    : undefined
  if (message.purpose === 'reminder') {
    await recordEvent(
      message.invitationId,
      event(
        now,
        kept ? 'kept' : 'reminded',
        kept ? `Reminder. ${note}` : texted ? 'By text message.' : undefined,
      ),
    )
    return
  }
  // Becomes "sent" unless the family has already opened or answered it meanwhile; the timeline
  // says it went either way.
  const entry = event(now, kept ? 'kept' : texted ? 'texted' : 'emailed', note)
  const sent = await move(message.invitationId, 'sent', {
    set: { sentAt: now },
    unset: ['failureReason', 'failedAt'],
    event: entry,
  })
  if (!sent) await recordEvent(message.invitationId, entry)
}

/** The outbox gave up on an invitation's message: the practitioner sees why on the invitation. */
export async function mailFailed(
  message: Pick<OutboxMessage, 'invitationId' | 'purpose' | 'to'>,
  now: Date,
  reason: string,
): Promise<void> {
  if (!message.invitationId) return
  const failureReason =
    message.purpose === 'reminder' ? `The reminder could not be delivered. ${reason}` : reason
  const entry = event(now, 'delivery-failed', failureReason)
  const failed = await move(message.invitationId, 'failed', {
    set: { failedAt: now, failureReason },
    event: entry,
  })
  if (!failed) await recordEvent(message.invitationId, entry)
}

/** What the outbox worker reports to about the invitations whose links it carries. */
export const invitationOutboxHooks: OutboxHooks = {
  // An invitation's message goes only while its link can still be used.
  async stillWantsMail(message, now) {
    if (!message.invitationId) return true
    const invitation = await InvitationModel.findById(message.invitationId).lean()
    return invitation !== null && linkState(invitation, now) === 'open'
  },
  delivered: mailDelivered,
  failed: mailFailed,
}
