import type { Services } from './app'
import { startInvitationJobs } from './invitations/jobs'
import { OutboxWorker } from './mail/outboxWorker'

/** Background work (the mail outbox, reminders, expiry, report tallies). Each worker returns a stop function. */
export interface BackgroundWork {
  stop(): Promise<void>
}

export function startBackgroundWork(services: Services): BackgroundWork {
  const stops: Array<() => Promise<void>> = []
  // The mail outbox every 15 seconds; invitation expiry and reminders every 5 minutes.
  stops.push(new OutboxWorker(services).start(15_000))
  stops.push(startInvitationJobs(services, 5 * 60_000))
  // Report tallies every 2 seconds (reports also catch up before they read).
  stops.push(services.tallies.start(2_000))
  return {
    async stop() {
      for (const stop of stops) await stop()
    },
  }
}
