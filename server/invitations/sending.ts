/**
 * What happens to an invitation after it is made: emailing its link, reminding, resending,
 * reprinting a letter, cancelling, and recording what the outbox did with its email.
 *
 * Only the SHA-256 of a link's token is stored, so a link can never be shown or sent again.
 * Whenever a link must be sent again (a reminder, a resend, a reprinted letter) the token is
 * ROTATED: a new token is made, its hash replaces the old one, and the old link stops working.
 */
import type { Types } from 'mongoose'
import type { Services } from '../services'
import { invitationEmail, reminderEmail, type EmailContent } from '../mail/invitationEmails'
import { OutboxMessageModel, type OutboxMessage } from '../mail/outboxMessage'
import { invitationText, reminderText } from '../mail/textMessages'
import { InvitationModel, type Invitation, type InvitationEvent, type InvitationStatus } from './invitation'
import {
  codeAddress,
  createInvitation,
  invitationLink,
  isMessaged,
  linkState,
  type NewInvitation,
} from './service'
import { formatCode, hashToken, newInvitationToken } from './token'
import { TeamModel } from '../teams/team'

/** Statuses in which a family can still use the link. */
export const LIVE_STATUSES: InvitationStatus[] = ['queued', 'sent', 'failed', 'opened']

export interface Actor {
  id: Types.ObjectId
  name: string
}

function event(at: Date, kind: InvitationEvent['kind'], note?: string, actor?: Actor): InvitationEvent {
  return { at, kind, ...(note ? { note } : {}), ...(actor ? { byName: actor.name } : {}) }
}

async function emailFor(
  services: Services,
  invitation: Invitation,
  token: string,
  purpose: 'invitation' | 'reminder',
): Promise<EmailContent> {
  const survey = services.surveys.latest(invitation.surveyId)
  const team = await TeamModel.findById(invitation.teamId, { phone: 1 }).lean()
  const input = {
    firstName: invitation.recipientName,
    service: invitation.service,
    teamName: invitation.teamName,
    teamPhone: team?.phone,
    link: invitationLink(services.config.baseUrl, token),
    shortAddress: codeAddress(services.config.baseUrl),
    code: formatCode(token),
    expiresAt: invitation.expiresAt,
    helpContact: services.config.helpContact,
    childFriendly: survey?.childFriendly ?? false,
  }
  return purpose === 'reminder' ? reminderEmail(input) : invitationEmail(input)
}

/** Queues the invitation's link by its channel: an email, or a text message to its mobile number. */
async function queueMessage(
  services: Services,
  invitation: Invitation,
  token: string,
  purpose: 'invitation' | 'reminder',
): Promise<OutboxMessage> {
  if (invitation.channel === 'sms') {
    if (!invitation.recipientMobile) throw new Error('A texted invitation needs a mobile number')
    const input = {
      teamName: invitation.teamName,
      link: invitationLink(services.config.baseUrl, token),
      expiresAt: invitation.expiresAt,
    }
    return services.mail.enqueue({
      channel: 'sms',
      to: invitation.recipientMobile,
      // Only for the admin outbox's list: a text message has no subject.
      subject: purpose === 'reminder' ? 'Text message: reminder' : 'Text message: survey invitation',
      text: purpose === 'reminder' ? reminderText(input) : invitationText(input),
      purpose,
      invitationId: invitation._id,
    })
  }
  if (!invitation.recipientEmail) throw new Error('An emailed invitation needs an email address')
  const content = await emailFor(services, invitation, token, purpose)
  return services.mail.enqueue({
    to: invitation.recipientEmail,
    ...content,
    purpose,
    invitationId: invitation._id,
  })
}

/** Messages not yet delivered for this invitation carry a link that no longer works: drop them. */
async function cancelUndeliveredMail(invitationId: Types.ObjectId): Promise<void> {
  await OutboxMessageModel.updateMany(
    { invitationId, status: 'pending' },
    { $set: { status: 'cancelled', lastError: 'Replaced or no longer needed' } },
  )
}

/**
 * Makes an invitation and, for email or text, queues its message in the outbox. Letters and links
 * are live at once; the token is returned so the caller can print or show it, once.
 */
export async function sendInvitation(
  services: Services,
  input: NewInvitation,
): Promise<{ invitation: Invitation; token: string }> {
  const created = await createInvitation(services.surveys, services.clock, input)
  if (isMessaged(created.invitation.channel)) {
    await queueMessage(services, created.invitation, created.token, 'invitation')
  } else if (created.invitation.channel === 'letter') {
    await InvitationModel.updateOne(
      { _id: created.invitation._id },
      { $push: { events: event(services.clock.now(), 'letter-printed') } },
    )
  }
  return created
}

