/**
 * The one logger, read from a real `server/main.ts` process: JSON lines, a request id on every line
 * logged while a request is handled (even from code deep inside it, such as the safeguarding alert),
 * and no personal data: no survey token, email address, free text or password in any line.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import request from 'supertest'
import { loadConfig } from '../../server/config'
import { connectDatabase, disconnectDatabase } from '../../server/db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { createServices } from '../../server/services'
import { startAppProcess, waitUntilHealthy, type AppProcess } from '../helpers/appProcess'
import { createTeam, issueInvitation } from '../helpers/factories'
import { csrfTokenFrom } from '../helpers/http'
import { formBody } from '../helpers/respond'

const WORRY_TEXT = 'Mum said she felt scared of her ex-partner Zebedee Quantock'
const EMAIL = 'zebedee.quantock@family.example'
const PASSWORD = 'hunter2-but-longer-Quantock'

function lines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>
      } catch {
        throw new Error(`not a JSON line: ${line}`)
      }
    })
}

describe('logging', () => {
  let database: EmbeddedDatabase, app: AppProcess, token: string

  before(async () => {
    database = await startEmbeddedDatabase({ inMemory: true, log: () => undefined })
    await connectDatabase(database.uri, 'fv_logging')
    const services = createServices(loadConfig({ NODE_ENV: 'test' }))
    // No duty email and no SAFEGUARDING_EMAIL: the flag is logged as waiting in Needs attention.
    const team = await createTeam('Locality Log')
    ;({ token } = await issueInvitation(services, team))
    app = await startAppProcess({
      MONGODB_URI: `${database.uri}fv_logging`,
      BASE_URL: 'http://family-voice.test',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DEMO_DATA: 'off',
    })
    assert.ok(await waitUntilHealthy(app.port), app.output())
  })
  after(async () => {
    app?.child.kill('SIGKILL')
    await disconnectDatabase()
    await database.stop()
  })

  it('writes JSON lines with a request id, and none holds a token, an email, free text or a password', async () => {
    const family = request.agent(`http://127.0.0.1:${app.port}`)
    await family.get(`/s/${token}`).expect(303)
    const page = await family.get('/survey').expect(200)
    await family
      .post('/survey')
      .type('form')
      .send(formBody({ _csrf: csrfTokenFrom(page.text), 'q-went-well': WORRY_TEXT }))
      .expect(303)

    const staff = request.agent(`http://127.0.0.1:${app.port}`)
    const signIn = await staff.get('/sign-in').expect(200)
    await staff
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(signIn.text), email: EMAIL, password: PASSWORD })
      .expect(401)
    const withId = await staff.get('/sign-in').set('X-Request-Id', 'proxy-request-0001').expect(200)
    assert.equal(withId.headers['x-request-id'], 'proxy-request-0001')
    const forged = await staff.get('/sign-in').set('X-Request-Id', 'bad id with spaces').expect(200)
    assert.match(String(forged.headers['x-request-id']), /^[0-9a-f-]{36}$/)

    await new Promise((resolve) => setTimeout(resolve, 300))
    const output = app.output()
    for (const secret of [token, EMAIL, 'Zebedee', 'Quantock', PASSWORD, 'zebedee']) {
      assert.ok(!output.includes(secret), `a log line holds "${secret}":\n${output}`)
    }
    const logged = lines(output)
    const requestLines = logged.filter((line) => line.req)
    assert.ok(requestLines.length >= 6, output)
    for (const line of requestLines) assert.equal(typeof line.reqId, 'string', JSON.stringify(line))
    assert.ok(
      requestLines.some((line) => (line.req as { path?: string }).path === '/s/:value'),
      'the survey link is logged with its token masked',
    )
    assert.ok(logged.some((line) => line.reqId === 'proxy-request-0001'))

    // Logged from inside the submission, far from the HTTP layer, and still carrying its request id.
    const flagged = logged.find((line) => String(line.msg).includes('Needs attention'))
    assert.ok(flagged, `the waiting safeguarding flag is logged:\n${output}`)
    assert.equal(typeof flagged.reqId, 'string')
    const submission = requestLines.find((line) => String(line.msg).startsWith('POST /survey'))
    assert.equal(flagged.reqId, submission?.reqId, 'the flag line carries the submission request id')
  })
})
