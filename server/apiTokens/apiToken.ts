import { Schema, model, type Types } from 'mongoose'
import { viewerFields, type Role } from '../staff/user'

/**
 * A bearer token for an integration (a BI tool, a script). Only the SHA-256 of the token is
 * stored; the token is printed once by `create-api-token`. A manager token sees only its teams.
 */
export interface ApiToken {
  _id: Types.ObjectId
  name: string
  role: Role
  teamIds: Types.ObjectId[]
  tokenHash: string
  createdAt: Date
  lastUsedAt?: Date
  revokedAt?: Date
}

const apiTokenSchema = new Schema<ApiToken>({
  name: { type: String, required: true, trim: true, maxlength: 100 },
  ...viewerFields,
  tokenHash: { type: String, required: true },
  createdAt: { type: Date, required: true },
  lastUsedAt: Date,
  revokedAt: Date,
})
apiTokenSchema.index({ tokenHash: 1 }, { unique: true })

export const ApiTokenModel = model<ApiToken>('ApiToken', apiTokenSchema)