/**
 * Replaces the token of a live invitation (atomically: only if its status is still one of
 * `statuses`) and returns the new token. The old link stops working at once.
 */
async function rotateToken(
  id: Types.ObjectId | string,
  condition: Record<string, unknown>,
  set: Record<string, unknown>,
  push: InvitationEvent,
): Promise<{ invitation: Invitation; token: string } | undefined> {
  const token = newInvitationToken()
  const invitation = await InvitationModel.findOneAndUpdate(
    { _id: id, ...condition },
    { $set: { tokenHash: hashToken(token), ...set }, $inc: { tokenRotations: 1 }, $push: { events: push } },
    { new: true },
  ).lean()
  return invitation ? { invitation, token } : undefined
}

export type ActionRefusal = 'not-live' | 'no-email'

function refusalFor(invitation: Invitation | null, now: Date): ActionRefusal {
  if (
    invitation &&
    linkState(invitation, now) === 'open' &&
    !invitation.recipientEmail &&
    !invitation.recipientMobile
  )
    return 'no-email'
  return 'not-live'
}

/**
 * Emails (or, for a text message invitation, texts) a new link (a new token: the earlier link
 * stops working) and gives the invitation a fresh expiry date. Completed and cancelled
 * invitations cannot be resent; expired ones can.
 */
export async function resendInvitation(
  services: Services,
  id: Types.ObjectId,
  actor: Actor,
): Promise<{ ok: true; invitation: Invitation } | { ok: false; reason: ActionRefusal }> {
  const now = services.clock.now()
  const expiresAt = new Date(now.getTime() + services.config.invitationExpiryDays * 24 * 60 * 60 * 1000)
  const byText = (await InvitationModel.findById(id, { channel: 1 }).lean())?.channel === 'sms'
  const rotated = byText
    ? await rotateToken(
        id,
        {
          status: { $in: [...LIVE_STATUSES, 'expired'] },
          channel: 'sms',
          recipientMobile: { $exists: true, $ne: '' },
        },
        { status: 'queued', expiresAt },
        event(now, 'resent', 'A new link was texted; the earlier link no longer works.', actor),
      )
    : await rotateToken(
        id,
        { status: { $in: [...LIVE_STATUSES, 'expired'] }, recipientEmail: { $exists: true, $ne: '' } },
        { status: 'queued', expiresAt, channel: 'email' },
        event(now, 'resent', 'A new link was emailed; the earlier link no longer works.', actor),
      )
  if (!rotated) {
    const current = await InvitationModel.findById(id).lean()
    return { ok: false, reason: refusalFor(current, now) }
  }
  await cancelUndeliveredMail(rotated.invitation._id)
  await queueMessage(services, rotated.invitation, rotated.token, 'invitation')
  return { ok: true, invitation: rotated.invitation }
}

/** A new letter: a new token (any earlier letter or email link stops working). */
export async function reprintLetter(
  services: Services,
  id: Types.ObjectId,
  actor: Actor,
): Promise<{ invitation: Invitation; token: string } | undefined> {
  const now = services.clock.now()
  const rotated = await rotateToken(
    id,
    { status: { $in: LIVE_STATUSES }, expiresAt: { $gt: now } },
    {},
    event(now, 'letter-printed', 'A new letter was printed; any earlier link no longer works.', actor),
  )
  if (rotated) await cancelUndeliveredMail(rotated.invitation._id)
  return rotated
}

/** Cancels a live invitation: its link shows "no longer available" and unsent mail is dropped. */
export async function cancelInvitation(
  services: Services,
  id: Types.ObjectId,
  actor: Actor,
): Promise<Invitation | undefined> {
  const now = services.clock.now()
  const cancelled = await InvitationModel.findOneAndUpdate(
    { _id: id, status: { $in: LIVE_STATUSES } },
    {
      $set: { status: 'cancelled', cancelledAt: now },
      $push: { events: event(now, 'cancelled', undefined, actor) },
    },
    { new: true },
  ).lean()
  if (cancelled) await cancelUndeliveredMail(cancelled._id)
  return cancelled ?? undefined
}

/** Whether an outbox message for this invitation should still go: its link must still be usable. */
export async function invitationStillWantsMail(invitationId: Types.ObjectId, now: Date): Promise<boolean> {
  const invitation = await InvitationModel.findById(invitationId).lean()
  return invitation !== null && linkState(invitation, now) === 'open'
}

