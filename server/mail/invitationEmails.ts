/**
 * The words families read in a survey email: short and kind, plain text and HTML. They name the
 * service but never the child or the case reference, carry the personal link, say answering is
 * voluntary, when the link stops working and who to contact.
 */
import { formatLongDate } from '../dates'

export interface InvitationEmailInput {
  /** The family member's first name, if the practitioner gave one. */
  firstName?: string
  /** e.g. "Locality" (the invitation's service). */
  service: string
  teamName: string
  /** The team's phone number for families, when the team has one. */
  teamPhone?: string
  link: string
  /** The short address where the code can be typed instead (`BASE_URL/s`). */
  shortAddress: string
  /** The link's code in groups of four, for anyone who cannot open the link. */
  code: string
  expiresAt: Date
  /** Who to call if a child is unsafe now (config.helpContact). */
  helpContact: string
  childFriendly: boolean
}

export interface EmailContent {
  subject: string
  text: string
  html: string
}

/** "Locality team, children's services" */
export function serviceSignature(service: string): string {
  return `${service} team, children's services`
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Whom to ask about the survey, on letters and emails. */
export function teamContactSentence(teamName: string, phone: string | undefined): string {
  return (
    'If you have a question about this survey, or would rather answer by phone, ' +
    (phone
      ? `call the ${teamName} team at children's services on ${phone}.`
      : `contact the ${teamName} team at children's services.`)
  )
}

/** Only a plain first name goes into a greeting; anything else falls back to "Hello". */
function greeting(firstName: string | undefined): string {
  const name = firstName?.trim()
  return name ? `Hello ${name},` : 'Hello,'
}

function build(input: InvitationEmailInput, subject: string, opening: string[]): EmailContent {
  const until = formatLongDate(input.expiresAt)
  const signature = serviceSignature(input.service)
  const voluntary = input.childFriendly
    ? 'You do not have to answer. It is up to you. You can skip any question.'
    : 'Answering is up to you: it takes about five minutes and you can skip any question. ' +
      'Whether you answer or not will not change the help you get.'
  const contact = teamContactSentence(input.teamName, input.teamPhone)
  const paragraphs = [...opening, voluntary, `This link is just for you and works until ${until}:`]
  const typeCode = `If the link does not open, go to ${input.shortAddress} and type this code: ${input.code}`
  const after = [typeCode, contact, input.helpContact, 'Thank you,']

  const text = [
    greeting(input.firstName),
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    input.link,
    '',
    ...after.flatMap((p) => [p, '']),
    signature,
    '',
  ].join('\n')

  const html = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;">',
    `<p>${escapeHtml(greeting(input.firstName))}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(input.link)}" style="color: #1d70b8; font-weight: bold;">Give your feedback</a></p>`,
    `<p style="word-break: break-all;">${escapeHtml(input.link)}</p>`,
    ...after.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>${escapeHtml(signature)}</p>`,
    '</body></html>',
  ].join('\n')

  return { subject, text, html }
}

export function invitationEmail(input: InvitationEmailInput): EmailContent {
  const opening = input.childFriendly
    ? [
        `You have been working with the ${serviceSignature(input.service)}.`,
        'We would like to know what it was like for you, so we can get better at helping children and young people.',
      ]
    : [
        `You have been working with the ${serviceSignature(input.service)}.`,
        'We would like to hear what it was like for you, so we can learn and do better for other families.',
      ]
  return build(input, "Tell us about your experience of children's services", opening)
}

export function reminderEmail(input: InvitationEmailInput): EmailContent {
  const opening = [
    `A few days ago the ${serviceSignature(input.service)} asked what it was like working with us.`,
    'If you have already answered, thank you: you do not need to do anything. ' +
      'If not, there is still time. The link in our earlier email no longer works, so please use this one.',
  ]
  return build(input, "Reminder: tell us about your experience of children's services", opening)
}
