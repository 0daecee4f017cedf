import { Schema, model, type Types } from 'mongoose'
import { RESPONDENT_TYPES, type TRespondentType } from '../surveys/definition'

/** One checked row of a bulk CSV, ready to become an emailed (or, with only a mobile, texted) invitation. */
export interface BulkRow {
  line: number
  caseRef: string
  event: string
  eventDate: Date
  surveyId: string
  teamId: Types.ObjectId
  teamName: string
  respondent: TRespondentType
  email?: string
  /** +447…: the row is sent by text message. */
  mobile?: string
  firstName?: string
}

/**
 * A checked CSV of case closures waiting for the uploader to confirm, so confirming does not
 * upload the file again. Only the person who uploaded it can confirm; the claim preview → sending
 * is atomic, so a double click sends once.
 */
export interface BulkUpload {
  _id: Types.ObjectId
  createdBy: Types.ObjectId
  createdAt: Date
  fileName?: string
  status: 'preview' | 'sending' | 'sent'
  rows: BulkRow[]
  invitationIds: Types.ObjectId[]
  sentAt?: Date
}

const bulkUploadSchema = new Schema<BulkUpload>({
  createdBy: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
  createdAt: { type: Date, required: true },
  fileName: String,
  status: { type: String, required: true, enum: ['preview', 'sending', 'sent'] },
  rows: [
    {
      _id: false,
      line: { type: Number, required: true },
      caseRef: { type: String, required: true },
      event: { type: String, required: true },
      eventDate: { type: Date, required: true },
      surveyId: { type: String, required: true },
      teamId: { type: Schema.Types.ObjectId, required: true },
      teamName: { type: String, required: true },
      respondent: { type: String, required: true, enum: RESPONDENT_TYPES },
      email: String,
      mobile: String,
      firstName: String,
    },
  ],
  invitationIds: [{ type: Schema.Types.ObjectId, ref: 'Invitation' }],
  sentAt: Date,
})
bulkUploadSchema.index({ createdBy: 1, createdAt: -1 })
// Pruning (retention.ts) looks for old previews and old sent uploads by status.
bulkUploadSchema.index({ status: 1, createdAt: 1 })

export const BulkUploadModel = model<BulkUpload>('BulkUpload', bulkUploadSchema)
