/**
 * Delivers the database outbox. Each message is claimed atomically (pending → sending with
 * findOneAndUpdate), so two workers never send the same message. A temporary failure (server
 * down, timeout, 4xx) is retried after 1, 2, 4, 8 … minutes, up to MAX_ATTEMPTS; a permanent one
 * (5xx, e.g. 550 mailbox unavailable) fails at once and is shown on the invitation. Nothing is
 * lost while SMTP is down: messages wait as pending. Without SMTP_URL messages are marked "kept"
 * and admins read them at /admin/outbox.
 *
 * Every channel keeps these promises: with NOTIFY_API_KEY, email and text messages go through
 * GOV.UK Notify (notify.ts sorts its answers into temporary and permanent) by the same claim,
 * retry and failure steps. A text message with no way to send it (SMTP but no Notify) fails with
 * the reason on the invitation, since no mail server can carry it.
 */
import type { Clock } from '../clock'
import type { Config } from '../config'
import { createNotifyTransports } from './notify'
import { OutboxMessageModel, type MessageChannel, type OutboxMessage } from './outboxMessage'
import { createMailTransport, DeliveryError, type MailTransport } from './transport'
import { runEvery, singleFlight } from '../runEvery'

export const MAX_ATTEMPTS = 8
/** A message left in "sending" this long (the process died mid-send) is tried again. */
export const STALE_CLAIM_MS = 10 * 60 * 1000

/**
 * What each run reads: claims left by a dead process, then mail due now. Both lead with an equality
 * on status (indexed with nextAttemptAt), so the embedded engine reads only those messages, never
 * the settled ones that pile up until retention.ts deletes them.
 */
export function staleClaimFilter(now: Date) {
  return { status: 'sending', claimedAt: { $lte: new Date(now.getTime() - STALE_CLAIM_MS) } }
}

export function dueMailFilter(now: Date) {
  return { status: 'pending', nextAttemptAt: { $lte: now } }
}

/** Minutes to wait after the nth failed attempt: 1, 2, 4, 8 … */
export function backoffMinutes(attempts: number): number {
  return 2 ** Math.max(0, attempts - 1)
}

export const SAFEGUARDING_MAX_BACKOFF_MINUTES = 30

function retryAfterMinutes(message: OutboxMessage, attempts: number): number {
  const minutes = backoffMinutes(attempts)
  return message.purpose === 'safeguarding' ? Math.min(minutes, SAFEGUARDING_MAX_BACKOFF_MINUTES) : minutes
}

export interface OutboxRunResult {
  sent: number
  kept: number
  retrying: number
  failed: number
  cancelled: number
}

/**
 * What a message was sent for hears how it went (for an invitation: its status and timeline).
 * Given by whoever builds the services, so the outbox needs to know nothing of invitations.
 */
export interface OutboxHooks {
  /** Whether the message should still go; false cancels it unsent. */
  stillWantsMail(message: OutboxMessage, now: Date): Promise<boolean>
  /** Delivered, or (kept) stored in the local outbox because nothing is set up to send it. */
  delivered(message: OutboxMessage, now: Date, kept: boolean): Promise<void>
  /** Given up on, refused for good or unsendable: `reason` says why, in plain words. */
  failed(message: OutboxMessage, now: Date, reason: string): Promise<void>
}

export interface OutboxWorkerOptions {
  /** Overrides the email transport made from config (null: keep mail locally). */
  transport?: MailTransport | null
  batchSize?: number
}

export class OutboxWorker {
  private readonly transport: MailTransport | undefined
  private readonly smsTransport: MailTransport | undefined
  private readonly batchSize: number

  constructor(
    private readonly services: { clock: Clock; config: Config; outboxHooks: OutboxHooks },
    options: OutboxWorkerOptions = {},
  ) {
    const notify = services.config.notify ? createNotifyTransports(services.config.notify) : undefined
    this.transport =
      options.transport === null
        ? undefined
        : (options.transport ?? notify?.email ?? createMailTransport(services.config.smtpUrl))
    this.smsTransport = options.transport === null ? undefined : notify?.sms
    this.batchSize = options.batchSize ?? 50
  }

  /** Sends what is due now. Calls overlapping a run in progress wait for it instead. */
  readonly runOnce: () => Promise<OutboxRunResult> = singleFlight(() => this.deliverDue())

