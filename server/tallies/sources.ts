/**
 * What responses and invitations add to the report tallies, and the fields that track it.
 *
 * Each source document carries `tallyState`: 'pending' when it was created or changed and the
 * tallies do not yet reflect it, 'claimed' while a tally batch (`tallyBatch`) is applying it,
 * 'done' after. `tallied` records what was applied, so a change is applied as the difference:
 * for a response `true` (responses do not change once given), for an invitation the fields its
 * counts depend on (sent when, by which team, answered or not).
 */
import type { Schema, Types } from 'mongoose'
import { addToIncrements, emptyCounts, tallyIdsFor, type CellCounts, type Increments } from './tally'

export const TALLY_STATES = ['pending', 'claimed', 'done'] as const
export type TallyState = (typeof TALLY_STATES)[number]

export interface TallyTracking<Snapshot> {
  tallyState?: TallyState
  tallyBatch?: Types.ObjectId
  tallied?: Snapshot | null
}

/**
 * Adds the tracking fields to a source schema. New documents start 'pending'. With
 * `changesCount`, every update made through the model marks the document 'pending' again, so no
 * code path that changes an invitation can forget the reports (the tally worker writes through
 * the driver, past this hook).
 */
export function tallyTracking(schema: Schema, options: { changesCount: boolean }): void {
  schema.add({
    tallyState: { type: String, enum: TALLY_STATES, default: 'pending' },
    tallyBatch: { type: 'ObjectId' },
    tallied: { type: 'Mixed' },
  })
  schema.index({ tallyState: 1 })
  schema.index({ tallyBatch: 1 }, { sparse: true })
  if (options.changesCount) {
    schema.pre(['updateOne', 'updateMany', 'findOneAndUpdate'], function markPending() {
      this.set('tallyState', 'pending')
    })
  }
}

/** The response as reports count it: one response, and one per chosen answer. */
export function responseIncrements(response: TalliedResponse, into: Increments, sign = 1) {
  const counts: CellCounts = emptyCounts()
  counts.n = 1
  for (const { question, answer } of response.answers) {
    const byAnswer = (counts.a[question] ??= {})
    byAnswer[answer] = (byAnswer[answer] ?? 0) + 1
  }
  const key = {
    teamId: response.teamId.toHexString(),
    teamName: response.teamName,
    service: response.service,
    respondent: response.respondent,
    mode: response.mode,
  }
  for (const id of tallyIdsFor(response.surveyId, response.submittedAt))
    addToIncrements(into, id, key, counts, sign)
}

/**
 * What a response's counts depend on. Declared here rather than picked from SurveyResponse, so
 * the models can use this plugin without the two modules importing each other.
 */
export interface TalliedResponse {
  surveyId: string
  teamId: Types.ObjectId
  teamName: string
  service: string
  respondent: string
  mode: string
  submittedAt: Date
  answers: ReadonlyArray<{ question: string; answer: string }>
}

/** What an invitation's counts depend on; stored as its `tallied` snapshot. */
export interface InvitationSnapshot {
  surveyId: string
  teamId: Types.ObjectId
  teamName: string
  service: string
  respondent: string
  sentAt: Date
  answered: boolean
}

/** Only invitations that were sent count; `answered` when the family answered through it. */
export function invitationSnapshot(
  invitation: Omit<InvitationSnapshot, 'sentAt' | 'answered'> & { sentAt?: Date | undefined; status: string },
): InvitationSnapshot | null {
  if (!invitation.sentAt) return null
  return {
    surveyId: invitation.surveyId,
    teamId: invitation.teamId,
    teamName: invitation.teamName,
    service: invitation.service,
    respondent: invitation.respondent,
    sentAt: invitation.sentAt,
    answered: invitation.status === 'completed',
  }
}

export function invitationIncrements(
  snapshot: InvitationSnapshot | null | undefined,
  into: Increments,
  sign = 1,
) {
  if (!snapshot) return
  const counts: CellCounts = { ...emptyCounts(), sent: 1, answered: snapshot.answered ? 1 : 0 }
  const key = {
    teamId: snapshot.teamId.toHexString(),
    teamName: snapshot.teamName,
    service: snapshot.service,
    respondent: snapshot.respondent,
    mode: '',
  }
  for (const id of tallyIdsFor(snapshot.surveyId, new Date(snapshot.sentAt)))
    addToIncrements(into, id, key, counts, sign)
}
