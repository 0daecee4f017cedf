/**
 * Published example 1 (domain.md): "114 families gave us feedback following closure to our
 * services in Quarter 4 2020/2021, they told us: 99% … share their views and opinions, 95% …
 * listened to their views, 98% … right people and partner agencies, 88% … positive difference".
 * Built from raw responses and checked through the dashboard, the quarterly report, the API and
 * the CSV.
 *
 * Answered counts chosen to give exactly those whole percents:
 *   share-views          113 yes of 114                         = 99.12% → 99%
 *   child-listened       103 yes of 108 (6 "not applicable")    = 95.37% → 95%
 *   right-people         108 yes of 110 (4 "don't know")        = 98.18% → 98%
 *   positive-difference  100 yes of 114                         = 87.72% → 88%
 * plus copy-of-plan 95 of 105 (90%) and reach-worker 104 of 112 (93%, 2 skipped).
 * The previous quarter (2020/21 Q3, 20 families) makes child-listened a fall of 5 points.
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
  dashboardHeadlines,
  listItems,
  tableRows,
} from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

const Q4 = 'survey=closure-family&period=2020-21-Q4'

describe('published example 1: closure, 2020/21 Q4, 114 families', () => {
  const t = useTestApp()
  let token: string, agent: Awaited<ReturnType<typeof signIn>>

  before(async () => {
    const locality = await createTeam('Locality North', 'Locality')
    const frontDoor = await createTeam('Family Front Door Assessment', 'Family Front Door')
    const closures = (team: Team, at: string[], rows: Record<string, string>[], mode?: Mode) =>
      addResponses(t.services, { survey: 'closure-family', team, at, rows, mode })
    const rows = answerRows(114, {
      'share-views': { yes: 113, partly: 1 },
      'child-listened': { yes: 103, partly: 3, no: 2, 'not-applicable': 6 },
      'right-people': { yes: 108, partly: 1, no: 1, 'dont-know': 4 },
      'copy-of-plan': { yes: 95, no: 10, 'dont-know': 5 },
      'reach-worker': { yes: 104, sometimes: 6, no: 2 },
      'positive-difference': { yes: 100, partly: 10, no: 4 },
    })
    // Midnight on 1 January (GMT) is in Q4; 23:30 BST on 31 March 2021 is still Q4.
    const at = ['2021-01-01T00:00:00Z', '2021-02-14T12:00:00Z', '2021-03-31T22:30:00Z']
    await closures(locality, at, rows.slice(0, 70))
    await closures(frontDoor, at, rows.slice(70), 'telephone')
    // 2020/21 Q3, for the change since the previous quarter.
    const q3 = answerRows(20, {
      'share-views': { yes: 19, partly: 1 },
      'child-listened': { yes: 20 },
      'right-people': { yes: 20 },
      'copy-of-plan': { yes: 18, no: 2 },
      'reach-worker': { yes: 19, sometimes: 1 },
      'positive-difference': { yes: 18, partly: 2 },
    })
    await closures(locality, ['2020-11-10T10:00:00Z', '2020-12-31T23:59:59Z'], q3)
    // 00:30 BST on 1 April 2021 is in the new financial year: not one of the 114.
    await closures(locality, ['2021-03-31T23:30:00Z'], answerRows(1, { 'share-views': { no: 1 } }))
    token = (await createApiToken(t.clock, { name: 'QA dashboard', role: 'qa' })).token
    agent = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  it('answers the headline API with exactly the published numbers', async () => {
    const response = await request(t.app)
      .get(`/api/v1/reports/headlines?${Q4}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200)
    assert.deepEqual(response.body, {
      survey: 'closure-family',
      period: { id: '2020-21-Q4', label: '2020/21 Q4', from: '2021-01-01', to: '2021-03-31' },
      responses: 114,
      headlines: [
        {
          question: 'share-views',
          statement: 'the practitioner gave them opportunities to share their views and opinions',
          answered: 114,
          positive: 113,
          percent: 99,
          suppressed: false,
        },
        {
          question: 'child-listened',
          statement: 'the practitioner spoke to their child and listened to their views',
          answered: 108,
          positive: 103,
          percent: 95,
          suppressed: false,
        },
        {
          question: 'right-people',
          statement:
            'the worker spoke to the right people and partner agencies to inform the assessment and plan for their children',
          answered: 110,
          positive: 108,
          percent: 98,
          suppressed: false,
        },
        {
          question: 'copy-of-plan',
          statement: 'they received a copy of their assessment or plan',
          answered: 105,
          positive: 95,
          percent: 90,
          suppressed: false,
        },
        {
          question: 'reach-worker',
          statement: 'they could get hold of their worker when they needed to',
          answered: 112,
          positive: 104,
          percent: 93,
          suppressed: false,
        },
        {
          question: 'positive-difference',
          statement: 'we made a positive difference to them and their child',
          answered: 114,
          positive: 100,
          percent: 88,
          suppressed: false,
        },
      ],
    })
  })

  it('puts the response at 00:30 BST on 1 April in the new year, and 23:30 BST on 31 March in the old', async () => {
    const get = (period: string) =>
      request(t.app)
        .get(`/api/v1/reports/headlines?survey=closure-family&period=${period}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    assert.equal((await get('2021-22-Q1')).body.responses, 1)
    assert.equal((await get('2021-22')).body.responses, 1)
    assert.equal((await get('2021-04')).body.responses, 1)
    assert.equal((await get('2021-03')).body.responses, 37)
    assert.equal((await get('2020-21')).body.responses, 134)
    assert.equal((await get('2021-03-31..2021-03-31')).body.responses, 37)
    assert.equal((await get('2021-04-01..2021-04-01')).body.responses, 1)
  })

  it('shows the lead sentence and the headlines with n on the dashboard', async () => {
    const page = await agent.get(`/reports?${Q4}`).expect(200)
    assert.match(visibleText(page), /114 families gave us feedback following closure in 2020\/21 Q4/)
    // Each headline once, under working well or worried about: the published sentences.
    const headlines = dashboardHeadlines(page.text)
    assert.deepEqual(
      headlines.sort(),
      [
        '99% told us that the practitioner gave them opportunities to share their views and opinions (114 answered)',
        '95% told us that the practitioner spoke to their child and listened to their views (108 answered)',
        '98% told us that the worker spoke to the right people and partner agencies to inform the assessment and plan for their children (110 answered)',
        '90% told us that they received a copy of their assessment or plan (105 answered)',
        '93% told us that they could get hold of their worker when they needed to (112 answered)',
        '88% told us that we made a positive difference to them and their child (114 answered)',
      ].sort(),
    )
  })

  it('lists a fall of 5 points and a result under target as worries, the rest as working well', async () => {
    const page = await agent.get(`/reports?${Q4}`).expect(200)
    assert.deepEqual(listItems(page.text, 'worries'), [
      '95% told us that the practitioner spoke to their child and listened to their views (108 answered; down 5 points since 2020/21 Q3)',
      '88% told us that we made a positive difference to them and their child (114 answered; under the target of 90%)',
    ])
    assert.deepEqual(listItems(page.text, 'working-well'), [
      '99% told us that the practitioner gave them opportunities to share their views and opinions (114 answered, up 4 points)',
      '98% told us that the worker spoke to the right people and partner agencies to inform the assessment and plan for their children (110 answered, down 2 points)',
      '90% told us that they received a copy of their assessment or plan (105 answered, no change)',
      '93% told us that they could get hold of their worker when they needed to (112 answered, down 2 points)',
    ])
  })

  it('tables every answer with its count and percent, rounded half up', async () => {
    const page = await agent.get(`/reports?${Q4}`).expect(200)
    assert.deepEqual(tableRows(page.text, 'answers-positive-difference'), [
      ['Answer', 'Number', 'Percent'],
      ['Yes (the positive answer)', '100', '88%'],
      ['Partly', '10', '9%'],
      ['No', '4', '4%'], // 3.51% → 4%
      ['Answered', '114', '88% positive'],
      ['Skipped', '0', ''],
      ['Change since 2020/21 Q3', 'down 2 points'],
    ])
    assert.deepEqual(tableRows(page.text, 'answers-child-listened').slice(1, 7), [
      ['Yes (the positive answer)', '103', '95%'],
      ['Partly', '3', '3%'],
      ['No', '2', '2%'],
      ['Not applicable', '6', 'not counted'],
      ['Answered', '108', '95% positive'],
      ['Skipped', '0', ''],
    ])
  })

  it('shows the eight-quarter trend and the months, with the same numbers as the headlines', async () => {
    const page = await agent.get(`/reports?${Q4}`).expect(200)
    const trend = tableRows(page.text, 'trend')
    assert.deepEqual(trend[0], [
      'Question',
      '2019/20 Q1',
      '2019/20 Q2',
      '2019/20 Q3',
      '2019/20 Q4',
      '2020/21 Q1',
      '2020/21 Q2',
      '2020/21 Q3',
      '2020/21 Q4',
    ])
    assert.deepEqual(trend[1], ['Responses', '0', '0', '0', '0', '0', '0', '20', '114'])
    assert.deepEqual(trend[2]!.slice(6), ['no answers', '95% (20)', '99% (114)'])
    const months = tableRows(page.text, 'months')
    assert.deepEqual(months[0], ['Question', 'January 2021', 'February 2021', 'March 2021'])
    assert.deepEqual(months[1], ['Responses', '39', '38', '37'])
    // Charts get the same numbers from a JSON block (not executed, so the CSP allows it).
    const chart = /<script type="application\/json" id="trend-chart-data">([\s\S]*?)<\/script>/.exec(
      page.text,
    )
    const data = JSON.parse(chart![1]!) as { labels: string[]; datasets: { data: (number | null)[] }[] }
    assert.equal(data.labels.at(-1), '2020/21 Q4')
    assert.deepEqual(data.datasets[0]!.data.slice(5), [null, 95, 99])
  })

  it('prints the quarterly report with the published sentences', async () => {
    const page = await agent.get(`/reports/quarterly?${Q4}`).expect(200)
    assert.match(page.text, /<link rel="stylesheet" href="\/public\/css\/print.css" media="print">/)
    assert.match(
      visibleText(page),
      /114 families gave us feedback following closure in 2020\/21 Q4, they told us:/,
    )
    const headlines = listItems(page.text, 'headlines')
    for (const sentence of [
      '99% told us that the practitioner gave them opportunities to share their views and opinions (114 answered)',
      '95% told us that the practitioner spoke to their child and listened to their views (108 answered)',
      '98% told us that the worker spoke to the right people and partner agencies to inform the assessment and plan for their children (110 answered)',
      '88% told us that we made a positive difference to them and their child (114 answered)',
    ]) {
      assert.ok(headlines.includes(sentence), `missing: ${sentence}`)
    }
    assert.equal(listItems(page.text, 'worries').length, 2)
    assert.deepEqual(tableRows(page.text, 'by-team')[0], [
      'Question',
      'Family Front Door Assessment',
      'Locality North',
    ])
  })

  it('exports the same numbers as CSV', async () => {
    const csv = await agent.get(`/reports/export.csv?${Q4}`).expect(200)
    assert.match(csv.headers['content-type'] ?? '', /^text\/csv/)
    assert.equal(
      csv.headers['content-disposition'],
      'attachment; filename="family-voice-closure-family-2020-21-Q4.csv"',
    )
    const rows = csvRows(csv.text)
    // The columns, in order, as the contract fixes them.
    const header =
      'Survey,Period,Table,Group,Question,Question text,Statement,Answer,Count,Answered,Percent,Change (points),Status'
    assert.deepEqual(rows[0], header.split(','))
    const headlineRows = rows.filter((row) => row[2] === 'Headline').map((row) => [row[4], ...row.slice(8)])
    assert.deepEqual(headlineRows, [
      ['share-views', '113', '114', '99', '4', 'shown'],
      ['child-listened', '103', '108', '95', '-5', 'shown'],
      ['right-people', '108', '110', '98', '-2', 'shown'],
      ['copy-of-plan', '95', '105', '90', '0', 'shown'],
      ['reach-worker', '104', '112', '93', '-2', 'shown'],
      ['positive-difference', '100', '114', '88', '-2', 'shown'],
    ])
    // Each row names the question by its id and by the words families read.
    const shareViews = rows.find((row) => row[2] === 'Headline' && row[4] === 'share-views')!
    assert.equal(shareViews[5], t.services.surveys.latest('closure-family')!.questions[0]!.text)
    assert.match(shareViews[5]!, /\?$/)
    // Every number column, in every row, is a number or empty.
    for (const row of rows.slice(1)) {
      for (const cell of row.slice(8, 12)) assert.match(cell, /^(-?\d+)?$/, row.join(','))
    }
    const notCounted = rows.find(
      (row) => row[2] === 'Answers' && row[4] === 'child-listened' && row[12] === 'not counted',
    )
    assert.ok(notCounted, 'a "not counted" answer says so in Status')
    assert.match(notCounted[8]!, /^\d+$/)
    assert.deepEqual(notCounted.slice(9, 11), ['', ''])
    const monthRows = rows
      .filter((row) => row[2] === 'Month' && row[4] === 'share-views')
      .map((row) => row[3])
    assert.deepEqual(monthRows, ['January 2021', 'February 2021', 'March 2021'])
  })
})
