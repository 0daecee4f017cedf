import type { Services } from './app'

/** Background work (the mail outbox, reminders, expiry). Each worker returns a stop function. */
export interface BackgroundWork {
  stop(): Promise<void>
}

export function startBackgroundWork(_services: Services): BackgroundWork {
  const stops: Array<() => Promise<void>> = []
  return {
    async stop() {
      for (const stop of stops) await stop()
    },
  }
}