/** The outbox delivered (or, without SMTP or Notify, kept) an invitation's email or text message. */
export async function invitationMailDelivered(
  message: Pick<OutboxMessage, 'invitationId' | 'purpose'> & Partial<Pick<OutboxMessage, 'channel'>>,
  now: Date,
  kept: boolean,
): Promise<void> {
  if (!message.invitationId) return
  const texted = message.channel === 'sms'
  const note = kept
    ? texted
      ? 'GOV.UK Notify is not set up: the text message was kept in the local outbox.'
      : 'No mail server is set up: the email was kept in the local outbox.'
    : undefined
  if (message.purpose === 'reminder') {
    await InvitationModel.updateOne(
      { _id: message.invitationId },
      {
        $push: {
          events: event(
            now,
            kept ? 'kept' : 'reminded',
            kept ? `Reminder. ${note}` : texted ? 'By text message.' : undefined,
          ),
        },
      },
    )
    return
  }
  // Becomes "sent" unless the family has already opened or answered it meanwhile.
  await InvitationModel.updateOne(
    { _id: message.invitationId, status: { $in: ['queued', 'failed'] } },
    { $set: { status: 'sent', sentAt: now }, $unset: { failureReason: 1, failedAt: 1 } },
  )
  await InvitationModel.updateOne(
    { _id: message.invitationId },
    { $push: { events: event(now, kept ? 'kept' : texted ? 'texted' : 'emailed', note) } },
  )
}

/** The outbox gave up on an invitation's email: the practitioner sees why on the invitation. */
export async function invitationMailFailed(
  message: Pick<OutboxMessage, 'invitationId' | 'purpose' | 'to'>,
  now: Date,
  reason: string,
): Promise<void> {
  if (!message.invitationId) return
  const failureReason =
    message.purpose === 'reminder' ? `The reminder could not be delivered. ${reason}` : reason
  await InvitationModel.updateOne(
    { _id: message.invitationId, status: { $in: ['queued', 'sent', 'failed'] } },
    { $set: { status: 'failed', failedAt: now, failureReason } },
  )
  await InvitationModel.updateOne(
    { _id: message.invitationId },
    { $push: { events: event(now, 'delivery-failed', failureReason) } },
  )
}

/**
 * Invitations the reminder job looks at. It leads with status (indexed with sentAt), so the
 * embedded engine reads only live invitations, never the completed and expired ones of past years.
 */
export function dueReminderFilter(now: Date, sentBefore: Date) {
  return {
    status: { $in: ['sent', 'opened'] },
    // A reminder goes by the channel the invitation went by.
    channel: { $in: ['email', 'sms'] },
    sentAt: { $lte: sentBefore },
    expiresAt: { $gt: now },
    reminderSentAt: { $exists: false },
  }
}

/** Invitations the expiry job looks at: live ones (status, indexed with expiresAt) past their date. */
export function dueExpiryFilter(now: Date) {
  return { status: { $in: LIVE_STATUSES }, expiresAt: { $lte: now } }
}

/**
 * Sends the one automatic reminder for each emailed or texted invitation still unanswered
 * `reminderAfterDays` after it was sent. The claim (setting reminderSentAt while it is unset)
 * is atomic, so two workers never remind twice; the reminder carries a rotated token.
 */
export async function sendDueReminders(services: Services): Promise<number> {
  const now = services.clock.now()
  const sentBefore = new Date(now.getTime() - services.config.reminderAfterDays * 24 * 60 * 60 * 1000)
  const due = await InvitationModel.find(dueReminderFilter(now, sentBefore), { _id: 1 }).limit(500).lean()
  let reminded = 0
  for (const { _id } of due) {
    const rotated = await rotateToken(
      _id,
      { status: { $in: ['sent', 'opened'] }, reminderSentAt: { $exists: false }, expiresAt: { $gt: now } },
      { reminderSentAt: now },
      event(now, 'reminded', 'Reminder queued with a new link; the earlier link no longer works.'),
    )
    if (!rotated) continue
    await queueMessage(services, rotated.invitation, rotated.token, 'reminder')
    reminded++
  }
  return reminded
}

/** Marks invitations past their expiry date as expired and drops their unsent mail. */
export async function expireInvitations(services: Services): Promise<number> {
  const now = services.clock.now()
  const due = await InvitationModel.find(dueExpiryFilter(now), { _id: 1 }).limit(1000).lean()
  let expired = 0
  for (const { _id } of due) {
    const updated = await InvitationModel.findOneAndUpdate(
      { _id, status: { $in: LIVE_STATUSES }, expiresAt: { $lte: now } },
      { $set: { status: 'expired', expiredAt: now }, $push: { events: event(now, 'expired') } },
    ).lean()
    if (!updated) continue
    await cancelUndeliveredMail(_id)
    expired++
  }
  return expired
}
