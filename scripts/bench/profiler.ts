/**
 * `--cpu-profile FILE`: a V8 CPU profile of the bench's own process (the app and the families'
 * HTTP clients) while a measured stretch runs, one file per stretch (FILE.1.cpuprofile, ...), to
 * open in Chrome's DevTools or read with any .cpuprofile tool. Off when no file is named.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

export class StretchProfiler {
  private readonly session = new Session()
  private stretches = 0

  constructor(private readonly file: string) {
    this.session.connect()
  }

  async start(): Promise<void> {
    await this.session.post('Profiler.enable')
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 })
    await this.session.post('Profiler.start')
  }

  /** Ends the stretch and writes its profile; the next start() begins the next file. */
  async stop(): Promise<void> {
    const { profile } = await this.session.post('Profiler.stop')
    this.stretches += 1
    writeFileSync(`${this.file}.${this.stretches}.cpuprofile`, JSON.stringify(profile))
  }
}
