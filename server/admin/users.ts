/**
 * Managing staff accounts: add, change, disable or enable, reset a password. Plain TypeScript,
 * used by the admin pages and the create-user command. Every change is in the audit trail;
 * disabling an account or resetting its password ends its sessions at once.
 */
import type { Types } from 'mongoose'
import { recordActorAudit } from '../audit/staffAudit'
import type { Clock } from '../clock'
import { HttpError } from '../http/errors'
import { hashPassword } from '../staff/passwords'
import { generatePassword, passwordProblem } from '../staff/passwordPolicy'
import { endSessionsOf } from '../staff/sessions'
import { ROLE_LABELS, ROLES, UserModel, type Role, type User } from '../staff/user'
import { TeamModel, type Team } from '../teams/team'
import { isObjectId } from '../db/objectId'
import type { Actor } from '../audit/staffAudit'
import { ValidationError, type FieldError } from '../http/input'
import { isEmailAddress } from '../staff/emailAddress'
import { writeUnique } from './writeUnique'

export interface UserDetailsInput {
  name: string
  role: string
  /** Team ids as sent by the form. */
  teamIds: string[]
}

export interface NewUserInput extends UserDetailsInput {
  email: string
  /** Empty: a password is generated and shown once. */
  password: string
}

export const DUPLICATE_EMAIL_MESSAGE = 'There is already a user with this email address'

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

async function checkDetails(input: UserDetailsInput, errors: FieldError[]): Promise<Types.ObjectId[]> {
  const name = input.name.trim()
  if (name === '') errors.push({ href: 'name', text: 'Enter a name' })
  else if (name.length > 100) errors.push({ href: 'name', text: 'Name must be 100 characters or fewer' })
  if (!isRole(input.role)) errors.push({ href: 'role', text: 'Select a role' })

  const wanted = [...new Set(input.teamIds)]
  if (!wanted.every(isObjectId)) {
    errors.push({ href: 'teams', text: 'Select teams from the list' })
    return []
  }
  const teams = wanted.length ? await TeamModel.find({ _id: { $in: wanted } }, { _id: 1 }).lean() : []
  if (teams.length !== wanted.length) errors.push({ href: 'teams', text: 'Select teams from the list' })
  else if (teams.length === 0 && (input.role === 'practitioner' || input.role === 'manager')) {
    errors.push({ href: 'teams', text: `Select at least one team for a ${input.role}` })
  }
  return teams.map((team) => team._id)
}

function describeRole(role: Role): string {
  return ROLE_LABELS[role].toLowerCase()
}

/** Adds a user. Returns the password to show once (generated when none was given). */
export async function addUser(
  clock: Clock,
  actor: Actor,
  input: NewUserInput,
): Promise<{ user: User; password: string; generated: boolean }> {
  const errors: FieldError[] = []
  const email = input.email.trim().toLowerCase()
  if (email === '') errors.push({ href: 'email', text: 'Enter an email address' })
  else if (!isEmailAddress(email)) {
    errors.push({
      href: 'email',
      text: 'Enter an email address in the correct format, like name@example.com',
    })
  } else if (await UserModel.exists({ email })) errors.push({ href: 'email', text: DUPLICATE_EMAIL_MESSAGE })
  const teamIds = await checkDetails(input, errors)
  const generated = input.password === ''
  const password = generated ? generatePassword() : input.password
  if (!generated) {
    const problem = passwordProblem(password, { email, whose: 'the' })
    if (problem) errors.push({ href: 'password', text: problem })
  }
  if (errors.length) throw new ValidationError(errors)

  const passwordHash = await hashPassword(password)
  const user = await writeUnique(
    async () =>
      (
        await UserModel.create({ email, name: input.name.trim(), role: input.role, teamIds, passwordHash })
      ).toObject(),
    { href: 'email', text: DUPLICATE_EMAIL_MESSAGE },
  )
  await recordActorAudit(
    clock,
    actor,
    'user.created',
    `user ${user.email}`,
    `${ROLE_LABELS[user.role]}; password ${generated ? 'generated' : 'set by administrator'}`,
  )
  return { user, password, generated }
}

export async function findUser(id: Types.ObjectId): Promise<User> {
  const user = await UserModel.findById(id).lean()
  if (!user) throw new HttpError(404, 'There is no such user.')
  return user
}

/** Stops the last active administrator being demoted or disabled, which would lock everyone out. */
async function keepAnAdministrator(user: User, href: string): Promise<void> {
  if (user.role !== 'admin' || user.disabled) return
  const others = await UserModel.countDocuments({ _id: { $ne: user._id }, role: 'admin', disabled: false })
  const text = 'There must be at least one administrator. Make someone else an administrator first'
  if (others === 0) throw new ValidationError([{ href, text }])
}

