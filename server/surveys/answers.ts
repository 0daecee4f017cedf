/**
 * Reads a survey's answers from an untrusted form body and checks them against the definition.
 * Every family-typed value is hostile: only strings are accepted, answer ids must be ones the
 * question offers, free text is bounded and stripped of control characters.
 */
import type { ChoiceAnswer } from '../responses/response'
import { isChoiceQuestion, type TQuestion, type TSurveyDefinition } from './definition'

export interface TextAnswer {
  question: string
  text: string
}

/** Why parseAnswers refused an answer, for readers that word it for another medium (a CSV row). */
export type AnswerProblem = 'more-than-one' | 'missing' | 'not-an-answer' | 'too-long'

export interface AnswerError {
  /** The question id; the form field is `q-<id>` and the error summary links to it. */
  question: string
  message: string
  problem?: AnswerProblem
  /** Which message this is, so a family's page can say it in their language. */
  kind?: 'chooseOne' | 'selectAnswer' | 'selectOffered' | 'enterAnswer' | 'tooLong' | 'noneAnswered'
  /** tooLong only: the limit and how many characters were used. */
  limit?: number
  used?: number
}

export interface ParsedAnswers {
  answers: ChoiceAnswer[]
  texts: TextAnswer[]
  errors: AnswerError[]
  /** What to put back in the form when showing errors, by question id. */
  values: Record<string, string>
  /** Questions answered although their showIf was not met: kept by the form, refused by the importer. */
  notShown: string[]
}

export const fieldName = (questionId: string): string => `q-${questionId}`

// Control characters other than tab and newlines, and the Unicode replacement character.
// eslint-disable-next-line no-control-regex
const UNWANTED_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNWANTED_CHARACTERS, '').trim()
}

/**
 * Reads every question's answer, follow-up questions (`showIf`) included whatever the earlier
 * answer was: a family without JavaScript sees every follow-up and may answer one that "does not
 * apply", and a family with JavaScript may change the earlier answer after typing. Either way
 * what they gave is theirs, and it is kept rather than silently dropped; `showIf` only decides
 * what the page hides while nothing is typed there.
 */
/** Whether a follow-up question applies, given the answers chosen so far. */
export function isShown(question: TQuestion, chosen: Map<string, string>): boolean {
  if (!question.showIf) return true
  const answer = chosen.get(question.showIf.question)
  return answer !== undefined && question.showIf.answerIn.includes(answer)
}

export function parseAnswers(survey: TSurveyDefinition, body: unknown): ParsedAnswers {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  const result: ParsedAnswers = { answers: [], texts: [], errors: [], values: {}, notShown: [] }
  const chosen = new Map<string, string>()
  const refuse = (
    question: TQuestion,
    problem: AnswerProblem,
    message: string,
    kind: NonNullable<AnswerError['kind']>,
    counts: { limit?: number; used?: number } = {},
  ) => result.errors.push({ question: question.id, message, problem, kind, ...counts })

  for (const question of survey.questions) {
    const raw = Object.hasOwn(fields, fieldName(question.id)) ? fields[fieldName(question.id)] : undefined
    if (raw !== undefined && typeof raw !== 'string') {
      refuse(question, 'more-than-one', 'Choose one answer only', 'chooseOne')
      continue
    }
    const value = raw ?? ''
    // Kept either way (see above); the importer, which has no page to show, reports it instead.
    if (value.trim() !== '' && !isShown(question, chosen)) result.notShown.push(question.id)

    if (isChoiceQuestion(question)) {
      if (value === '') {
        if (question.required)
          refuse(question, 'missing', `Select an answer for “${question.text}”`, 'selectAnswer')
        continue
      }
      const answer = question.answers.find((candidate) => candidate.id === value)
      if (!answer) {
        refuse(question, 'not-an-answer', `Select one of the answers for “${question.text}”`, 'selectOffered')
        continue
      }
      result.values[question.id] = answer.id
      result.answers.push({ question: question.id, answer: answer.id })
      chosen.set(question.id, answer.id)
    } else {
      const text = cleanText(value)
      result.values[question.id] = text
      if (text === '') {
        if (question.required)
          refuse(question, 'missing', `Enter an answer for “${question.text}”`, 'enterAnswer')
        continue
      }
      if ([...text].length > question.maxLength) {
        refuse(
          question,
          'too-long',
          `Your answer must be ${question.maxLength} characters or fewer. You have used ${[...text].length}.`,
          'tooLong',
          { limit: question.maxLength, used: [...text].length },
        )
        continue
      }
      result.texts.push({ question: question.id, text })
    }
  }
  return result
}
