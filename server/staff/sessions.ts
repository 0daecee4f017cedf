import mongoose, { Schema, model, type Types } from 'mongoose'

/**
 * When each staff session was last used (services clock), for the 30-minute idle limit. Kept
 * beside the session, not in it: writing it into the session on every request would save the whole
 * session each time, and two requests at once (a page and its favicon) would then overwrite each
 * other's changes to it. One small update per request here races with nothing.
 */
export interface SessionActivity {
  /** The express-session id. */
  _id: string
  userId: Types.ObjectId
  lastSeenAt: Date
}

const sessionActivitySchema = new Schema<SessionActivity>({
  _id: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  lastSeenAt: { type: Date, required: true },
})
sessionActivitySchema.index({ userId: 1 })
sessionActivitySchema.index({ lastSeenAt: 1 })

export const SessionActivityModel = model<SessionActivity>('SessionActivity', sessionActivitySchema)

/**
 * Records that a session is in use now, but only while it is live (used within idleMs), and
 * returns when it was last used before. The refresh is one conditional write, so when several
 * requests arrive after the idle limit none of them revives the session for the others. With
 * no record (it was just ended, or predates these records) one is started from what the session
 * itself knows (`sessionLastSeen`), never from now, for the same reason.
 */
export async function touchSession(
  sessionId: string,
  userId: Types.ObjectId | string,
  now: Date,
  idleMs: number,
  sessionLastSeen: Date,
): Promise<Date> {
  const refresh = () =>
    SessionActivityModel.findOneAndUpdate(
      { _id: sessionId, lastSeenAt: { $gte: new Date(now.getTime() - idleMs) } },
      { $set: { userId, lastSeenAt: now } },
      { new: false },
    ).lean()
  const live = await refresh()
  if (live) return live.lastSeenAt
  await SessionActivityModel.updateOne(
    { _id: sessionId },
    { $setOnInsert: { userId, lastSeenAt: sessionLastSeen } },
    { upsert: true },
  )
  const started = await refresh()
  if (started) return started.lastSeenAt
  return (await SessionActivityModel.findById(sessionId).lean())?.lastSeenAt ?? sessionLastSeen
}

/** Starts the record for a new session. Records older than any session can live are pruned by retention.ts. */
export async function startSessionActivity(
  sessionId: string,
  userId: Types.ObjectId | string,
  now: Date,
): Promise<void> {
  await SessionActivityModel.updateOne(
    { _id: sessionId },
    { $set: { userId, lastSeenAt: now } },
    { upsert: true },
  )
}

export async function forgetSessionActivity(sessionId: string): Promise<void> {
  await SessionActivityModel.deleteOne({ _id: sessionId })
}

/**
 * Ends every session of a staff user by deleting them from the session store (the `sessions`
 * collection, where sessions are stored as documents, not strings: see security/session.ts).
 * Used when an account is disabled or its password is reset. Returns how many were ended.
 */
export async function endSessionsOf(userId: Types.ObjectId | string): Promise<number> {
  const db = mongoose.connection.db
  if (!db) return 0
  const result = await db.collection('sessions').deleteMany({ 'session.staff.userId': String(userId) })
  await SessionActivityModel.deleteMany({ userId })
  return result.deletedCount
}
