/**
 * Time-based one-time codes (RFC 6238 through `otpauth`: SHA-1, 6 digits, 30 seconds, what every
 * authenticator app uses) and recovery codes. Pure functions of the time they are given.
 */
import { randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { sha256Hex } from '../../security/sha256'

export const TOTP_PERIOD_SECONDS = 30
/** A code from the step before or after is accepted too: phones' clocks drift, people type slowly. */
export const TOTP_WINDOW = 1
export const RECOVERY_CODE_COUNT = 10

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

function totp(secret: string, label = 'staff'): TOTP {
  return new TOTP({
    issuer: 'Family Voice',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  })
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString()
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS)
}

/** The code for `now`: what an authenticator app shows (tests use it). */
export function totpCode(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() })
}

/** The step a 6-digit code belongs to (within the window around `now`), or undefined. */
export function matchingStep(secret: string, code: string, now: Date): number | undefined {
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW })
  return delta === null ? undefined : stepAt(now) + delta
}

/** "123 456" → "123456"; undefined unless six digits. */
export function normaliseCode(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(digits) ? digits : undefined
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** Ten codes of 16 characters from 31 (about 79 bits each), shown as "abcd-efgh-jkmn-pqrs". */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)])
    return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-')
  })
}

/** How a recovery code is stored and looked up: case, spaces and hyphens do not matter. */
export function recoveryCodeHash(code: string): string {
  return sha256Hex(code.toLowerCase().replace(/[\s-]/g, ''))
}
