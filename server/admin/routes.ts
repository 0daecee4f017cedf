/**
 * Admin pages (role admin only): staff accounts, teams and the audit trail. Thin: read the form,
 * call the service in users.ts, teams.ts or audit/trail.ts, render. A password is shown once, on
 * the page that answers the form, never kept or put in a URL.
 */
import type { Types } from 'mongoose'
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import { formatDateTime } from '../dates'
import {
  objectId,
  queryText,
  readInput,
  repeatedText,
  routeInput,
  sentText,
  ValidationError,
  type FieldError,
} from '../http/input'
import { isObjectId, toObjectId } from '../db/objectId'
import { AUDIT_ACTIONS } from '../audit/auditEvent'
import type { Actor } from '../audit/staffAudit'
import { findAuditEvents, parseDay, type AuditPage } from '../audit/trail'
import { requireRole } from '../staff/access'
import { PASSWORD_MIN_LENGTH } from '../staff/passwordPolicy'
import { ROLE_LABELS, ROLES, UserModel, type Role } from '../staff/user'
import { SERVICES } from '../teams/team'
import { mfaEnabledFor, mfaRequiredFor } from '../staff/mfa/service'
import { addTeam, findTeam, listTeams, setTeamRetired, updateTeam, type TeamInput } from './teams'
import {
  addUser,
  findUser,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  teamChoices,
  updateUser,
  type UserDetailsInput,
} from './users'

export const ROLE_HINTS: Record<Role, string> = {
  practitioner: "Sends surveys, sees the invitations they sent and their teams' reports",
  manager: "Sees their teams' invitations and reports, and comments that need attention",
  qa: 'Sees every team, reviews comments before they are quoted, reads and exports reports',
  admin: 'Manages staff accounts and teams, reads the audit trail, and sees everything',
}

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], hint: ROLE_HINTS[role] }))

const USER_NOTICES: Record<string, string> = {
  saved: 'Changes saved.',
  disabled: 'Account disabled. Anyone signed in with it has been signed out.',
  enabled: 'Account enabled. They can sign in again.',
  'mfa-reset':
    'Authenticator app reset. They have been signed out and set up a new one next time they sign in.',
}
const TEAM_NOTICES: Record<string, string> = {
  saved: 'Changes saved.',
  retired: 'Team retired. It takes no new invitations; its old responses keep its name.',
  unretired: 'Team brought back. It can take invitations again.',
}

function actorOf(req: Request): Actor {
  const user = req.staffUser!
  return { userId: user.id, label: user.email, ip: req.ip }
}

// Each route's input. The forms' fields are read as sent: the services (shared with the command
// line) judge them and report every problem at once.

const ById = { id: objectId }
/** A page or action for one user or team, named by its id in the path. */
const IdInput = routeInput({ params: ById })
/** A notice from our own redirect (`?done=saved`); anything else shows none. */
const doneNotice = (notices: Record<string, string>) =>
  queryText.transform((done) => (Object.hasOwn(notices, done) ? notices[done] : undefined))

const UsersNewInput = routeInput({
  body: { email: sentText, name: sentText, role: sentText, teams: repeatedText, password: sentText },
})
const UserPageInput = routeInput({ params: ById, query: { done: doneNotice(USER_NOTICES) } })
const UserDetailsForm = routeInput({
  params: ById,
  body: { name: sentText, role: sentText, teams: repeatedText },
})
const UserPasswordForm = routeInput({ params: ById, body: { password: sentText } })

/** `?added=<id>` after adding a team names it in a banner; anything else names none. */
const TeamsInput = routeInput({ query: { added: queryText } })
const TeamForm = routeInput({
  body: { name: sentText, service: sentText, dutyEmail: sentText, phone: sentText },
})
const TeamPageInput = routeInput({ params: ById, query: { done: doneNotice(TEAM_NOTICES) } })
const TeamDetailsForm = routeInput({ params: ById, body: TeamForm.shape.body.shape })

/** The audit filter as typed: shown again in the form and kept in the Previous/Next links. */
const AuditFilterValues = routeInput({
  query: {
    user: queryText,
    action: queryText,
    from: queryText.transform((text) => text.trim()),
    to: queryText.transform((text) => text.trim()),
  },
})

/** A day in the filter ("" is none), or the summary entry saying it is not a real date. */
function auditDay(label: string) {
  return queryText.transform((text, ctx) => {
    if (text.trim() === '') return undefined
    const day = parseDay(text)
    if (day) return day
    ctx.addIssue({ code: 'custom', message: `${label} must be a real date, like 23/11/2026` })
    return z.NEVER
  })
}

/** A Previous/Next cursor comes from our own links; a broken one just shows the newest. */
const auditCursor = queryText.transform((id) => (isObjectId(id) ? toObjectId(id) : undefined))

