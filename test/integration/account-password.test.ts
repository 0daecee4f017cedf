/**
 * Changing your own password: the current one is checked (and throttled like sign-in), the new one
 * meets the policy and is typed twice, every other session of the account ends, this one goes on,
 * and it is audited.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { ACCOUNT_FAILURE_LIMIT } from '../../server/security/rateLimits'
import type { User } from '../../server/staff/user'
import { createUser, signIn, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

const NEW_PASSWORD = 'a kettle sings on the hob'

describe('changing your own password', () => {
  const t = useTestApp()
  let user: User, agent: Agent, csrf: string
  before(async () => {
    user = await createUser({ role: 'practitioner' })
    agent = await signIn(t.app, user)
    const page = await agent.get('/account/password').expect(200)
    assert.equal(page.headers['cache-control'], 'no-store')
    csrf = csrfTokenFrom(page.text)
  })

  const change = (fields: Record<string, string>) =>
    agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrf, ...fields })

  it('is linked from the staff home page and needs signing in', async () => {
    const home = await agent.get('/staff').expect(200)
    assert.match(home.text, /href="\/account\/password"/)
    const anonymous = await request(t.app).get('/account/password').expect(303)
    assert.match(String(anonymous.headers.location), /^\/sign-in/)
  })

  it('refuses a wrong current password, a weak or mistyped new one, and the same one again', async () => {
    const wrong = await change({ current: 'not my password', password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    assert.equal(wrong.status, 400)
    assert.match(visibleText(wrong), /Your current password is not right/)
    const weak = await change({ current: TEST_PASSWORD, password: 'password1234', confirm: 'password1234' })
    assert.equal(weak.status, 400)
    const mistyped = await change({
      current: TEST_PASSWORD,
      password: NEW_PASSWORD,
      confirm: `${NEW_PASSWORD}!`,
    })
    assert.match(visibleText(mistyped), /Enter the same new password twice/)
    const same = await change({ current: TEST_PASSWORD, password: TEST_PASSWORD, confirm: TEST_PASSWORD })
    assert.match(visibleText(same), /different from your current one/)
    const empty = await change({})
    assert.match(visibleText(empty), /Enter your current password/)
    await signIn(t.app, user) // the old password still works: nothing was changed
    assert.equal(await AuditEventModel.countDocuments({ action: 'account.password-change-failed' }), 1)
  })

  it('changes it, ends every other session and keeps this one', async () => {
    const elsewhere = await signIn(t.app, user)
    await elsewhere.get('/staff').expect(200)
    const done = await change({ current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    assert.equal(done.status, 303)
    assert.equal(done.headers.location, '/staff')
    assert.match(visibleText(await agent.get('/staff').expect(200)), /Your password has been changed/)
    await elsewhere.get('/staff').expect(303)
    // The old password no longer signs in; the new one does.
    const page = await request.agent(t.app).get('/sign-in')
    const old = await request(t.app)
      .post('/sign-in')
      .set('Cookie', String(page.headers['set-cookie']).split(';')[0]!)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: user.email, password: TEST_PASSWORD })
    assert.equal(old.status, 401)
    await signIn(t.app, user, NEW_PASSWORD)
    const audit = await AuditEventModel.findOne({ action: 'account.password-changed' }).lean()
    assert.equal(audit?.actorLabel, user.email)
    assert.match(audit?.detail ?? '', /^[1-9]\d* other sessions? ended$/)
    assert.ok(!JSON.stringify(audit).includes(NEW_PASSWORD))
  })

  it('cannot be used to guess the current password faster than the sign-in page allows', async () => {
    const guesser = await createUser({ role: 'qa' })
    const session = await signIn(t.app, guesser)
    const token = csrfTokenFrom((await session.get('/account/password').expect(200)).text)
    const statuses: number[] = []
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT + 2; i++) {
      const response = await session
        .post('/account/password')
        .type('form')
        .send({ _csrf: token, current: `guess ${i}`, password: NEW_PASSWORD, confirm: NEW_PASSWORD })
      statuses.push(response.status)
    }
    assert.deepEqual(statuses, [
      ...Array<number>(ACCOUNT_FAILURE_LIMIT).fill(400),
      ...Array<number>(2).fill(429),
    ])
  })
})
