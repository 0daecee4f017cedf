/**
 * The API is described at /api/v1/openapi.json (OpenAPI 3.1), and the description is checked
 * against real answers: each documented response schema against what the app sends for it. Query
 * strings are read strictly: unknown, repeated or empty parameters are a 400 naming them.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import { createTeam } from '../helpers/factories'
import { schemaProblems } from '../helpers/jsonSchema'
import { addResponses, answerRows } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

type Json = Record<string, unknown>
const HEADLINES = '/api/v1/reports/headlines?survey=closure-family&period=2023-24-Q2'
const BREAKDOWN = '/api/v1/reports/breakdown?survey=closure-family&period=2023-24-Q2'

describe('the OpenAPI document and strict query strings', () => {
  const t = useTestApp()
  let token: string, practitionerToken: string, document: Json

  before(async () => {
    const east = await createTeam('East Early Help', 'Early Help')
    const west = await createTeam('West Early Help', 'Early Help')
    await addResponses(t.services, {
      survey: 'closure-family',
      team: east,
      at: ['2023-08-01T09:00:00Z'],
      rows: answerRows(10, { 'share-views': { yes: 8, no: 2 } }),
    })
    await addResponses(t.services, {
      survey: 'closure-family',
      team: west,
      at: ['2023-08-02T09:00:00Z'],
      rows: answerRows(3, { 'share-views': { yes: 3 } }),
    })
    token = (await createApiToken(t.clock, { name: 'Power BI', role: 'qa' })).token
    practitionerToken = (await createApiToken(t.clock, { name: 'P', role: 'practitioner', teams: [east] }))
      .token
  })

  const get = (path: string, bearer = token) => {
    const call = request(t.app).get(path)
    return bearer ? call.set('Authorization', `Bearer ${bearer}`) : call
  }

  /** The documented JSON schema of one response, and the real answer checked against it. */
  function assertDocumented(apiPath: string, status: number, body: unknown) {
    const paths = document.paths as Record<string, { get: { responses: Record<string, Json> } }>
    const response = paths[apiPath]?.get.responses[String(status)]
    assert.ok(response, `${apiPath} documents a ${status} answer`)
    const schema = (response.content as Record<string, { schema: Json }>)['application/json']!.schema
    assert.deepEqual(schemaProblems(body, schema, document), [], `${apiPath} ${status}`)
  }

  it('serves an OpenAPI 3.1 document without a token, naming every reports endpoint', async () => {
    const response = await get('/api/v1/openapi.json', '').expect(200)
    assert.match(response.headers['content-type'] ?? '', /^application\/json/)
    document = response.body as Json
    assert.equal(document.openapi, '3.1.0')
    assert.equal((document.info as Json).title, 'Family Voice reports API')
    assert.deepEqual(Object.keys(document.paths as Json).sort(), [
      '/api/v1/invitations',
      '/api/v1/invitations/{id}',
      '/api/v1/openapi.json',
      '/api/v1/reports/breakdown',
      '/api/v1/reports/headlines',
    ])
    // Every $ref points at a schema that exists.
    const refs = JSON.stringify(document).match(/"#\/components\/schemas\/[A-Za-z]+"/g) ?? []
    assert.ok(refs.length > 5)
    const schemas = (document.components as Json).schemas as Json
    for (const ref of refs) assert.ok(schemas[ref.replace(/^"#\/components\/schemas\/|"$/g, '')], ref)
  })

  it('describes the real headline and breakdown answers, a suppressed one included', async () => {
    const headlines = await get(HEADLINES).expect(200)
    assertDocumented('/api/v1/reports/headlines', 200, headlines.body)
    const filtered = await get(`${HEADLINES}&team=West%20Early%20Help&mode=online`).expect(200)
    assert.equal(filtered.body.headlines[0].suppressed, true)
    assertDocumented('/api/v1/reports/headlines', 200, filtered.body)
    for (const by of ['team', 'service', 'respondent', 'mode', 'quarter', 'month']) {
      const breakdown = await get(`${BREAKDOWN}&by=${by}`).expect(200)
      assert.ok(breakdown.body.groups.length > 0, by)
      assertDocumented('/api/v1/reports/breakdown', 200, breakdown.body)
    }
  })

  it('describes the error answers: 400, 401 and 403', async () => {
    assertDocumented('/api/v1/reports/headlines', 400, (await get(`${HEADLINES}&tem=x`).expect(400)).body)
    assertDocumented('/api/v1/reports/headlines', 401, (await get(HEADLINES, '').expect(401)).body)
    assertDocumented(
      '/api/v1/reports/breakdown',
      403,
      (await get(`${BREAKDOWN}&by=team`, practitionerToken).expect(403)).body,
    )
  })

  it('the check itself finds a drifted answer', () => {
    const problems = schemaProblems(
      { survey: 'x', period: { id: 'p', label: 'l', from: 'f' }, responses: -1, headlines: [{}], extra: 1 },
      { $ref: '#/components/schemas/HeadlineReport' },
      document,
    )
    assert.ok(problems.includes('$.period.to: required but missing'))
    assert.ok(problems.includes('$.responses: below 0'))
    assert.ok(problems.includes('$.headlines[0].question: required but missing'))
    assert.ok(problems.includes('$.extra: not in the schema'))
  })

  it('answers 400 naming an unknown, repeated or empty parameter, on headlines and breakdown', async () => {
    const cases: [string, string][] = [
      [
        `${HEADLINES}&tem=East%20Early%20Help`,
        'Unknown parameter "tem": use survey, period, team, respondent, mode.',
      ],
      [`${HEADLINES}&by=team`, 'Unknown parameter "by": use survey, period, team, respondent, mode.'],
      [`${HEADLINES}&team=`, 'The parameter "team" is empty: give a value or leave it out.'],
      [`${HEADLINES}&mode=%20`, 'The parameter "mode" is empty: give a value or leave it out.'],
      [`${HEADLINES}&period=2023-24-Q3`, 'Give period once, as plain text.'],
      [
        `${BREAKDOWN}&by=team&tem=x`,
        'Unknown parameter "tem": use survey, period, team, respondent, mode, by.',
      ],
      [`${BREAKDOWN}&by=`, 'The parameter "by" is empty: give a value or leave it out.'],
      [`${BREAKDOWN}&by=team&by=mode`, 'Give by once, as plain text.'],
      [
        `${BREAKDOWN}&by=team&respondent=`,
        'The parameter "respondent" is empty: give a value or leave it out.',
      ],
      [
        '/api/v1/reports/headlines?survey=&period=2023-24-Q2',
        'The parameter "survey" is empty: give a value or leave it out.',
      ],
    ]
    for (const [path, error] of cases) {
      const response = await get(path).expect(400)
      assert.deepEqual(response.body, { error }, path)
    }
    // Without the misspelling, the team's own figures (not all teams').
    const east = await get(`${HEADLINES}&team=East%20Early%20Help`).expect(200)
    assert.equal(east.body.responses, 10)
  })
})
