/** Email addresses as the staff forms accept them: staff accounts, duty addresses, reset requests. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Something@something.something, at most 254 characters (the longest an address can be). */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && EMAIL_PATTERN.test(text)
}
