import mongoose, { type Types } from 'mongoose'

/**
 * Ends every session of a staff user by deleting them from the session store (the `sessions`
 * collection, where sessions are stored as documents, not strings: see security/session.ts).
 * Used when an account is disabled or its password is reset. Returns how many were ended.
 */
export async function endSessionsOf(userId: Types.ObjectId | string): Promise<number> {
  const db = mongoose.connection.db
  if (!db) return 0
  const result = await db.collection('sessions').deleteMany({ 'session.staff.userId': String(userId) })
  return result.deletedCount
}
