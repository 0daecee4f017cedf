import { log } from './log'

/**
 * The loop every background job shares: run every intervalMs (and at once, with `now`), never two
 * runs of one job at the same time in a process; a failed run is logged (the error's message only,
 * which never holds personal data here) and the next one tries again. The returned function stops
 * the loop and waits for a run in progress.
 */
export function runEvery(
  label: string,
  intervalMs: number,
  run: () => Promise<unknown>,
  options: { now?: boolean } = {},
): () => Promise<void> {
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (running) return
    running = run()
      .catch((error: unknown) => log.error({ job: label, err: error }, `${label} run failed`))
      .finally(() => {
        running = undefined
      })
  }
  const first = options.now ? setTimeout(tick, 0) : undefined
  const timer = setInterval(tick, intervalMs)
  first?.unref()
  timer.unref()
  return async () => {
    if (first) clearTimeout(first)
    clearInterval(timer)
    await running
  }
}

/**
 * `run`, but calls made while a run is in progress share it instead of starting another: for a
 * job's runOnce, which the timer, a report read or a test may all call at once.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined
  return () => {
    running ??= run().finally(() => {
      running = undefined
    })
    return running
  }
}