  /** Runs every intervalMs until the returned stop function is called (which waits for a run). */
  start(intervalMs: number): () => Promise<void> {
    const stop = runEvery('outbox', intervalMs, () => this.runOnce())
    return async () => {
      await stop()
      this.transport?.close()
    }
  }

  private async deliverDue(): Promise<OutboxRunResult> {
    const result: OutboxRunResult = { sent: 0, kept: 0, retrying: 0, failed: 0, cancelled: 0 }
    const now = this.services.clock.now()
    await OutboxMessageModel.updateMany(staleClaimFilter(now), { $set: { status: 'pending' } })
    for (let i = 0; i < this.batchSize; i++) {
      const message = await OutboxMessageModel.findOneAndUpdate(
        dueMailFilter(now),
        { $set: { status: 'sending', claimedAt: now } },
        { sort: { nextAttemptAt: 1 }, new: true },
      ).lean()
      if (!message) break
      result[await this.deliver(message, now)]++
    }
    return result
  }

  private async deliver(message: OutboxMessage, now: Date): Promise<keyof OutboxRunResult> {
    const hooks = this.services.outboxHooks
    if (!(await hooks.stillWantsMail(message, now))) {
      await this.settle(message, { status: 'cancelled', lastError: 'The invitation is no longer open' })
      return 'cancelled'
    }
    const channel: MessageChannel = message.channel ?? 'email'
    const transport = channel === 'sms' ? this.smsTransport : this.transport
    if (!transport) {
      if (channel === 'sms' && this.transport) {
        // Mail goes by SMTP, which cannot carry a text message: say so rather than keep it unseen.
        const reason = 'Text messages need GOV.UK Notify (NOTIFY_API_KEY), which is not set up.'
        const settled = await this.settle(message, { status: 'failed', lastError: reason })
        if (settled) await hooks.failed(message, now, reason)
        return 'failed'
      }
      await this.settle(message, { status: 'kept' })
      await hooks.delivered(message, now, true)
      return 'kept'
    }
    const attempts = message.attempts + 1
    try {
      await transport.send({
        from: this.services.config.mailFrom,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        reference: String(message._id),
      })
    } catch (error) {
      const failure =
        error instanceof DeliveryError ? error : new DeliveryError(String((error as Error).message), false)
      // A safeguarding alert is never given up while the server is only down: it waits, at most
      // SAFEGUARDING_MAX_BACKOFF_MINUTES between tries, until the mail server is back.
      const givesUp = message.purpose !== 'safeguarding' && attempts >= MAX_ATTEMPTS
      if (failure.permanent || givesUp) {
        const reason = failure.permanent
          ? failure.message
          : `${failure.message}. Gave up after ${attempts} attempts.`
        const settled = await this.settle(message, { status: 'failed', attempts, lastError: reason })
        await hooks.failed(message, now, reason)
        if (settled) await this.redirectSafeguardingAlert(message, now)
        return 'failed'
      }
      await this.settle(message, {
        status: 'pending',
        attempts,
        lastError: failure.message,
        nextAttemptAt: new Date(now.getTime() + retryAfterMinutes(message, attempts) * 60 * 1000),
      })
      return 'retrying'
    }
    await this.settle(message, { status: 'sent', attempts, sentAt: now })
    await hooks.delivered(message, now, false)
    return 'sent'
  }

  /**
   * Records the outcome, only if this worker still holds the claim: a claim gone stale and taken
   * by another worker has a later claimedAt.
   */
  private async settle(message: OutboxMessage, set: Partial<OutboxMessage>): Promise<boolean> {
    const result = await OutboxMessageModel.updateOne(
      { _id: message._id, status: 'sending', claimedAt: message.claimedAt },
      { $set: set },
    )
    return result.modifiedCount === 1
  }

  /**
   * A team's duty address that refuses a safeguarding alert (550: no such mailbox) must not leave
   * the flag unannounced: the alert goes once to SAFEGUARDING_EMAIL instead, when that is another
   * address. Only the worker whose settle won gets here, so it is queued once.
   */
  private async redirectSafeguardingAlert(message: OutboxMessage, now: Date): Promise<void> {
    const fallback = this.services.config.safeguardingEmail
    if (message.purpose !== 'safeguarding' || !fallback) return
    if (fallback.toLowerCase() === message.to.toLowerCase()) return
    await OutboxMessageModel.create({
      to: fallback,
      subject: message.subject,
      text: `The team's duty address (${message.to}) refused this alert, so it comes to you.\n\n${message.text}`,
      purpose: 'safeguarding',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
  }
}
