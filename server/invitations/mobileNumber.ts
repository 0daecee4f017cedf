/**
 * UK mobile numbers for text message invitations, however they are typed (07400 123456,
 * +44 7400 123456, 0044 7400 123456, with spaces, dashes or brackets), checked against the
 * numbering plan with libphonenumber-js and stored in one form: E.164, +447…
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

export const MOBILE_ERROR = 'Enter a UK mobile number, like 07400 123456 or +44 7400 123456'

/** The number as +447…, or undefined when it is not a UK mobile number. */
export function normaliseUkMobile(text: string): string | undefined {
  const typed = text.trim()
  // Only what people write in a phone number: digits, spaces, + and ( ) - .
  if (typed === '' || typed.length > 30 || !/^[0-9+()\-. ]+$/.test(typed)) return undefined
  const phone = parsePhoneNumberFromString(typed, 'GB')
  if (!phone || !phone.isValid() || !phone.number.startsWith('+447')) return undefined
  // +447 also covers pagers and personal numbers (070, 076): only mobiles get a text.
  const type = phone.getType()
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined
  return phone.number
}
