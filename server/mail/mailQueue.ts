import type { Types } from 'mongoose'
import type { Clock } from '../clock'
import { OutboxMessageModel, type OutboxMessage } from './outboxMessage'

export interface OutgoingMail {
  /** Default email. */
  channel?: OutboxMessage['channel']
  to: string
  subject: string
  text: string
  html?: string
  purpose: OutboxMessage['purpose']
  invitationId?: Types.ObjectId
}

/** Queues mail in the database outbox; the outbox worker delivers it. */
export class MailQueue {
  constructor(private readonly clock: Clock) {}

  async enqueue(mail: OutgoingMail): Promise<OutboxMessage> {
    const created = await OutboxMessageModel.create({
      ...mail,
      channel: mail.channel ?? 'email',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: this.clock.now(),
      // The services clock, as for every other record, so retention ages it in the same time.
      createdAt: this.clock.now(),
    })
    return created.toObject()
  }
}
