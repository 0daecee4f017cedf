/**
 * Who is signed in, and what they may see. Every staff route goes through `requireRole`; records
 * from a team the user cannot see are answered with 404, as if they did not exist.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Types } from 'mongoose'
import type { Clock } from '../clock'
import { ABSOLUTE_TIMEOUT_MS } from '../security/session'
import { UserModel, type Role, type User } from './user'

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
 * Loads the signed-in user on every request. A disabled or deleted account, or a session past
 * its absolute 12-hour limit, ends the session server-side.
 */
export function loadStaffUser(clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const staff = req.session?.staff
    if (!staff) return next()
    const expired = clock.now().getTime() - staff.signedInAt > ABSOLUTE_TIMEOUT_MS
    const user = expired ? null : await UserModel.findById(staff.userId).lean()
    if (!user || user.disabled) {
      req.session.staff = undefined
      await new Promise<void>((resolve) => req.session.regenerate(() => resolve()))
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
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.staffUser) {
      const next_ = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : ''
      res.redirect(303, `/sign-in${next_}`)
      return
    }
    if (!roles.includes(req.staffUser.role)) {
      res.status(403).render('errors/error', {
        title: 'You do not have access to this page',
        message: 'Ask an administrator if you think you should.',
      })
      return
    }
    next()
  }
}

/** Whether the user may see records belonging to this team (QA and admins see every team). */
export function canSeeTeam(user: StaffUser, teamId: Types.ObjectId | string): boolean {
  if (user.role === 'qa' || user.role === 'admin') return true
  return user.teamIds.some((id) => String(id) === String(teamId))
}

/** A database filter limiting records to the teams the user may see; empty for QA and admins. */
export function teamScope(user: StaffUser, field = 'teamId'): Record<string, unknown> {
  if (user.role === 'qa' || user.role === 'admin') return {}
  return { [field]: { $in: user.teamIds } }
}
