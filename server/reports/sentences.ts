/**
 * The words of a report: "114 families gave us feedback following closure in 2020/21 Q4".
 */
import type { Period } from '../periods/period'
import type { TCaseEvent, TRespondentType } from '../surveys/definition'

export const RESPONDENT_NOUNS: Record<TRespondentType, { one: string; many: string }> = {
  'parent-carer': { one: 'family', many: 'families' },
  'child-young-person': { one: 'child or young person', many: 'children and young people' },
  professional: { one: 'professional', many: 'professionals' },
  carer: { one: 'carer', many: 'carers' },
}

export const EVENT_PHRASES: Record<TCaseEvent, string> = {
  closure: 'following closure',
  assessment: 'at the end of their assessment',
  'cp-conference': 'after a child protection conference',
  'cla-review': 'after a looked-after child review',
  'iro-midway': 'at an IRO mid-way visit',
}

/** "in 2020/21 Q4", "in April 2018", "from 1 Apr 2019 to 30 Sep 2019". */
export function periodPhrase(period: Period): string {
  return period.kind === 'range' ? `from ${period.label}` : `in ${period.label}`
}

export function leadSentence(
  responses: number,
  respondent: TRespondentType,
  event: TCaseEvent,
  period: Period,
): string {
  const noun = RESPONDENT_NOUNS[respondent]
  return `${responses} ${responses === 1 ? noun.one : noun.many} gave us feedback ${EVENT_PHRASES[event]} ${periodPhrase(period)}`
}
