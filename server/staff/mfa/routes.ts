/**
 * The second factor's pages: the code (or a recovery code) after the password, setting up an
 * authenticator app (forced for admin and QA before they reach anything else, optional for
 * everyone at /account/mfa), and an admin resetting someone's app. Thin: the rules are in
 * service.ts, the half-signed-in state in pendingSignIn.ts.
 */
import { Router, type Request, type Response } from 'express'
import QRCode from 'qrcode'
import { z } from 'zod'
import type { Services } from '../../services'
import { recordAudit } from '../../audit/auditEvent'
import { toObjectId } from '../../db/objectId'
import { HttpError } from '../../http/errors'
import { objectId, readInput, routeInput, sentOnce, ValidationError, type FieldError } from '../../http/input'
import { TOO_MANY_ATTEMPTS_MESSAGE, TOO_MANY_ATTEMPTS_TITLE } from '../../security/rateLimits'
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

/** What is typed into a code box is read up to this length; no code is longer. */
const CODE_FIELD_LENGTH = 100

/** The six digits from an authenticator app, typed with or without spaces or a hyphen. */
const appCode = sentOnce(
  z.string().transform((typed, ctx) => {
    const code = normaliseCode(typed.slice(0, CODE_FIELD_LENGTH))
    if (code) return code
    ctx.addIssue({ code: 'custom', message: 'Enter the 6-digit code from your authenticator app' })
    return z.NEVER
  }),
)

const CodeForm = routeInput({ body: { code: appCode } })
const RecoveryCodeForm = routeInput({
  body: {
    recoveryCode: sentOnce(
      z
        .string()
        .transform((typed) => typed.slice(0, CODE_FIELD_LENGTH).trim())
        .refine((code) => code !== '', 'Enter one of your recovery codes'),
    ),
  },
})
const MfaResetInput = routeInput({ params: { id: objectId } })

/** How a code typed after the password went: the sign-in goes on, or the page says why not. */
type CodeCheck =
  { accepted: true; how?: string; notice?: string } | { accepted: false; auditDetail: string; text: string }

/** A page asking for a code after the password: where, its view and title, and how its code is read. */
interface CodePage {
  path: string
  view: string
  title: string
  /** The field the code is typed in, for a refusal's summary entry. */
  href: string
  read: (req: Request) => string
}

/** The page whose form has the one code field `field`. */
function codePageOf<F extends string>(
  form: z.ZodType<{ body: Record<F, string> }>,
  field: F,
  page: Pick<CodePage, 'path' | 'view' | 'title'>,
): CodePage {
  return { ...page, href: field, read: (req) => readInput(form, req).body[field] }
}

const APP_CODE_PAGE = codePageOf(CodeForm, 'code', {
  path: '/sign-in/code',
  view: 'staff/mfa-code',
  title: 'Enter the 6-digit code',
})
const RECOVERY_CODE_PAGE = codePageOf(RecoveryCodeForm, 'recoveryCode', {
  path: '/sign-in/recovery-code',
  view: 'staff/mfa-recovery',
  title: 'Enter a recovery code',
})

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

  /**
   * A code typed after the password (from the app, or a recovery code): read, counted against the
   * account's attempts and checked; the page again with what is wrong, or the sign-in finished.
   */
  async function enterCode(
    req: Request,
    res: Response,
    page: CodePage,
    check: (user: User, code: string) => Promise<CodeCheck>,
  ): Promise<void> {
    const found = await pendingUser(req, 'code')
    if (!found) return startAgain(req, res)
    const { pending, user } = found
    const refuse = (errors: FieldError[]) => res.status(400).render(page.view, { title: page.title, errors })
    let code: string
    try {
      code = page.read(req)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return refuse(error.errors)
    }
    if (!(await takeCodeAttempt(pending.userId))) return tooManyAttempts(res)
    const outcome = await check(user, code)
    if (!outcome.accepted) {
      await audit(req, user, 'session.mfa-failed', outcome.auditDetail)
      return refuse([{ href: page.href, text: outcome.text }])
    }
    await giveBackCodeAttempt(pending.userId)
    const next = await finishSignIn(req, user, pending, outcome.how)
    if (outcome.notice) req.session.accountNotice = outcome.notice
    res.redirect(303, next)
  }

  /** The page for a code and its form, which `check` judges once the code is read and counted. */
  function codePage(page: CodePage, check: (user: User, code: string) => Promise<CodeCheck>): void {
    router.get(page.path, async (req, res) => {
      if (!(await pendingUser(req, 'code'))) return startAgain(req, res)
      res.render(page.view, { title: page.title, errors: [] })
    })
    router.post(page.path, (req, res) => enterCode(req, res, page, check))
  }

  codePage(APP_CODE_PAGE, async (user, code) => {
    const outcome = await acceptCode(box, clock, user._id, code)
    if (outcome === 'accepted') return { accepted: true }
    return outcome === 'used'
      ? {
          accepted: false,
          auditDetail: 'Code already used',
          text: 'That code has already been used. Wait for your app to show a new code, then enter it',
        }
      : {
          accepted: false,
          auditDetail: 'Wrong code',
          text: 'The code is not right. Enter the code your authenticator app shows now',
        }
  })

  codePage(RECOVERY_CODE_PAGE, async (user, code) => {
    const { accepted, left } = await useRecoveryCode(user._id, code)
    if (!accepted) {
      return {
        accepted: false,
        auditDetail: 'Wrong or used recovery code',
        text: 'That recovery code is not right, or has been used. Each code works once',
      }
    }
    return {
      accepted: true,
      how: `Password and a recovery code (${left} left)`,
      notice:
        `You used a recovery code. You have ${left} left. ` +
        'If you have lost your phone, ask an administrator to reset your authenticator app.',
    }
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
    const codes = await setUpOrAnswer(req, res, user, { action: '/sign-in/set-up-mfa', forced: true })
    if (!codes) return
    const next = await finishSignIn(req, user, pending, 'Password and a newly set up authenticator app')
    renderRecoveryCodes(res, codes, next)
  })

  /**
   * Checks the first code from a new app and turns it on, giving its recovery codes; otherwise
   * answers with the set-up page again (or "too many attempts") and gives nothing.
   */
  async function setUpOrAnswer(
    req: Request,
    res: Response,
    user: User,
    page: { action: string; forced: boolean },
  ): Promise<string[] | undefined> {
    const askAgain = async (errors: FieldError[]) => {
      await renderSetUp(res, 400, user, { ...page, errors })
      return undefined
    }
    let code: string
    try {
      code = APP_CODE_PAGE.read(req)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return askAgain(error.errors)
    }
    if (!(await takeCodeAttempt(String(user._id)))) {
      tooManyAttempts(res)
      return undefined
    }
    const outcome = await confirmSetUp(box, clock, user._id, code)
    if (!outcome.ok) {
      const text =
        outcome.reason === 'already-on'
          ? 'An authenticator app is already set up for this account'
          : 'The code is not right. Check the app shows Family Voice, then enter the code it shows now'
      return askAgain([{ href: 'code', text }])
    }
    await giveBackCodeAttempt(String(user._id))
    await audit(req, user, 'account.mfa-set-up')
    return outcome.recoveryCodes
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
    const codes = await setUpOrAnswer(req, res, user, { action: '/account/mfa', forced: false })
    if (codes) renderRecoveryCodes(res, codes, '/staff')
  })

  // An admin resets someone's app (lost phone): they set one up again at their next sign-in.

  router.post('/admin/users/:id/mfa-reset', requireRole('admin'), async (req, res) => {
    const id = toObjectId(readInput(MfaResetInput, req).params.id)
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
