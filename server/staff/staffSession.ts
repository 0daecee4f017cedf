/**
 * Starting and ending a staff member's signed-in session. Every way of signing in (password, single
 * sign-on, a second factor) ends here, so the session id always changes at sign-in (no fixation) and
 * the session is always destroyed in the database at sign-out.
 */
import type { Request, Response } from 'express'
import type { Types } from 'mongoose'
import type { Clock } from '../clock'
import { SESSION_COOKIE, saveSession, regenerateSession } from '../security/session'
import { forgetSessionActivity, startSessionActivity } from './sessions'

/** Signs `userId` in on this request's session, under a new session id. */
export async function beginStaffSession(
  req: Request,
  clock: Clock,
  userId: Types.ObjectId | string,
): Promise<void> {
  // A new session id at sign-in, so a session id planted before sign-in is worthless.
  await regenerateSession(req)
  const now = clock.now().getTime()
  req.session.staff = { userId: String(userId), signedInAt: now }
  req.session.lastSeenAt = now
  await saveSession(req)
  await startSessionActivity(req.sessionID, userId, clock.now())
}

/** Destroys this request's session in the database and clears its cookie. */
export async function endStaffSession(req: Request, res: Response, secureCookies: boolean): Promise<void> {
  if (req.session) {
    await forgetSessionActivity(req.sessionID)
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((error) => (error ? reject(error) : resolve())),
    )
  }
  res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies })
}
