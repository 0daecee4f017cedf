/**
 * Published example 2 (domain.md): quarters 1 and 2 of 2019/20, 217 families. The published
 * figures came from several sources (IRO and CP mid-way audits, case-file audits and feedback
 * calls); here each is mapped onto the nearest built-in survey question:
 *   94% spoke with children and gained their wishes and feelings → closure-family child-listened
 *       (100% for the Assessment team)
 *   93% spoke to the right agencies                             → closure-family right-people
 *   92% given opportunities to share their views                → closure-family share-views
 *       (100% for Locality)
 *   87% of children happy with how their CLA review was held    → cla-review-young-person review-happy
 *   84% of parents can get hold of their social worker          → closure-family reach-worker
 *   86% of Through Care families: a positive difference         → closure-family positive-difference,
 *       Through Care team
 *   79% received a copy of their assessment or plan             → closure-family copy-of-plan
 *       (71% Through Care, 66% Locality), under "What are we worried about?" (target 85%)
 *
 * Counts per team (Assessment Team 95 responses, Through Care 72, Locality 50 = 217):
 *   child-listened       80/80 (15 n/a) + 65/70 (2 n/a) + 42/50 = 187/200 = 93.5%  → 94% (half up)
 *   right-people         90/95 + 66/72 + 46/50                  = 202/217 = 93.09% → 93%
 *   share-views          88/95 + 62/72 + 50/50                  = 200/217 = 92.17% → 92%
 *   reach-worker         82/95 + 60/72 + 40/50                  = 182/217 = 83.87% → 84%
 *   positive-difference  85/95 + 62/72 + 42/50                  = 189/217 = 87.10% → 87%; TC 86.11% → 86%
 *   copy-of-plan         82/90 (5 d/k) + 50/70 (2 d/k) + 33/50  = 165/210 = 78.57% → 79%;
 *                        TC 71.43% → 71%, Locality 66%
 *   review-happy         26/30 = 86.67% → 87%
 * The period is the custom range 2019-04-01..2019-09-30 (and checked as the two quarters). One
 * response is at 00:30 BST on 1 April 2019 (inside); decoys at 23:30 BST on 31 March and 00:00 BST
 * on 1 October are outside.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import type { Mode } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import {
  addResponses,
  answerRows,
  csvRows,
  listItems,
  tableRows,
  type AnswerPlan,
} from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

const RANGE = 'survey=closure-family&period=2019-04-01..2019-09-30'
const AT = ['2019-03-31T23:30:00Z', '2019-05-10T09:00:00Z', '2019-07-20T14:00:00Z', '2019-09-30T22:59:00Z']

interface Group {
  headlines: { question: string; percent: number | null; answered: number | null }[]
  key: string
  responses: number
}

describe('published example 2: 2019/20 Q1 and Q2, 217 families', () => {
  const t = useTestApp()
  let token: string, agent: Awaited<ReturnType<typeof signIn>>
  const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`).expect(200)

  before(async () => {
    const assessment = await createTeam('Assessment Team', 'Family Front Door')
    const throughCare = await createTeam('Through Care', 'Through Care')
    const locality = await createTeam('Locality', 'Locality')
    const closures = (team: Team, mode: Mode, n: number, plan: AnswerPlan) =>
      addResponses(t.services, { survey: 'closure-family', team, at: AT, mode, rows: answerRows(n, plan) })
    await closures(assessment, 'online', 95, {
      'child-listened': { yes: 80, 'not-applicable': 15 },
      'right-people': { yes: 90, partly: 5 },
      'share-views': { yes: 88, partly: 7 },
      'reach-worker': { yes: 82, sometimes: 13 },
      'positive-difference': { yes: 85, partly: 10 },
      'copy-of-plan': { yes: 82, no: 8, 'dont-know': 5 },
    })
    await closures(throughCare, 'telephone', 72, {
      'child-listened': { yes: 65, partly: 3, no: 2, 'not-applicable': 2 },
      'right-people': { yes: 66, partly: 6 },
      'share-views': { yes: 62, partly: 10 },
      'reach-worker': { yes: 60, sometimes: 8, no: 4 },
      'positive-difference': { yes: 62, partly: 8, no: 2 },
      'copy-of-plan': { yes: 50, no: 20, 'dont-know': 2 },
    })
    await closures(locality, 'face-to-face', 50, {
      'child-listened': { yes: 42, partly: 5, no: 3 },
      'right-people': { yes: 46, partly: 4 },
      'share-views': { yes: 50 },
      'reach-worker': { yes: 40, sometimes: 10 },
      'positive-difference': { yes: 42, partly: 8 },
      'copy-of-plan': { yes: 33, no: 17 },
    })
    await addResponses(t.services, {
      survey: 'cla-review-young-person',
      team: throughCare,
      at: AT,
      rows: answerRows(30, { 'review-happy': { yes: 26, 'not-sure': 3, no: 1 } }),
    })
    // Just outside: 23:30 BST on 31 March 2019 and 00:00 BST on 1 October 2019.
    await addResponses(t.services, {
      survey: 'closure-family',
      team: locality,
      at: ['2019-03-31T22:30:00Z', '2019-09-30T23:00:00Z'],
      rows: answerRows(2, { 'copy-of-plan': { no: 2 } }),
    })
    token = (await createApiToken(t.clock, { name: 'QA board pack', role: 'qa' })).token
    agent = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  it('gives the published overall percentages for the custom range', async () => {
    const { body } = await api(`/api/v1/reports/headlines?${RANGE}`)
    assert.equal(body.responses, 217)
    assert.deepEqual(body.period, {
      id: '2019-04-01..2019-09-30',
      label: '1 Apr 2019 to 30 Sep 2019',
      from: '2019-04-01',
      to: '2019-09-30',
    })
    const byQuestion = Object.fromEntries(
      (body.headlines as { question: string; percent: number; answered: number; positive: number }[]).map(
        (h) => [h.question, [h.percent, h.positive, h.answered]],
      ),
    )
    assert.deepEqual(byQuestion, {
      'share-views': [92, 200, 217],
      'child-listened': [94, 187, 200],
      'right-people': [93, 202, 217],
      'copy-of-plan': [79, 165, 210],
      'reach-worker': [84, 182, 217],
      'positive-difference': [87, 189, 217],
    })
    const cla = await api(
      '/api/v1/reports/headlines?survey=cla-review-young-person&period=2019-04-01..2019-09-30',
    )
    assert.equal(cla.body.responses, 30)
    assert.deepEqual(cla.body.headlines[0], {
      question: 'review-happy',
      statement: 'they were happy with how their review was chaired and held',
      answered: 30,
      positive: 26,
      percent: 87,
      suppressed: false,
    })
  })

  it('gives the same 217 as quarters 1 and 2 together', async () => {
    const { body } = await api('/api/v1/reports/breakdown?survey=closure-family&period=2019-20&by=quarter')
    assert.deepEqual(
      (body.groups as Group[]).map((group) => [group.key, group.responses]),
      [
        ['2019-20-Q1', 110],
        ['2019-20-Q2', 107],
        ['2019-20-Q3', 1],
      ],
    )
    const q1 = await api('/api/v1/reports/headlines?survey=closure-family&period=2019-20-Q1')
    const q2 = await api('/api/v1/reports/headlines?survey=closure-family&period=2019-20-Q2')
    assert.equal(q1.body.responses + q2.body.responses, 217)
  })

  it('gives the published team splits', async () => {
    const { body } = await api(`/api/v1/reports/breakdown?${RANGE}&by=team`)
    const percent = (team: string, question: string) =>
      (body.groups as Group[])
        .find((group) => group.key === team)!
        .headlines.find((headline) => headline.question === question)!.percent
    assert.deepEqual(
      (body.groups as Group[]).map((group) => [group.key, group.responses]),
      [
        ['Assessment Team', 95],
        ['Locality', 50],
        ['Through Care', 72],
      ],
    )
    assert.equal(percent('Assessment Team', 'child-listened'), 100)
    assert.equal(percent('Locality', 'share-views'), 100)
    assert.equal(percent('Through Care', 'positive-difference'), 86)
    assert.equal(percent('Through Care', 'copy-of-plan'), 71)
    assert.equal(percent('Locality', 'copy-of-plan'), 66)
  })

  it('lists 79% for copy of the plan under "What are we worried about?"', async () => {
    const page = await agent.get(`/reports?${RANGE}`).expect(200)
    assert.match(
      visibleText(page),
      /217 families gave us feedback following closure from 1 Apr 2019 to 30 Sep 2019/,
    )
    assert.deepEqual(listItems(page.text, 'worries'), [
      '79% told us that they received a copy of their assessment or plan (210 answered; under the target of 85%)',
      '84% told us that they could get hold of their worker when they needed to (217 answered; under the target of 90%)',
      '87% told us that we made a positive difference to them and their child (217 answered; under the target of 90%)',
    ])
    assert.deepEqual(listItems(page.text, 'working-well'), [
      '92% told us that the practitioner gave them opportunities to share their views and opinions (217 answered)',
      '94% told us that the practitioner spoke to their child and listened to their views (200 answered)',
      '93% told us that the worker spoke to the right people and partner agencies to inform the assessment and plan for their children (217 answered)',
    ])
    const surveys = tableRows(page.text, 'by-survey')
    assert.deepEqual(surveys[0], ['Survey', 'Responses'])
    assert.deepEqual(
      surveys.filter((row) => row[1] !== '0'),
      [
        ['Survey', 'Responses'],
        ['How was your review? (cla-review-young-person)', '30'],
        ['Your experience of our service (closure-family)', '217'],
      ],
    )
    const teams = tableRows(page.text, 'by-team')
    assert.deepEqual(teams[0], ['Question', 'Assessment Team', 'Locality', 'Through Care'])
    assert.deepEqual(
      teams.find((row) => row[0] === 'Were you given a copy of your assessment or plan?'),
      ['Were you given a copy of your assessment or plan?', '91% (90)', '66% (50)', '71% (70)'],
    )
  })

  it('writes the CLA review lead sentence for children and young people', async () => {
    const page = await agent
      .get('/reports/quarterly?survey=cla-review-young-person&period=2019-04-01..2019-09-30')
      .expect(200)
    assert.match(
      visibleText(page),
      /30 children and young people gave us feedback after a looked-after child review from 1 Apr 2019 to 30 Sep 2019, they told us:/,
    )
    assert.deepEqual(
      listItems(page.text, 'headlines')[0],
      '87% told us that they were happy with how their review was chaired and held (30 answered)',
    )
  })

  it('accepts the same range typed as two dates in the form', async () => {
    const page = await agent
      .get('/reports?survey=closure-family&period=2019-20-Q1&from=2019-04-01&to=2019-09-30')
      .expect(200)
    const text = visibleText(page)
    assert.match(text, /217 families gave us feedback following closure from 1 Apr 2019 to 30 Sep 2019/)
  })

  it('exports the team splits as CSV', async () => {
    const csv = await agent.get(`/reports/export.csv?${RANGE}`).expect(200)
    const rows = csvRows(csv.text).filter((row) => row[2] === 'Team' && row[4] === 'copy-of-plan')
    assert.deepEqual(
      rows.map((row) => [row[3], ...row.slice(8, 11), row[12]]),
      [
        ['Assessment Team', '82', '90', '91', 'shown'],
        ['Locality', '33', '50', '66', 'shown'],
        ['Through Care', '50', '70', '71', 'shown'],
      ],
    )
    assert.equal(
      csv.headers['content-disposition'],
      'attachment; filename="family-voice-closure-family-2019-04-01-to-2019-09-30.csv"',
    )
  })
})
