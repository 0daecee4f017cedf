/**
 * Small numbers across two reports: "all teams" minus "one team" must not give away a small
 * team's percentage. A filtered figure whose complement within the wider total has fewer than
 * the threshold answering is hidden too: on the dashboard, in the CSV and in the API.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import { loadConfig } from '../../server/config'
import { createTeam, createUser, signIn } from '../helpers/factories'
import type { Agent } from '../helpers/respond'
import { addResponses, answerRows, csvRows, plainText } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

const Q = 'survey=closure-family&period=2022-23-Q1'

describe('the complement rule across differently filtered reports', () => {
  const t = useTestApp({ now: '2022-08-01T10:00:00Z' })
  let token: string, qa: Agent

  before(async () => {
    const big = await createTeam('Riverside Locality', 'Locality')
    const small = await createTeam('Hilltop Locality', 'Locality')
    // Riverside: 37 answered share-views, 34 yes. Hilltop: 3 answered, 1 yes.
    await addResponses(t.services, {
      survey: 'closure-family',
      team: big,
      at: ['2022-05-03T10:00:00Z'],
      rows: answerRows(37, { 'share-views': { yes: 34, no: 3 }, 'reach-worker': { yes: 30, no: 7 } }),
    })
    await addResponses(t.services, {
      survey: 'closure-family',
      team: small,
      at: ['2022-05-04T10:00:00Z'],
      rows: answerRows(3, { 'share-views': { yes: 1, no: 2 } }),
    })
    token = (await createApiToken(t.clock, { name: 'BI', role: 'qa' })).token
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`).expect(200)
  const shareViews = (body: { headlines: { question: string }[] }) =>
    body.headlines.find((h) => h.question === 'share-views') as Record<string, unknown>

  it('hides the one-team headline whose complement is a small team, so the two requests cannot be subtracted', async () => {
    const all = shareViews((await api(`/api/v1/reports/headlines?${Q}`)).body)
    assert.deepEqual(all, {
      question: 'share-views',
      statement: 'the practitioner gave them opportunities to share their views and opinions',
      answered: 40,
      positive: 35,
      percent: 88,
      suppressed: false,
    })
    const riverside = shareViews((await api(`/api/v1/reports/headlines?${Q}&team=Riverside%20Locality`)).body)
    assert.equal(riverside.suppressed, true)
    assert.equal(riverside.percent, null)
    assert.equal(riverside.positive, null, 'no positive count to subtract from 35')
    // reach-worker: Hilltop gave no answers, so Riverside's figure is the whole total: shown.
    const reach = (await api(`/api/v1/reports/headlines?${Q}&team=Riverside%20Locality`)).body.headlines.find(
      (h: { question: string }) => h.question === 'reach-worker',
    )
    assert.equal(reach.percent, 81)
    assert.equal(reach.suppressed, false)
  })

  it('hides the same in a filtered breakdown and in the dashboard and CSV', async () => {
    const byMode = (await api(`/api/v1/reports/breakdown?${Q}&by=mode&team=Riverside%20Locality`)).body
    const online = byMode.groups.find((g: { key: string }) => g.key === 'online')
    assert.equal(shareViews(online).suppressed, true)
    assert.equal(shareViews(online).positive, null)

    const page = plainText((await qa.get(`/reports?${Q}&team=Riverside%20Locality`).expect(200)).text)
    assert.ok(!/\b92% told us that the practitioner gave them opportunities/.test(page), 'no 34/37 = 92%')
    assert.match(page, /hidden, so that a smaller group cannot be worked out/)

    const csv = csvRows((await qa.get(`/reports/export.csv?${Q}&team=Riverside%20Locality`).expect(200)).text)
    const headline = csv.find((row) => row[2] === 'Headline' && row[4] === 'share-views')!
    assert.deepEqual(headline.slice(8), ['', '', '', '', 'hidden'])
    const yes = csv.find((row) => row[2] === 'Answers' && row[4] === 'share-views' && row[7] === 'Yes')!
    assert.deepEqual([yes[8], yes[12]], ['', 'hidden'], 'the answer counts are hidden with it')
    assert.ok(!csv.some((row) => row[4] === 'share-views' && row.slice(8, 11).includes('34')))
  })

  it('leaves a filtered figure alone when its complement is big enough', async () => {
    const more = await createTeam('Seaside Locality', 'Locality')
    await addResponses(t.services, {
      survey: 'closure-family',
      team: more,
      at: ['2022-05-05T10:00:00Z'],
      rows: answerRows(5, { 'share-views': { yes: 5 } }),
    })
    const riverside = shareViews((await api(`/api/v1/reports/headlines?${Q}&team=Riverside%20Locality`)).body)
    assert.deepEqual([riverside.percent, riverside.suppressed], [92, false])
  })

  it('opens the dashboard on the last complete quarter, or the current one when so set', async () => {
    const page = plainText((await qa.get('/reports').expect(200)).text)
    assert.match(page, /45 families gave us feedback following closure in 2022\/23 Q1/)
    t.services.config.reportDefaultPeriod = 'current-quarter'
    try {
      const current = plainText((await qa.get('/reports').expect(200)).text)
      assert.match(current, /0 families gave us feedback following closure in 2022\/23 Q2/)
    } finally {
      t.services.config.reportDefaultPeriod = 'last-complete-quarter'
    }
    assert.equal(
      loadConfig({ REPORT_DEFAULT_PERIOD: 'current-quarter' }).reportDefaultPeriod,
      'current-quarter',
    )
    assert.equal(loadConfig({}).reportDefaultPeriod, 'last-complete-quarter')
    assert.throws(() => loadConfig({ REPORT_DEFAULT_PERIOD: 'yesterday' }), /REPORT_DEFAULT_PERIOD/)
  })
})

describe('the complement rule with two filters at once (team and respondent)', () => {
  const t = useTestApp({ now: '2022-08-01T10:00:00Z' })
  let token: string, qa: Agent
  const Q4 = 'survey=closure-family&period=2021-22-Q4'

  before(async () => {
    const riverside = await createTeam('Riverside Locality', 'Locality')
    const hilltop = await createTeam('Hilltop Locality', 'Locality')
    // Riverside parents 13, Riverside carers 17, Hilltop parents 17, Hilltop carers 3 (all
    // answered share-views). Every one subtraction from Riverside parents leaves 17 or 37; but
    // all − Riverside − parents + Riverside parents = 50 − 30 − 30 + 13 = Hilltop's 3 carers.
    const add = (team: typeof riverside, respondent: 'parent-carer' | 'carer', n: number, yes: number) =>
      addResponses(t.services, {
        survey: 'closure-family',
        team,
        respondent,
        at: ['2022-02-03T10:00:00Z'],
        rows: answerRows(n, { 'share-views': { yes, no: n - yes } }),
      })
    await add(riverside, 'parent-carer', 13, 12)
    await add(riverside, 'carer', 17, 15)
    await add(hilltop, 'parent-carer', 17, 16)
    await add(hilltop, 'carer', 3, 1)
    token = (await createApiToken(t.clock, { name: 'BI', role: 'qa' })).token
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`).expect(200)
  const shareViews = (body: { headlines: { question: string }[] }) =>
    body.headlines.find((h) => h.question === 'share-views') as Record<string, unknown>
  const BOTH = 'team=Riverside%20Locality&respondent=parent-carer'

  it('shows the three wider reports, and hides the two-filter one that would complete the sum', async () => {
    const all = shareViews((await api(`/api/v1/reports/headlines?${Q4}`)).body)
    const team = shareViews((await api(`/api/v1/reports/headlines?${Q4}&team=Riverside%20Locality`)).body)
    const parents = shareViews((await api(`/api/v1/reports/headlines?${Q4}&respondent=parent-carer`)).body)
    assert.deepEqual(
      [all, team, parents].map((h) => [h.answered, h.positive, h.suppressed]),
      [
        [50, 44, false],
        [30, 27, false],
        [30, 28, false],
      ],
    )
    const both = shareViews((await api(`/api/v1/reports/headlines?${Q4}&${BOTH}`)).body)
    assert.deepEqual([both.percent, both.positive, both.suppressed], [null, null, true])
    // Had it been shown, Hilltop's three carers would be 44 − 27 − 28 + 12 = 1 yes of 3.
  })

  it('hides it the same on the dashboard, in its chart and in the CSV, and in a breakdown row', async () => {
    const page = await qa.get(`/reports?${Q4}&${BOTH}`).expect(200)
    assert.match(plainText(page.text), /opinions: hidden, so that a smaller group cannot be worked out/)
    assert.doesNotMatch(plainText(page.text), /92% told us that the practitioner gave them opportunities/)
    const csv = csvRows((await qa.get(`/reports/export.csv?${Q4}&${BOTH}`).expect(200)).text)
    const headline = csv.find((row) => row[2] === 'Headline' && row[4] === 'share-views')!
    assert.deepEqual(headline.slice(8), ['', '', '', '', 'hidden'])
    // Riverside's row among the teams, for parents only: the same cell, so hidden too.
    const byTeam = (await api(`/api/v1/reports/breakdown?${Q4}&by=team&respondent=parent-carer`)).body
    const riverside = byTeam.groups.find((g: { key: string }) => g.key === 'Riverside Locality')
    assert.equal(shareViews(riverside).suppressed, true)
    assert.equal(shareViews(riverside).positive, null)
    const parentsPage = await qa.get(`/reports?${Q4}&respondent=parent-carer`).expect(200)
    const chart = /id="teams-chart-data">([\s\S]*?)<\/script>/.exec(parentsPage.text)
    const data = JSON.parse(chart![1]!) as { labels: string[]; datasets: { data: (number | null)[] }[] }
    assert.equal(data.datasets[0]!.data[data.labels.indexOf('Riverside Locality')], null)
  })
})
