/**
 * What a staff password must be: 12 to 256 characters, not only numbers, not a common password (even with digits
 * or symbols added before or after it), at least 5 different characters, not containing the
 * person's email name or "Family Voice". Each rule has one clear message, in GOV.UK style.
 */
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../db/ferretdbInstall'

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

let common: Set<string> | undefined
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(path.join(PROJECT_ROOT, 'server', 'staff', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line !== '' && !line.startsWith('#')),
  )
  return common
}

function lettersOnly(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

/**
 * The one thing wrong with a proposed password, or undefined when it meets the policy.
 * `whose` words the message: "your" when people choose their own, "the" when an admin sets one.
 */
export function passwordProblem(
  password: string,
  context: { email?: string; whose?: 'your' | 'the' } = {},
): string | undefined {
  const whose = context.whose ?? 'the'
  if (password === '') return 'Enter a password'
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`
  }
  const lower = password.toLowerCase()
  // The common word inside: "Football2024!" is "football"; "2024!!" alone is "" (checked below).
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')
  const list = commonPasswords()
  if (
    list.has(lower) ||
    list.has(lower.replace(/\s+/g, '')) ||
    (core !== '' && list.has(core.replace(/\s+/g, '')))
  ) {
    return 'Password is too common. Choose one that is hard to guess, for example three random words'
  }
  if (/^[\d\s\p{P}\p{S}]+$/u.test(password)) return 'Password must include letters, not only numbers'
  if (new Set(lower).size < 5) return 'Password must use at least 5 different characters'
  if (lettersOnly(password).includes('familyvoice')) return 'Password must not contain the words Family Voice'
  const localPart = lettersOnly(context.email?.split('@')[0] ?? '')
  if (localPart.length >= 3 && lettersOnly(password).includes(localPart)) {
    return `Password must not contain ${whose} email address`
  }
  return undefined
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A random password meeting the policy: four groups of five, e.g. "k7pmq-3dx9t-..." (about 98 bits). */
export function generatePassword(): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () =>
      Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    )
    const password = groups.join('-')
    if (!passwordProblem(password)) return password
  }
}
