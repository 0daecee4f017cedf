/**
 * /admin/outbox: what the app has emailed or is about to. Without SMTP_URL this is where mail
 * is read (status "kept"); with SMTP it shows delivery, retries and failures. Admins only.
 * Only the plain-text version is shown: never the HTML, which is not ours to render here.
 */
import { Router } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import { isObjectId } from '../db/objectId'
import { HttpError } from '../http/errors'
import { queryText, readInput, routeInput } from '../http/input'
import { formatDateTime } from '../dates'
import { outboxRetentionDays } from '../retention'
import { requireRole } from '../staff/access'
import { OUTBOX_STATUSES, OutboxMessageModel, type OutboxMessage, type OutboxStatus } from './outboxMessage'

export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = {
  pending: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  kept: 'Kept here (no mail server)',
  cancelled: 'Not sent (no longer needed)',
}

const PURPOSE_LABELS: Record<OutboxMessage['purpose'], string> = {
  invitation: 'Survey invitation',
  reminder: 'Reminder',
  safeguarding: 'Safeguarding alert',
  'password-reset': 'Password reset',
  other: 'Other',
}

const PAGE_SIZE = 50
/** The link's code as emails print it, in groups of four (invitations/token.ts). */
const PRINTED_CODE = /\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){6}\b/g

/**
 * A personal link is never shown here, not even in mail kept for lack of SMTP: whoever holds a live
 * link can answer as the family. The token is masked; a family that needs its link again gets a
 * new one (resend or reprint the letter from the invitation, which stops the old one). A password
 * reset link is hidden too: with it an admin could choose someone else's password.
 */
export function textForAdmin(message: Pick<OutboxMessage, 'text'>): string {
  return message.text
    .replace(/\/s\/[A-Za-z0-9_-]{16,}/g, '/s/[personal link hidden]')
    .replace(PRINTED_CODE, '[personal code hidden]')
    .replace(/\/reset-password\/[A-Za-z0-9_-]{16,}/g, '/reset-password/[link hidden]')
}

function summary(message: OutboxMessage) {
  return {
    id: String(message._id),
    to: message.to,
    subject: message.subject,
    purpose: PURPOSE_LABELS[message.purpose] ?? message.purpose,
    status: OUTBOX_STATUS_LABELS[message.status] ?? message.status,
    queued: formatDateTime(message.createdAt),
    sent: formatDateTime(message.sentAt),
    attempts: message.attempts,
    lastError: message.lastError ?? '',
    nextAttempt: message.status === 'pending' ? formatDateTime(message.nextAttemptAt) : '',
  }
}

const OutboxInput = routeInput({
  query: {
    /** "" (or garbled) is every status. */
    status: queryText.pipe(z.enum(['', ...OUTBOX_STATUSES], { error: 'Choose a status from the list.' })),
    /** A page from our own Previous/Next links: anything unreadable is the first, at most the 1000th. */
    page: queryText.transform((page) => Math.max(1, Math.min(1000, Number.parseInt(page || '1', 10) || 1))),
  },
})
/** The id is checked with the message, so a malformed one is the same 404 as a missing message. */
const MessageInput = routeInput({ params: { id: z.string() } })

export function outboxRoutes(services: Services): Router {
  const router = Router()
  const adminOnly = requireRole('admin')

  router.get('/admin/outbox', adminOnly, async (req, res) => {
    const { status, page } = readInput(OutboxInput, req).query
    const filter = status ? { status } : {}
    const [messages, total] = await Promise.all([
      OutboxMessageModel.find(filter, { text: 0, html: 0 })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .lean(),
      OutboxMessageModel.countDocuments(filter),
    ])
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const href = (n: number) =>
      `/admin/outbox?${new URLSearchParams({ ...(status ? { status } : {}), page: String(n) })}`
    res.render('mail/outbox', {
      title: 'Outbox',
      backLink: '/admin',
      smtpConfigured: Boolean(services.config.smtpUrl),
      retentionDays: outboxRetentionDays(services.config),
      statuses: OUTBOX_STATUSES.map((id) => ({ id, text: OUTBOX_STATUS_LABELS[id] })),
      status,
      messages: messages.map(summary),
      total,
      page,
      pages,
      previousHref: page > 1 ? href(page - 1) : undefined,
      nextHref: page < pages ? href(page + 1) : undefined,
    })
  })

  router.get('/admin/outbox/:id', adminOnly, async (req, res) => {
    const { id } = readInput(MessageInput, req).params
    const message = isObjectId(id) ? await OutboxMessageModel.findById(id).lean() : null
    if (!message) throw new HttpError(404, 'There is no message at this address.')
    res.set('Cache-Control', 'no-store')
    res.render('mail/message', {
      title: message.subject,
      backLink: '/admin/outbox',
      message: { ...summary(message), text: textForAdmin(message) },
    })
  })

  return router
}
