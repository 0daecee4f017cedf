/**
 * Admin pages (role admin only): staff accounts, teams and the audit trail. Thin: read the form,
 * call the service in users.ts, teams.ts or audit/trail.ts, render. A password is shown once, on
 * the page that answers the form, never kept or put in a URL.
 */
import type { Types } from 'mongoose'
import { Router, type Request, type Response } from 'express'
import type { Services } from '../services'
import { formatDateTime } from '../http/dates'
import { AUDIT_ACTIONS } from '../audit/auditEvent'
import { findAuditEvents, parseDay, type AuditFilter, type AuditPage } from '../audit/trail'
import { requireRole } from '../staff/access'
import { PASSWORD_MIN_LENGTH } from '../staff/passwordPolicy'
import { ROLE_LABELS, ROLES, UserModel, type Role } from '../staff/user'
import { SERVICES } from '../teams/team'
import { mfaEnabledFor, mfaRequiredFor } from '../staff/mfa/service'
import {
  isObjectId,
  listField,
  objectIdParam,
  textField,
  ValidationError,
  type Actor,
  type FieldError,
} from './forms'
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

function body(req: Request): Record<string, unknown> | undefined {
  return req.body as Record<string, unknown> | undefined
}

function queryText(req: Request, name: string): string {
  const value = req.query[name]
  return typeof value === 'string' ? value : ''
}

/** "23 November 2026 at 10:05" in UK time, as on every staff page. */
export function ukDateTime(date: Date | undefined): string {
  return formatDateTime(date)
}

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
      users: users.map((user) => ({ ...user, lastSignedIn: ukDateTime(user.lastSignedInAt) })),
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
    const teams = await teamChoices(locals.values.teamIds.filter(isObjectId).map((id) => objectIdParam(id)))
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
    const input = {
      email: textField(body(req), 'email'),
      name: textField(body(req), 'name'),
      role: textField(body(req), 'role'),
      teamIds: listField(body(req), 'teams'),
      password: textField(body(req), 'password'),
    }
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
    await renderStoredUser(res, 200, objectIdParam(req.params.id), {
      notice: USER_NOTICES[queryText(req, 'done')],
    })
  })

  router.post('/admin/users/:id', async (req, res) => {
    const id = objectIdParam(req.params.id)
    const user = await findUser(id)
    const input: UserDetailsInput = {
      name: textField(body(req), 'name'),
      role: textField(body(req), 'role'),
      teamIds: listField(body(req), 'teams'),
    }
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
      const id = objectIdParam(req.params.id)
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
    const id = objectIdParam(req.params.id)
    const chosen = textField(body(req), 'password')
    try {
      const { user, password, generated } = await resetUserPassword(clock, actorOf(req), id, chosen)
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
    const teams = await listTeams()
    const added = queryText(req, 'added')
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

  function teamInput(req: Request): TeamInput {
    return {
      name: textField(body(req), 'name'),
      service: textField(body(req), 'service'),
      dutyEmail: textField(body(req), 'dutyEmail'),
      phone: textField(body(req), 'phone'),
    }
  }

  router.get('/admin/teams/new', (_req, res) => {
    renderTeamForm(res, 200, {
      mode: 'new',
      values: { name: '', service: '', dutyEmail: '', phone: '' },
      errors: [],
    })
  })

  router.post('/admin/teams', async (req, res) => {
    const input = teamInput(req)
    try {
      const team = await addTeam(clock, actorOf(req), input)
      res.redirect(303, `/admin/teams?added=${String(team._id)}`)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      renderTeamForm(res, 400, { mode: 'new', values: input, errors: error.errors })
    }
  })

  router.get('/admin/teams/:id', async (req, res) => {
    const team = await findTeam(objectIdParam(req.params.id))
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
      notice: TEAM_NOTICES[queryText(req, 'done')],
    })
  })

  router.post('/admin/teams/:id', async (req, res) => {
    const id = objectIdParam(req.params.id)
    const team = await findTeam(id)
    const input = teamInput(req)
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
      const id = objectIdParam(req.params.id)
      await setTeamRetired(clock, actorOf(req), id, retired)
      res.redirect(303, `/admin/teams/${String(id)}?done=${path}d`)
    })
  }

  // Audit trail

  router.get('/admin/audit', async (req, res) => {
    const values = {
      user: queryText(req, 'user'),
      action: queryText(req, 'action'),
      from: queryText(req, 'from').trim(),
      to: queryText(req, 'to').trim(),
    }
    const errors: FieldError[] = []
    const filter: AuditFilter = {}
    if (values.user !== '') {
      if (isObjectId(values.user)) filter.userId = objectIdParam(values.user)
      else errors.push({ href: 'user', text: 'Select a user from the list' })
    }
    const actions: string[] = [...AUDIT_ACTIONS]
    if (values.action !== '') {
      if (values.action.length <= 60 && /^[a-z0-9._-]+$/i.test(values.action)) filter.action = values.action
      else errors.push({ href: 'action', text: 'Select an action from the list' })
    }
    for (const [field, label] of [
      ['from', 'From'],
      ['to', 'To'],
    ] as const) {
      if (values[field] === '') continue
      const day = parseDay(values[field])
      if (day) filter[field] = day
      else errors.push({ href: field, text: `${label} must be a real date, like 23/11/2026` })
    }
    if (filter.from && filter.to && filter.from > filter.to) {
      errors.push({ href: 'to', text: 'To must be the same as or after From' })
    }
    // A cursor comes from our own Previous/Next links; a broken one just shows the newest.
    const before = queryText(req, 'before')
    const after = queryText(req, 'after')
    const cursor = isObjectId(before)
      ? { before: objectIdParam(before) }
      : isObjectId(after)
        ? { after: objectIdParam(after) }
        : {}

    const users = await UserModel.find({}, { name: 1, email: 1 }).sort({ name: 1, email: 1 }).lean()
    const result: AuditPage = errors.length
      ? { events: [], count: { count: 0, more: false } }
      : await findAuditEvents(filter, cursor)
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
        when: ukDateTime(event.at),
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
