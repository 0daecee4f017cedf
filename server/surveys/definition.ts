/**
 * The one source of truth for a survey definition: this zod schema validates every file in
 * `surveys/` at start-up and gives the TypeScript types the rest of the app uses.
 */
import { z } from 'zod'
import { FAMILY_LANGUAGE_CODES } from '../i18n/languages'

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

/**
 * A survey's wording in another language, in `surveys/<id>.v<version>.<language>.yaml` beside the
 * definition. It holds only what families read, each piece checked by the definition's own field
 * schemas; merged onto the definition, the result is checked by ZSurveyDefinition again. Ids,
 * answers, positives and report statements always come from the definition, so reports count
 * answers in every language together, by question and answer id.
 */
export const ZSurveyTranslation = z.strictObject({
  id: ZSlug,
  version: z.number().int().min(1),
  language: z.enum(FAMILY_LANGUAGE_CODES),
  title: z.string().min(1),
  intro: z.string().min(1),
  questions: z.array(
    z.strictObject({
      id: ZSlug,
      text: ZQuestionBase.text,
      hint: ZQuestionBase.hint,
      answers: z.array(ZAnswer.pick({ id: true, label: true })).optional(),
    }),
  ),
})
export type TSurveyTranslation = z.infer<typeof ZSurveyTranslation>

export type TranslationResult =
  { complete: true; survey: TSurveyDefinition } | { complete: false; missing: string[] }

/**
 * The definition in the translation's words, or what is missing: a language is only offered when
 * every question, hint and answer of that version is translated.
 */
export function translateSurvey(
  survey: TSurveyDefinition,
  translation: TSurveyTranslation,
): TranslationResult {
  const missing: string[] = []
  const byId = new Map(translation.questions.map((question) => [question.id, question]))
  const questions = survey.questions.map((question): TQuestion => {
    const words = byId.get(question.id)
    if (!words) {
      missing.push(`question ${question.id}`)
      return question
    }
    if (question.hint && !words.hint) missing.push(`hint of ${question.id}`)
    if (!isChoiceQuestion(question)) return { ...question, text: words.text, hint: words.hint }
    const labels = new Map((words.answers ?? []).map((answer) => [answer.id, answer.label]))
    const answers = question.answers.map((answer) => {
      const label = labels.get(answer.id)
      if (!label) missing.push(`answer ${answer.id} of ${question.id}`)
      return { ...answer, label: label ?? answer.label }
    })
    return { ...question, text: words.text, hint: words.hint, answers }
  })
  const extra = translation.questions.filter((q) => !survey.questions.some((s) => s.id === q.id))
  for (const question of extra) missing.push(`question ${question.id} is not in version ${survey.version}`)
  if (missing.length > 0) return { complete: false, missing }
  const merged = ZSurveyDefinition.safeParse({
    ...survey,
    title: translation.title,
    intro: translation.intro,
    questions,
  })
  if (!merged.success) return { complete: false, missing: merged.error.issues.map((issue) => issue.message) }
  return { complete: true, survey: merged.data }
}
