/**
 * The second factor's pages: the code (or a recovery code) after the password, setting up an
 * authenticator app (forced for admin and QA before they reach anything else, optional for
 * everyone at /account/mfa), and an admin resetting someone's app. Thin: the rules are in
 * service.ts, the half-signed-in state in pendingSignIn.ts.
 */
import { Router, type Request, type Response } from 'express'
import QRCode from 'qrcode'
import type { Services } from '../../services'
import { recordAudit } from '../../audit/auditEvent'
import { HttpError } from '../../http/errors'
import { TOO_MANY_ATTEMPTS_MESSAGE, TOO_MANY_ATTEMPTS_TITLE } from '../../security/rateLimits'
import { objectIdParam } from '../../admin/forms'
import { requireRole } from '../access'
import { endSessionsOf } from '../sessions'
import { recordSignedIn } from '../signIn'
import { beginStaffSession } from '../staffSession'
import { UserModel, type User } from '../user'
import { giveBackCodeAttempt, takeCodeAttempt } from './attempts'
import { pendingSignIn, type PendingSignIn } from './pendingSignIn'
import { SecretBox } from './secretBox'
import {
  acceptCode,
  confirmSetUp,
  mfaEnabledFor,
  mfaRequiredFor,
  pendingSecretFor,
  resetMfa,
  useRecoveryCode,
} from './service'
import { normaliseCode, totpUri } from './totp'

type FieldError = { href: string; text: string }

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name]
  if (value === undefined) return ''
  if (typeof value !== 'string') throw new HttpError(400, `The ${name} field was sent more than once.`)
  return value.slice(0, 100)
}

function tooManyAttempts(res: Response): void {
  res
    .status(429)
    .render('errors/error', { title: TOO_MANY_ATTEMPTS_TITLE, message: TOO_MANY_ATTEMPTS_MESSAGE })
}

