/** Timing for the bench: samples, percentiles and the table it prints. */
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'

export interface Timing {
  name: string
  count: number
  p50: number
  p95: number
  p99: number
  /** The 1-minute load average when it finished: the machine is shared. */
  load: number
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

export const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 100 ? 1 : 0)} ms`

export function load(): number {
  return loadavg()[0]!
}

export function summarise(name: string, samples: number[]): Timing {
  const timing = {
    name,
    count: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    load: load(),
  }
  console.log(
    `${name.padEnd(58)} n=${String(timing.count).padStart(4)}  p50 ${ms(timing.p50).padStart(9)}  p95 ${ms(timing.p95).padStart(9)}  p99 ${ms(timing.p99).padStart(9)}  load ${timing.load.toFixed(1)}`,
  )
  return timing
}

/** `count` runs one after another, after `warmUp` untimed ones. */
export async function measure(
  name: string,
  count: number,
  run: (i: number) => Promise<unknown>,
  warmUp = Math.min(3, count),
): Promise<Timing | undefined> {
  if (count < 1) return undefined
  for (let i = 0; i < warmUp; i++) await run(-1 - i)
  const samples: number[] = []
  for (let i = 0; i < count; i++) samples.push(await time(() => run(i)))
  return summarise(name, samples)
}

/**
 * CPU seconds used so far by this process and by its FerretDB child (Linux /proc; undefined
 * elsewhere). On a shared machine the wall-clock time of seeding says as much about the other
 * work on it as about the seeding; the CPU time does not.
 */
export function cpuSeconds(): { node: number; database: number | undefined } {
  const usage = process.cpuUsage()
  const node = (usage.user + usage.system) / 1e6
  let database: number | undefined
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      let stat: string
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      } catch {
        continue // the process ended while we read the list
      }
      // pid (comm) state ppid … utime stime are fields 14 and 15; comm may hold spaces.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (comm !== 'ferretdb' || Number(fields[1]) !== process.pid) continue
      database = (database ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100
    }
  } catch {
    // Not Linux: only the wall-clock time is known.
  }
  return { node, database }
}
