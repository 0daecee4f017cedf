/**
 * A database store for express-rate-limit, so that every app process behind a load balancer counts
 * into one limit (the default memory store gave each process the full number of guesses).
 *
 * Fixed windows: one document per limiter, client and window, `_id` = `<prefix>|<sha256 of the
 * key>|<window start>`. Counting a hit is one atomic upsert with `$inc` (atomic on MongoDB and on
 * our patched FerretDB, whose per-collection lock holds from read to write); two processes racing
 * to create the window's document get one insert and one duplicate-key error, which simply
 * retries as an increment. The client's address is hashed: no addresses are kept here. Windows
 * follow the system clock, as express-rate-limit itself does (it compares the reset time with
 * Date.now()); ended windows are deleted by the hourly retention job (FerretDB has no TTL indexes).
 */
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit'
import { Schema, model } from 'mongoose'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { sha256Hex } from './sha256'

export interface RateLimitWindow {
  _id: string
  hits: number
  /** When the window ends; the document can be deleted after this. */
  endsAt: Date
}

const rateLimitWindowSchema = new Schema<RateLimitWindow>(
  {
    _id: { type: String, required: true },
    hits: { type: Number, required: true },
    endsAt: { type: Date, required: true },
  },
  { versionKey: false },
)

export const RateLimitWindowModel = model<RateLimitWindow>('RateLimitWindow', rateLimitWindowSchema)

export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false
  private windowMs = 60_000

  constructor(readonly prefix: string) {}

  init(options: Options): void {
    this.windowMs = options.windowMs
  }

  private window(key: string): { id: string; endsAt: Date } {
    const now = Date.now()
    const start = now - (now % this.windowMs)
    return { id: `${this.prefix}|${sha256Hex(key)}|${start}`, endsAt: new Date(start + this.windowMs) }
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { id, endsAt } = this.window(key)
    const found = await RateLimitWindowModel.findById(id).lean()
    return found ? { totalHits: found.hits, resetTime: endsAt } : undefined
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { id, endsAt } = this.window(key)
    for (let attempt = 0; ; attempt++) {
      try {
        const counted = await RateLimitWindowModel.findOneAndUpdate(
          { _id: id },
          { $inc: { hits: 1 }, $setOnInsert: { endsAt } },
          { upsert: true, new: true },
        ).lean()
        return { totalHits: counted?.hits ?? 1, resetTime: endsAt }
      } catch (error) {
        // Another process created the window's document first: count into it.
        if (!isDuplicateKeyError(error) || attempt >= 3) throw error
      }
    }
  }

  async decrement(key: string): Promise<void> {
    const { id } = this.window(key)
    await RateLimitWindowModel.updateOne({ _id: id, hits: { $gt: 0 } }, { $inc: { hits: -1 } })
  }

  async resetKey(key: string): Promise<void> {
    await RateLimitWindowModel.deleteOne({ _id: this.window(key).id })
  }
}

/** Deletes windows that have ended (run by the retention job). */
export async function deleteEndedRateLimitWindows(now: Date): Promise<number> {
  const { deletedCount } = await RateLimitWindowModel.deleteMany({ endsAt: { $lte: now } })
  return deletedCount
}
