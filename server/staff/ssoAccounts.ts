/**
 * Who a person signed in by the identity provider is here: their account, matched by their
 * verified email address, or (when OIDC_CREATE_USERS is on) a new account whose role comes from
 * their identity-provider groups. Plain TypeScript; the routes deal with the session.
 */
import { randomBytes } from 'node:crypto'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { hashPassword } from './passwords'
import { normaliseEmail } from './signIn'
import type { SignOnClaims } from './sso'
import type { OidcSettings } from './ssoSettings'
import { UserModel, type Role, type User } from './user'

export type SignOnAccount =
  | { outcome: 'found'; user: User }
  | { outcome: 'created'; user: User }
  | { outcome: 'no-email' }
  | { outcome: 'unverified-email'; email: string }
  | { outcome: 'disabled'; user: User }
  | { outcome: 'no-account'; email: string }
  | { outcome: 'no-group'; email: string }

/**
 * Only an email the provider vouches for is matched: `email_verified: true`, or for Entra ID,
 * which sends no email_verified, its optional `xms_edov: true` (the email's domain is verified
 * by the tenant). An explicit `email_verified: false` is never overridden.
 */
export function isVerifiedEmail(claims: SignOnClaims): boolean {
  if (claims.email_verified === true) return true
  return claims.email_verified === undefined && claims.xms_edov === true
}

/** The highest role any of the person's groups gives, if any. */
export function roleFromGroups(settings: OidcSettings, groups: unknown): Role | undefined {
  if (!Array.isArray(groups)) return undefined
  const theirs = new Set(groups.filter((group): group is string => typeof group === 'string'))
  // roleGroups is sorted highest role first.
  return settings.roleGroups.find((entry) => theirs.has(entry.groupId))?.role
}

function displayName(claims: SignOnClaims, email: string): string {
  const name = typeof claims.name === 'string' ? claims.name.trim() : ''
  return (name || email.split('@')[0] || email).slice(0, 100)
}

export async function accountForSignOn(settings: OidcSettings, claims: SignOnClaims): Promise<SignOnAccount> {
  if (typeof claims.email !== 'string' || !claims.email.includes('@')) return { outcome: 'no-email' }
  const email = normaliseEmail(claims.email).slice(0, 254)
  if (!isVerifiedEmail(claims)) return { outcome: 'unverified-email', email }

  const existing = await UserModel.findOne({ email }).lean()
  if (existing)
    return existing.disabled ? { outcome: 'disabled', user: existing } : { outcome: 'found', user: existing }
  if (!settings.createUsers) return { outcome: 'no-account', email }
  const role = roleFromGroups(settings, claims.groups)
  if (!role) return { outcome: 'no-group', email }

  try {
    const created = await UserModel.create({
      email,
      name: displayName(claims, email),
      role,
      // No teams: an administrator adds them, as for any new account.
      teamIds: [],
      // A password nobody knows: this person signs in through the provider (an admin can set one).
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
    })
    return { outcome: 'created', user: created.toObject() }
  } catch (error) {
    // Two first sign-ins at once: the unique email index lets one create, the other finds it.
    if (!isDuplicateKeyError(error)) throw error
    const user = await UserModel.findOne({ email }).lean()
    if (!user) throw error
    return user.disabled ? { outcome: 'disabled', user } : { outcome: 'found', user }
  }
}
