import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { LoginFailureModel } from '../../server/security/rateLimits'
import { createUser, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'

describe('sign-in throttling per account', () => {
  const t = useTestApp()

  async function attempt(email: string, password: string) {
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in').expect(200)
    return agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email, password })
  }

  it('refuses the 11th attempt in 5 minutes even with the right password; other accounts are not blocked', async () => {
    const target = await createUser({ role: 'practitioner', email: 'target@council.example' })
    const bystander = await createUser({ role: 'practitioner', email: 'bystander@council.example' })
    const firstFailureAt = t.clock.now().getTime() + 10_000
    for (let i = 1; i <= 10; i++) {
      t.clock.set(new Date(firstFailureAt + (i - 1) * 10_000))
      const response = await attempt(
        i % 2 ? target.email : 'TARGET@council.example',
        `wrong guess number ${i}`,
      )
      assert.equal(response.status, 401, `attempt ${i}`)
    }
    assert.equal(await LoginFailureModel.countDocuments({ email: 'target@council.example' }), 10)

    const blocked = await attempt(target.email, TEST_PASSWORD)
    assert.equal(blocked.status, 429)
    assert.match(visibleText(blocked), /Too many attempts, try again in a few minutes/)
    assert.equal(
      await AuditEventModel.countDocuments({ action: 'session.sign-in-blocked', userId: target._id }),
      1,
    )
    // Blocked attempts are not failures: the lock does not stretch for ever.
    assert.equal(await LoginFailureModel.countDocuments({ email: 'target@council.example' }), 10)

    assert.equal((await attempt(bystander.email, TEST_PASSWORD)).status, 303)

    // 5 minutes after the first failure, it has left the window: one more try is allowed.
    t.clock.set(new Date(firstFailureAt + 5 * 60 * 1000 - 1000))
    assert.equal((await attempt(target.email, TEST_PASSWORD)).status, 429, 'still inside the window')
    t.clock.set(new Date(firstFailureAt + 5 * 60 * 1000 + 1000))
    assert.equal((await attempt(target.email, TEST_PASSWORD)).status, 303)
    // Success clears the count.
    assert.equal(await LoginFailureModel.countDocuments({ email: 'target@council.example' }), 0)
  })

  it('locks an unknown email address the same way, so the answer does not reveal which accounts exist', async () => {
    for (let i = 0; i < 10; i++)
      assert.equal((await attempt('ghost@council.example', 'some wrong password')).status, 401)
    const blocked = await attempt('ghost@council.example', 'some wrong password')
    assert.equal(blocked.status, 429)
    assert.match(visibleText(blocked), /Too many attempts, try again in a few minutes/)
  })

  it('removes old failure records as new ones are written', async () => {
    t.clock.set(new Date(t.clock.now().getTime() + 60 * 60 * 1000))
    assert.equal((await attempt('someone@council.example', 'a wrong password here')).status, 401)
    assert.equal(await LoginFailureModel.countDocuments({ email: 'ghost@council.example' }), 0)
    assert.equal(await LoginFailureModel.countDocuments({}), 1)
  })
})
