/**
 * "Forgotten your password?": ask for a link by email, follow it, choose a new password. The
 * request answers the same (303 to the same page) whether or not the address has an account, and
 * answers before the work is done, so it takes as long either way. The link's token moves from the
 * address into the session at once (nothing else reads it from the address bar or history).
 */
import { Router, type Request, type Response } from 'express'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import type { Services } from '../services'
import { readInput, routeInput, sentText } from '../http/input'
import { log } from '../log'
import { DatabaseRateLimitStore } from '../security/rateLimitStore'
import { TOO_MANY_ATTEMPTS_MESSAGE, TOO_MANY_ATTEMPTS_TITLE } from '../security/rateLimits'
import { isEmailAddress } from './emailAddress'
import {
  liveResetById,
  liveResetForToken,
  requestPasswordReset,
  resetPassword,
  RESET_LINK_MINUTES,
  userOfReset,
} from './passwordReset'

declare module 'express-session' {
  interface SessionData {
    /** The reset this browser opened a link for (its id, never the token). */
    passwordResetId?: string
  }
}

/** Requests for a link from one address: 10 in 15 minutes, counted in the database. */
export const RESET_REQUESTS_PER_IP = 10
export const RESET_REQUEST_WINDOW_MS = 15 * 60 * 1000

/** The address is shown again, as typed, when it is not one. */
const ForgottenPasswordForm = routeInput({ body: { email: sentText } })
/** The token is checked by liveResetForToken, which answers an unusable link like an unknown one. */
const ResetLinkInput = routeInput({ params: { token: z.string() } })
const NewPasswordForm = routeInput({ body: { password: sentText, confirm: sentText } })

function unusable(res: Response): void {
  // Unknown, used and expired links look the same.
  res.status(404).render('staff/reset-link-unusable', { title: 'That link does not work' })
}

export function passwordResetRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services

  const perAddress = rateLimit({
    store: new DatabaseRateLimitStore('password-reset-ip'),
    windowMs: RESET_REQUEST_WINDOW_MS,
    limit: RESET_REQUESTS_PER_IP,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    handler: (_req, res) => {
      res
        .status(429)
        .render('errors/error', { title: TOO_MANY_ATTEMPTS_TITLE, message: TOO_MANY_ATTEMPTS_MESSAGE })
    },
  })

  router.get('/forgotten-password', (_req, res) => {
    res.render('staff/forgotten-password', { title: 'Reset your password', email: '', errors: [] })
  })

  router.post('/forgotten-password', perAddress, (req, res) => {
    const email = readInput(ForgottenPasswordForm, req).body.email.trim()
    if (!isEmailAddress(email)) {
      res.status(400).render('staff/forgotten-password', {
        title: 'Reset your password',
        email,
        errors: [{ href: 'email', text: 'Enter your email address, like name@council.gov.uk' }],
      })
      return
    }
    res.redirect(303, '/forgotten-password/sent')
    // After answering: whether an email goes cannot change the answer or how long it took.
    requestPasswordReset(services, { email, ...(req.ip ? { ip: req.ip } : {}) }).catch((error: unknown) =>
      log.error({ err: error }, 'password reset: could not queue the email'),
    )
  })

  router.get('/forgotten-password/sent', (_req, res) => {
    res.render('staff/forgotten-password-sent', { title: 'Check your email', minutes: RESET_LINK_MINUTES })
  })

  router.get('/reset-password/:token', async (req, res) => {
    const reset = await liveResetForToken(clock, readInput(ResetLinkInput, req).params.token)
    if (!reset) return unusable(res)
    req.session.passwordResetId = String(reset._id)
    res.redirect(303, '/reset-password')
  })

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    errors: Array<{ href: string; text: string }>,
  ) {
    const reset = await liveResetById(clock, req.session.passwordResetId ?? '')
    const user = reset && (await userOfReset(reset))
    if (!user) return unusable(res)
    res
      .status(status)
      .render('staff/reset-password', { title: 'Choose a new password', email: user.email, errors })
  }

  router.get('/reset-password', async (req, res) => renderForm(req, res, 200, []))

  router.post('/reset-password', async (req, res) => {
    const { password, confirm } = readInput(NewPasswordForm, req).body
    const outcome = await resetPassword(clock, req.session.passwordResetId ?? '', {
      password,
      confirm,
      ...(req.ip ? { ip: req.ip } : {}),
    })
    if (outcome.ok) {
      delete req.session.passwordResetId
      res.redirect(303, '/sign-in?reset=1')
      return
    }
    if (outcome.unusable) return unusable(res)
    await renderForm(req, res, 400, outcome.errors)
  })

  return router
}
