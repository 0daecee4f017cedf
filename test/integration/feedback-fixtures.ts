/** Builders for the feedback tests: responses with free text, given through the real recordResponse. */
import { randomUUID } from 'node:crypto'
import type { Agent } from '../helpers/respond'
import { csrfTokenFrom } from '../helpers/http'
import { recordResponse } from '../../server/responses/recordResponse'
import type { SurveyResponse } from '../../server/responses/response'
import type { TRespondentType } from '../../server/surveys/definition'
import { TeamModel, type Team } from '../../server/teams/team'
import type { TestApp } from '../helpers/testApp'

export interface GiveResponse {
  surveyId?: string
  answers?: Record<string, string>
  texts?: Record<string, string>
  submittedAt?: Date | string
  respondent?: TRespondentType
  mode?: SurveyResponse['mode']
  source?: SurveyResponse['source']
}

/** Stores a response as the respond journey would, with the app's worry words and hooks. */
export async function giveResponse(
  t: TestApp,
  team: Team,
  options: GiveResponse = {},
): Promise<SurveyResponse> {
  const survey = t.services.surveys.latest(options.surveyId ?? 'closure-family')
  if (!survey) throw new Error(`no survey ${options.surveyId}`)
  const outcome = await recordResponse(
    {
      survey,
      claimKey: `entry:${randomUUID()}`,
      team: { id: team._id, name: team.name },
      service: team.service,
      respondent: options.respondent ?? 'parent-carer',
      mode: options.mode ?? 'online',
      source: options.source ?? 'online',
      submittedAt: options.submittedAt ? new Date(options.submittedAt) : t.clock.now(),
      answers: Object.entries(options.answers ?? {}).map(([question, answer]) => ({ question, answer })),
      texts: Object.entries(options.texts ?? {}).map(([question, text]) => ({ question, text })),
    },
    t.services.config.worryWords,
    t.services.responseHooks,
  )
  if (!outcome.recorded) throw new Error('response not recorded')
  return outcome.response
}

export async function setDutyEmail(team: Team, dutyEmail: string): Promise<void> {
  await TeamModel.updateOne({ _id: team._id }, { $set: { dutyEmail } })
}

/** Fetches a page and returns the CSRF token of its first form. */
export async function csrfFrom(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path).expect(200)
  return csrfTokenFrom(page.text)
}
