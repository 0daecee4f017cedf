/**
 * Pieces the invitation, bulk and staff-entry pages share: who may use them, the signed-in user,
 * the teams they may send for, auditing, and how an invitation is shown.
 */
import type { Request, RequestHandler } from 'express'
import type { Services } from '../services'
import { HttpError } from '../http/errors'
import { requireRole, type StaffUser } from '../staff/access'
import { recordFilter } from '../staff/policy'
import { RESPONDENT_LABELS } from '../surveys/definition'
import { TeamModel, type Team } from '../teams/team'
import { formatDate } from '../dates'
import type { Invitation } from './invitation'
import { CHANNEL_LABELS, STATUS_LABELS, STATUS_TAGS } from './queries'

export const STAFF_ROLES = ['practitioner', 'manager', 'qa', 'admin'] as const

export const staffOnly: RequestHandler = requireRole(...STAFF_ROLES)

/** Personal pages: never cached (letters carry a live link). */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store')
  next()
}

export function signedInUser(req: Request): StaffUser {
  if (!req.staffUser) throw new HttpError(401, 'Sign in to continue.')
  return req.staffUser
}

/** Teams this user may send for (and filter by), by name. */
export async function sendableTeams(user: StaffUser): Promise<Team[]> {
  return TeamModel.find({ ...recordFilter(user, 'send', '_id'), retired: { $ne: true } })
    .sort({ name: 1 })
    .lean()
}

function recipientLabel(invitation: Invitation): string {
  if (invitation.recipientEmail) return invitation.recipientEmail
  if (invitation.recipientMobile) return invitation.recipientMobile
  // Removed by the retention schedule or an erasure (dataProtection/).
  if (invitation.channel === 'email') return 'Email (address removed)'
  if (invitation.channel === 'sms') return 'Text message (number removed)'
  return invitation.channel === 'letter' ? 'Printed letter' : 'Link given by hand'
}

export function invitationSummary(services: Services, invitation: Invitation) {
  return {
    id: String(invitation._id),
    surveyTitle: services.surveys.latest(invitation.surveyId)?.title ?? invitation.surveyId,
    surveyId: invitation.surveyId,
    respondent: RESPONDENT_LABELS[invitation.respondent] ?? invitation.respondent,
    recipient: recipientLabel(invitation),
    recipientName: invitation.recipientName ?? '',
    teamName: invitation.teamName,
    service: invitation.service,
    caseRef: invitation.caseRef ?? '',
    eventDate: formatDate(invitation.eventDate),
    channel: CHANNEL_LABELS[invitation.channel],
    isLetter: invitation.channel === 'letter',
    isText: invitation.channel === 'sms',
    created: formatDate(invitation.createdAt),
    expires: formatDate(invitation.expiresAt),
    status: invitation.status,
    statusLabel: STATUS_LABELS[invitation.status] ?? invitation.status,
    statusTag: STATUS_TAGS[invitation.status] ?? 'govuk-tag--grey',
    failureReason: invitation.status === 'failed' ? (invitation.failureReason ?? '') : '',
  }
}
