/**
 * The words of a survey text message: short (two SMS fragments at most, so it is cheap and reads
 * whole on any phone), in plain GSM characters only (a curly quote would halve the fragment size),
 * naming the team, never the child or the case reference, and carrying the personal link.
 */
import { formatDayAndMonth } from '../dates'

export interface TextMessageInput {
  teamName: string
  link: string
  expiresAt: Date
}

/** Two concatenated GSM-7 fragments (153 characters each). */
export const TEXT_MESSAGE_MAX = 306

/** Anything outside plain letters, digits and simple punctuation becomes a space or a plain quote. */
function plain(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[^A-Za-z0-9 '&().,-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** "Locality North team"; a name that already ends in "team" is not doubled. */
function teamWords(teamName: string): string {
  const name = plain(teamName)
  return /\bteam$/i.test(name) ? name : `${name} team`
}

/** The message with the team's name, shortened if a long name would take it past two fragments. */
function fitted(teamName: string, write: (team: string) => string): string {
  const full = write(teamWords(teamName))
  const over = full.length - TEXT_MESSAGE_MAX
  if (over <= 0) return full
  const name = plain(teamName)
  return write(`${name.slice(0, Math.max(1, name.length - over - 3)).trim()}... team`)
}

export function invitationText(input: TextMessageInput): string {
  return fitted(
    input.teamName,
    (team) =>
      `${team}, children's services: please tell us what it was like working with us. ` +
      `It is up to you and takes about 5 minutes. Your personal link, until ${formatDayAndMonth(input.expiresAt)}: ${input.link}`,
  )
}

export function reminderText(input: TextMessageInput): string {
  return fitted(
    input.teamName,
    (team) =>
      `Reminder from the ${team}, children's services: there is still time to tell us ` +
      `about your experience. The earlier link no longer works. Until ${formatDayAndMonth(input.expiresAt)}: ${input.link}`,
  )
}