/** Changes a user's name, role and teams. */
export async function updateUser(
  clock: Clock,
  actor: Actor,
  id: Types.ObjectId,
  input: UserDetailsInput,
): Promise<User> {
  const user = await findUser(id)
  const errors: FieldError[] = []
  const teamIds = await checkDetails(input, errors)
  if (errors.length) throw new ValidationError(errors)
  const role = input.role as Role
  if (role !== 'admin') {
    await keepAnAdministrator(user, 'role')
  }

  const changes: string[] = []
  if (user.name !== input.name.trim()) changes.push(`name "${user.name}" to "${input.name.trim()}"`)
  if (user.role !== role) changes.push(`role ${describeRole(user.role)} to ${describeRole(role)}`)
  const before = user.teamIds.map(String).sort().join(',')
  const after = teamIds.map(String).sort().join(',')
  if (before !== after) changes.push('teams')
  const updated = await UserModel.findOneAndUpdate(
    { _id: id },
    { $set: { name: input.name.trim(), role, teamIds } },
    { new: true },
  ).lean()
  if (!updated) throw new HttpError(404, 'There is no such user.')
  if (changes.length) {
    await recordActorAudit(
      clock,
      actor,
      'user.changed',
      `user ${user.email}`,
      `Changed ${changes.join(', ')}`,
    )
  }
  return updated
}

/** Disables (ending every session at once) or enables an account. */
export async function setUserDisabled(
  clock: Clock,
  actor: Actor,
  id: Types.ObjectId,
  disabled: boolean,
): Promise<User> {
  const user = await findUser(id)
  if (disabled && actor.userId && String(actor.userId) === String(user._id)) {
    throw new ValidationError([{ href: 'disable', text: 'You cannot disable your own account' }])
  }
  if (disabled) {
    await keepAnAdministrator(user, 'disable')
  }
  const updated = await UserModel.findOneAndUpdate({ _id: id }, { $set: { disabled } }, { new: true }).lean()
  if (!updated) throw new HttpError(404, 'There is no such user.')
  const ended = disabled ? await endSessionsOf(id) : 0
  if (user.disabled !== disabled) {
    await recordActorAudit(
      clock,
      actor,
      disabled ? 'user.disabled' : 'user.enabled',
      `user ${user.email}`,
      disabled ? `${ended} session${ended === 1 ? '' : 's'} ended` : undefined,
    )
  }
  return updated
}

/** Sets a new password (generated when none is given), ending the user's sessions. */
export async function resetUserPassword(
  clock: Clock,
  actor: Actor,
  id: Types.ObjectId,
  chosen: string,
): Promise<{ user: User; password: string; generated: boolean }> {
  const user = await findUser(id)
  const generated = chosen === ''
  const password = generated ? generatePassword() : chosen
  if (!generated) {
    const problem = passwordProblem(password, { email: user.email, whose: 'the' })
    if (problem) throw new ValidationError([{ href: 'password', text: problem }])
  }
  await UserModel.updateOne({ _id: id }, { $set: { passwordHash: await hashPassword(password) } })
  const ended = await endSessionsOf(id)
  await recordActorAudit(
    clock,
    actor,
    'user.password-reset',
    `user ${user.email}`,
    `Password ${generated ? 'generated' : 'set by administrator'}; ${ended} session${ended === 1 ? '' : 's'} ended`,
  )
  return { user, password, generated }
}

export interface UserRow {
  id: string
  email: string
  name: string
  roleLabel: string
  teamNames: string[]
  disabled: boolean
  lastSignedInAt?: Date
}

/** Every user, by name, with team names for the list page. */
export async function listUsers(): Promise<UserRow[]> {
  const [users, teams] = await Promise.all([
    UserModel.find({}, { passwordHash: 0 }).sort({ name: 1, email: 1 }).lean(),
    TeamModel.find({}, { name: 1 }).lean(),
  ])
  const teamNames = new Map(teams.map((team) => [String(team._id), team.name]))
  return users.map((user) => ({
    id: String(user._id),
    email: user.email,
    name: user.name,
    roleLabel: ROLE_LABELS[user.role],
    teamNames: user.teamIds.map((teamId) => teamNames.get(String(teamId)) ?? 'Unknown team').sort(),
    disabled: user.disabled,
    lastSignedInAt: user.lastSignedInAt,
  }))
}

/** Teams a user can be put in: active teams, plus retired ones they already belong to. */
export async function teamChoices(current: Types.ObjectId[] = []): Promise<Team[]> {
  const teams = await TeamModel.find({}).sort({ name: 1 }).lean()
  const mine = new Set(current.map(String))
  return teams.filter((team) => !team.retired || mine.has(String(team._id)))
}
