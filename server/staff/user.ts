import { Schema, model, type Types } from 'mongoose'

export const ROLES = ['practitioner', 'manager', 'qa', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  practitioner: 'Practitioner',
  manager: 'Manager',
  qa: 'Quality assurance',
  admin: 'Administrator',
}

export interface User {
  _id: Types.ObjectId
  email: string
  name: string
  role: Role
  teamIds: Types.ObjectId[]
  passwordHash: string
  disabled: boolean
  lastSignedInAt?: Date
  createdAt: Date
}

/** What a user or an API token may see (a Viewer in staff/policy.ts): a role, scoped to teams. */
export const viewerFields = {
  role: { type: String, required: true, enum: ROLES },
  teamIds: [{ type: Schema.Types.ObjectId, ref: 'Team' }],
}

const userSchema = new Schema<User>(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    ...viewerFields,
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    lastSignedInAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
)
userSchema.index({ email: 1 }, { unique: true })

export const UserModel = model<User>('User', userSchema)
