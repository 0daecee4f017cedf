import { Schema, model, type Types } from 'mongoose'
import type { PeriodKeys } from '../periods/period'
import { tallyTracking, type TallyTracking } from '../tallies/sources'
import { RESPONDENT_TYPES, type TRespondentType } from '../surveys/definition'
import { LANGUAGES, type Language } from '../i18n/languages'

export const MODES = ['online', 'telephone', 'face-to-face', 'paper'] as const
export type Mode = (typeof MODES)[number]

export const MODE_LABELS: Record<Mode, string> = {
  online: 'Online',
  telephone: 'Telephone',
  'face-to-face': 'Face to face',
  paper: 'Paper',
}

/** One chosen answer. Free text is kept apart, in comments, so it can be reviewed and flagged. */
export interface ChoiceAnswer {
  question: string
  answer: string
}

export interface SurveyResponse extends TallyTracking<true> {
  _id: Types.ObjectId
  /**
   * The atomic claim: unique per source. `invitation:<id>` makes a link single-use (50 concurrent
   * posts give one response); `import:<external id or row hash>` makes imports idempotent;
   * `entry:<random>` for staff entries without an invitation.
   */
  claimKey: string
  surveyId: string
  surveyVersion: number
  invitationId?: Types.ObjectId
  teamId: Types.ObjectId
  /** The team's name when the response was given: teams are renamed and reorganised. */
  teamName: string
  service: string
  respondent: TRespondentType
  mode: Mode
  caseRef?: string
  submittedAt: Date
  period: PeriodKeys
  answers: ChoiceAnswer[]
  /** Staff member who entered a telephone, face-to-face or paper answer. */
  enteredBy?: Types.ObjectId
  source: 'online' | 'staff' | 'import'
  externalId?: string
  /** The language the family answered in (`en`, `cy`, …); reports count every language together. */
  language?: Language
}

const responseSchema = new Schema<SurveyResponse>({
  claimKey: { type: String, required: true },
  surveyId: { type: String, required: true },
  surveyVersion: { type: Number, required: true },
  invitationId: { type: Schema.Types.ObjectId, ref: 'Invitation' },
  teamId: { type: Schema.Types.ObjectId, required: true, ref: 'Team' },
  teamName: { type: String, required: true },
  service: { type: String, required: true },
  respondent: { type: String, required: true, enum: RESPONDENT_TYPES },
  mode: { type: String, required: true, enum: MODES },
  caseRef: String,
  submittedAt: { type: Date, required: true },
  period: {
    year: { type: String, required: true },
    quarter: { type: String, required: true },
    month: { type: String, required: true },
  },
  answers: [
    { _id: false, question: { type: String, required: true }, answer: { type: String, required: true } },
  ],
  enteredBy: { type: Schema.Types.ObjectId, ref: 'User' },
  source: { type: String, required: true, enum: ['online', 'staff', 'import'] },
  externalId: String,
  language: { type: String, enum: Object.keys(LANGUAGES) },
})
// Counted into the report tallies by the tally worker (server/tallies/).
tallyTracking(responseSchema, { changesCount: false })
responseSchema.index({ claimKey: 1 }, { unique: true })
// Reports match on survey and a period key, then team/respondent/mode.
responseSchema.index({ surveyId: 1, 'period.quarter': 1, teamId: 1 })
responseSchema.index({ surveyId: 1, 'period.month': 1 })
responseSchema.index({ surveyId: 1, 'period.year': 1 })
responseSchema.index({ surveyId: 1, submittedAt: 1 })
// Erasure and subject access find a case's responses by its reference (dataProtection/).
responseSchema.index({ caseRef: 1 }, { sparse: true })

export const ResponseModel = model<SurveyResponse>('Response', responseSchema)
