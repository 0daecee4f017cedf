/**
 * The single sign-on settings (OIDC_*), checked once at start like every other setting: a wrong
 * value is one sentence naming the variable. Plain TypeScript, no network: the provider itself is
 * only asked for its metadata when someone first signs in (sso.ts).
 */
import { ROLES, type Role } from './user'

export const DEFAULT_SSO_SIGN_IN_LABEL = 'Sign in with your council account'

export interface OidcSettings {
  issuerUrl: string
  clientId: string
  clientSecret: string
  /** Create an account at first sign-in for someone in one of roleGroups' groups. */
  createUsers: boolean
  /** Identity-provider group id → role, highest role first. */
  roleGroups: Array<{ role: Role; groupId: string }>
  signInLabel: string
}

type OidcEnvironment = Partial<
  Record<
    | 'OIDC_ISSUER_URL'
    | 'OIDC_CLIENT_ID'
    | 'OIDC_CLIENT_SECRET'
    | 'OIDC_CREATE_USERS'
    | 'OIDC_ROLE_GROUPS'
    | 'OIDC_SIGN_IN_LABEL',
    string | undefined
  >
>

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]']

/** Plain http is only for a provider on this machine (development and the tests), never in production. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)
}

/** `admin=<group id>,qa=<id>,…`: the same role may be named more than once. */
function parseRoleGroups(text: string): OidcSettings['roleGroups'] | string {
  const found: OidcSettings['roleGroups'] = []
  for (const part of text.split(',')) {
    const entry = part.trim()
    if (entry === '') continue
    const [role, groupId, extra] = entry.split('=').map((piece) => piece.trim())
    if (!role || !groupId || extra !== undefined || !(ROLES as readonly string[]).includes(role)) {
      return `OIDC_ROLE_GROUPS must be a comma-separated list of role=group id, with roles ${ROLES.join(', ')} (such as admin=0b1e…,practitioner=7c2d…), not "${entry}"`
    }
    found.push({ role: role as Role, groupId })
  }
  // Highest role first, so the first group a person is in decides (ROLES is lowest first).
  return found.sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role))
}

/** The settings, undefined when single sign-on is off, or a sentence saying what is wrong. */
export function parseOidcSettings(
  env: OidcEnvironment,
  production: boolean,
): OidcSettings | undefined | string {
  const issuer = env.OIDC_ISSUER_URL?.trim() ?? ''
  const clientId = env.OIDC_CLIENT_ID?.trim() ?? ''
  const clientSecret = env.OIDC_CLIENT_SECRET ?? ''
  const given = { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret }
  const missing = Object.entries(given).filter(([, value]) => value === '')
  if (missing.length === 3) {
    const stray = (['OIDC_CREATE_USERS', 'OIDC_ROLE_GROUPS', 'OIDC_SIGN_IN_LABEL'] as const).find((name) =>
      env[name]?.trim(),
    )
    if (stray)
      return `${stray} is set but single sign-on is not: set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too`
    return undefined
  }
  if (missing.length > 0) {
    return `${missing[0]![0]} must be set too: single sign-on needs OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them`
  }

  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    return 'OIDC_ISSUER_URL is not a valid URL'
  }
  if (url.search || url.hash) return 'OIDC_ISSUER_URL must be the issuer itself, without ?query or #fragment'
  if (url.protocol !== 'https:' && !(isLoopbackHttp(url) && !production)) {
    return 'OIDC_ISSUER_URL must start with https:// (plain http only for a provider on this machine, outside production)'
  }

  const createText = (env.OIDC_CREATE_USERS ?? '').trim().toLowerCase()
  let createUsers: boolean
  if (['', 'off', 'false', 'no'].includes(createText)) createUsers = false
  else if (['on', 'true', 'yes'].includes(createText)) createUsers = true
  else return `OIDC_CREATE_USERS must be on or off, not "${env.OIDC_CREATE_USERS}"`

  const roleGroups = parseRoleGroups(env.OIDC_ROLE_GROUPS ?? '')
  if (typeof roleGroups === 'string') return roleGroups
  if (createUsers && roleGroups.length === 0) {
    return 'OIDC_ROLE_GROUPS must name at least one group when OIDC_CREATE_USERS is on (the group gives the new account its role)'
  }

  const label = env.OIDC_SIGN_IN_LABEL?.trim() || DEFAULT_SSO_SIGN_IN_LABEL
  if (label.length > 80) return 'OIDC_SIGN_IN_LABEL must be at most 80 characters'

  return {
    // Exactly as given (some issuers end in "/"): discovery checks it against the provider's own.
    issuerUrl: issuer,
    clientId,
    clientSecret,
    createUsers,
    roleGroups,
    signInLabel: label,
  }
}
