/**
 * Behind the council's proxy (TRUST_PROXY): only the hops or addresses configured are believed, so
 * a client's own X-Forwarded-For cannot choose the address that rate limits and the audit trail
 * use; cookies are Secure whenever the public address is https.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { ConfigError, loadConfig } from '../../server/config'
import { IP_FAILURE_LIMIT } from '../../server/security/rateLimits'
import { csrfTokenFrom } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'
import type { TestApp } from '../helpers/testApp'

const REAL_CLIENT = '198.51.100.7'

/** 60 failed sign-ins, each with a different forged address in front of what the proxy adds. */
async function failSignIns(t: TestApp, forwardedFor: (i: number) => string): Promise<number[]> {
  const agent = request.agent(t.app)
  const csrf = csrfTokenFrom((await agent.get('/sign-in').expect(200)).text)
  const statuses: number[] = []
  for (let i = 0; i < 60; i++) {
    const response = await agent
      .post('/sign-in')
      .set('X-Forwarded-For', forwardedFor(i))
      .type('form')
      .send({ _csrf: csrf, email: `guess${i}@council.example`, password: 'not the password' })
    statuses.push(response.status)
  }
  return statuses
}

for (const setting of ['1', 'loopback, 10.0.0.0/8']) {
  describe(`TRUST_PROXY=${setting}: the proxy's view of the client, not the client's`, () => {
    const t = useTestApp({ env: { TRUST_PROXY: setting } })

    it('60 failures with 60 forged addresses from one real client: refused after the limit', async () => {
      // The proxy (this test, on loopback) appends the address it saw to what the client sent.
      const statuses = await failSignIns(t, (i) => `203.0.113.${i}, ${REAL_CLIENT}`)
      assert.deepEqual(statuses, [
        ...Array<number>(IP_FAILURE_LIMIT).fill(401),
        ...Array<number>(60 - IP_FAILURE_LIMIT).fill(429),
      ])
      const audited = await AuditEventModel.find({ action: 'session.sign-in-failed' }).lean()
      assert.equal(audited.length, IP_FAILURE_LIMIT)
      assert.ok(audited.every((event) => event.ip === REAL_CLIENT))
    })
  })
}

describe('TRUST_PROXY=1 with an https public address', () => {
  const t = useTestApp({ env: { TRUST_PROXY: '1', BASE_URL: 'https://feedback.council.example' } })

  it('sets Secure cookies when TLS ends at the proxy, outside production too', async () => {
    assert.equal(t.services.config.env, 'test')
    const page = await request(t.app).get('/sign-in').set('X-Forwarded-Proto', 'https').expect(200)
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? [])
    assert.ok(cookies.length > 0, 'a session cookie is set')
    for (const cookie of cookies) assert.match(cookie, /;\s*Secure/i)
  })
})

describe('TRUST_PROXY, HOST and Secure cookies in the configuration', () => {
  it('refuses true (every hop), and nonsense, with one sentence', () => {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: 'true' }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, /TRUST_PROXY=true would believe any X-Forwarded-For/)
        return true
      },
    )
    assert.throws(() => loadConfig({ TRUST_PROXY: 'the proxy' }), /TRUST_PROXY must be a number of proxies/)
    assert.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' }), /TRUST_PROXY must be/)
    assert.throws(() => loadConfig({ TRUST_PROXY: '11' }), /TRUST_PROXY must be/)
  })

  it('reads hops, addresses and off', () => {
    assert.equal(loadConfig({}).trustProxy, false)
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false)
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.5, fd00::/8' }).trustProxy, ['10.0.0.5', 'fd00::/8'])
  })

  it('listens on loopback outside production unless HOST is set', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1')
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0')
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }
    assert.equal(loadConfig(production).host, undefined)
    assert.equal(loadConfig({ ...production, HOST: '10.0.0.9' }).host, '10.0.0.9')
  })

  it('makes cookies Secure in production or when the public address is https', () => {
    assert.equal(loadConfig({}).secureCookies, false)
    assert.equal(loadConfig({ BASE_URL: 'https://feedback.council.example' }).secureCookies, true)
    assert.equal(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).secureCookies, true)
  })
})
