/**
 * The single sign-on pages: `GET /sign-in/sso` leaves for the council's identity provider,
 * `GET /sign-in/sso/callback` comes back. Every way it can end is audited; each refusal is the
 * sign-in page with a clear message and a 4xx (503 when the provider cannot be reached), never a 500.
 */
import { timingSafeEqual } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import type { Services } from '../services'
import { recordAudit } from '../audit/auditEvent'
import { queryText, readInput, routeInput } from '../http/input'
import { signInIpLimiter } from '../security/rateLimits'
import { nextPath } from './routes'
import { SSO_CALLBACK_PATH, type PendingSignOn, type SingleSignOn } from './sso'
import { accountForSignOn } from './ssoAccounts'
import { beginStaffSession } from './staffSession'
import { ROLE_LABELS, UserModel, type User } from './user'

declare module 'express-session' {
  interface SessionData {
    /** A sign-in started at the identity provider and not yet back. */
    ssoPending?: PendingSignOn
  }
}

/** A sign-in left at the provider for longer than this is refused (its state is stale). */
export const SSO_PENDING_MS = 10 * 60 * 1000

const TRY_AGAIN = 'Try again, or sign in with your email address and password.'
const ASK_ADMIN = 'Ask a Family Voice administrator in your organisation.'

/** What each refusal says, and its status. */
const REFUSALS = {
  'no-pending': [400, `Your sign-in had expired or was started in another window. ${TRY_AGAIN}`],
  'state-mismatch': [400, `Your sign-in could not be checked, so you have not been signed in. ${TRY_AGAIN}`],
  'provider-error': [400, `Your council account did not sign you in. ${TRY_AGAIN}`],
  'code-refused': [400, `That sign-in has already been used or has expired. ${TRY_AGAIN}`],
  'invalid-response': [
    400,
    `Your council account's answer could not be checked, so you have not been signed in. ${TRY_AGAIN}`,
  ],
  unreachable: [503, `Single sign-on is not available at the moment. ${TRY_AGAIN}`],
  'no-email': [403, `Your council account did not give Family Voice an email address. ${ASK_ADMIN}`],
  'unverified-email': [
    403,
    `Your council account's email address is not verified, so it cannot be matched to a Family Voice account. ${ASK_ADMIN}`,
  ],
  disabled: [403, `Your Family Voice account has been disabled. ${ASK_ADMIN}`],
  'no-account': [403, `There is no Family Voice account for your email address. ${ASK_ADMIN}`],
  'no-group': [403, `Your council account is not in a group that gives access to Family Voice. ${ASK_ADMIN}`],
} as const satisfies Record<string, readonly [number, string]>

type Refusal = keyof typeof REFUSALS

/** Audit details: what happened, never the provider's free text. */
const AUDIT_DETAILS: Record<Refusal, string> = {
  'no-pending': 'No sign-in was waiting in this browser (expired or another window)',
  'state-mismatch': 'The state did not match this browser’s sign-in',
  'provider-error': 'The identity provider returned an error',
  'code-refused': 'The identity provider refused the code (used before, or expired)',
  'invalid-response': 'The identity provider’s answer failed its checks',
  unreachable: 'The identity provider could not be reached',
  'no-email': 'No email address in the identity provider’s answer',
  'unverified-email': 'Email address not verified by the identity provider',
  disabled: 'Account disabled',
  'no-account': 'No account with that email address',
  'no-group': 'No account, and in no group that gives a role',
}

const SignOnStartInput = routeInput({ query: { next: nextPath } })
/** Only the state is read here; the whole answer goes to the provider's checks (queryOf). */
const CallbackInput = routeInput({ query: { state: queryText } })

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function queryOf(req: Request): string {
  const at = req.originalUrl.indexOf('?')
  return at === -1 ? '' : req.originalUrl.slice(at)
}

export function ssoRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services

  function refuse(
    req: Request,
    res: Response,
    refusal: Refusal,
    audit: { email?: string; userId?: User['_id']; extra?: string },
    next?: string,
  ): Promise<void> {
    const [status, text] = REFUSALS[refusal]
    return recordAudit(clock.now(), {
      userId: audit.userId,
      actorLabel: audit.email ?? 'unknown account',
      action: 'session.sso-refused',
      detail: audit.extra ? `${AUDIT_DETAILS[refusal]} (${audit.extra})` : AUDIT_DETAILS[refusal],
      ip: req.ip,
    }).then(() => {
      res.status(status).render('staff/sign-in', {
        title: 'Sign in',
        next,
        email: '',
        errors: [{ href: 'sso', text }],
      })
    })
  }

  function ssoOr404(res: Response): SingleSignOn | undefined {
    if (!services.sso) {
      res.status(404).render('errors/error', {
        title: 'Page not found',
        message: 'Single sign-on is not set up here. Sign in with your email address and password.',
      })
    }
    return services.sso
  }

  router.get('/sign-in/sso', async (req, res) => {
    const sso = ssoOr404(res)
    if (!sso) return
    const { next } = readInput(SignOnStartInput, req).query
    if (req.staffUser) {
      res.redirect(303, next ?? '/staff')
      return
    }
    const started = await sso.start(clock.now().getTime(), next)
    if (!started) {
      await refuse(req, res, 'unreachable', {}, next)
      return
    }
    req.session.ssoPending = started.pending
    res.redirect(303, started.url.href)
  })

  router.get(SSO_CALLBACK_PATH, signInIpLimiter({ name: 'sso-callback-ip' }), async (req, res) => {
    const sso = ssoOr404(res)
    if (!sso) return
    // Used once: whatever happens next, this browser's pending sign-in is spent.
    const pending = req.session.ssoPending
    delete req.session.ssoPending
    const now = clock.now().getTime()
    if (!pending || now - pending.startedAt > SSO_PENDING_MS || now < pending.startedAt) {
      await refuse(req, res, 'no-pending', {})
      return
    }
    const { next } = pending
    const { state } = readInput(CallbackInput, req).query
    if (!sameText(state, pending.state)) {
      await refuse(req, res, 'state-mismatch', {}, next)
      return
    }

    const claims = await sso.finish(queryOf(req), pending)
    if ('reason' in claims) {
      await refuse(req, res, claims.reason, 'error' in claims ? { extra: claims.error } : {}, next)
      return
    }

    const account = await accountForSignOn(sso.settings, claims)
    switch (account.outcome) {
      case 'no-email':
        await refuse(req, res, 'no-email', {}, next)
        return
      case 'unverified-email':
      case 'no-account':
      case 'no-group':
        await refuse(req, res, account.outcome, { email: account.email }, next)
        return
      case 'disabled':
        await refuse(req, res, 'disabled', { email: account.user.email, userId: account.user._id }, next)
        return
    }

    const { user } = account
    if (account.outcome === 'created') {
      await recordAudit(clock.now(), {
        userId: user._id,
        actorLabel: user.email,
        action: 'user.created-by-sso',
        target: `user ${user.email}`,
        detail: `${ROLE_LABELS[user.role]}, from an identity-provider group; no teams yet`,
        ip: req.ip,
      })
    }
    await UserModel.updateOne({ _id: user._id }, { $set: { lastSignedInAt: clock.now() } })
    await recordAudit(clock.now(), {
      userId: user._id,
      actorLabel: user.email,
      action: 'session.signed-in',
      detail: 'Single sign-on',
      ip: req.ip,
    })
    await beginStaffSession(req, clock, user._id)
    // The provider did the second factor: a local one is asked only after a password.
    req.session.staff!.method = 'sso'
    res.redirect(303, next ?? '/staff')
  })

  return router
}
