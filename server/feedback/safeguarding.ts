/**
 * A possible disclosure of harm must reach a person quickly. When free text matches the worry
 * list, the team's duty address (or SAFEGUARDING_EMAIL) gets an email pointing at the item in
 * "Needs attention". The email never carries the text itself: mail leaves our systems, and the
 * text may name a child.
 *
 * Never lost: the comment is stored with `alertState: 'due'` in the same write that flags it, and
 * stays due until the alert is in the outbox. If the outbox cannot be written (or the process dies
 * first), the background job queues it later; once queued, the outbox retries a safeguarding alert
 * for as long as the mail server is down (see outboxWorker).
 */
import type { Clock } from '../clock'
import type { Config } from '../config'
import type { MailQueue } from '../mail/mailQueue'
import type { SurveyRegistry } from '../surveys/registry'
import { CommentModel, type Comment } from '../comments/comment'
import { TeamModel } from '../teams/team'
import { surveyTitle } from './format'
import { formatDateTime } from '../dates'
import { runEvery } from '../runEvery'
import { log } from '../log'

/** The parts of Services an alert needs (named here, so services.ts can wire this in without a cycle). */
export interface SafeguardingDeps {
  config: Config
  surveys: SurveyRegistry
  mail: MailQueue
  clock: Clock
}

/** A claim older than this (the process died while queueing) is taken again. */
export const STALE_ALERT_CLAIM_MS = 10 * 60 * 1000
const ALERT_BATCH = 50

export function attentionLink(baseUrl: string, commentId: Comment['_id'] | string): string {
  return `${baseUrl}/feedback/attention/${String(commentId)}`
}

export type AlertOutcome = 'queued' | 'no-address' | 'not-due'

/**
 * Claims the flag's alert (due → claimed, one conditional write, so two processes never both
 * queue it), queues the email and marks it queued. On failure the claim is handed back as due.
 */
export async function queueSafeguardingAlert(
  deps: SafeguardingDeps,
  commentId: Comment['_id'],
): Promise<AlertOutcome> {
  const claimedAt = deps.clock.now()
  const comment = await CommentModel.findOneAndUpdate(
    { _id: commentId, alertState: 'due' },
    { $set: { alertState: 'claimed', alertClaimedAt: claimedAt } },
    { new: true },
  ).lean()
  if (!comment) return 'not-due'
  const mine = { _id: commentId, alertState: 'claimed', alertClaimedAt: claimedAt }
  try {
    const team = await TeamModel.findById(comment.teamId).select({ dutyEmail: 1 }).lean()
    const to = team?.dutyEmail?.trim() || deps.config.safeguardingEmail
    if (!to) {
      log.warn(
        { job: 'safeguarding', commentId: String(comment._id), teamId: String(comment.teamId) },
        'a flagged comment has no duty email to alert (team has none, SAFEGUARDING_EMAIL unset): it waits in Needs attention',
      )
      await CommentModel.updateOne(mine, { $set: { alertState: 'no-address' } })
      return 'no-address'
    }
    const title = surveyTitle(deps.surveys, comment.surveyId)
    const link = attentionLink(deps.config.baseUrl, comment._id)
    await deps.mail.enqueue({
      to,
      purpose: 'safeguarding',
      subject: `Family Voice: a response for ${comment.teamName} may need attention`,
      text: [
        `A response to "${title}" for ${comment.teamName} may need attention.`,
        '',
        `It was given on ${formatDateTime(comment.submittedAt)} and contains words on the safeguarding worry list.`,
        '',
        'Please read it and record what was done:',
        link,
        '',
        'You will need to sign in. The words are not included in this email to keep them safe.',
      ].join('\n'),
    })
    await CommentModel.updateOne(mine, { $set: { alertState: 'queued' } })
    return 'queued'
  } catch (error) {
    await CommentModel.updateOne(mine, { $set: { alertState: 'due' } }).catch(() => undefined)
    throw error
  }
}

/**
 * Queues the alert as the response is stored. Never throws: the response is already stored and
 * the flag shows in "Needs attention" whatever happens to the email; a failure is logged and the
 * background job tries again.
 */
export async function notifySafeguardingFlag(deps: SafeguardingDeps, comment: Comment): Promise<void> {
  try {
    await queueSafeguardingAlert(deps, comment._id)
  } catch (error) {
    log.error(
      { job: 'safeguarding', commentId: String(comment._id), err: error },
      'could not queue a safeguarding alert yet; it will be tried again',
    )
  }
}

/**
 * What the job reads: equality on the indexed top-level alertState, so the embedded engine reads
 * the index, never every comment.
 */
export function dueAlertFilter() {
  return { alertState: 'due' }
}

export function staleAlertClaimFilter(now: Date) {
  return { alertState: 'claimed', alertClaimedAt: { $lte: new Date(now.getTime() - STALE_ALERT_CLAIM_MS) } }
}

/** The background job: alerts still due (or claimed by a process that died), queued now. */
export async function queueDueSafeguardingAlerts(deps: SafeguardingDeps): Promise<number> {
  await CommentModel.updateMany(staleAlertClaimFilter(deps.clock.now()), { $set: { alertState: 'due' } })
  const due = await CommentModel.find(dueAlertFilter()).select({ _id: 1 }).limit(ALERT_BATCH).lean()
  let queued = 0
  for (const { _id } of due) {
    try {
      if ((await queueSafeguardingAlert(deps, _id)) === 'queued') queued++
    } catch (error) {
      log.error(
        { job: 'safeguarding', commentId: String(_id), err: error },
        'could not queue a safeguarding alert yet',
      )
    }
  }
  return queued
}

/** Runs the job every intervalMs; the returned function stops it. */
export function startSafeguardingAlertJob(deps: SafeguardingDeps, intervalMs: number): () => Promise<void> {
  return runEvery('safeguarding', intervalMs, () => queueDueSafeguardingAlerts(deps))
}
