/**
 * Who is signed in, and which pages their role opens. Every staff route goes through
 * `requireRole`; what they may do to a team's records is decided by `./policy`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Types } from 'mongoose'
import type { Clock } from '../clock'
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../security/session'
import { mayAtAll, type Action } from './policy'
import { forgetSessionActivity, touchSession } from './sessions'
import { UserModel, type Role, type User } from './user'

/** Why the server ended a staff session, told once on the sign-in page. */
export type SessionEndReason = 'idle' | 'absolute' | 'disabled'

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (services clock, ms); later requests are recorded in sessions.ts. */
    lastSeenAt?: number
    /** Set on the fresh session after the server ended a staff session. */
    sessionEnded?: SessionEndReason
  }
}

export interface StaffUser {
  id: Types.ObjectId
  email: string
  name: string
  role: Role
  teamIds: Types.ObjectId[]
}

declare module 'express-serve-static-core' {
  interface Request {
    staffUser?: StaffUser
  }
}

export interface NavigationItem {
  href: string
  text: string
  current?: boolean
}

/** The main menu for a role. */
export function navigationFor(user: StaffUser, path: string): NavigationItem[] {
  const items: Array<NavigationItem & { roles: Role[] }> = [
    { href: '/staff', text: 'Home', roles: ['practitioner', 'manager', 'qa', 'admin'] },
    { href: '/invitations/new', text: 'Send a survey', roles: ['practitioner', 'manager', 'qa', 'admin'] },
    { href: '/invitations', text: 'Invitations', roles: ['practitioner', 'manager', 'qa', 'admin'] },
    { href: '/reports', text: 'Reports', roles: ['practitioner', 'manager', 'qa', 'admin'] },
    { href: '/feedback/review', text: 'Comments to review', roles: ['qa', 'admin'] },
    { href: '/feedback/attention', text: 'Needs attention', roles: ['manager', 'qa', 'admin'] },
    { href: '/admin', text: 'Admin', roles: ['admin'] },
  ]
  const visible = items.filter((item) => item.roles.includes(user.role))
  const current = visible
    .filter((item) => path === item.href || path.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]
  return visible.map(({ href, text }) => ({ href, text, current: href === current?.href }))
}

function toStaffUser(user: User): StaffUser {
  return { id: user._id, email: user.email, name: user.name, role: user.role, teamIds: user.teamIds }
}

/**
 * Loads the signed-in user on every request. A disabled or deleted account, a session idle for
 * 30 minutes, or one past its absolute 12-hour limit ends the session server-side. Both limits
 * use the services clock (the cookie and store expiry back up the idle limit in real time).
 */
export function loadStaffUser(clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const staff = req.session?.staff
    if (!staff) return next()
    const now = clock.now()
    // Not written into the session itself: see sessions.ts.
    const lastSeenAt = (
      await touchSession(
        req.sessionID,
        staff.userId,
        now,
        IDLE_TIMEOUT_MS,
        new Date(req.session.lastSeenAt ?? staff.signedInAt),
      )
    ).getTime()
    let ended: SessionEndReason | undefined
    if (now.getTime() - staff.signedInAt > ABSOLUTE_TIMEOUT_MS) ended = 'absolute'
    else if (now.getTime() - lastSeenAt > IDLE_TIMEOUT_MS) ended = 'idle'
    const user = ended ? null : await UserModel.findById(staff.userId).lean()
    if (!user || user.disabled) {
      await forgetSessionActivity(req.sessionID)
      req.session.staff = undefined
      await new Promise<void>((resolve) => req.session.regenerate(() => resolve()))
      req.session.sessionEnded = ended ?? 'disabled'
      return next()
    }
    req.staffUser = toStaffUser(user)
    res.locals.staffUser = { name: user.name, email: user.email, role: user.role }
    res.locals.navigation = navigationFor(req.staffUser, req.path)
    next()
  }
}

/** Lets the request through only for a signed-in user with one of these roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return requireWhere((user) => roles.includes(user.role))
}

/** Lets the request through only for a signed-in user the access policy lets do this to some team. */
export function requireAction(action: Action): RequestHandler {
  return requireWhere((user) => mayAtAll(user, action))
}

function requireWhere(allowed: (user: StaffUser) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.staffUser) {
      const next_ = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : ''
      res.redirect(303, `/sign-in${next_}`)
      return
    }
    if (!allowed(req.staffUser)) {
      res.status(403).render('errors/error', {
        title: 'You do not have access to this page',
        message: 'Ask an administrator if you think you should.',
      })
      return
    }
    next()
  }
}
