import { Schema, model, type Types } from 'mongoose'

/**
 * The claim on a case-management event (the invitations API's `event_id`): its unique index is
 * the atomic "this event's invitation is mine to make", so the same event posted twice, even at
 * the same instant, makes one invitation. The invitation's id is chosen when the claim is taken,
 * so a claim left behind by a process that died can be resumed without making a second one.
 */
export interface EventClaim {
  _id: Types.ObjectId
  eventId: string
  /** creating: the holder is making the invitation; created: it exists (invitationId). */
  state: 'creating' | 'created'
  invitationId: Types.ObjectId
  /** Who holds the claim while creating: a random id per attempt. */
  attempt: string
  claimedAt: Date
  apiTokenId: Types.ObjectId
}

const eventClaimSchema = new Schema<EventClaim>({
  eventId: { type: String, required: true },
  state: { type: String, required: true, enum: ['creating', 'created'] },
  invitationId: { type: Schema.Types.ObjectId, required: true, ref: 'Invitation' },
  attempt: { type: String, required: true },
  claimedAt: { type: Date, required: true },
  apiTokenId: { type: Schema.Types.ObjectId, required: true, ref: 'ApiToken' },
})
eventClaimSchema.index({ eventId: 1 }, { unique: true })
eventClaimSchema.index({ invitationId: 1 })

export const EventClaimModel = model<EventClaim>('EventClaim', eventClaimSchema)
