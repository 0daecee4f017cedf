/**
 * Creating and checking API tokens. A token is `fv_` and 256 random bits (base64url); it is shown
 * once and only its SHA-256 is kept, so a copy of the database gives no working tokens.
 */
import { randomBytes } from 'node:crypto'
import { sha256Hex } from '../security/sha256'
import type { Clock } from '../clock'
import { ROLES, type Role } from '../staff/user'
import type { Team } from '../teams/team'
import { ApiTokenModel, type ApiToken } from './apiToken'
import { HttpError } from '../http/errors'

/** Input a person can correct (a 400 on the web, the message alone in the CLI). */
export class ApiTokenInputError extends HttpError {
  constructor(message: string) {
    super(400, message)
  }
}

const TOKEN_RE = /^fv_[A-Za-z0-9_-]{43}$/

export function hashApiToken(token: string): string {
  return sha256Hex(token)
}

export interface NewApiToken {
  name: string
  role: string
  /** Manager tokens see these teams only; required for managers and practitioners. */
  teams?: Team[]
}

export async function createApiToken(
  clock: Clock,
  input: NewApiToken,
): Promise<{ token: string; apiToken: ApiToken }> {
  const name = input.name.trim()
  if (name === '' || name.length > 100) throw new ApiTokenInputError('--name must be 1 to 100 characters.')
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new ApiTokenInputError(`--role must be one of: ${ROLES.join(', ')}.`)
  }
  const role = input.role as Role
  const teams = input.teams ?? []
  if ((role === 'manager' || role === 'practitioner') && teams.length === 0) {
    throw new ApiTokenInputError(`A ${role} token sees only its teams: give --team NAME.`)
  }
  const token = `fv_${randomBytes(32).toString('base64url')}`
  const created = await ApiTokenModel.create({
    name,
    role,
    teamIds: role === 'qa' || role === 'admin' ? [] : teams.map((team) => team._id),
    tokenHash: hashApiToken(token),
    createdAt: clock.now(),
  })
  return { token, apiToken: created.toObject() }
}

/** The live token for an `Authorization: Bearer …` value, or undefined. */
export async function authenticateApiToken(header: unknown, clock: Clock): Promise<ApiToken | undefined> {
  if (typeof header !== 'string') return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match || !TOKEN_RE.test(match[1]!)) return undefined
  const found = await ApiTokenModel.findOneAndUpdate(
    { tokenHash: hashApiToken(match[1]!), revokedAt: { $exists: false } },
    { $set: { lastUsedAt: clock.now() } },
    { new: true },
  ).lean()
  return found ?? undefined
}
