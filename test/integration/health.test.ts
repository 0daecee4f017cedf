import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { loadConfig } from '../../server/config'
import { useTestApp } from '../helpers/hooks'

describe('health and configuration', () => {
  const t = useTestApp()

  it('answers /healthz by pinging the real database', async () => {
    const response = await request(t.app).get('/healthz').expect(200)
    assert.deepEqual(response.body, { status: 'ok', database: 'up' })
  })

  it('sends strict security headers', async () => {
    const response = await request(t.app).get('/').expect(200)
    assert.match(response.headers['content-security-policy'] ?? '', /default-src 'self'.*script-src 'self'/)
    assert.doesNotMatch(response.headers['content-security-policy'] ?? '', /unsafe-inline/)
    assert.equal(response.headers['referrer-policy'], 'no-referrer')
    assert.equal(response.headers['x-powered-by'], undefined)
  })

  it('gives a kind 404 page, and a JSON error for the API', async () => {
    const page = await request(t.app).get('/no-such-page').expect(404)
    assert.match(page.text, /Page not found/)
    // The API authenticates before it routes, so an unknown path without a token is a 401.
    const api = await request(t.app).get('/api/v1/nothing').expect(401)
    assert.equal(typeof api.body.error, 'string')
  })

  it('stops with one clear sentence on a wrong setting', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), {
      message: 'Configuration error: PORT must be a port number between 0 and 65535, not "eighty".',
    })
    assert.throws(() => loadConfig({ MONGODB_URI: 'postgres://x' }), {
      message: 'Configuration error: MONGODB_URI must start with mongodb:// or mongodb+srv://.',
    })
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET must be set/)
    assert.throws(
      () => loadConfig({ INVITATION_EXPIRY_DAYS: '-3' }),
      /INVITATION_EXPIRY_DAYS must be a whole number/,
    )
  })
})
