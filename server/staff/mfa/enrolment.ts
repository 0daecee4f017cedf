import { Schema, model, type Types } from 'mongoose'

/**
 * A staff member's authenticator app (TOTP) and recovery codes: one document per user, `_id` = the
 * user's id, kept apart from the user so that reading a user never reads their secret.
 */
export interface MfaEnrolment {
  _id: Types.ObjectId
  /** The secret being set up, sealed (secretBox.ts), until a code from it confirms it. */
  pendingSecret?: string
  /** The confirmed secret, sealed. */
  secret?: string
  enabledAt?: Date
  /**
   * The 30-second step of the last code accepted: a code is accepted only for a later step, in one
   * conditional update, so a code (or an older one) works once even when sent twice at once.
   */
  lastUsedStep: number
  /** SHA-256 of each unused recovery code; one is removed as it is used. */
  recoveryCodeHashes: string[]
}

const mfaEnrolmentSchema = new Schema<MfaEnrolment>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    pendingSecret: String,
    secret: String,
    enabledAt: Date,
    lastUsedStep: { type: Number, default: -1 },
    recoveryCodeHashes: { type: [String], default: [] },
  },
  { versionKey: false },
)

export const MfaEnrolmentModel = model<MfaEnrolment>('MfaEnrolment', mfaEnrolmentSchema)
