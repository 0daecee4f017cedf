/**
 * The one source of truth for a survey definition: this zod schema validates every file in
 * `surveys/` at start-up and gives the TypeScript types the rest of the app uses.
 */
import { z } from 'zod'

export const RESPONDENT_TYPES = ['parent-carer', 'child-young-person', 'professional', 'carer'] as const
export const ZRespondentType = z.enum(RESPONDENT_TYPES)
export type TRespondentType = z.infer<typeof ZRespondentType>

export const RESPONDENT_LABELS: Record<TRespondentType, string> = {
  'parent-carer': 'Parent or carer',
  'child-young-person': 'Child or young person',
  professional: 'Partner professional',
  carer: 'Foster or kinship carer',
}

/** The moments in a case when feedback is asked for; the "send a survey" form groups surveys by these. */
export const CASE_EVENTS = ['closure', 'assessment', 'cp-conference', 'cla-review', 'iro-midway'] as const
export const ZCaseEvent = z.enum(CASE_EVENTS)
export type TCaseEvent = z.infer<typeof ZCaseEvent>

export const CASE_EVENT_LABELS: Record<TCaseEvent, string> = {
  closure: 'Case closure',
  assessment: 'End of assessment',
  'cp-conference': 'Child protection conference (initial or review)',
  'cla-review': 'Looked-after child review',
  'iro-midway': 'IRO mid-way visit',
}

const ZSlug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. "share-views"')

export const ZAnswer = z.strictObject({
  id: ZSlug,
  label: z.string().min(1),
  /** Faces scale only: which face to draw beside the words. */
  face: z.enum(['happy', 'neutral', 'sad']).optional(),
})
export type TAnswer = z.infer<typeof ZAnswer>

/** Show a question only when an earlier question was answered with one of these answers. */
export const ZShowIf = z.strictObject({
  question: ZSlug,
  answerIn: z.array(ZSlug).min(1),
})

const ZQuestionBase = {
  id: ZSlug,
  text: z.string().min(1),
  hint: z.string().min(1).optional(),
  required: z.boolean().default(false),
  showIf: ZShowIf.optional(),
}

export const ZChoiceQuestion = z.strictObject({
  ...ZQuestionBase,
  type: z.enum(['single-choice', 'faces']),
  answers: z.array(ZAnswer).min(2),
  /** Answer ids that count as the positive answer in a headline. */
  positive: z.array(ZSlug).min(1),
  /** Answer ids left out of the denominator, like "not applicable" or "don't know". */
  notCounted: z.array(ZSlug).default([]),
  /** Completes "N% told us that …" in reports. */
  statement: z.string().min(1),
  /** Target percentage; results under it are listed under "What are we worried about?". */
  target: z.number().int().min(0).max(100).optional(),
})
export type TChoiceQuestion = z.infer<typeof ZChoiceQuestion>

export const ZFreeTextQuestion = z.strictObject({
  ...ZQuestionBase,
  type: z.literal('free-text'),
  maxLength: z.number().int().min(1).max(5000).default(2000),
})
export type TFreeTextQuestion = z.infer<typeof ZFreeTextQuestion>

export const ZQuestion = z.discriminatedUnion('type', [ZChoiceQuestion, ZFreeTextQuestion])
export type TQuestion = z.infer<typeof ZQuestion>

export const ZSurveyDefinition = z
  .strictObject({
    id: ZSlug,
    version: z.number().int().min(1),
    title: z.string().min(1),
    /** What staff and the QA Board call it, e.g. "Case closure: parents and carers"; derived when absent. */
    reportName: z.string().min(1).optional(),
    event: ZCaseEvent,
    audience: ZRespondentType,
    /** Child-friendly versions use bigger type, faces and read-aloud friendly wording. */
    childFriendly: z.boolean().default(false),
    intro: z.string().min(1),
    questions: z.array(ZQuestion).min(1),
  })
  .superRefine((survey, ctx) => {
    const seen = new Set<string>()
    survey.questions.forEach((question, index) => {
      if (seen.has(question.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', index, 'id'],
          message: `duplicate question id "${question.id}"`,
        })
      }
      if (question.type !== 'free-text') {
        const answerIds = new Set(question.answers.map((answer) => answer.id))
        if (answerIds.size !== question.answers.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', index, 'answers'],
            message: 'answer ids must be unique',
          })
        }
        for (const field of ['positive', 'notCounted'] as const) {
          for (const id of question[field]) {
            if (!answerIds.has(id)) {
              ctx.addIssue({
                code: 'custom',
                path: ['questions', index, field],
                message: `"${id}" is not one of this question's answer ids`,
              })
            }
          }
        }
        if (question.type === 'faces' && question.answers.some((answer) => !answer.face)) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', index, 'answers'],
            message: 'every answer on a faces scale needs a face',
          })
        }
      }
      if (question.showIf) {
        const earlier = survey.questions.slice(0, index).find((q) => q.id === question.showIf?.question)
        if (!earlier || earlier.type === 'free-text') {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', index, 'showIf', 'question'],
            message: `must name an earlier choice question, not "${question.showIf.question}"`,
          })
        }
      }
      seen.add(question.id)
    })
  })

export type TSurveyDefinition = z.infer<typeof ZSurveyDefinition>

export function isChoiceQuestion(question: TQuestion): question is TChoiceQuestion {
  return question.type !== 'free-text'
}
