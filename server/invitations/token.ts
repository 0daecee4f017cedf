/**
 * A personal link's secret, which is also the code printed on paper: 28 characters of Crockford's
 * base32 (digits and capital letters without I, L, O and U), 140 random bits. A family types it
 * as seven groups of four (`7K3M-…`), in capitals or not, with or without the dashes or spaces;
 * the look-alikes they may type for 0 and 1 (O, I, L) are read as those digits. The link is
 * `BASE_URL/s/<code>`, and `BASE_URL/s` asks for the code. Only the SHA-256 of the code in its
 * normal form (capitals, no dashes) is stored.
 *
 * Links made before codes existed carry 43 characters of base64url (256 bits); their hashes were
 * taken of the token as it is, so they keep working exactly as before.
 */
import { randomInt } from 'node:crypto'
import { sha256Hex } from '../security/sha256'

/** Crockford's base32 alphabet: no I, L, O or U. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** 28 characters × 5 bits = 140 bits, comfortably over the 128 a guess-proof secret needs. */
export const CODE_LENGTH = 28
const CODE_GROUP = 4

const LEGACY_TOKEN = /^[A-Za-z0-9_-]{43}$/
const NORMAL_CODE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`)

/** A new code, in its normal form (as it goes in a link). */
export function newInvitationToken(): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

/** "7K3M-9QXA-…": the code as printed, in groups of four. */
export function formatCode(code: string): string {
  return code.match(new RegExp(`.{1,${CODE_GROUP}}`, 'g'))?.join('-') ?? code
}

/**
 * The normal form of a code a family typed or a link carried, or undefined if it cannot be one.
 * Spaces and dashes go, letters become capitals, and O, I and L (which Crockford reads as 0, 1, 1)
 * are what someone copying 0 and 1 by hand may write.
 */
export function normalCode(typed: unknown): string | undefined {
  if (typeof typed !== 'string' || typed.length > 100) return undefined
  const code = typed
    .toUpperCase()
    .replace(/[\s\-‐‑–—.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  return NORMAL_CODE.test(code) ? code : undefined
}

/** The stored fingerprint of a link's token or a typed code; undefined for anything else. */
export function tokenHashOf(candidate: unknown): string | undefined {
  if (typeof candidate === 'string' && LEGACY_TOKEN.test(candidate)) return sha256Hex(candidate)
  const code = normalCode(candidate)
  return code ? sha256Hex(code) : undefined
}

/** The fingerprint of a token as issued (already in its normal form). */
export function hashToken(token: string): string {
  return tokenHashOf(token) ?? sha256Hex(token)
}
