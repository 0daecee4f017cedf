import { Schema, model, type Types } from 'mongoose'

/**
 * A survey link made by the demo seed, kept so the home page can list it. Only demo data keeps a
 * token: real links are shown once and only their hash is stored.
 */
export interface DemoLink {
  _id: Types.ObjectId
  /** What the link is for, e.g. "Case closure: a parent or carer". */
  label: string
  surveyId: string
  teamName: string
  token: string
  invitationId: Types.ObjectId
  /** Order on the home page. */
  position: number
}

const demoLinkSchema = new Schema<DemoLink>({
  label: { type: String, required: true },
  surveyId: { type: String, required: true },
  teamName: { type: String, required: true },
  token: { type: String, required: true },
  invitationId: { type: Schema.Types.ObjectId, required: true, ref: 'Invitation' },
  position: { type: Number, required: true },
})
demoLinkSchema.index({ invitationId: 1 }, { unique: true })

export const DemoLinkModel = model<DemoLink>('DemoLink', demoLinkSchema)
