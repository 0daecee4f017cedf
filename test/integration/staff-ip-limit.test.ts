import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { IP_FAILURE_LIMIT } from '../../server/security/rateLimits'
import { createUser, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'

describe('sign-in throttling per IP address', () => {
  const t = useTestApp()

  it('allows successful sign-ins, then refuses everything from an address after 50 failures in 15 minutes', async () => {
    assert.equal(IP_FAILURE_LIMIT, 50)
    const user = await createUser({ role: 'qa' })
    // Successes do not count towards the limit.
    for (let i = 0; i < 3; i++) {
      const agent = request.agent(t.app)
      const token = csrfTokenFrom((await agent.get('/sign-in').expect(200)).text)
      await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: token, email: user.email, password: TEST_PASSWORD })
        .expect(303)
    }
    const fresh = request.agent(t.app)
    const freshToken = csrfTokenFrom((await fresh.get('/sign-in').expect(200)).text)
    for (let i = 1; i <= 50; i++) {
      // Different (made-up) accounts each time: only the address limit can stop this.
      const response = await fresh
        .post('/sign-in')
        .type('form')
        .send({ _csrf: freshToken, email: `guess${i}@council.example`, password: '' })
      assert.equal(response.status, 400, `attempt ${i}`)
    }
    const refused = await fresh
      .post('/sign-in')
      .type('form')
      .send({ _csrf: freshToken, email: user.email, password: TEST_PASSWORD })
      .expect(429)
    assert.match(visibleText(refused), /Too many attempts, try again in a few minutes/)
    // A forged X-Forwarded-For does not get round it (the app does not trust proxies by default).
    await fresh
      .post('/sign-in')
      .set('X-Forwarded-For', '203.0.113.9')
      .type('form')
      .send({ _csrf: freshToken, email: user.email, password: TEST_PASSWORD })
      .expect(429)
    // Other pages still work.
    await fresh.get('/sign-in').expect(200)
  })
})
