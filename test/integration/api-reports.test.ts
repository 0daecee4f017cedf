/**
 * The reports API as an integration sees it: bearer tokens (401 without or with a bad one, 403 for
 * a role that may not use it), 400 with a JSON error for unknown surveys, periods and teams, the
 * documented shapes, manager tokens limited to their teams, rate-limit headers and an audit trail.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { ApiTokenModel } from '../../server/apiTokens/apiToken'
import { ApiTokenInputError, createApiToken, hashApiToken } from '../../server/apiTokens/service'
import { AuditEventModel } from '../../server/audit/auditEvent'
import type { Team } from '../../server/teams/team'
import { createTeam } from '../helpers/factories'
import { addResponses, answerRows } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

const HEADLINES = '/api/v1/reports/headlines?survey=closure-family&period=2023-24-Q2'

describe('reports API', () => {
  const t = useTestApp()
  let east: Team, west: Team, qaToken: string

  before(async () => {
    east = await createTeam('East Early Help', 'Early Help')
    west = await createTeam('West Early Help', 'Early Help')
    await addResponses(t.services, {
      survey: 'closure-family',
      team: east,
      at: ['2023-08-01T09:00:00Z'],
      mode: 'paper',
      respondent: 'carer',
      rows: answerRows(10, { 'share-views': { yes: 8, no: 2 } }),
    })
    await addResponses(t.services, {
      survey: 'closure-family',
      team: west,
      at: ['2023-09-30T22:30:00Z'], // 23:30 BST on 30 September: still Q2
      rows: answerRows(6, { 'share-views': { yes: 6 } }),
    })
    qaToken = (await createApiToken(t.clock, { name: 'Power BI', role: 'qa' })).token
  })

  const get = (path: string, token = qaToken) =>
    request(t.app).get(path).set('Authorization', `Bearer ${token}`)

  it('stores only the SHA-256 of a token, which starts fv_', async () => {
    const { token, apiToken } = await createApiToken(t.clock, { name: 'Script', role: 'admin' })
    assert.match(token, /^fv_[A-Za-z0-9_-]{43}$/)
    const stored = await ApiTokenModel.findById(apiToken._id).lean()
    assert.equal(stored!.tokenHash, hashApiToken(token))
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(token.slice(3)))
  })

  it('refuses a token without a valid role, and a manager token without teams', async () => {
    await assert.rejects(createApiToken(t.clock, { name: 'x', role: 'boss' }), {
      message: '--role must be one of: practitioner, manager, qa, admin.',
    })
    await assert.rejects(
      createApiToken(t.clock, { name: 'x', role: 'manager' }),
      (error: unknown) =>
        error instanceof ApiTokenInputError &&
        error.message === 'A manager token sees only its teams: give --team NAME.',
    )
  })

  it('answers 401 with no token, a malformed one or an unknown one', async () => {
    for (const header of [
      undefined,
      'Bearer',
      'Basic abc',
      `Bearer fv_${'A'.repeat(43)}`,
      `Bearer ${qaToken}x`,
    ]) {
      const call = request(t.app).get(HEADLINES)
      const response = await (header ? call.set('Authorization', header) : call).expect(401)
      assert.deepEqual(response.body, {
        error: 'Give a valid API token in the header "Authorization: Bearer TOKEN".',
      })
      assert.equal(response.headers['www-authenticate'], 'Bearer')
    }
    // Each refusal is audited, without the token that was tried.
    const refused = await AuditEventModel.find({ action: 'api.refused', detail: /^401/ }).lean()
    assert.equal(refused.length, 5)
    assert.equal(refused.filter((event) => event.detail === '401: no token').length, 1)
    assert.ok(refused.every((event) => !JSON.stringify(event).includes(qaToken)))
  })

  it('answers 403 for a practitioner token', async () => {
    const { token } = await createApiToken(t.clock, {
      name: 'Team script',
      role: 'practitioner',
      teams: [east],
    })
    const response = await get(HEADLINES, token).expect(403)
    assert.deepEqual(response.body, {
      error: 'A practitioner token cannot use the reports API: it needs the role qa, manager or admin.',
    })
  })

  it('answers the documented headline shape, with positive and percent null when suppressed', async () => {
    const response = await get(HEADLINES).expect(200)
    assert.match(response.headers['content-type'] ?? '', /^application\/json/)
    assert.equal(response.headers['cache-control'], 'no-store')
    assert.deepEqual(Object.keys(response.body), ['survey', 'period', 'responses', 'headlines'])
    assert.equal(response.body.responses, 16)
    assert.deepEqual(response.body.headlines[0], {
      question: 'share-views',
      statement: 'the practitioner gave them opportunities to share their views and opinions',
      answered: 16,
      positive: 14,
      percent: 88, // 87.5 rounds half up
      suppressed: false,
    })
    assert.deepEqual(response.body.headlines[1], {
      question: 'child-listened',
      statement: 'the practitioner spoke to their child and listened to their views',
      answered: 0,
      positive: null,
      percent: null,
      suppressed: true,
    })
  })

  it('filters by team, respondent and mode', async () => {
    const byTeam = await get(`${HEADLINES}&team=West%20Early%20Help`).expect(200)
    assert.equal(byTeam.body.responses, 6)
    assert.equal(byTeam.body.headlines[0].percent, 100)
    const byRespondent = await get(`${HEADLINES}&respondent=carer`).expect(200)
    assert.equal(byRespondent.body.responses, 10)
    assert.equal(byRespondent.body.headlines[0].percent, 80)
    const byMode = await get(`${HEADLINES}&mode=online`).expect(200)
    assert.equal(byMode.body.responses, 6)
  })

  it('answers 400 with a JSON error for an unknown survey, period, team, respondent, mode or breakdown', async () => {
    const cases: [string, string][] = [
      ['/api/v1/reports/headlines?period=2023-24-Q2', 'Choose a survey, for example survey=closure-family.'],
      [
        '/api/v1/reports/headlines?survey=closure-family',
        'Choose a period: use a financial year (2020-21), a quarter (2020-21-Q4), a month (2021-04) or dates (2021-01-01..2021-03-31).',
      ],
      ['/api/v1/reports/headlines?survey=nope&period=2023-24-Q2', 'There is no survey called "nope".'],
      [
        '/api/v1/reports/headlines?survey=closure-family&period=2023-Q2',
        '"2023-Q2" is not a period: use a financial year (2020-21), a quarter (2020-21-Q4), a month (2021-04) or dates (2021-01-01..2021-03-31).',
      ],
      [`${HEADLINES}&team=Nowhere`, 'There is no team called "Nowhere".'],
      [
        `${HEADLINES}&respondent=dog`,
        '"dog" is not a respondent type: use one of parent-carer, child-young-person, professional, carer.',
      ],
      [
        `${HEADLINES}&mode=fax`,
        '"fax" is not a way of answering: use one of online, telephone, face-to-face, paper.',
      ],
      [`${HEADLINES}&team=a&team=b`, 'Give team once, as plain text.'],
      [
        '/api/v1/reports/breakdown?survey=closure-family&period=2023-24-Q2',
        'Give by=team|service|respondent|mode|quarter|month.',
      ],
      [
        '/api/v1/reports/breakdown?survey=closure-family&period=2023-24-Q2&by=colour',
        'Give by=team|service|respondent|mode|quarter|month.',
      ],
    ]
    for (const [path, error] of cases) {
      const response = await get(path).expect(400)
      assert.deepEqual(response.body, { error }, path)
    }
  })

  it('answers the breakdown shape, suppressing small groups', async () => {
    const response = await get(
      '/api/v1/reports/breakdown?survey=closure-family&period=2023-24&by=mode',
    ).expect(200)
    assert.deepEqual(Object.keys(response.body), ['survey', 'period', 'by', 'groups'])
    assert.deepEqual(response.body.period, {
      id: '2023-24',
      label: '2023/24',
      from: '2023-04-01',
      to: '2024-03-31',
    })
    assert.equal(response.body.by, 'mode')
    assert.deepEqual(
      (response.body.groups as { key: string; label: string; responses: number; headlines: unknown[] }[]).map(
        (g) => [g.key, g.label, g.responses, g.headlines[0]],
      ),
      [
        [
          'online',
          'Online',
          6,
          {
            question: 'share-views',
            statement: 'the practitioner gave them opportunities to share their views and opinions',
            answered: 6,
            positive: 6,
            percent: 100,
            suppressed: false,
          },
        ],
        [
          'paper',
          'Paper',
          10,
          {
            question: 'share-views',
            statement: 'the practitioner gave them opportunities to share their views and opinions',
            answered: 10,
            positive: 8,
            percent: 80,
            suppressed: false,
          },
        ],
      ],
    )
  })

  it("limits a manager token to its teams: another team's filter answers as an unknown team (400)", async () => {
    const { token } = await createApiToken(t.clock, { name: 'East manager', role: 'manager', teams: [east] })
    const own = await get(HEADLINES, token).expect(200)
    assert.equal(own.body.responses, 10)
    const other = await get(`${HEADLINES}&team=West%20Early%20Help`, token).expect(400)
    assert.deepEqual(other.body, { error: 'There is no team called "West Early Help".' })
    const unknown = await get(`${HEADLINES}&team=Nowhere`, token).expect(400)
    assert.deepEqual(unknown.body, { error: 'There is no team called "Nowhere".' })
    const refused = await AuditEventModel.find({
      action: 'api.refused',
      actorLabel: 'api token "East manager"',
    }).lean()
    assert.equal(refused.length, 2, 'both refusals are audited')
    assert.match(refused[0]!.detail ?? '', /^400: There is no team called/)
    const teams = await get(
      '/api/v1/reports/breakdown?survey=closure-family&period=2023-24-Q2&by=team',
      token,
    ).expect(200)
    assert.deepEqual(
      (teams.body.groups as { key: string }[]).map((group) => group.key),
      ['East Early Help'],
    )
  })

  it('sends rate-limit headers and audits each use with the token name', async () => {
    const before = await AuditEventModel.countDocuments({ action: 'api.reports.headlines' })
    const response = await get(`${HEADLINES}&mode=paper`).expect(200)
    assert.match(String(response.headers['ratelimit-policy'] ?? ''), /^"?\d+-in-1min"?; q=120; w=60/)
    assert.match(String(response.headers.ratelimit ?? ''), /r=\d+; t=\d+/)
    const events = await AuditEventModel.find({ action: 'api.reports.headlines' }).sort({ _id: 1 }).lean()
    assert.equal(events.length, before + 1)
    assert.equal(events.at(-1)!.actorLabel, 'api token "Power BI"')
    assert.equal(events.at(-1)!.target, 'report closure-family 2023-24-Q2')
    assert.equal(events.at(-1)!.detail, 'mode paper')
    const used = await ApiTokenModel.findOne({ tokenHash: hashApiToken(qaToken) }).lean()
    assert.equal(used!.lastUsedAt?.toISOString(), t.clock.now().toISOString())
  })

  it('answers unknown API paths with JSON 404 for a signed token', async () => {
    const response = await get('/api/v1/reports/nothing').expect(404)
    assert.deepEqual(response.body, { error: 'Not found.' })
  })
})
