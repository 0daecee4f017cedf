import { Router } from 'express'
import { z } from 'zod'
import { chooseLanguage, useLanguage } from '../respond/language'
import type { Services } from '../services'
import { privacyNotice } from '../dataProtection/privacyNotice'
import { DemoLinkModel, demoLinkPath, openDemoLink } from '../demo/demoLink'
import { HttpError } from './errors'
import { readInput, routeInput } from './input'
import { DEMO_PASSWORD, DEMO_USERS } from '../demo/seed'
import { InvitationModel } from '../invitations/invitation'
import { linkState } from '../invitations/lifecycle'
import { ROLE_LABELS } from '../staff/user'

const LINK_STATE_LABELS = {
  open: 'Not answered yet',
  completed: 'Answered',
  expired: 'Expired',
  cancelled: 'Cancelled',
} as const

/** The demo links and accounts for the home page: only outside production, and only once seeded. */
async function demoDetails(services: Services) {
  if (services.config.env === 'production') return undefined
  const links = await DemoLinkModel.find().sort({ position: 1 }).lean()
  if (links.length === 0) return undefined
  const invitations = await InvitationModel.find(
    { _id: { $in: links.map((link) => link.invitationId) } },
    { status: 1, completedAt: 1, expiresAt: 1 },
  ).lean()
  const now = services.clock.now()
  const states = new Map(
    invitations.map((invitation) => [String(invitation._id), linkState(invitation, now)]),
  )
  return {
    links: links.map((link) => {
      const state = states.get(String(link.invitationId)) ?? 'cancelled'
      return {
        label: link.label,
        teamName: link.teamName,
        href: demoLinkPath(link.position),
        open: state === 'open',
        status: LINK_STATE_LABELS[state],
      }
    }),
    users: DEMO_USERS.map((user) => ({ email: user.email, role: ROLE_LABELS[user.role] })),
    password: DEMO_PASSWORD,
  }
}

/** A demo link's place in the list; anything else is no link (the same 404 as a used one). */
const DemoLinkInput = routeInput({
  params: { position: z.string().transform((text) => (/^\d{1,3}$/.test(text) ? Number(text) : undefined)) },
})

export function homeRoutes(services: Services): Router {
  const router = Router()
  router.get('/', async (_req, res) => {
    res.render('home/index', { title: 'Home', demo: await demoDetails(services) })
  })
  // Only the hash of a demo link is stored, so trying one makes a fresh token (demo data only).
  router.get('/demo/links/:position', async (req, res) => {
    const { position } = readInput(DemoLinkInput, req).params
    const token =
      services.config.env !== 'production' && position !== undefined
        ? await openDemoLink(position, services.clock.now())
        : undefined
    if (!token) throw new HttpError(404, 'There is no open demo link at this address.')
    res.redirect(303, `/s/${token}`)
  })
  router.get('/privacy', (req, res) => {
    // Family pages link here with their language (`?lang=cy`); it is not kept: no session here.
    const languages = services.config.familyLanguages
    const language = chooseLanguage(req, languages)
    useLanguage(res, language, languages, '/privacy')
    const notice = privacyNotice(services.config, language)
    res.render('home/privacy', { title: notice.title, notice })
  })
  return router
}
