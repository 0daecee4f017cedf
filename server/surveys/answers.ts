/**
 * Reads a survey's answers from an untrusted form body and checks them against the definition.
 * Every family-typed value is hostile: only strings are accepted, answer ids must be ones the
 * question offers, free text is bounded and stripped of control characters.
 */
import type { ChoiceAnswer } from '../responses/response'
import { isChoiceQuestion, type TSurveyDefinition } from './definition'

export interface TextAnswer {
  question: string
  text: string
}

export interface AnswerError {
  /** The question id; the form field is `q-<id>` and the error summary links to it. */
  question: string
  message: string
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
export function parseAnswers(survey: TSurveyDefinition, body: unknown): ParsedAnswers {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  const result: ParsedAnswers = { answers: [], texts: [], errors: [], values: {} }

  for (const question of survey.questions) {
    const raw = Object.hasOwn(fields, fieldName(question.id)) ? fields[fieldName(question.id)] : undefined
    if (raw !== undefined && typeof raw !== 'string') {
      result.errors.push({ question: question.id, message: 'Choose one answer only', kind: 'chooseOne' })
      continue
    }
    const value = raw ?? ''

    if (isChoiceQuestion(question)) {
      if (value === '') {
        if (question.required)
          result.errors.push({
            question: question.id,
            message: `Select an answer for “${question.text}”`,
            kind: 'selectAnswer',
          })
        continue
      }
      const answer = question.answers.find((candidate) => candidate.id === value)
      if (!answer) {
        result.errors.push({
          question: question.id,
          message: `Select one of the answers for “${question.text}”`,
          kind: 'selectOffered',
        })
        continue
      }
      result.values[question.id] = answer.id
      result.answers.push({ question: question.id, answer: answer.id })
    } else {
      const text = cleanText(value)
      result.values[question.id] = text
      if (text === '') {
        if (question.required)
          result.errors.push({
            question: question.id,
            message: `Enter an answer for “${question.text}”`,
            kind: 'enterAnswer',
          })
        continue
      }
      if ([...text].length > question.maxLength) {
        result.errors.push({
          question: question.id,
          message: `Your answer must be ${question.maxLength} characters or fewer. You have used ${[...text].length}.`,
          kind: 'tooLong',
          limit: question.maxLength,
          used: [...text].length,
        })
        continue
      }
      result.texts.push({ question: question.id, text })
    }
  }
  return result
}
