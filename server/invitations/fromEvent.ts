/**
 * An invitation for a case-management event (the invitations API): made once per `event_id`.
 *
 * The claim is one unique-index insert (eventClaim.ts). Whoever wins it makes the invitation by the
 * one ordinary path (sending.ts: the invitation, then its message in the outbox) and marks the
 * claim created. Whoever loses waits for the winner and answers with the same invitation. Nothing
 * half-made is left: if making it fails, what this attempt made is taken back and the claim
 * released, so the same request sent again works. A claim left "creating" by a process that died
 * is taken over after CLAIM_STALE_MS and resumed with the invitation id it had chosen.
 */
import { randomUUID } from 'node:crypto'
import type { Types } from 'mongoose'
import type { Services } from '../services'
import { idAt } from '../db/timeOrderedIds'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { OutboxMessageModel } from '../mail/outboxMessage'
import { EventClaimModel, type EventClaim } from './eventClaim'
import { InvitationModel, type Invitation } from './invitation'
import { isMessaged } from './lifecycle'
import { sendInvitation } from './sending'
import type { NewInvitation } from './service'

/** A claim still "creating" after this long was left by a process that stopped. */
export const CLAIM_STALE_MS = 60_000
/** How long a second request for the same event waits for the first to finish. */
export const CLAIM_WAIT_MS = 10_000

export type EventOutcome =
  | { kind: 'created'; invitation: Invitation }
  | { kind: 'existing'; invitation: Invitation }
  /** The event's invitation was made but has since been erased. */
  | { kind: 'gone' }
  /** Another request is still making it. */
  | { kind: 'busy' }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function invitationForEvent(
  services: Services,
  request: { eventId: string; apiTokenId: Types.ObjectId; invitation: Omit<NewInvitation, 'id' | 'eventId'> },
): Promise<EventOutcome> {
  const { eventId } = request
  const attempt = randomUUID()
  const deadline = Date.now() + CLAIM_WAIT_MS
  for (;;) {
    const now = services.clock.now()
    try {
      const claim = await EventClaimModel.create({
        eventId,
        state: 'creating',
        invitationId: idAt(now),
        attempt,
        claimedAt: now,
        apiTokenId: request.apiTokenId,
      })
      return await make(services, claim.toObject(), request)
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
    const existing = await EventClaimModel.findOne({ eventId }).lean()
    if (!existing) continue // released by a failed attempt: try to claim it again
    if (existing.state === 'created') {
      const invitation = await InvitationModel.findById(existing.invitationId).lean()
      return invitation ? { kind: 'existing', invitation } : { kind: 'gone' }
    }
    if (now.getTime() - existing.claimedAt.getTime() >= CLAIM_STALE_MS) {
      const taken = await EventClaimModel.findOneAndUpdate(
        { _id: existing._id, state: 'creating', attempt: existing.attempt },
        { $set: { attempt, claimedAt: now } },
        { new: true },
      ).lean()
      if (taken) return await make(services, taken, request)
      continue
    }
    if (Date.now() >= deadline) return { kind: 'busy' }
    await sleep(50)
  }
}

/** Makes the claimed event's invitation (or finishes one a stopped process began) and marks the claim. */
async function make(
  services: Services,
  claim: EventClaim,
  request: { eventId: string; invitation: Omit<NewInvitation, 'id' | 'eventId'> },
): Promise<EventOutcome> {
  const mine = { _id: claim._id, attempt: claim.attempt }
  const invitationId = claim.invitationId
  const leftover = await InvitationModel.findById(invitationId).lean()
  if (leftover) {
    // A process stopped after making it: done if its message is queued (it may have gone), else
    // nobody has its link yet and it is made again.
    if (!isMessaged(leftover.channel) || (await OutboxMessageModel.exists({ invitationId }))) {
      await EventClaimModel.updateOne(mine, { $set: { state: 'created' } })
      return { kind: 'created', invitation: leftover }
    }
    await InvitationModel.deleteOne({ _id: invitationId })
  }
  try {
    const { invitation } = await sendInvitation(services, {
      ...request.invitation,
      id: invitationId,
      eventId: request.eventId,
    })
    await EventClaimModel.updateOne(mine, { $set: { state: 'created' } })
    return { kind: 'created', invitation }
  } catch (error) {
    // Take back what this attempt made (a queued invitation whose message never went counts in no
    // report) and free the claim, so the same request can simply be sent again.
    await OutboxMessageModel.deleteMany({ invitationId, status: 'pending' }).catch(() => undefined)
    await InvitationModel.deleteOne({ _id: invitationId, status: 'queued' }).catch(() => undefined)
    await EventClaimModel.deleteOne({ ...mine, state: 'creating' }).catch(() => undefined)
    throw error
  }
}
