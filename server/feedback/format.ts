/** Small display helpers shared by the feedback pages and the safeguarding email. */
import { DateTime } from 'luxon'
import { parsePeriod } from '../periods/period'
import { ZONE } from '../dates'
import type { SurveyRegistry } from '../surveys/registry'

/** ISO 8601 with the London offset, e.g. "2021-03-31T23:30:00+01:00", for exports. */
export function londonIso(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: ZONE }).toISO({ suppressMilliseconds: true }) ?? ''
}

/** "2020/21 Q4" from a stored quarter key. */
export function quarterLabel(quarterKey: string | undefined): string {
  return parsePeriod(quarterKey ?? '')?.label ?? ''
}

export function surveyTitle(surveys: SurveyRegistry, surveyId: string): string {
  return surveys.latest(surveyId)?.title ?? surveyId
}

/** A question's wording: the latest version that still asks it, else the id. */
export function questionWording(surveys: SurveyRegistry, surveyId: string, questionId: string): string {
  const latest = surveys.latest(surveyId)
  for (let version = latest?.version ?? 0; version >= 1; version--) {
    const question = surveys.version(surveyId, version)?.questions.find((q) => q.id === questionId)
    if (question) return question.text
  }
  return questionId
}
