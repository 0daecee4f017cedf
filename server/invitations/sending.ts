/**
 * What happens to an invitation after it is made: emailing or texting its link, reminding,
 * resending, reprinting a letter, cancelling and expiring. The status changes and the timeline
 * are lifecycle.ts's; this module writes the messages and queues them in the outbox.
 *
 * Only the SHA-256 of a link's token is stored, so a link can never be shown or sent again.
 * Whenever a link must be sent again (a reminder, a resend, a reprinted letter) the token is
 * ROTATED: a new token is made, its hash replaces the old one, and the old link stops working.
 */
import type { Types } from 'mongoose'
import type { Services } from '../services'
import { invitationEmail, reminderEmail, type EmailContent } from '../mail/invitationEmails'
import type { OutboxMessage } from '../mail/outboxMessage'
import { invitationText, reminderText } from '../mail/textMessages'
import { InvitationModel, type Invitation } from './invitation'
import {
  expire,
  isMessaged,
  letterPrinted,
  linkState,
  LIVE_STATUSES,
  queueWithNewLink,
  REMINDABLE_STATUSES,
  remindWithNewLink,
  type Actor,
} from './lifecycle'
import { codeAddress, createInvitation, invitationLink, type NewInvitation } from './service'
import { formatCode } from './token'
import { TeamModel } from '../teams/team'

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
    await letterPrinted(created.invitation._id, services.clock.now())
  }
  return created
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
  const rotated = await queueWithNewLink(id, { now, expiresAt, byText, actor })
  if (!rotated) {
    const current = await InvitationModel.findById(id).lean()
    return { ok: false, reason: refusalFor(current, now) }
  }
  await queueMessage(services, rotated.invitation, rotated.token, 'invitation')
  return { ok: true, invitation: rotated.invitation }
}

/**
 * Invitations the reminder job looks at. It leads with status (indexed with sentAt), so the
 * embedded engine reads only live invitations, never the completed and expired ones of past years.
 */
export function dueReminderFilter(now: Date, sentBefore: Date) {
  return {
    status: { $in: REMINDABLE_STATUSES },
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
    const rotated = await remindWithNewLink(_id, now)
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
    if (await expire(_id, now)) expired++
  }
  return expired
}