/** "JBSW Y3DP …": the secret in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

export function mfaRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services
  const box = new SecretBox(services.config.sessionSecret)
  const anyStaff = requireRole('practitioner', 'manager', 'qa', 'admin')

  /** The user of a live pending sign-in, or undefined (expired, disabled, or none). */
  async function pendingUser(req: Request, stage: PendingSignIn['stage']) {
    const pending = pendingSignIn(req, clock, stage)
    if (!pending) return undefined
    const user = await UserModel.findById(pending.userId).lean()
    if (!user || user.disabled) return undefined
    return { pending, user }
  }

  function startAgain(req: Request, res: Response): void {
    if (req.session) delete req.session.pendingSignIn
    res.redirect(303, '/sign-in?again=1')
  }

  async function renderSetUp(
    res: Response,
    status: number,
    user: Pick<User, '_id' | 'email' | 'role'>,
    locals: { action: string; forced: boolean; errors: FieldError[] },
  ): Promise<void> {
    const secret = await pendingSecretFor(box, user._id)
    res.status(status).render('staff/mfa-set-up', {
      title: 'Set up an authenticator app',
      qrCode: await QRCode.toDataURL(totpUri(secret, user.email), { margin: 2, width: 232 }),
      secret: grouped(secret),
      ...locals,
    })
  }

  function renderRecoveryCodes(res: Response, codes: string[], continueHref: string): void {
    res.render('staff/mfa-recovery-codes', { title: 'Save your recovery codes', codes, continueHref })
  }

  async function audit(
    req: Request,
    user: Pick<User, '_id' | 'email'>,
    action: 'account.mfa-set-up' | 'session.mfa-failed',
    detail?: string,
  ): Promise<void> {
    await recordAudit(clock.now(), {
      userId: user._id,
      actorLabel: user.email,
      action,
      ...(detail ? { detail } : {}),
      ...(req.ip ? { ip: req.ip } : {}),
    })
  }

  /** The second factor passed: only now is the session signed in. */
  async function finishSignIn(
    req: Request,
    user: User,
    pending: PendingSignIn,
    how?: string,
  ): Promise<string> {
    await recordSignedIn(clock, user, req.ip, how)
    await beginStaffSession(req, clock, user._id)
    return pending.next ?? '/staff'
  }

  // Entering a code after the password.

  router.get('/sign-in/code', async (req, res) => {
    if (!(await pendingUser(req, 'code'))) return startAgain(req, res)
    res.render('staff/mfa-code', { title: 'Enter the 6-digit code', errors: [] })
  })

  router.post('/sign-in/code', async (req, res) => {
    const found = await pendingUser(req, 'code')
    if (!found) return startAgain(req, res)
    const { pending, user } = found
    const code = normaliseCode(field(req, 'code'))
    const refuse = (text: string) =>
      res
        .status(400)
        .render('staff/mfa-code', { title: 'Enter the 6-digit code', errors: [{ href: 'code', text }] })
    if (!code) return refuse('Enter the 6-digit code from your authenticator app')
    if (!(await takeCodeAttempt(pending.userId))) return tooManyAttempts(res)
    const outcome = await acceptCode(box, clock, user._id, code)
    if (outcome !== 'accepted') {
      await audit(req, user, 'session.mfa-failed', outcome === 'used' ? 'Code already used' : 'Wrong code')
      return refuse(
        outcome === 'used'
          ? 'That code has already been used. Wait for your app to show a new code, then enter it'
          : 'The code is not right. Enter the code your authenticator app shows now',
      )
    }
    await giveBackCodeAttempt(pending.userId)
    res.redirect(303, await finishSignIn(req, user, pending))
  })

  router.get('/sign-in/recovery-code', async (req, res) => {
    if (!(await pendingUser(req, 'code'))) return startAgain(req, res)
    res.render('staff/mfa-recovery', { title: 'Enter a recovery code', errors: [] })
  })

  router.post('/sign-in/recovery-code', async (req, res) => {
    const found = await pendingUser(req, 'code')
    if (!found) return startAgain(req, res)
    const { pending, user } = found
    const code = field(req, 'recoveryCode').trim()
    const refuse = (text: string) =>
      res.status(400).render('staff/mfa-recovery', {
        title: 'Enter a recovery code',
        errors: [{ href: 'recoveryCode', text }],
      })
    if (code === '') return refuse('Enter one of your recovery codes')
    if (!(await takeCodeAttempt(pending.userId))) return tooManyAttempts(res)
    const { accepted, left } = await useRecoveryCode(user._id, code)
    if (!accepted) {
      await audit(req, user, 'session.mfa-failed', 'Wrong or used recovery code')
      return refuse('That recovery code is not right, or has been used. Each code works once')
    }
    await giveBackCodeAttempt(pending.userId)
    const next = await finishSignIn(req, user, pending, `Password and a recovery code (${left} left)`)
    req.session.accountNotice =
      `You used a recovery code. You have ${left} left. ` +
      'If you have lost your phone, ask an administrator to reset your authenticator app.'
    res.redirect(303, next)
  })

  // Setting up an app: forced after the password for admin and QA.

  router.get('/sign-in/set-up-mfa', async (req, res) => {
    const found = await pendingUser(req, 'set-up')
    if (!found) return startAgain(req, res)
    await renderSetUp(res, 200, found.user, { action: '/sign-in/set-up-mfa', forced: true, errors: [] })
  })

  router.post('/sign-in/set-up-mfa', async (req, res) => {
    const found = await pendingUser(req, 'set-up')
    if (!found) return startAgain(req, res)
    const { pending, user } = found
    const outcome = await setUp(req, user)
    if (outcome.errors) {
      if (outcome.status === 429) return tooManyAttempts(res)
      return renderSetUp(res, outcome.status, user, {
        action: '/sign-in/set-up-mfa',
        forced: true,
        errors: outcome.errors,
      })
    }
    const next = await finishSignIn(req, user, pending, 'Password and a newly set up authenticator app')
    renderRecoveryCodes(res, outcome.codes, next)
  })

  /** Checks the first code from a new app and turns it on; the routes render the answer. */
  async function setUp(
    req: Request,
    user: User,
  ): Promise<{ codes: string[]; errors?: undefined } | { errors: FieldError[]; status: number }> {
    const code = normaliseCode(field(req, 'code'))
    if (!code)
      return {
        status: 400,
        errors: [{ href: 'code', text: 'Enter the 6-digit code from your authenticator app' }],
      }
    if (!(await takeCodeAttempt(String(user._id)))) return { status: 429, errors: [] }
    const outcome = await confirmSetUp(box, clock, user._id, code)
    if (!outcome.ok) {
      const text =
        outcome.reason === 'already-on'
          ? 'An authenticator app is already set up for this account'
          : 'The code is not right. Check the app shows Family Voice, then enter the code it shows now'
      return { status: 400, errors: [{ href: 'code', text }] }
    }
    await giveBackCodeAttempt(String(user._id))
    await audit(req, user, 'account.mfa-set-up')
    return { codes: outcome.recoveryCodes }
  }

  // Your own account, signed in.

  router.get('/account/mfa', anyStaff, async (req, res) => {
    const user = req.staffUser!
    const method = (req.session.staff as { method?: string } | undefined)?.method
    if (method === 'sso' || (await mfaEnabledFor(user.id))) {
      res.render('staff/mfa-on', {
        title: 'Authenticator app',
        singleSignOn: method === 'sso',
        required: mfaRequiredFor(user.role),
      })
      return
    }
    await renderSetUp(
      res,
      200,
      { _id: user.id, email: user.email, role: user.role },
      {
        action: '/account/mfa',
        forced: false,
        errors: [],
      },
    )
  })

  router.post('/account/mfa', anyStaff, async (req, res) => {
    const user = await UserModel.findById(req.staffUser!.id).lean()
    if (!user) throw new HttpError(404, 'There is no such account.')
    const outcome = await setUp(req, user)
    if (outcome.errors) {
      if (outcome.status === 429) return tooManyAttempts(res)
      return renderSetUp(res, outcome.status, user, {
        action: '/account/mfa',
        forced: false,
        errors: outcome.errors,
      })
    }
    renderRecoveryCodes(res, outcome.codes, '/staff')
  })

  // An admin resets someone's app (lost phone): they set one up again at their next sign-in.

  router.post('/admin/users/:id/mfa-reset', requireRole('admin'), async (req, res) => {
    const id = objectIdParam(req.params.id)
    const user = await UserModel.findById(id).lean()
    if (!user) throw new HttpError(404, 'There is no such account.')
    const wasOn = await resetMfa(id)
    // Whoever has the lost phone and a session should not keep it.
    const ended = await endSessionsOf(id)
    const admin = req.staffUser!
    await recordAudit(clock.now(), {
      userId: admin.id,
      actorLabel: admin.email,
      action: 'user.mfa-reset',
      target: `user ${String(id)}`,
      detail: `${wasOn ? 'Authenticator app removed' : 'No authenticator app was set up'}; ${ended} ${ended === 1 ? 'session' : 'sessions'} ended`,
      ...(req.ip ? { ip: req.ip } : {}),
    })
    res.redirect(303, `/admin/users/${String(id)}?done=mfa-reset`)
  })

  return router
}
