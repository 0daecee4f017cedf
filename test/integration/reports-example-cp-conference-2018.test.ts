/**
 * Published example 3 (domain.md): monthly child protection conference feedback, April to June
 * 2018. Parents answer cp-conference-family, partner professionals cp-conference-professional.
 *
 *                                         April           May             June
 *   parents  explained-worries            13/17 = 76%     17/20 = 85%     19/20 = 95%
 *   parents  plan-difference              10/17 = 59%      8/20 = 40%      5/18 = 28% (2 n/a)
 *   prof.    child-voice                  14/17 = 82%     17/20 = 85%     22/25 = 88%
 *   prof.    child-focused                10/17 = 59%     15/20 = 75%     23/25 = 92%
 *   prof.    plan-reflects-needs          10/12 = 83%     17/20 = 85%     17/22 = 77%
 * The published report gives April and June; May is ours, chosen so that the two falls
 * (plan-difference 59% → 28%, plan-reflects-needs 83% → 77%) also fall month on month.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { addResponses, answerRows, listItems, tableRows } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

interface Group {
  key: string
  headlines: { question: string; percent: number | null }[]
}

/** How many gave each answer to one question. */
type Counts = Record<string, number>

describe('published example 3: child protection conferences, April to June 2018', () => {
  const t = useTestApp()
  let token: string, agent: Awaited<ReturnType<typeof signIn>>

  before(async () => {
    const team = await createTeam('Conference Chairs', 'IRO and Conference Service')
    const family = (at: string, rows: Record<string, string>[]) =>
      addResponses(t.services, { survey: 'cp-conference-family', team, at: [at], rows })
    const professional = (at: string, rows: Record<string, string>[]) =>
      addResponses(t.services, { survey: 'cp-conference-professional', team, at: [at], rows })
    // Month by month: the conference day, how many answered, then each question's answers.
    const familyMonths: [string, number, Counts, Counts][] = [
      ['2018-04-12T10:00:00Z', 17, { yes: 13, partly: 3, no: 1 }, { yes: 10, partly: 4, no: 3 }],
      ['2018-05-15T10:00:00Z', 20, { yes: 17, partly: 2, no: 1 }, { yes: 8, partly: 6, no: 6 }],
      ['2018-06-20T10:00:00Z', 20, { yes: 19, partly: 1 }, { yes: 5, partly: 7, no: 6, 'not-applicable': 2 }],
    ]
    for (const [at, n, explainedWorries, planDifference] of familyMonths) {
      await family(
        at,
        answerRows(n, { 'explained-worries': explainedWorries, 'plan-difference': planDifference }),
      )
    }
    const professionalMonths: [string, number, Counts, Counts, Counts][] = [
      [
        '2018-04-12T11:00:00Z',
        17,
        { yes: 14, partly: 3 },
        { yes: 10, partly: 5, no: 2 },
        { yes: 10, partly: 2 },
      ],
      ['2018-05-15T11:00:00Z', 20, { yes: 17, partly: 3 }, { yes: 15, partly: 5 }, { yes: 17, partly: 3 }],
      ['2018-06-20T11:00:00Z', 25, { yes: 22, partly: 3 }, { yes: 23, partly: 2 }, { yes: 17, partly: 5 }],
    ]
    for (const [at, n, childVoice, childFocused, planReflectsNeeds] of professionalMonths) {
      const plan = {
        'child-voice': childVoice,
        'child-focused': childFocused,
        'plan-reflects-needs': planReflectsNeeds,
      }
      await professional(at, answerRows(n, plan))
    }
    token = (await createApiToken(t.clock, { name: 'Conference service', role: 'qa' })).token
    agent = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  const monthly = async (survey: string) => {
    const { body } = await request(t.app)
      .get(`/api/v1/reports/breakdown?survey=${survey}&period=2018-19-Q1&by=month`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200)
    const groups = body.groups as Group[]
    const series: Record<string, (number | null)[]> = {}
    for (const group of groups) {
      for (const headline of group.headlines) (series[headline.question] ??= []).push(headline.percent)
    }
    return { months: groups.map((group) => group.key), series }
  }

  it('gives the month-by-month numbers for parents', async () => {
    const { months, series } = await monthly('cp-conference-family')
    assert.deepEqual(months, ['2018-04', '2018-05', '2018-06'])
    assert.deepEqual(series['explained-worries'], [76, 85, 95])
    assert.deepEqual(series['plan-difference'], [59, 40, 28])
  })

  it('gives the month-by-month numbers for professionals', async () => {
    const { series } = await monthly('cp-conference-professional')
    assert.deepEqual(series['child-voice'], [82, 85, 88])
    assert.deepEqual(series['child-focused'], [59, 75, 92])
    assert.deepEqual(series['plan-reflects-needs'], [83, 85, 77])
  })

  it('shows the months in the dashboard table', async () => {
    const page = await agent.get('/reports?survey=cp-conference-family&period=2018-19-Q1').expect(200)
    const rows = tableRows(page.text, 'months')
    assert.deepEqual(rows[0], ['Question', 'April 2018', 'May 2018', 'June 2018'])
    assert.deepEqual(rows[1], ['Responses', '17', '20', '20'])
    assert.deepEqual(
      rows.find((row) => row[0]!.startsWith('Did the social worker explain')),
      [
        'Did the social worker explain the worries about your child well before the conference?',
        '76% (17)',
        '85% (20)',
        '95% (20)',
      ],
    )
    assert.deepEqual(
      rows.find((row) => row[0]!.startsWith('Has the child protection plan')),
      [
        'Has the child protection plan made things better for your family?',
        '59% (17)',
        '40% (20)',
        '28% (18)',
      ],
    )
  })

  it("lists the parents' fall as a worry in June, and the rise as working well", async () => {
    const page = await agent.get('/reports?survey=cp-conference-family&period=2018-06').expect(200)
    assert.deepEqual(listItems(page.text, 'worries'), [
      '28% told us that the child protection plan has made a positive difference to their lives (18 answered; under the target of 90% and down 12 points since May 2018)',
    ])
    assert.deepEqual(listItems(page.text, 'working-well'), [
      '95% told us that the social worker explained the worries well before the conference (20 answered, up 10 points)',
    ])
  })

  it("lists the professionals' fall as a worry in June", async () => {
    const page = await agent.get('/reports?survey=cp-conference-professional&period=2018-06').expect(200)
    assert.deepEqual(listItems(page.text, 'worries'), [
      "88% told us that the child's voice is understood in the assessment (25 answered; under the target of 90%)",
      '77% told us that the plan reflects the needs of the child (22 answered; under the target of 90% and down 8 points since May 2018)',
    ])
    assert.deepEqual(listItems(page.text, 'working-well'), [
      '92% told us that the conference was child focused (25 answered, up 17 points)',
    ])
  })

  it('lists the falls as worries for the quarter as a whole too', async () => {
    const page = await agent
      .get('/reports/quarterly?survey=cp-conference-family&period=2018-19-Q1')
      .expect(200)
    const worries = listItems(page.text, 'worries')
    assert.ok(
      worries.includes(
        '42% told us that the child protection plan has made a positive difference to their lives (55 answered; under the target of 90%)',
      ),
      worries.join('\n'),
    )
  })
})
