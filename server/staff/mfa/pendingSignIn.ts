/**
 * The half-signed-in state between a correct password and the second factor. It lives in the
 * session (under a fresh session id) but is never `session.staff`, so nothing treats it as signed
 * in; it lasts 10 minutes on the services clock, long enough to install an authenticator app.
 */
import type { Request } from 'express'
import type { Types } from 'mongoose'
import type { Clock } from '../../clock'
import { saveSession, regenerateSession } from '../../security/session'

export const PENDING_SIGN_IN_MS = 10 * 60 * 1000

export interface PendingSignIn {
  userId: string
  /** 'code': the app is on, enter a code; 'set-up': the role needs one and there is none yet. */
  stage: 'code' | 'set-up'
  startedAt: number
  next?: string
}

declare module 'express-session' {
  interface SessionData {
    pendingSignIn?: PendingSignIn
  }
}

/** After the password: a new session id (as at sign-in), holding only who is half-way in. */
export async function beginPendingSignIn(
  req: Request,
  clock: Clock,
  userId: Types.ObjectId | string,
  stage: PendingSignIn['stage'],
  next: string | undefined,
): Promise<void> {
  await regenerateSession(req)
  req.session.pendingSignIn = {
    userId: String(userId),
    stage,
    startedAt: clock.now().getTime(),
    ...(next ? { next } : {}),
  }
  await saveSession(req)
}

/** The pending sign-in at this stage, if it has not expired. */
export function pendingSignIn(
  req: Request,
  clock: Clock,
  stage: PendingSignIn['stage'],
): PendingSignIn | undefined {
  const pending = req.session?.pendingSignIn
  if (!pending || pending.stage !== stage) return undefined
  if (clock.now().getTime() - pending.startedAt > PENDING_SIGN_IN_MS) return undefined
  return pending
}