/** The audit filter as the trail reads it, with an entry in the summary for each field that is wrong. */
const AuditInput = routeInput({
  query: {
    user: queryText
      .refine((id) => id === '' || isObjectId(id), 'Select a user from the list')
      .transform((id) => (id === '' ? undefined : toObjectId(id))),
    action: queryText
      .refine(
        (action) => action === '' || (action.length <= 60 && /^[a-z0-9._-]+$/i.test(action)),
        'Select an action from the list',
      )
      .transform((action) => action || undefined),
    from: auditDay('From'),
    to: auditDay('To'),
    before: auditCursor,
    after: auditCursor,
  },
}).superRefine(({ query }, ctx) => {
  if (typeof query.from === 'string' && typeof query.to === 'string' && query.from > query.to) {
    ctx.addIssue({ code: 'custom', path: ['query', 'to'], message: 'To must be the same as or after From' })
  }
})

function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store')
}

export function adminRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services
  router.use('/admin', requireRole('admin'))

  router.get('/admin', (_req, res) => {
    res.render('admin/index', { title: 'Admin' })
  })

  // Users

  router.get('/admin/users', async (_req, res) => {
    const users = await listUsers()
    res.render('admin/users', {
      title: 'Staff accounts',
      users: users.map((user) => ({ ...user, lastSignedIn: formatDateTime(user.lastSignedInAt) })),
    })
  })

  async function renderUserForm(
    res: Response,
    status: number,
    locals: {
      mode: 'new' | 'edit'
      values: { email?: string; name: string; role: string; teamIds: string[] }
      errors: FieldError[]
      user?: { id: string; email: string; name: string; disabled: boolean }
      notice?: string
      passwordErrors?: FieldError[]
      mfaEnabled?: boolean
      mfaRequired?: boolean
    },
  ): Promise<void> {
    const teams = await teamChoices(locals.values.teamIds.filter(isObjectId).map(toObjectId))
    res.status(status).render('admin/user-form', {
      title: locals.mode === 'new' ? 'Add a user' : `Change ${locals.user?.name ?? 'user'}`,
      roles: ROLE_OPTIONS,
      teams: teams.map((team) => ({ id: String(team._id), name: team.name, retired: team.retired })),
      passwordMinLength: PASSWORD_MIN_LENGTH,
      passwordErrors: [],
      ...locals,
    })
  }

  /** The edit form filled from the stored user, with a notice or the errors of a refused action. */
  async function renderStoredUser(
    res: Response,
    status: number,
    id: Types.ObjectId,
    extra: { errors?: FieldError[]; notice?: string } = {},
  ): Promise<void> {
    const user = await findUser(id)
    await renderUserForm(res, status, {
      mode: 'edit',
      values: { name: user.name, role: user.role, teamIds: user.teamIds.map(String) },
      errors: extra.errors ?? [],
      user: { id: String(user._id), email: user.email, name: user.name, disabled: user.disabled },
      notice: extra.notice,
      mfaEnabled: await mfaEnabledFor(user._id),
      mfaRequired: mfaRequiredFor(user.role),
    })
  }

  router.get('/admin/users/new', async (_req, res) => {
    await renderUserForm(res, 200, {
      mode: 'new',
      values: { email: '', name: '', role: '', teamIds: [] },
      errors: [],
    })
  })

  router.post('/admin/users', async (req, res) => {
    const { teams: teamIds, ...fields } = readInput(UsersNewInput, req).body
    const input = { ...fields, teamIds }
    try {
      const { user, password, generated } = await addUser(clock, actorOf(req), input)
      noStore(res)
      res.render('admin/password-shown', {
        title: 'User added',
        heading: `${user.name} has been added`,
        user: { id: String(user._id), email: user.email, name: user.name },
        password: generated ? password : undefined,
      })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      await renderUserForm(res, 400, {
        mode: 'new',
        values: { email: input.email, name: input.name, role: input.role, teamIds: input.teamIds },
        errors: error.errors,
      })
    }
  })

  router.get('/admin/users/:id', async (req, res) => {
    const { params, query } = readInput(UserPageInput, req)
    await renderStoredUser(res, 200, toObjectId(params.id), { notice: query.done })
  })

  router.post('/admin/users/:id', async (req, res) => {
    const { params, body } = readInput(UserDetailsForm, req)
    const id = toObjectId(params.id)
    const user = await findUser(id)
    const { teams: teamIds, ...fields } = body
    const input: UserDetailsInput = { ...fields, teamIds }
    try {
      await updateUser(clock, actorOf(req), id, input)
      res.redirect(303, `/admin/users/${String(id)}?done=saved`)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      await renderUserForm(res, 400, {
        mode: 'edit',
        values: input,
        errors: error.errors,
        user: { id: String(user._id), email: user.email, name: user.name, disabled: user.disabled },
      })
    }
  })

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    router.post(`/admin/users/:id/${path}`, async (req, res) => {
      const id = toObjectId(readInput(IdInput, req).params.id)
      try {
        await setUserDisabled(clock, actorOf(req), id, disabled)
        res.redirect(303, `/admin/users/${String(id)}?done=${path}d`)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        await renderStoredUser(res, 400, id, { errors: error.errors })
      }
    })
  }

  router.post('/admin/users/:id/password', async (req, res) => {
    const { params, body } = readInput(UserPasswordForm, req)
    const id = toObjectId(params.id)
    try {
      const { user, password, generated } = await resetUserPassword(clock, actorOf(req), id, body.password)
      noStore(res)
      res.render('admin/password-shown', {
        title: 'Password reset',
        heading: `${user.name}'s password has been reset`,
        user: { id: String(user._id), email: user.email, name: user.name },
        password: generated ? password : undefined,
        reset: true,
      })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      await renderStoredUser(res, 400, id, { errors: error.errors })
    }
  })

  // Teams

  router.get('/admin/teams', async (req, res) => {
    const { added } = readInput(TeamsInput, req).query
    const teams = await listTeams()
    res.render('admin/teams', {
      title: 'Teams',
      teams,
      addedName: teams.find((team) => team.id === added)?.name,
    })
  })

  function renderTeamForm(
    res: Response,
    status: number,
    locals: {
      mode: 'new' | 'edit'
      values: TeamInput
      errors: FieldError[]
      team?: { id: string; name: string; retired: boolean }
      notice?: string
    },
  ): void {
    res.status(status).render('admin/team-form', {
      title: locals.mode === 'new' ? 'Add a team' : `Change ${locals.team?.name ?? 'team'}`,
      services: SERVICES,
      ...locals,
    })
  }

  router.get('/admin/teams/new', (_req, res) => {
    renderTeamForm(res, 200, {
      mode: 'new',
      values: { name: '', service: '', dutyEmail: '', phone: '' },
      errors: [],
    })
  })

  router.post('/admin/teams', async (req, res) => {
    const input: TeamInput = readInput(TeamForm, req).body
    try {
      const team = await addTeam(clock, actorOf(req), input)
      res.redirect(303, `/admin/teams?added=${String(team._id)}`)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      renderTeamForm(res, 400, { mode: 'new', values: input, errors: error.errors })
    }
  })

  router.get('/admin/teams/:id', async (req, res) => {
    const { params, query } = readInput(TeamPageInput, req)
    const team = await findTeam(toObjectId(params.id))
    renderTeamForm(res, 200, {
      mode: 'edit',
      values: {
        name: team.name,
        service: team.service,
        dutyEmail: team.dutyEmail ?? '',
        phone: team.phone ?? '',
      },
      errors: [],
      team: { id: String(team._id), name: team.name, retired: team.retired },
      notice: query.done,
    })
  })

  router.post('/admin/teams/:id', async (req, res) => {
    const { params, body: input } = readInput(TeamDetailsForm, req)
    const id = toObjectId(params.id)
    const team = await findTeam(id)
    try {
      await updateTeam(clock, actorOf(req), id, input)
      res.redirect(303, `/admin/teams/${String(id)}?done=saved`)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      renderTeamForm(res, 400, {
        mode: 'edit',
        values: input,
        errors: error.errors,
        team: { id: String(team._id), name: team.name, retired: team.retired },
      })
    }
  })

  for (const [path, retired] of [
    ['retire', true],
    ['unretire', false],
  ] as const) {
    router.post(`/admin/teams/:id/${path}`, async (req, res) => {
      const id = toObjectId(readInput(IdInput, req).params.id)
      await setTeamRetired(clock, actorOf(req), id, retired)
      res.redirect(303, `/admin/teams/${String(id)}?done=${path}d`)
    })
  }

  // Audit trail

  router.get('/admin/audit', async (req, res) => {
    const values = readInput(AuditFilterValues, req).query
    let filter: z.output<typeof AuditInput>['query'] | undefined
    let errors: FieldError[] = []
    try {
      filter = readInput(AuditInput, req).query
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      errors = error.errors
    }
    const actions: string[] = [...AUDIT_ACTIONS]

    const result: AuditPage = filter
      ? await findAuditEvents(
          { userId: filter.user, action: filter.action, from: filter.from, to: filter.to },
          filter.before ? { before: filter.before } : filter.after ? { after: filter.after } : {},
        )
      : { events: [], count: { count: 0, more: false } }
    const users = await UserModel.find({}, { name: 1, email: 1 }).sort({ name: 1, email: 1 }).lean()
    const pageLink = (at: Record<string, string>) => {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(values)) if (value !== '') params.set(key, value)
      for (const [key, value] of Object.entries(at)) params.set(key, value)
      return `/admin/audit?${params.toString()}`
    }
    res.status(errors.length ? 400 : 200).render('admin/audit', {
      title: 'Audit trail',
      values,
      errors,
      users: users.map((user) => ({ id: String(user._id), label: `${user.name} (${user.email})` })),
      actions: values.action && !actions.includes(values.action) ? [...actions, values.action] : actions,
      events: result.events.map((event) => ({
        when: formatDateTime(event.at),
        actor: event.actorLabel,
        action: event.action,
        target: event.target ?? '',
        detail: event.detail ?? '',
      })),
      count: result.count.count,
      moreThanCount: result.count.more,
      previous: result.newer ? pageLink({ after: String(result.newer) }) : undefined,
      next: result.older ? pageLink({ before: String(result.older) }) : undefined,
    })
  })

  return router
}
