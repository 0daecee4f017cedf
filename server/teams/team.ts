import { Schema, model, type Types } from 'mongoose'

/** The services a team belongs to; responses keep the service they were given under. */
export const SERVICES = [
  'Family Front Door',
  'Locality',
  'Through Care',
  'Targeted Family Support',
  'Early Help',
  'Children with Disabilities',
  'Get Safe',
  'Fostering',
  'IRO and Conference Service',
] as const
export type Service = (typeof SERVICES)[number]

export interface Team {
  _id: Types.ObjectId
  name: string
  service: Service
  /** Where safeguarding flags for this team are emailed. */
  dutyEmail?: string
  /** The number families are given to call about a survey (letters, emails, closed-link pages). */
  phone?: string
  /** Retired teams take no new invitations; their old responses keep the team. */
  retired: boolean
  createdAt: Date
}

const teamSchema = new Schema<Team>(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    service: { type: String, required: true, enum: SERVICES },
    dutyEmail: { type: String, maxlength: 254 },
    phone: { type: String, maxlength: 30 },
    retired: { type: Boolean, default: false },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
)
teamSchema.index({ name: 1 }, { unique: true })

export const TeamModel = model<Team>('Team', teamSchema)
