/**
 * Counts the database commands the app sends while a measurement runs (the driver's command
 * monitoring), so the bench can say how many round trips and writes one submission costs.
 */
import type { MongoClient } from 'mongodb'

const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify'])

export class CommandCounter {
  private counts = new Map<string, number>()
  private on = false
  constructor(client: MongoClient) {
    client.on('commandStarted', (event) => {
      if (!this.on) return
      const key = `${event.commandName} ${String((event.command as Record<string, unknown>)[event.commandName])}`
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    })
  }

  /** Counts the commands `run` makes. */
  async during<T>(run: () => Promise<T>): Promise<T> {
    this.on = true
    try {
      return await run()
    } finally {
      this.on = false
    }
  }

  /** "2.0 reads and 3.2 writes a submission (insert responses 1.0, …)", then starts again. */
  perItem(items: number): string {
    let reads = 0
    let writes = 0
    const parts: string[] = []
    for (const [key, count] of [...this.counts].sort((a, b) => b[1] - a[1])) {
      const each = count / items
      if (WRITES.has(key.split(' ')[0]!)) writes += each
      else reads += each
      parts.push(`${key} ${each.toFixed(2)}`)
    }
    this.counts.clear()
    return `${reads.toFixed(2)} reads and ${writes.toFixed(2)} writes each (${parts.join(', ')})`
  }
}
