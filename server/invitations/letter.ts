/**
 * A printable letter for a family given feedback face to face: the personal link and a QR code,
 * kind words, the service but never the child's name or the case reference.
 */
import QRCode from 'qrcode'
import type { Services } from '../services'
import { serviceSignature, teamContactSentence } from '../mail/invitationEmails'
import { TeamModel } from '../teams/team'
import type { Invitation } from './invitation'
import { codeAddress, invitationLink } from './service'
import { formatCode } from './token'
import { formatLongDate } from '../dates'

export interface LetterView {
  greeting: string
  from: string
  teamName: string
  /** "If you have a question… call the … team on …" */
  contact: string
  link: string
  /** Where to type the code: a short address a family can copy from paper. */
  shortAddress: string
  /** The link's code in groups of four: no look-alike characters, any case. */
  code: string
  qrDataUrl: string
  expires: string
  printedOn: string
  helpContact: string
  childFriendly: boolean
}

export async function letterView(
  services: Services,
  invitation: Invitation,
  token: string,
): Promise<LetterView> {
  const link = invitationLink(services.config.baseUrl, token)
  const survey = services.surveys.latest(invitation.surveyId)
  const team = await TeamModel.findById(invitation.teamId, { phone: 1 }).lean()
  return {
    greeting: invitation.recipientName ? `Dear ${invitation.recipientName},` : 'Hello,',
    from: serviceSignature(invitation.service),
    teamName: invitation.teamName,
    contact: teamContactSentence(invitation.teamName, team?.phone),
    link,
    shortAddress: codeAddress(services.config.baseUrl),
    code: formatCode(token),
    // A PNG data: URL (the CSP allows img data:), big enough to scan from paper.
    qrDataUrl: await QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
    expires: formatLongDate(invitation.expiresAt),
    printedOn: formatLongDate(services.clock.now()),
    helpContact: services.config.helpContact,
    childFriendly: survey?.childFriendly ?? false,
  }
}
