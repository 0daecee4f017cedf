/**
 * Rate limits hold across app processes: two real `server/main.ts` processes on one FerretDB count
 * into one limit per address (with the memory store each process allowed the full number, so a
 * load balancer doubled every limit).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import request from 'supertest'
import { connectDatabase, disconnectDatabase } from '../../server/db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { LINK_LIMIT } from '../../server/respond/linkLimiter'
import { IP_FAILURE_LIMIT } from '../../server/security/rateLimits'
import { RateLimitWindowModel } from '../../server/security/rateLimitStore'
import { isHealthy, startAppProcess, type AppProcess } from '../helpers/appProcess'
import { csrfTokenFrom } from '../helpers/http'

async function waitUntilHealthy(app: AppProcess): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!(await isHealthy(app.port))) {
    if (Date.now() > deadline)
      throw new Error(`app on port ${app.port} never became healthy:\n${app.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe('rate limits shared by two app processes on one database', () => {
  let database: EmbeddedDatabase
  const apps: AppProcess[] = []

  before(async () => {
    database = await startEmbeddedDatabase({ inMemory: true, log: () => undefined })
    const env = { MONGODB_URI: `${database.uri}fv_two_limits`, BASE_URL: 'http://family-voice.test' }
    apps.push(await startAppProcess(env), await startAppProcess(env))
    for (const app of apps) await waitUntilHealthy(app)
    await connectDatabase(database.uri, 'fv_two_limits')
  })
  after(async () => {
    for (const app of apps) app.child.kill('SIGKILL')
    await disconnectDatabase()
    await database.stop()
  })

  it(`${IP_FAILURE_LIMIT} failed sign-ins from one address, spread over both processes, lock it out of both`, async () => {
    const agents = await Promise.all(
      apps.map(async (app) => {
        const agent = request.agent(`http://127.0.0.1:${app.port}`)
        const csrf = csrfTokenFrom((await agent.get('/sign-in').expect(200)).text)
        return { agent, csrf }
      }),
    )
    for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
      const { agent, csrf } = agents[i % 2]!
      const response = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: `guess${i}@council.example`, password: '' })
      assert.equal(response.status, 400, `attempt ${i + 1}`)
    }
    for (const { agent, csrf } of agents) {
      await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrf, email: 'one.more@council.example', password: '' })
        .expect(429)
    }
    // Only hashes of the address are kept.
    const windows = await RateLimitWindowModel.find({}).lean()
    assert.ok(windows.length > 0)
    for (const window of windows) assert.doesNotMatch(window._id, /127\.0\.0\.1|::1/)
  })

  it(`${LINK_LIMIT} unknown survey links from one address, spread over both processes, then 429 from both`, async () => {
    for (let i = 0; i < LINK_LIMIT; i++) {
      const response = await fetch(`http://127.0.0.1:${apps[i % 2]!.port}/s/${'x'.repeat(40)}${i}`)
      assert.notEqual(response.status, 429, `attempt ${i + 1}`)
    }
    for (const app of apps) {
      const response = await fetch(`http://127.0.0.1:${app.port}/s/${'y'.repeat(43)}`)
      assert.equal(response.status, 429)
    }
  })

  it('concurrent hits on both processes are each counted once', async () => {
    await RateLimitWindowModel.deleteMany({})
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`http://127.0.0.1:${apps[i % 2]!.port}/s/${'z'.repeat(43)}`).then(
          (response) => response.status,
        ),
      ),
    )
    // Each unusable link answered (not refused with 429) is counted once, before its answer.
    const answered = statuses.filter((status) => status !== 429).length
    const counted = async () =>
      (await RateLimitWindowModel.find({ _id: /^survey-link\|/ }).lean()).reduce(
        (sum, window) => sum + window.hits,
        0,
      )
    assert.ok(answered >= 30, `at least the limit was answered before refusing (${answered})`)
    assert.equal(await counted(), answered)
  })
})
