/**
 * Who sees what on the report pages, small-number suppression in breakdowns (including the
 * subtraction case), hostile team names in HTML, chart JSON and CSV, and bad query strings.
 *
 * 2022/23 Q1, closure-family, share-views:
 *   Riverside Locality          30 answered, 27 yes  (90%)
 *   Hilltop Locality             3 answered,  3 yes  (fewer than 5)
 *   =cmd|' /C calc'!A0          12 answered,  9 yes  (75%, hidden to protect Hilltop)
 *   Northgate </script>…        20 answered, 18 yes  (90%)
 *   all teams                   65 answered, 57 yes  (88%)
 * Without the second hidden cell, Hilltop = 65 - 30 - 12 - 20 = 3 answered, 57 - 27 - 9 - 18 = 3 yes.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { ResponseModel } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import {
  addResponses,
  answerRows,
  csvRows,
  dashboardHeadlines,
  listItems,
  plainText,
  tableRows,
} from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

const Q = 'survey=closure-family&period=2022-23-Q1'
const FORMULA = "=cmd|' /C calc'!A0"
const SCRIPT = 'Northgate </script><script>alert(1)</script>'
const SHARE_VIEWS = 'Did your worker give you chances to share your views and opinions?'

describe('report access, suppression and hostile input', () => {
  const t = useTestApp()
  let riverside: Team, hilltop: Team, qa: Awaited<ReturnType<typeof signIn>>
  let practitioner: Awaited<ReturnType<typeof signIn>>, manager: Awaited<ReturnType<typeof signIn>>
  let qaEmail: string

  before(async () => {
    riverside = await createTeam('Riverside Locality', 'Locality')
    hilltop = await createTeam('Hilltop Locality', 'Locality')
    const formula = await createTeam(FORMULA, 'Early Help')
    const northgate = await createTeam(SCRIPT, 'Targeted Family Support')
    const at = ['2022-05-10T10:00:00Z']
    const add = (team: Team, n: number, yes: number) =>
      addResponses(t.services, {
        survey: 'closure-family',
        team,
        at,
        rows: answerRows(n, { 'share-views': { yes, no: n - yes } }),
      })
    await add(riverside, 30, 27)
    await add(hilltop, 3, 3)
    await add(formula, 12, 9)
    await add(northgate, 20, 18)
    // An approved quote from Riverside, for the quarterly report.
    const response = await ResponseModel.findOne({ teamId: riverside._id }).lean()
    await CommentModel.create({
      responseId: response!._id,
      surveyId: 'closure-family',
      question: 'went-well',
      text: 'Original text naming Sam',
      teamId: riverside._id,
      teamName: riverside.name,
      service: 'Locality',
      respondent: 'parent-carer',
      submittedAt: response!.submittedAt,
      period: response!.period,
      review: { status: 'approved', redactedText: 'They listened to us and never gave up' },
    })
    const qaUser = await createUser({ role: 'qa' })
    qaEmail = qaUser.email
    qa = await signIn(t.app, qaUser)
    practitioner = await signIn(t.app, await createUser({ role: 'practitioner', teams: [riverside] }))
    manager = await signIn(t.app, await createUser({ role: 'manager', teams: [riverside, hilltop] }))
  })

  it('sends people who are not signed in to sign in', async () => {
    const response = await request(t.app).get(`/reports?${Q}`).expect(303)
    assert.match(response.headers.location ?? '', /^\/sign-in\?next=/)
    await request(t.app).get(`/reports/export.csv?${Q}`).expect(303)
  })

  it("shows a practitioner only their own teams' aggregated results, and no free text", async () => {
    const page = await practitioner.get(`/reports?${Q}`).expect(200)
    assert.match(plainText(page.text), /30 families gave us feedback following closure in 2022\/23 Q1/)
    assert.match(plainText(page.text), /Teams: your teams only\./)
    assert.ok(
      dashboardHeadlines(page.text).includes(
        `90% told us that the practitioner gave them opportunities to share their views and opinions (30 answered)`,
      ),
    )
    assert.deepEqual(tableRows(page.text, 'by-team')[0], ['Question', 'Riverside Locality'])
    assert.doesNotMatch(page.text, /Hilltop|Northgate|cmd/)
    const quarterly = await practitioner.get(`/reports/quarterly?${Q}`).expect(200)
    assert.match(
      plainText(quarterly.text),
      /Quotes are shared with managers and the quality assurance team\./,
    )
    assert.doesNotMatch(quarterly.text, /never gave up|Sam/)
  })

  it("answers a practitioner's filter on another team exactly as an unknown team (400)", async () => {
    const other = await practitioner.get(`/reports?${Q}&team=Hilltop%20Locality`).expect(400)
    assert.match(plainText(other.text), /There is no team called "Hilltop Locality"\./)
    await practitioner.get(`/reports/export.csv?${Q}&team=Hilltop%20Locality`).expect(400)
    await practitioner.get(`/reports/quarterly?${Q}&team=Hilltop%20Locality`).expect(400)
    const unknown = await practitioner.get(`/reports?${Q}&team=Nowhere`).expect(400)
    assert.match(plainText(unknown.text), /There is no team called "Nowhere"\./)
    assert.equal(
      plainText(other.text).replace(/Hilltop Locality/g, 'X'),
      plainText(unknown.text).replace(/Nowhere/g, 'X'),
      'the same page, but for the name typed',
    )
    await practitioner.get(`/reports?${Q}&team=Riverside%20Locality`).expect(200)
  })

  it('hides a lone small team and the next-smallest so neither can be worked out from the total', async () => {
    const page = await qa.get(`/reports?${Q}`).expect(200)
    assert.ok(
      dashboardHeadlines(page.text).includes(
        `88% told us that the practitioner gave them opportunities to share their views and opinions (65 answered)`,
      ),
    )
    const rows = tableRows(page.text, 'by-team')
    assert.deepEqual(rows[0], ['Question', FORMULA, 'Hilltop Locality', SCRIPT, 'Riverside Locality'])
    assert.deepEqual(rows[1], ['Responses', '12', '3', '20', '30'])
    assert.deepEqual(
      rows.find((row) => row[0] === SHARE_VIEWS),
      [SHARE_VIEWS, 'hidden', 'fewer than 5', '90% (20)', '90% (30)'],
    )
    // The chart has gaps where the table says "fewer than 5" or "hidden".
    const chart = /id="teams-chart-data">([\s\S]*?)<\/script>/.exec(page.text)
    const data = JSON.parse(chart![1]!) as { labels: string[]; datasets: { data: (number | null)[] }[] }
    assert.deepEqual(data.labels, [FORMULA, 'Hilltop Locality', SCRIPT, 'Riverside Locality'])
    assert.deepEqual(data.datasets[0]!.data, [null, null, 90, 90])
  })

  it('hides both teams of a manager when one is small, since the headline is their total', async () => {
    const page = await manager.get(`/reports?${Q}`).expect(200)
    assert.match(plainText(page.text), /33 families gave us feedback following closure in 2022\/23 Q1/)
    assert.deepEqual(
      tableRows(page.text, 'by-team').find((row) => row[0] === SHARE_VIEWS),
      [SHARE_VIEWS, 'fewer than 5', 'hidden'],
    )
    const hilltopOnly = await manager.get(`/reports?${Q}&team=Hilltop%20Locality`).expect(200)
    assert.deepEqual(
      listItems(hilltopOnly.text, 'too-few')[0],
      'the practitioner gave them opportunities to share their views and opinions: fewer than 5 answered, too few to report',
    )
    assert.deepEqual(listItems(hilltopOnly.text, 'too-few').length, 6)
  })

  it('gives the same suppression through the API, with no numbers for hidden cells', async () => {
    const { token } = await createApiToken(t.clock, { name: 'BI', role: 'qa' })
    const { body } = await request(t.app)
      .get(`/api/v1/reports/breakdown?${Q}&by=team`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200)
    const shareViews = (body.groups as { key: string; headlines: Record<string, unknown>[] }[]).map(
      (group) => [group.key, group.headlines[0]],
    )
    const statement = 'the practitioner gave them opportunities to share their views and opinions'
    const suppressed = {
      question: 'share-views',
      statement,
      answered: null,
      positive: null,
      percent: null,
      suppressed: true,
    }
    assert.deepEqual(shareViews, [
      [FORMULA, suppressed],
      ['Hilltop Locality', suppressed],
      [
        SCRIPT,
        { question: 'share-views', statement, answered: 20, positive: 18, percent: 90, suppressed: false },
      ],
      [
        'Riverside Locality',
        { question: 'share-views', statement, answered: 30, positive: 27, percent: 90, suppressed: false },
      ],
    ])
    const small = await request(t.app)
      .get(`/api/v1/reports/headlines?${Q}&team=Hilltop%20Locality`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200)
    assert.deepEqual(small.body.headlines[0], {
      question: 'share-views',
      statement,
      answered: 3,
      positive: null,
      percent: null,
      suppressed: true,
    })
  })

  it('escapes a hostile team name in the page and in the chart JSON', async () => {
    const page = await qa.get(`/reports?${Q}`).expect(200)
    assert.doesNotMatch(page.text, /<script>alert\(1\)<\/script>/)
    assert.match(page.text, /Northgate &lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
    assert.match(page.text, /Northgate \\u003c\/script\\u003e\\u003cscript\\u003ealert\(1\)/)
  })

  it('neutralises a team name that looks like a formula in the CSV, and audits the export', async () => {
    const before = await AuditEventModel.countDocuments({ action: 'report.exported' })
    const csv = await qa.get(`/reports/export.csv?${Q}`).expect(200)
    assert.match(csv.text, /,'=cmd\|' \/C calc'!A0,share-views,/)
    assert.doesNotMatch(csv.text, /,=cmd/)
    const teamRows = csvRows(csv.text)
      .filter((row) => row[2] === 'Team' && row[4] === 'share-views')
      .map((row) => [row[3], ...row.slice(8, 11), row[12]])
    // Number columns hold numbers only; why one is missing is in Status.
    assert.deepEqual(teamRows, [
      [`'${FORMULA}`, '', '', '', 'hidden'],
      ['Hilltop Locality', '', '', '', 'fewer than 5'],
      [SCRIPT, '18', '20', '90', 'shown'],
      ['Riverside Locality', '27', '30', '90', 'shown'],
    ])
    const events = await AuditEventModel.find({ action: 'report.exported' }).lean()
    assert.equal(events.length, before + 1)
    assert.equal(events.at(-1)!.actorLabel, qaEmail)
    assert.equal(events.at(-1)!.target, 'report closure-family 2022-23-Q1')
  })

  it('shows approved quotes (the redacted text) in the quarterly report for QA', async () => {
    const page = await qa.get(`/reports/quarterly?${Q}`).expect(200)
    assert.match(plainText(page.text), /“They listened to us and never gave up”/)
    assert.doesNotMatch(page.text, /Sam/)
  })

  it('answers bad query strings with 400 and a clear message, never a 500', async () => {
    const cases: [string, RegExp][] = [
      ['survey=nope&period=2022-23-Q1', /There is no survey called "nope"\./],
      ['survey=closure-family&period=2022-13', /"2022-13" is not a period: use a financial year \(2020-21\)/],
      ['survey=closure-family&period=2022-23-Q5', /"2022-23-Q5" is not a period/],
      ['survey=closure-family&period=2021-03-01..2021-02-01', /is not a period/],
      ['survey=closure-family&survey=closure-family&period=2022-23-Q1', /Give survey once, as plain text\./],
      ['survey=closure-family&period=2022-23-Q1&respondent=alien', /"alien" is not a respondent type/],
      ['survey=closure-family&period=2022-23-Q1&mode=pigeon', /"pigeon" is not a way of answering/],
      ['survey=closure-family&period=2022-23-Q1&from=2022-04-01', /Enter both dates as year-month-day/],
      ['survey=closure-family&period=2022-23-Q1&from=1%2F4%2F2022&to=2022-06-30', /Enter both dates/],
    ]
    for (const [query, message] of cases) {
      for (const path of ['/reports', '/reports/quarterly', '/reports/export.csv']) {
        const response = await qa.get(`${path}?${query}`)
        assert.equal(response.status, 400, `${path}?${query}`)
        assert.match(plainText(response.text), message, `${path}?${query}`)
        assert.match(response.text, /There is a problem/)
      }
    }
  })

  it('shows the period and filters chosen in the form, and defaults to the last complete quarter', async () => {
    // Issue 9: the dashboard opens on the last complete quarter (it was the current one).
    const page = await qa.get('/reports').expect(200)
    assert.match(plainText(page.text), /0 families gave us feedback following closure in 2026\/27 Q2/)
    assert.match(page.text, /<option value="2026-27-Q2" selected>2026\/27 Q2<\/option>/)
    const chosen = await qa.get(`/reports?${Q}&team=Riverside%20Locality&mode=online`).expect(200)
    assert.match(chosen.text, /<option value="2022-23-Q1" selected>2022\/23 Q1<\/option>/)
    assert.match(chosen.text, /<option value="Riverside Locality" selected>Riverside Locality<\/option>/)
    assert.match(chosen.text, /<option value="online" selected>Online<\/option>/)
    assert.match(plainText(chosen.text), /Team: Riverside Locality\. Way of answering: Online\./)
  })
})
