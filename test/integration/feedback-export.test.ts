import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { parse } from 'csv-parse/sync'
import { AuditEventModel } from '../../server/audit/auditEvent'
import type { Team } from '../../server/teams/team'
import type { User } from '../../server/staff/user'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { giveResponse } from './feedback-fixtures'

const EVIL = '=HYPERLINK("http://evil")'

describe('raw responses export', () => {
  const t = useTestApp({ now: '2021-04-20T10:00:00Z' })
  let north: Team, qaUser: User, qa: Agent

  before(async () => {
    north = await createTeam('North Locality')
    const south = await createTeam('South Through Care', 'Through Care')
    qaUser = await createUser({ role: 'qa' })
    qa = await signIn(t.app, qaUser)

    // 2020/21 Q4 is January to March 2021 in London time.
    await giveResponse(t, north, {
      submittedAt: '2021-01-05T09:00:00Z',
      answers: { 'share-views': 'yes', 'child-listened': 'not-applicable' },
      texts: { 'went-well': 'Kind and patient', 'do-better': EVIL },
      mode: 'online',
    })
    await giveResponse(t, south, {
      submittedAt: '2021-03-31T22:30:00Z', // 23:30 BST on 31 March: still Q4
      answers: { 'share-views': 'partly', 'positive-difference': 'yes' },
      respondent: 'carer',
      mode: 'telephone',
      source: 'staff',
    })
    // Outside the quarter: 00:30 BST on 1 April is the new financial year.
    await giveResponse(t, north, { submittedAt: '2021-03-31T23:30:00Z', answers: { 'share-views': 'no' } })
    // Another survey in the quarter.
    await giveResponse(t, north, {
      surveyId: 'cp-conference-family',
      submittedAt: '2021-02-01T10:00:00Z',
      answers: { 'explained-worries': 'yes' },
    })
  })

  it('gives one row per response with period keys, answer ids and free text, neutralised and audited', async () => {
    const response = await qa.get('/feedback/export.csv?survey=closure-family&period=2020-21-Q4').expect(200)
    assert.match(response.headers['content-type'] ?? '', /^text\/csv/)
    assert.match(
      response.headers['content-disposition'] ?? '',
      /attachment; filename="responses-closure-family-2020-21-Q4\.csv"/,
    )
    assert.equal(response.headers['cache-control'], 'no-store')

    const rows = parse(response.text, { columns: true }) as Array<Record<string, string>>
    assert.equal(rows.length, 2)
    const header = Object.keys(rows[0]!)
    const fixedColumns =
      'response_id,submitted_at,period_year,period_quarter,period_month,survey,version,team,service,respondent,mode,source'
    assert.deepEqual(header.slice(0, 12), fixedColumns.split(','))
    for (const question of [
      'share-views',
      'child-listened',
      'positive-difference',
      'went-well',
      'do-better',
    ]) {
      assert.ok(header.includes(question), `a ${question} column`)
    }
    assert.ok(header.indexOf('positive-difference') < header.indexOf('went-well'), 'choices, then free text')

    const [first, second] = rows
    assert.equal(first!.submitted_at, '2021-01-05T09:00:00+00:00')
    assert.equal(first!.period_year, '2020-21')
    assert.equal(first!.period_quarter, '2020-21-Q4')
    assert.equal(first!.period_month, '2021-01')
    assert.equal(first!.survey, 'closure-family')
    assert.equal(first!.version, String(t.services.surveys.latest('closure-family')!.version))
    assert.equal(first!.team, 'North Locality')
    assert.equal(first!.service, 'Locality')
    assert.equal(first!.respondent, 'parent-carer')
    assert.equal(first!['share-views'], 'yes')
    assert.equal(first!['child-listened'], 'not-applicable')
    assert.equal(first!['positive-difference'], '')
    assert.equal(first!['went-well'], 'Kind and patient')
    assert.equal(first!['do-better'], `'${EVIL}`, 'a formula is neutralised with an apostrophe')
    assert.ok(response.text.includes(`"'=HYPERLINK(""http://evil"")"`))

    assert.equal(second!.submitted_at, '2021-03-31T23:30:00+01:00', 'London time')
    assert.equal(second!.team, 'South Through Care')
    assert.equal(second!.respondent, 'carer')
    assert.equal(second!.mode, 'telephone')
    assert.equal(second!.source, 'staff')
    assert.equal(second!['went-well'], '')

    const audit = await AuditEventModel.findOne({ action: 'responses.exported' }).lean()
    assert.ok(audit)
    assert.equal(String(audit.userId), String(qaUser._id))
    assert.equal(audit.target, 'responses closure-family 2020-21-Q4')
    assert.match(audit.detail ?? '', /^2 rows/)
  })

  it('exports a month, a year and a date range', async () => {
    const month = parse(
      (await qa.get('/feedback/export.csv?survey=closure-family&period=2021-04').expect(200)).text,
      {
        columns: true,
      },
    ) as Array<Record<string, string>>
    assert.deepEqual(
      month.map((row) => row['share-views']),
      ['no'],
    )
    const range = await qa
      .get('/feedback/export.csv?survey=closure-family&period=2021-01-01..2021-01-31')
      .expect(200)
    assert.equal((parse(range.text, { columns: true }) as unknown[]).length, 1)
    assert.match(
      range.headers['content-disposition'] ?? '',
      /filename="responses-closure-family-2021-01-01_2021-01-31\.csv"/,
    )
    const cp = await qa.get('/feedback/export.csv?survey=cp-conference-family&period=2020-21').expect(200)
    const cpRows = parse(cp.text, { columns: true }) as Array<Record<string, string>>
    assert.equal(cpRows.length, 1)
    assert.equal(cpRows[0]!['explained-worries'], 'yes')
    assert.equal(await AuditEventModel.countDocuments({ action: 'responses.exported' }), 4)
  })

  it('answers bad input with a 400 page that says what to fix, and audits nothing', async () => {
    const before = await AuditEventModel.countDocuments({ action: 'responses.exported' })
    const noPeriod = await qa.get('/feedback/export.csv?survey=closure-family').expect(400)
    assert.match(visibleText(noPeriod), /Enter a period, for example 2020-21-Q4/)
    const badPeriod = await qa.get('/feedback/export.csv?survey=closure-family&period=2020-Q9').expect(400)
    assert.match(visibleText(badPeriod), /Enter a period like 2020-21-Q4/)
    assert.match(badPeriod.text, /govuk-error-summary/)
    const badSurvey = await qa.get('/feedback/export.csv?survey=<script>&period=2020-21-Q4').expect(400)
    assert.match(visibleText(badSurvey), /Choose a survey/)
    assert.ok(!badSurvey.text.includes('<script>'))
    await qa.get('/feedback/export.csv?survey=closure-family&period=2020-21&period=2021-22').expect(400)
    assert.equal(await AuditEventModel.countDocuments({ action: 'responses.exported' }), before)

    await qa.get('/feedback/export').expect(200)
  })

  it('is refused to managers and practitioners', async () => {
    for (const role of ['manager', 'practitioner'] as const) {
      const agent = await signIn(t.app, await createUser({ role, teams: [north] }))
      await agent.get('/feedback/export.csv?survey=closure-family&period=2020-21-Q4').expect(403)
      await agent.get('/feedback/export').expect(403)
    }
  })
})
