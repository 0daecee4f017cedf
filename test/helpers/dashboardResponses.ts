/**
 * The closure-family answers the browser report tests read: 2020/21 Q4 (January to March 2021)
 * and the quarters before it, so that the dashboard has trends, teams and a hidden figure to show.
 */
import type { Services } from '../../server/services'
import type { Team } from '../../server/teams/team'
import { createTeam } from './factories'
import { addResponses, answerRows, type AnswerPlan } from './reportsFixtures'

/** 30 answers to three of closure-family's questions: 27 of them yes to sharing views (90%). */
const THIRTY_ANSWERS: AnswerPlan = {
  'share-views': { yes: 27, partly: 3 },
  'child-listened': { yes: 20, no: 4, 'not-applicable': 6 },
  'positive-difference': { yes: 25, partly: 5 },
}

/**
 * THIRTY_ANSWERS from Locality North in 2020/21 Q3 and Q4 and from Family Front Door in Q2 and Q4,
 * and 3 answers from Get Safe in Q4, a team figure too small to show: 63 families in Q4.
 */
export async function addDashboardResponses(services: Services): Promise<{ north: Team; door: Team }> {
  const north = await createTeam('Locality North', 'Locality')
  const door = await createTeam('Family Front Door', 'Family Front Door')
  for (const [team, at] of [
    [north, '2021-02-10T10:00:00Z'],
    [door, '2021-03-10T10:00:00Z'],
    [north, '2020-11-10T10:00:00Z'],
    [door, '2020-08-10T10:00:00Z'],
  ] as const) {
    await addThirtyAnswers(services, team, at)
  }
  await addTooFewAnswers(services, await createTeam('Get Safe', 'Get Safe'), '2021-01-20T10:00:00Z')
  return { north, door }
}

/** THIRTY_ANSWERS from the team at that time. */
export async function addThirtyAnswers(services: Services, team: Team, at: string): Promise<void> {
  await addResponses(services, {
    survey: 'closure-family',
    team,
    at: [at],
    rows: answerRows(30, THIRTY_ANSWERS),
  })
}

/** 3 closure-family answers from the team at that time: fewer than 5, too few to show. */
export async function addTooFewAnswers(services: Services, team: Team, at: string): Promise<void> {
  await addResponses(services, {
    survey: 'closure-family',
    team,
    at: [at],
    rows: answerRows(3, { 'share-views': { yes: 3 } }),
  })
}
