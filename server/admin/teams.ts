/**
 * Managing teams: add, rename, change service or duty email, retire and bring back. Responses and
 * invitations keep the team name they were given under, so renaming or retiring a team never
 * changes old reports.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import type { Types } from 'mongoose'
import { recordActorAudit } from '../audit/staffAudit'
import type { Clock } from '../clock'
import { HttpError } from '../http/errors'
import { UserModel } from '../staff/user'
import { SERVICES, TeamModel, type Service, type Team } from '../teams/team'
import type { Actor } from '../audit/staffAudit'
import { ValidationError, type FieldError } from '../http/input'
import { isEmailAddress } from '../staff/emailAddress'
import { writeUnique } from './writeUnique'

export interface TeamInput {
  name: string
  service: string
  /** Optional: where safeguarding alerts for this team are emailed. */
  dutyEmail: string
  /** Optional: the phone number families are told to call, e.g. "0300 123 4567". */
  phone: string
}

export const DUPLICATE_TEAM_MESSAGE = 'There is already a team with this name'
const NAME_TAKEN = { href: 'name', text: DUPLICATE_TEAM_MESSAGE }

function isService(value: string): value is Service {
  return (SERVICES as readonly string[]).includes(value)
}

/** Team names are unique whatever their case ("Locality North" and "locality north" are one team). */
async function nameTaken(name: string, except?: Types.ObjectId): Promise<boolean> {
  const teams = await TeamModel.find({}, { name: 1 }).lean()
  const wanted = name.toLowerCase()
  return teams.some((team) => team.name.toLowerCase() === wanted && String(team._id) !== String(except))
}

async function checkTeam(
  input: TeamInput,
  except?: Types.ObjectId,
): Promise<{ name: string; dutyEmail?: string; phone?: string }> {
  const errors: FieldError[] = []
  const name = input.name.trim().replace(/\s+/g, ' ')
  if (name === '') errors.push({ href: 'name', text: 'Enter a team name' })
  else if (name.length > 100) errors.push({ href: 'name', text: 'Team name must be 100 characters or fewer' })
  else if (await nameTaken(name, except)) errors.push({ href: 'name', text: DUPLICATE_TEAM_MESSAGE })
  if (!isService(input.service))
    errors.push({ href: 'service', text: 'Select the service the team belongs to' })
  const dutyEmail = input.dutyEmail.trim().toLowerCase()
  if (dutyEmail !== '' && !isEmailAddress(dutyEmail)) {
    errors.push({
      href: 'dutyEmail',
      text: 'Enter the duty email address in the correct format, like duty@example.com',
    })
  }
  const phone = familyPhone(input.phone)
  if (phone === null) {
    errors.push({ href: 'phone', text: 'Enter a UK phone number, like 0300 123 4567' })
  }
  if (errors.length) throw new ValidationError(errors)
  return { name, dutyEmail: dutyEmail || undefined, phone: phone || undefined }
}

/** A phone number as families read it ("0300 123 4567"); '' when none is given, null when wrong. */
function familyPhone(typed: string): string | null {
  const trimmed = typed.trim()
  if (trimmed === '') return ''
  if (trimmed.length > 30) return null
  const number = parsePhoneNumberFromString(trimmed, 'GB')
  if (!number?.isValid()) return null
  return number.country === 'GB' ? number.formatNational() : number.formatInternational()
}

export async function addTeam(clock: Clock, actor: Actor, input: TeamInput): Promise<Team> {
  const { name, dutyEmail, phone } = await checkTeam(input)
  const team = await writeUnique(
    async () => (await TeamModel.create({ name, service: input.service, dutyEmail, phone })).toObject(),
    NAME_TAKEN,
  )
  await recordActorAudit(clock, actor, 'team.created', `team ${team.name}`, team.service)
  return team
}

export async function findTeam(id: Types.ObjectId): Promise<Team> {
  const team = await TeamModel.findById(id).lean()
  if (!team) throw new HttpError(404, 'There is no such team.')
  return team
}

/** Renames a team or changes its service or duty email. */
export async function updateTeam(
  clock: Clock,
  actor: Actor,
  id: Types.ObjectId,
  input: TeamInput,
): Promise<Team> {
  const team = await findTeam(id)
  const { name, dutyEmail, phone } = await checkTeam(input, id)
  const changes: string[] = []
  if (team.name !== name) changes.push(`renamed from "${team.name}" to "${name}"`)
  if (team.service !== input.service) changes.push(`service ${team.service} to ${input.service}`)
  if ((team.dutyEmail ?? '') !== (dutyEmail ?? '')) changes.push('duty email')
  if ((team.phone ?? '') !== (phone ?? '')) changes.push('phone number')
  const updated = await writeUnique(
    () =>
      TeamModel.findOneAndUpdate(
        { _id: id },
        {
          $set: {
            name,
            service: input.service,
            ...(dutyEmail ? { dutyEmail } : {}),
            ...(phone ? { phone } : {}),
          },
          ...(dutyEmail && phone
            ? {}
            : { $unset: { ...(dutyEmail ? {} : { dutyEmail: 1 }), ...(phone ? {} : { phone: 1 }) } }),
        },
        { new: true },
      ).lean(),
    NAME_TAKEN,
  )
  if (!updated) throw new HttpError(404, 'There is no such team.')
  if (changes.length) {
    await recordActorAudit(clock, actor, 'team.changed', `team ${name}`, changes.join('; '))
  }
  return updated
}

/** Retired teams take no new invitations; their members and old responses are kept. */
export async function setTeamRetired(
  clock: Clock,
  actor: Actor,
  id: Types.ObjectId,
  retired: boolean,
): Promise<Team> {
  const team = await findTeam(id)
  const updated = await TeamModel.findOneAndUpdate({ _id: id }, { $set: { retired } }, { new: true }).lean()
  if (!updated) throw new HttpError(404, 'There is no such team.')
  if (team.retired !== retired) {
    await recordActorAudit(clock, actor, retired ? 'team.retired' : 'team.unretired', `team ${team.name}`)
  }
  return updated
}

export interface TeamRow {
  id: string
  name: string
  service: string
  dutyEmail?: string
  retired: boolean
  members: number
}

/** Every team, active first then retired, by name, with how many staff are in each. */
export async function listTeams(): Promise<TeamRow[]> {
  const [teams, counts] = await Promise.all([
    TeamModel.find({}).sort({ name: 1 }).lean(),
    UserModel.aggregate<{ _id: Types.ObjectId; members: number }>([
      { $match: { disabled: false } },
      { $unwind: '$teamIds' },
      { $group: { _id: '$teamIds', members: { $sum: 1 } } },
    ]),
  ])
  const members = new Map(counts.map((count) => [String(count._id), count.members]))
  return teams
    .map((team) => ({
      id: String(team._id),
      name: team.name,
      service: team.service,
      dutyEmail: team.dutyEmail,
      retired: team.retired,
      members: members.get(String(team._id)) ?? 0,
    }))
    .sort((a, b) => Number(a.retired) - Number(b.retired))
}
