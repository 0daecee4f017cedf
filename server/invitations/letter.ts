/**
 * A printable letter for a family given feedback face to face: the personal link and a QR code,
 * kind words, the service but never the child's name or the case reference.
 */
import QRCode from 'qrcode'
import type { Services } from '../services'
import { formatLongDate, serviceSignature } from '../mail/invitationEmails'
import type { Invitation } from './invitation'
import { invitationLink } from './service'

export interface LetterView {
  greeting: string
  from: string
  teamName: string
  link: string
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
  return {
    greeting: invitation.recipientName ? `Dear ${invitation.recipientName},` : 'Hello,',
    from: serviceSignature(invitation.service),
    teamName: invitation.teamName,
    link,
    // A PNG data: URL (the CSP allows img data:), big enough to scan from paper.
    qrDataUrl: await QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
    expires: formatLongDate(invitation.expiresAt),
    printedOn: formatLongDate(services.clock.now()),
    helpContact: services.config.helpContact,
    childFriendly: survey?.childFriendly ?? false,
  }
}
