import { randomBytes } from 'node:crypto'
import { sha256Hex } from '../security/sha256'

/** 256 random bits, URL-safe. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return sha256Hex(token)
}

/** Tokens are base64url of 32 bytes; anything else is rejected before touching the database. */
export function looksLikeToken(candidate: unknown): candidate is string {
  return typeof candidate === 'string' && /^[A-Za-z0-9_-]{43}$/.test(candidate)
}
