/**
 * Signing in and out, and the staff home page. Thin: parse the form, call checkSignIn, then
 * beginStaffSession / endStaffSession (staffSession.ts).
 */
import { Router } from 'express'
import type { Services } from '../services'
import { recordAudit } from '../audit/auditEvent'
import { queryText, readInput, routeInput, sentText, type FieldError } from '../http/input'
import { signInIpLimiter, TOO_MANY_ATTEMPTS_MESSAGE, TOO_MANY_ATTEMPTS_TITLE } from '../security/rateLimits'
import { navigationFor, requireRole, type SessionEndReason } from './access'
import { changeOwnPassword } from './ownPassword'
import { beginPendingSignIn } from './mfa/pendingSignIn'
import { mfaRoutes } from './mfa/routes'
import { passwordResetRoutes } from './passwordResetRoutes'
import { checkSignIn } from './signIn'
import { beginStaffSession, endStaffSession } from './staffSession'

/** A local path to go to after signing in: one leading "/", never "//" or "/\" (other sites). */
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 1000) return undefined
  if (!/^\/(?![/\\])/.test(value)) return undefined
  if (value.includes('\\') || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    return undefined
  }
  return value
}

const ENDED_MESSAGES: Record<SessionEndReason, string> = {
  idle: 'You were signed out because you had not used Family Voice for 30 minutes. Sign in again to carry on.',
  absolute: 'You were signed out because you had been signed in for 12 hours. Sign in again to carry on.',
  disabled: 'You have been signed out.',
}

const HOME_DESCRIPTIONS: Record<string, string> = {
  '/invitations/new': 'Send a family, young person or professional a personal survey link.',
  '/invitations': 'See the survey links you and your teams have sent, and cancel or resend them.',
  '/reports': 'Read what families told us, by quarter, team and service.',
  '/feedback/review': 'Check comments before they are quoted in reports.',
  '/feedback/attention': 'Comments that may show a worry about a child, waiting for someone to act.',
  '/admin': 'Manage staff accounts and teams, and read the audit trail.',
}

declare module 'express-session' {
  interface SessionData {
    /** A one-off message for the staff home page, e.g. "Your password has been changed". */
    accountNotice?: string
  }
}

/** Where to go after signing in, from a link (`?next=`): only a path on this site, else none. */
export const nextPath = queryText.transform(safeNextPath)

/** A notice our own redirects ask for (`?signedOut=1`). */
const flag = queryText.transform((value) => value === '1')

const SignInPageInput = routeInput({
  query: { next: nextPath, signedOut: flag, again: flag, reset: flag },
})
/** Fields read as typed: the email address is shown again when something is missing or wrong. */
const SignInForm = routeInput({
  body: { email: sentText, password: sentText, next: sentText.transform(safeNextPath) },
})
const ChangePasswordForm = routeInput({
  body: { current: sentText, password: sentText, confirm: sentText },
})

export function staffRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services

  router.get('/sign-in', (req, res) => {
    const { next, signedOut, again, reset } = readInput(SignInPageInput, req).query
    if (req.staffUser) {
      res.redirect(303, next ?? '/staff')
      return
    }
    let notice: string | undefined
    if (signedOut) notice = 'You have signed out.'
    if (again) notice = 'Sign in again: the page you were on had expired.'
    if (reset) notice = 'Your password has been changed. Sign in with your new password.'
    const ended = req.session?.sessionEnded
    if (ended) {
      notice = ENDED_MESSAGES[ended]
      req.session.sessionEnded = undefined
    }
    res.render('staff/sign-in', { title: 'Sign in', next, notice, email: '', errors: [] })
  })

  router.post('/sign-in', signInIpLimiter(), async (req, res) => {
    const { email, password, next } = readInput(SignInForm, req).body
    const errors: FieldError[] = []
    if (email.trim() === '') errors.push({ href: 'email', text: 'Enter your email address' })
    if (password === '') errors.push({ href: 'password', text: 'Enter your password' })
    if (errors.length) {
      res.status(400).render('staff/sign-in', { title: 'Sign in', next, email, errors })
      return
    }

    const result = await checkSignIn(clock, { email, password, ip: req.ip })
    if (result.outcome === 'locked') {
      res
        .status(429)
        .render('errors/error', { title: TOO_MANY_ATTEMPTS_TITLE, message: TOO_MANY_ATTEMPTS_MESSAGE })
      return
    }
    if (result.outcome === 'failed') {
      res.status(401).render('staff/sign-in', {
        title: 'Sign in',
        next,
        email,
        errors: [{ href: 'email', text: 'Enter a correct email address and password' }],
      })
      return
    }

    if (result.secondFactor) {
      // Half-way in: not signed in until the code (or setting up an app) on the next page.
      await beginPendingSignIn(req, clock, result.user._id, result.secondFactor, next)
      res.redirect(303, result.secondFactor === 'code' ? '/sign-in/code' : '/sign-in/set-up-mfa')
      return
    }
    await beginStaffSession(req, clock, result.user._id)
    res.redirect(303, next ?? '/staff')
  })

  router.post('/sign-out', async (req, res) => {
    const user = req.staffUser
    const viaSso = req.session?.staff?.method === 'sso'
    if (user) {
      await recordAudit(clock.now(), {
        userId: user.id,
        actorLabel: user.email,
        action: 'session.signed-out',
        ip: req.ip,
      })
    }
    await endStaffSession(req, res, services.config.secureCookies)
    // Signed in by the identity provider: sign out there too, when it offers that.
    const providerSignOut = viaSso ? await services.sso?.signOutUrl() : undefined
    res.redirect(303, providerSignOut ?? '/sign-in?signedOut=1')
  })

  router.get('/staff', requireRole('practitioner', 'manager', 'qa', 'admin'), (req, res) => {
    const links = navigationFor(req.staffUser!, req.path)
      .filter((item) => item.href !== '/staff')
      .map((item) => ({ href: item.href, text: item.text, description: HOME_DESCRIPTIONS[item.href] ?? '' }))
    const notice = req.session.accountNotice
    if (notice) delete req.session.accountNotice
    res.render('staff/home', { title: 'Staff home', links, notice })
  })

  const anyStaff = requireRole('practitioner', 'manager', 'qa', 'admin')
  router.get('/account/password', anyStaff, (_req, res) => {
    res.render('staff/change-password', { title: 'Change your password', errors: [] })
  })

  router.post('/account/password', anyStaff, async (req, res) => {
    const outcome = await changeOwnPassword(
      clock,
      { userId: String(req.staffUser!.id), sessionId: req.sessionID, ...(req.ip ? { ip: req.ip } : {}) },
      readInput(ChangePasswordForm, req).body,
    )
    if (!outcome.ok) {
      res
        .status(outcome.throttled ? 429 : 400)
        .render('staff/change-password', { title: 'Change your password', errors: outcome.errors })
      return
    }
    req.session.accountNotice =
      'Your password has been changed. Anywhere else you were signed in has been signed out.'
    res.redirect(303, '/staff')
  })

  router.use(mfaRoutes(services))
  router.use(passwordResetRoutes(services))

  return router
}
