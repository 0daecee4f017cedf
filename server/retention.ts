/**
 * How long records that only serve a moment are kept, so that nothing grows without bound. The
 * background work runs pruneOldRecords every hour in every app process (dataProtection/
 * applySchedule.ts, which counts what it removed on the day's retention record); deleting twice is
 * harmless. The retention schedule of personal data (case references, free text, contact details,
 * audit events) is dataProtection/.
 *
 * - Outbox mail that is settled (sent, kept, cancelled, failed) goes OUTBOX_RETENTION_DAYS (30)
 *   after it was queued, and never sooner than INVITATION_EXPIRY_DAYS: mail kept here without SMTP
 *   is the only copy of its link, which works that long. Mail still waiting or sending is never
 *   deleted. Nothing an admin needs goes with it: a failed invitation email's reason stays on the
 *   invitation (status, reason and timeline), and a safeguarding flag stays in Needs attention.
 * - A bulk-upload preview that was never confirmed goes once it can no longer be confirmed (a day);
 *   a sent upload (its "surveys sent" page, which repeats the rows' emails) after
 *   BULK_UPLOAD_RETENTION_DAYS (30). The invitations it made are kept as ever.
 * - Sessions go once expired, and the activity record of a staff session once older than any
 *   session can live (12 hours). Rate-limit windows go once they have ended, password reset links
 *   a day after they expired.
 *
 * Each filter leads with an equality on an indexed field where the collection has one, so the
 * embedded engine reads only candidates; the date condition is checked on those.
 */
import mongoose from 'mongoose'
import type { Services } from './services'
import type { Config } from './config'
import { deleteInBatches } from './db/deleteInBatches'
import { PREVIEW_LIFETIME_MS } from './invitations/bulk'
import { BulkUploadModel } from './invitations/bulkUpload'
import { OutboxMessageModel, type OutboxStatus } from './mail/outboxMessage'
import { deleteEndedRateLimitWindows } from './security/rateLimitStore'
import { ABSOLUTE_TIMEOUT_MS } from './security/session'
import { PasswordResetModel } from './staff/passwordReset'
import { SessionActivityModel } from './staff/sessions'

const DAY_MS = 24 * 60 * 60 * 1000

/** Outbox statuses a message never leaves. */
export const SETTLED_MAIL_STATUSES: OutboxStatus[] = ['sent', 'kept', 'cancelled', 'failed']

/** Days settled mail is kept: the setting, but never less than a link lives. */
export function outboxRetentionDays(config: Pick<Config, 'outboxRetentionDays' | 'invitationExpiryDays'>) {
  return Math.max(config.outboxRetentionDays, config.invitationExpiryDays)
}

export function settledMailFilter(now: Date, days: number) {
  return {
    status: { $in: SETTLED_MAIL_STATUSES },
    createdAt: { $lt: new Date(now.getTime() - days * DAY_MS) },
  }
}

export function stalePreviewFilter(now: Date) {
  return { status: 'preview', createdAt: { $lt: new Date(now.getTime() - PREVIEW_LIFETIME_MS) } }
}

export function oldBulkUploadFilter(now: Date, days: number) {
  return { status: { $in: ['sending', 'sent'] }, createdAt: { $lt: new Date(now.getTime() - days * DAY_MS) } }
}

export interface RetentionResult {
  outboxMessages: number
  bulkPreviews: number
  bulkUploads: number
  sessions: number
  sessionActivity: number
  rateLimitWindows: number
  passwordResets: number
}

export async function pruneOldRecords(
  services: Pick<Services, 'clock' | 'config'>,
): Promise<RetentionResult> {
  const now = services.clock.now()
  const { config } = services
  const sessions = mongoose.connection.db?.collection('sessions')
  return {
    outboxMessages: await deleteInBatches(
      OutboxMessageModel.collection,
      settledMailFilter(now, outboxRetentionDays(config)),
    ),
    bulkPreviews: await deleteInBatches(BulkUploadModel.collection, stalePreviewFilter(now)),
    bulkUploads: await deleteInBatches(
      BulkUploadModel.collection,
      oldBulkUploadFilter(now, config.bulkUploadRetentionDays),
    ),
    // The session store dates sessions by the system clock (express-session's cookie expiry), so
    // they are judged by it too, not by the services clock.
    sessions: sessions ? await deleteInBatches(sessions, { expires: { $lt: new Date() } }) : 0,
    sessionActivity: await deleteInBatches(SessionActivityModel.collection, {
      lastSeenAt: { $lt: new Date(now.getTime() - ABSOLUTE_TIMEOUT_MS) },
    }),
    // A small collection (a document per address and limiter while a window is open), dated by
    // the system clock like express-rate-limit itself.
    rateLimitWindows: await deleteEndedRateLimitWindows(new Date()),
    // Used or expired links are worthless; a day's grace keeps them for looking into a complaint.
    passwordResets: await deleteInBatches(PasswordResetModel.collection, {
      expiresAt: { $lt: new Date(now.getTime() - DAY_MS) },
    }),
  }
}
