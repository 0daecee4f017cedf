/**
 * Creating and finding personal survey links. Used by the CLI, the staff pages, bulk upload
 * and demo data alike.
 */
import type { Types } from 'mongoose'
import type { Clock } from '../clock'
import { idAt } from '../db/timeOrderedIds'
import type { TRespondentType } from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import { TeamModel, type Team } from '../teams/team'
import { InvitationModel, type Invitation } from './invitation'
import { statusWhenMade } from './lifecycle'
import { hashToken, newInvitationToken, tokenHashOf } from './token'
import { HttpError } from '../http/errors'

/** Input a person can correct (a 400 on the web, the message alone in the CLI). */
export class InvitationInputError extends HttpError {
  constructor(message: string) {
    super(400, message)
  }
}

export interface NewInvitation {
  /** Chosen beforehand when a claim must name it (the invitations API); else made from the clock. */
  id?: Types.ObjectId
  surveyId: string
  team: Team
  /** Defaults to the team's service. */
  service?: string
  /** Defaults to the survey's audience. */
  respondent?: TRespondentType
  caseRef?: string
  eventDate?: Date
  channel: Invitation['channel']
  recipientEmail?: string
  /** E.164 (+447…), already checked by mobileNumber.ts. */
  recipientMobile?: string
  recipientName?: string
  eventId?: string
  createdBy?: Types.ObjectId
  expiresInDays: number
}

/** Case references are pseudonymous ids from the case-management system: letters, digits, hyphens. */
export const CASE_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,29}$/

export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl}/s/${token}`
}

/** The short address on paper, where a family types the code instead of the whole link. */
export function codeAddress(baseUrl: string): string {
  return `${baseUrl}/s`
}

export async function findTeamByName(name: string): Promise<Team | undefined> {
  if (typeof name !== 'string' || name.trim() === '') return undefined
  return (await TeamModel.findOne({ name: name.trim() }).lean()) ?? undefined
}

/** Creates an invitation and returns it with its token, which is not stored and cannot be shown again. */
export async function createInvitation(
  surveys: SurveyRegistry,
  clock: Clock,
  input: NewInvitation,
): Promise<{ invitation: Invitation; token: string }> {
  const survey = surveys.latest(input.surveyId)
  if (!survey) throw new InvitationInputError(`There is no survey called "${input.surveyId}".`)
  if (input.team.retired) throw new InvitationInputError(`The team "${input.team.name}" has been retired.`)
  if (input.caseRef !== undefined && !CASE_REF_PATTERN.test(input.caseRef)) {
    throw new InvitationInputError(
      'A case reference is the case-management id: letters, numbers and hyphens only, up to 30.',
    )
  }
  const now = clock.now()
  const token = newInvitationToken()
  const created = await InvitationModel.create({
    // Its id carries the time it was made, by the services clock: lists page by _id (db/newestFirst.ts).
    _id: input.id ?? idAt(now),
    tokenHash: hashToken(token),
    surveyId: survey.id,
    teamId: input.team._id,
    teamName: input.team.name,
    service: input.service ?? input.team.service,
    respondent: input.respondent ?? survey.audience,
    caseRef: input.caseRef,
    eventDate: input.eventDate,
    channel: input.channel,
    recipientEmail: input.recipientEmail,
    recipientMobile: input.recipientMobile,
    recipientName: input.recipientName,
    eventId: input.eventId,
    createdBy: input.createdBy,
    ...statusWhenMade(input.channel, now),
    expiresAt: new Date(now.getTime() + input.expiresInDays * 24 * 60 * 60 * 1000),
    // The service clock, not the system's, so tests that move time see consistent dates.
    createdAt: now,
  })
  return { invitation: created.toObject(), token }
}

/** The invitation for a token from a URL; undefined for anything malformed or unknown. */
export async function findInvitationByToken(token: unknown): Promise<Invitation | undefined> {
  const tokenHash = tokenHashOf(token)
  if (!tokenHash) return undefined
  return (await InvitationModel.findOne({ tokenHash }).lean()) ?? undefined
}
