import type { Services } from './services'
import { startInvitationJobs } from './invitations/jobs'
import { startSafeguardingAlertJob } from './feedback/safeguarding'
import { OutboxWorker } from './mail/outboxWorker'
import { startRetentionJobs } from './dataProtection/applySchedule'

/** Background work (the mail outbox, reminders, expiry, report tallies, pruning). Each worker returns a stop function. */
export interface BackgroundWork {
  stop(): Promise<void>
}

export function startBackgroundWork(services: Services): BackgroundWork {
  const stops: Array<() => Promise<void>> = []
  // The mail outbox every 15 seconds; invitation expiry and reminders every 5 minutes (both
  // BACKGROUND_INTERVAL_MS when set, for tests); pruning of old mail, previews and sessions at
  // start and then hourly, and the retention schedule once a UK day (the first process to claim it). Every claim is atomic, so any number of app processes can run these
  // on one database.
  const interval = services.config.backgroundIntervalMs
  stops.push(new OutboxWorker(services).start(interval ?? 15_000))
  // Safeguarding alerts that could not be queued as the response was stored, as often as the outbox.
  stops.push(startSafeguardingAlertJob(services, interval ?? 15_000))
  stops.push(startInvitationJobs(services, interval ?? 5 * 60_000))
  stops.push(startRetentionJobs(services, 60 * 60_000))
  // Report tallies every 2 seconds (reports also catch up before they read).
  stops.push(services.tallies.start(interval ?? 2_000))
  return {
    async stop() {
      for (const stop of stops) await stop()
    },
  }
}
