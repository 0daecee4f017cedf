import { createHash } from 'node:crypto'

/** Hex SHA-256 of a UTF-8 string: how link and API tokens are stored, and import rows identified. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
