import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import mongoose from 'mongoose'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { SESSION_COOKIE } from '../../server/security/session'
import { SessionActivityModel } from '../../server/staff/sessions'
import { createUser, signIn, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'
import { postSignIn, postSignOut } from '../helpers/staffSignIn'
import type { TestApp } from '../helpers/testApp'

function sessionCookie(response: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? [])
  const cookie = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))
  return cookie?.split(';')[0]
}

function advanceMinutes(t: TestApp, minutes: number): void {
  t.clock.set(new Date(t.clock.now().getTime() + minutes * 60 * 1000))
}

describe('staff sign-in and sign-out', () => {
  const t = useTestApp()

  it('signs in with the right password and rotates the session id', async () => {
    const user = await createUser({
      role: 'practitioner',
      email: 'Pat.Jones@council.example',
      name: 'Pat Jones',
    })
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in').expect(200)
    const before = sessionCookie(page)
    assert.ok(before, 'the sign-in form starts a session for its CSRF token')
    const response = await agent
      .post('/sign-in')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        email: '  PAT.JONES@council.example ',
        password: TEST_PASSWORD,
      })
      .expect(303)
    assert.equal(response.headers.location, '/staff')
    const afterSignIn = sessionCookie(response)
    assert.ok(afterSignIn)
    assert.notEqual(afterSignIn, before, 'the session id changes at sign-in')
    assert.match(response.headers['set-cookie']?.toString() ?? '', /HttpOnly/i)
    assert.match(response.headers['set-cookie']?.toString() ?? '', /SameSite=Lax/i)

    const home = await agent.get('/staff').expect(200)
    assert.match(visibleText(home), /Pat Jones/)
    assert.match(visibleText(home), /Send a survey/)
    assert.doesNotMatch(visibleText(home), /Admin/)

    const audit = await AuditEventModel.findOne({ action: 'session.signed-in', userId: user._id }).lean()
    assert.ok(audit)
    assert.equal(audit.actorLabel, 'pat.jones@council.example')

    // The old, pre-sign-in session id is not signed in.
    const stale = await request(t.app).get('/staff').set('Cookie', before).expect(303)
    assert.match(stale.headers.location ?? '', /^\/sign-in/)
  })

  it('gives the same generic message for a wrong password and an unknown account', async () => {
    const user = await createUser({ role: 'manager' })
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in').expect(200)
    const token = csrfTokenFrom(page.text)
    const wrong = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: user.email, password: 'not the password at all' })
      .expect(401)
    const unknown = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: 'nobody@council.example', password: 'not the password at all' })
      .expect(401)
    for (const response of [wrong, unknown]) {
      assert.match(visibleText(response), /There is a problem Enter a correct email address and password/)
      assert.match(response.text, /<title>Error: Sign in/)
    }
    assert.match(unknown.text, /value="nobody@council.example"/)
    assert.doesNotMatch(unknown.text, /not the password at all/)
    assert.equal(await AuditEventModel.countDocuments({ action: 'session.sign-in-failed' }), 2)
    const failed = await AuditEventModel.findOne({
      action: 'session.sign-in-failed',
      userId: user._id,
    }).lean()
    assert.equal(failed?.detail, 'Wrong password')
  })

  it('asks for the email and password when they are missing, and refuses repeated fields', async () => {
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in').expect(200)
    const token = csrfTokenFrom(page.text)
    const empty = await agent.post('/sign-in').type('form').send({ _csrf: token }).expect(400)
    assert.match(visibleText(empty), /Enter your email address/)
    assert.match(visibleText(empty), /Enter your password/)
    const twice = await agent
      .post('/sign-in')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&email=a@b.example&email=c@d.example&password=x`)
      .expect(400)
    assert.match(visibleText(twice), /The email field was sent more than once/)
  })

  it('refuses a sign-in without, or with a wrong, CSRF token', async () => {
    const user = await createUser({ role: 'practitioner' })
    const agent = request.agent(t.app)
    await agent.get('/sign-in').expect(200)
    await agent.post('/sign-in').type('form').send({ email: user.email, password: TEST_PASSWORD }).expect(403)
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: 'forged', email: user.email, password: TEST_PASSWORD })
      .expect(403)
  })

  it('goes to a safe local next page, never another site', async () => {
    // A manager: admin and QA enter a code first (staff-mfa.test.ts follows `next` through it).
    const user = await createUser({ role: 'manager' })
    for (const [next, expected] of [
      ['/reports?survey=closure-family', '/reports?survey=closure-family'],
      ['//evil.example/x', '/staff'],
      ['/\\evil.example', '/staff'],
      ['https://evil.example/', '/staff'],
    ] as const) {
      const agent = request.agent(t.app)
      const page = await agent.get(`/sign-in?next=${encodeURIComponent(next)}`).expect(200)
      if (expected === next) assert.match(page.text, /name="next"/)
      else assert.doesNotMatch(page.text, /name="next"/)
      const response = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), email: user.email, password: TEST_PASSWORD, next })
        .expect(303)
      assert.equal(response.headers.location, expected)
    }
  })

  it('sends a signed-out visitor to sign in, then back to the page they asked for', async () => {
    const response = await request(t.app).get('/staff').expect(303)
    assert.equal(response.headers.location, '/sign-in?next=%2Fstaff')
  })

  it('signing out ends the session on the server: the old cookie no longer works', async () => {
    const user = await createUser({ role: 'practitioner' })
    const agent = await signIn(t.app, user)
    const home = await agent.get('/staff').expect(200)
    const cookie = sessionCookie(home)!
    assert.ok(cookie)
    const sessionsBefore = await mongoose.connection.collection('sessions').countDocuments({
      'session.staff.userId': String(user._id),
    })
    assert.equal(sessionsBefore, 1)

    const out = await postSignOut(agent, home)
    assert.equal(out.headers.location, '/sign-in?signedOut=1')
    assert.match(out.headers['set-cookie']?.toString() ?? '', new RegExp(`${SESSION_COOKIE}=;`))
    const page = await agent.get('/sign-in?signedOut=1').expect(200)
    assert.match(visibleText(page), /You have signed out/)

    const replay = await request(t.app).get('/staff').set('Cookie', cookie).expect(303)
    assert.match(replay.headers.location ?? '', /^\/sign-in/)
    assert.equal(
      await mongoose.connection
        .collection('sessions')
        .countDocuments({ 'session.staff.userId': String(user._id) }),
      0,
    )
    assert.equal(await AuditEventModel.countDocuments({ action: 'session.signed-out', userId: user._id }), 1)
  })

  it('signs out after 30 minutes without a request (server-side, by the clock)', async () => {
    const user = await createUser({ role: 'practitioner' })
    const agent = await signIn(t.app, user)
    advanceMinutes(t, 29)
    await agent.get('/staff').expect(200)
    advanceMinutes(t, 29) // 58 minutes after sign-in, but only 29 idle
    await agent.get('/staff').expect(200)
    advanceMinutes(t, 31)
    const response = await agent.get('/staff').expect(303)
    assert.equal(response.headers.location, '/sign-in?next=%2Fstaff')
    const page = await agent.get('/sign-in?next=%2Fstaff').expect(200)
    assert.match(
      visibleText(page),
      /You were signed out because you had not used Family Voice for 30 minutes/,
    )
    // Going back in time does not revive it: the session was ended.
    advanceMinutes(t, -31)
    await agent.get('/staff').expect(303)
  })

  it('records activity beside the session, so ordinary requests never rewrite the session', async () => {
    const user = await createUser({ role: 'qa' })
    const agent = await signIn(t.app, user)
    const sessions = mongoose.connection.collection('sessions')
    const before = await sessions.findOne({ 'session.staff.userId': String(user._id) })
    assert.ok(before)
    advanceMinutes(t, 10)
    await agent.get('/staff').expect(200)
    const after = await sessions.findOne({ _id: before._id })
    assert.deepEqual(after?.session.lastSeenAt, before.session.lastSeenAt)
    assert.deepEqual(after?.session.staff, before.session.staff)
    const activity = await SessionActivityModel.findById(before._id).lean()
    assert.equal(activity?.lastSeenAt.toISOString(), t.clock.now().toISOString())
    assert.equal(String(activity?.userId), String(user._id))
  })

  it('signs out 12 hours after sign-in however active the user is', async () => {
    const user = await createUser({ role: 'manager' })
    const agent = await signIn(t.app, user)
    for (let hour = 0; hour < 48; hour++) {
      advanceMinutes(t, 15)
      await agent.get('/staff').expect(200)
    }
    advanceMinutes(t, 1) // 12 h 01 min
    await agent.get('/staff').expect(303)
    const page = await agent.get('/sign-in').expect(200)
    assert.match(visibleText(page), /signed in for 12 hours/)
  })

  it('a disabled account is signed out at once, and cannot sign in', async () => {
    const user = await createUser({ role: 'practitioner' })
    const agent = await signIn(t.app, user)
    await agent.get('/staff').expect(200)
    await mongoose.connection.collection('users').updateOne({ _id: user._id }, { $set: { disabled: true } })
    await agent.get('/staff').expect(303)

    const other = request.agent(t.app)
    const response = await postSignIn(other, { email: user.email, password: TEST_PASSWORD }, 401)
    assert.match(visibleText(response), /Enter a correct email address and password/)
  })

  it('shows admins the admin link on the staff home page', async () => {
    const admin = await createUser({ role: 'admin' })
    const agent = await signIn(t.app, admin)
    const home = await agent.get('/staff').expect(200)
    assert.match(visibleText(home), /Admin Manage staff accounts and teams/)
    assert.match(visibleText(home), /Comments to review/)
  })
})
