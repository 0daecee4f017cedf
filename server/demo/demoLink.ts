import { Schema, model, type Types } from 'mongoose'
import { InvitationModel } from '../invitations/invitation'
import { LIVE_STATUSES } from '../invitations/lifecycle'
import { hashToken, newInvitationToken } from '../invitations/token'

/**
 * A survey link made by the demo seed, kept so the home page can list it. Like every link, only
 * its hash is stored (on the invitation): the home page's "try it" address makes a fresh token
 * each time it is followed (openDemoLink), and the earlier one stops working.
 */
export interface DemoLink {
  _id: Types.ObjectId
  /** What the link is for, e.g. "Case closure: a parent or carer". */
  label: string
  surveyId: string
  teamName: string
  invitationId: Types.ObjectId
  /** Order on the home page. */
  position: number
}

const demoLinkSchema = new Schema<DemoLink>({
  label: { type: String, required: true },
  surveyId: { type: String, required: true },
  teamName: { type: String, required: true },
  invitationId: { type: Schema.Types.ObjectId, required: true, ref: 'Invitation' },
  position: { type: Number, required: true },
})
demoLinkSchema.index({ invitationId: 1 }, { unique: true })

export const DemoLinkModel = model<DemoLink>('DemoLink', demoLinkSchema)

/** Where the home page sends people to try a demo link. */
export function demoLinkPath(position: number): string {
  return `/demo/links/${position}`
}

/**
 * A fresh token for the demo link at this position, if its invitation is still open; the previous
 * token stops working (only the new hash is stored). Undefined when there is no such open link.
 */
export async function openDemoLink(position: number, now: Date): Promise<string | undefined> {
  const link = await DemoLinkModel.findOne({ position }).lean()
  if (!link) return undefined
  const token = newInvitationToken()
  const updated = await InvitationModel.updateOne(
    { _id: link.invitationId, status: { $in: LIVE_STATUSES }, expiresAt: { $gt: now } },
    { $set: { tokenHash: hashToken(token) } },
  )
  return updated.modifiedCount === 1 ? token : undefined
}
