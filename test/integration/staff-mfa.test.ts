/**
 * A second factor for local accounts, over HTTP against the real database, on a clock the test
 * moves: admin and QA must set up an authenticator app before reaching anything; anyone may; with
 * one on, the password leads to a code page and only a right, unused code signs in (±1 step, once,
 * even when sent twice at once); recovery codes work once; wrong codes are limited per account;
 * an admin can reset someone's app; the secret and recovery codes are never stored as text.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import mongoose from 'mongoose'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { MfaEnrolmentModel } from '../../server/staff/mfa/enrolment'
import { MFA_FAILURE_LIMIT } from '../../server/staff/mfa/attempts'
import { SecretBox } from '../../server/staff/mfa/secretBox'
import { acceptCode } from '../../server/staff/mfa/service'
import { recoveryCodeHash, totpCode } from '../../server/staff/mfa/totp'
import type { User } from '../../server/staff/user'
import { createUser, enrolAuthenticator, signIn, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

const STEP_MS = 30_000

describe('a second factor for local accounts', () => {
  const t = useTestApp()

  const advance = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms))

  /** The password step on a fresh browser; returns the agent and where it was sent. */
  async function password(
    user: Pick<User, 'email'>,
    next?: string,
  ): Promise<{ agent: Agent; location: string }> {
    const agent = request.agent(t.app)
    const page = await agent.get(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in').expect(200)
    const response = await agent
      .post('/sign-in')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(page.text),
        email: user.email,
        password: TEST_PASSWORD,
        ...(next ? { next } : {}),
      })
      .expect(303)
    return { agent, location: String(response.headers.location) }
  }

  async function submitCode(agent: Agent, code: string, path = '/sign-in/code', fieldName = 'code') {
    const form = await agent.get(path).expect(200)
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), [fieldName]: code })
  }

  /** The secret shown on a set-up page, as a person would type it into their app. */
  function secretOn(html: string): string {
    const match = /<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(html)
    assert.ok(match, 'the set-up page shows the secret as text')
    return match[1]!.replace(/ /g, '')
  }

  function recoveryCodesOn(html: string): string[] {
    return [...html.matchAll(/<li><code>([a-z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]!)
  }

  async function isSignedIn(agent: Agent): Promise<boolean> {
    return (await agent.get('/staff')).status === 200
  }

  it('makes an admin set up an app before reaching anything, then signs them in', async () => {
    const admin = await createUser({ role: 'admin', mfa: false })
    const { agent, location } = await password(admin, '/admin/users')
    assert.equal(location, '/sign-in/set-up-mfa')
    // Half-way in is not signed in: every page sends them to sign in.
    for (const path of ['/staff', '/admin/users', '/reports', '/account/mfa']) {
      const response = await agent.get(path).expect(303)
      assert.match(String(response.headers.location), /^\/sign-in/, path)
    }
    const page = await agent.get('/sign-in/set-up-mfa').expect(200)
    assert.match(page.text, /src="data:image\/png;base64,[A-Za-z0-9+/=]+"/)
    assert.match(
      visibleText(page),
      /Administrators and quality assurance staff must use an authenticator app/,
    )
    const secret = secretOn(page.text)
    assert.equal(
      secretOn((await agent.get('/sign-in/set-up-mfa').expect(200)).text),
      secret,
      'the same secret until confirmed',
    )

    const wrong = await submitCode(agent, '000000', '/sign-in/set-up-mfa')
    assert.equal(wrong.status, 400)
    assert.match(visibleText(wrong), /The code is not right/)
    assert.equal(await isSignedIn(agent), false)
    const notDigits = await submitCode(agent, 'abc', '/sign-in/set-up-mfa')
    assert.equal(notDigits.status, 400)
    assert.match(visibleText(notDigits), /Enter the 6-digit code from your authenticator app/)

    const done = await submitCode(agent, totpCode(secret, t.clock.now()), '/sign-in/set-up-mfa')
    assert.equal(done.status, 200)
    assert.equal(done.headers['cache-control'], 'no-store')
    const codes = recoveryCodesOn(done.text)
    assert.equal(codes.length, 10)
    assert.equal(new Set(codes).size, 10)
    assert.match(done.text, /href="\/admin\/users"/, 'carries on to the page they asked for')
    assert.equal(await isSignedIn(agent), true)

    // Stored: the secret sealed, the recovery codes hashed; neither as text anywhere in the record.
    const stored = await MfaEnrolmentModel.findById(admin._id).lean()
    assert.ok(stored?.enabledAt)
    assert.ok(!JSON.stringify(stored).includes(secret))
    assert.deepEqual([...(stored?.recoveryCodeHashes ?? [])].sort(), codes.map(recoveryCodeHash).sort())
    for (const code of codes) assert.ok(!JSON.stringify(stored).includes(code))
    // Never shown again.
    const account = await agent.get('/account/mfa').expect(200)
    assert.doesNotMatch(account.text, new RegExp(secret.slice(0, 8)))
    assert.match(visibleText(account), /Your account has an authenticator app/)
    const audit = await AuditEventModel.find({ userId: admin._id }).sort({ _id: 1 }).lean()
    assert.deepEqual(
      audit.map((event) => event.action),
      ['account.mfa-set-up', 'session.signed-in'],
    )
    assert.ok(!JSON.stringify(audit).includes(secret))
  })

  it('makes QA set up an app too; the half-signed-in state expires after 10 minutes', async () => {
    const qa = await createUser({ role: 'qa', mfa: false })
    const { agent, location } = await password(qa)
    assert.equal(location, '/sign-in/set-up-mfa')
    const secret = secretOn((await agent.get('/sign-in/set-up-mfa').expect(200)).text)
    advance(10 * 60 * 1000 + 1000)
    const expired = await agent.get('/sign-in/set-up-mfa').expect(303)
    assert.equal(expired.headers.location, '/sign-in?again=1')
    const again = await password(qa)
    const confirmed = await submitCode(again.agent, totpCode(secret, t.clock.now()), '/sign-in/set-up-mfa')
    assert.equal(confirmed.status, 200)
    assert.equal(await isSignedIn(again.agent), true)
  })

  it('lets a practitioner sign in without one, and set one up if they like', async () => {
    const practitioner = await createUser({ role: 'practitioner' })
    const { agent, location } = await password(practitioner)
    assert.equal(location, '/staff')
    const home = await agent.get('/staff').expect(200)
    assert.match(home.text, /href="\/account\/mfa"/)
    const page = await agent.get('/account/mfa').expect(200)
    assert.doesNotMatch(visibleText(page), /must use an authenticator app/)
    const secret = secretOn(page.text)
    const done = await submitCode(agent, totpCode(secret, t.clock.now()), '/account/mfa')
    assert.equal(done.status, 200)
    assert.equal(recoveryCodesOn(done.text).length, 10)
    // From now on the password alone is not enough.
    advance(STEP_MS)
    const next = await password(practitioner)
    assert.equal(next.location, '/sign-in/code')
    assert.equal(await isSignedIn(next.agent), false)
    const signedIn = await submitCode(next.agent, totpCode(secret, t.clock.now()))
    assert.equal(signedIn.status, 303)
    assert.equal(await isSignedIn(next.agent), true)
  })

  it('asks for the code, refuses a wrong one, accepts ±1 step and never the same code twice', async () => {
    const user = await createUser({ role: 'qa', mfa: false })
    const { secret } = await enrolAuthenticator(user._id)
    const now = () => t.clock.now()
    const at = (offsetMs: number) => totpCode(secret, new Date(now().getTime() + offsetMs))

    const first = await password(user, '/reports')
    assert.equal(first.location, '/sign-in/code')
    assert.equal(await isSignedIn(first.agent), false)
    const page = await first.agent.get('/sign-in/code').expect(200)
    assert.equal(page.headers['cache-control'], 'no-store')
    assert.match(visibleText(page), /Enter the 6-digit code/)
    const wrong = await submitCode(first.agent, at(-2 * STEP_MS)) // two steps old: outside the window
    assert.equal(wrong.status, 400)
    assert.match(visibleText(wrong), /The code is not right/)
    const accepted = await submitCode(first.agent, at(STEP_MS)) // the next step: a phone running fast
    assert.equal(accepted.status, 303)
    assert.equal(accepted.headers.location, '/reports')
    assert.equal(await isSignedIn(first.agent), true)

    // The same code again, and an older one still inside the window, are refused.
    const replay = await password(user)
    const replayed = await submitCode(replay.agent, at(STEP_MS))
    assert.equal(replayed.status, 400)
    assert.match(visibleText(replayed), /That code has already been used/)
    assert.equal((await submitCode(replay.agent, at(0))).status, 400)
    assert.equal(await isSignedIn(replay.agent), false)
    // Once the app shows a later code, that one works.
    advance(2 * STEP_MS)
    assert.equal((await submitCode(replay.agent, at(0))).status, 303)
    assert.equal(await isSignedIn(replay.agent), true)
    const failures = await AuditEventModel.find({ userId: user._id, action: 'session.mfa-failed' }).lean()
    assert.deepEqual(failures.map((event) => event.detail).sort(), [
      'Code already used',
      'Code already used',
      'Wrong code',
    ])
  })

  it('accepts one code once when eight browsers send it at the same moment', async () => {
    const user = await createUser({ role: 'admin', mfa: false })
    const { secret } = await enrolAuthenticator(user._id)
    const browsers = await Promise.all(Array.from({ length: 8 }, () => password(user)))
    const forms = await Promise.all(browsers.map(({ agent }) => agent.get('/sign-in/code').expect(200)))
    const code = totpCode(secret, t.clock.now())
    const replies = await Promise.all(
      browsers.map(({ agent }, i) =>
        agent
          .post('/sign-in/code')
          .type('form')
          .send({ _csrf: csrfTokenFrom(forms[i]!.text), code }),
      ),
    )
    assert.deepEqual(replies.map((reply) => reply.status).sort(), [303, ...Array<number>(7).fill(400)])
    const signedIn = await Promise.all(browsers.map(({ agent }) => isSignedIn(agent)))
    assert.equal(signedIn.filter(Boolean).length, 1)
    // The requests above reach the check a little apart (each takes an attempt first); checks
    // started at exactly the same moment, as two app processes could, still let one through.
    advance(STEP_MS)
    const box = new SecretBox(t.services.config.sessionSecret)
    const next = totpCode(secret, t.clock.now())
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => acceptCode(box, t.clock, user._id, next)),
    )
    assert.deepEqual(outcomes.sort(), ['accepted', ...Array<string>(7).fill('used')])
  })

  it('accepts each recovery code once, and says how many are left', async () => {
    const user = await createUser({ role: 'qa', mfa: false })
    const { recoveryCodes } = await enrolAuthenticator(user._id)
    const { agent } = await password(user)
    const page = await agent.get('/sign-in/code').expect(200)
    assert.match(page.text, /href="\/sign-in\/recovery-code"/)
    const wrong = await submitCode(agent, 'aaaa-bbbb-cccc-dddd', '/sign-in/recovery-code', 'recoveryCode')
    assert.equal(wrong.status, 400)
    // Typed in capitals without hyphens: the same code.
    const typed = recoveryCodes[3]!.toUpperCase().replace(/-/g, ' ')
    const used = await submitCode(agent, typed, '/sign-in/recovery-code', 'recoveryCode')
    assert.equal(used.status, 303)
    assert.match(
      visibleText(await agent.get('/staff').expect(200)),
      /You used a recovery code\. You have 9 left/,
    )

    const again = await password(user)
    const reused = await submitCode(again.agent, recoveryCodes[3]!, '/sign-in/recovery-code', 'recoveryCode')
    assert.equal(reused.status, 400)
    assert.match(visibleText(reused), /has been used/)
    assert.equal(await isSignedIn(again.agent), false)
    // Two browsers racing with one code: one wins.
    const racers = await Promise.all([password(user), password(user)])
    const forms = await Promise.all(racers.map(({ agent: a }) => a.get('/sign-in/recovery-code').expect(200)))
    const replies = await Promise.all(
      racers.map(({ agent: a }, i) =>
        a
          .post('/sign-in/recovery-code')
          .type('form')
          .send({ _csrf: csrfTokenFrom(forms[i]!.text), recoveryCode: recoveryCodes[5] }),
      ),
    )
    assert.deepEqual(replies.map((reply) => reply.status).sort(), [303, 400])
    assert.equal((await MfaEnrolmentModel.findById(user._id).lean())?.recoveryCodeHashes.length, 8)
  })

  it(`refuses every code after ${MFA_FAILURE_LIMIT} wrong ones, even the right one`, async () => {
    const user = await createUser({ role: 'qa', mfa: false })
    const { secret } = await enrolAuthenticator(user._id)
    const { agent } = await password(user)
    const token = csrfTokenFrom((await agent.get('/sign-in/code').expect(200)).text)
    const right = totpCode(secret, t.clock.now())
    const wrongCode = right === '123456' ? '654321' : '123456'
    const statuses = await Promise.all(
      Array.from({ length: MFA_FAILURE_LIMIT + 5 }, () =>
        agent
          .post('/sign-in/code')
          .type('form')
          .send({ _csrf: token, code: wrongCode })
          .then((r) => r.status),
      ),
    )
    assert.deepEqual(statuses.sort(), [
      ...Array<number>(MFA_FAILURE_LIMIT).fill(400),
      ...Array<number>(5).fill(429),
    ])
    const blocked = await agent.post('/sign-in/code').type('form').send({ _csrf: token, code: right })
    assert.equal(blocked.status, 429)
    assert.match(visibleText(blocked), /Too many attempts/)
    assert.equal(await isSignedIn(agent), false)
  })

  it('lets an admin reset an app: audited, the person signed out and asked to set one up again', async () => {
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const qa = await createUser({ role: 'qa' })
    const qaSession = await signIn(t.app, qa)
    assert.equal(await isSignedIn(qaSession), true)
    const userPage = await admin.get(`/admin/users/${String(qa._id)}`).expect(200)
    assert.match(visibleText(userPage), /Reset authenticator app/)
    const reset = await admin
      .post(`/admin/users/${String(qa._id)}/mfa-reset`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(userPage.text) })
      .expect(303)
    assert.equal(reset.headers.location, `/admin/users/${String(qa._id)}?done=mfa-reset`)
    assert.match(
      visibleText(await admin.get(String(reset.headers.location)).expect(200)),
      /Authenticator app reset/,
    )
    assert.equal(await isSignedIn(qaSession), false)
    assert.equal(await MfaEnrolmentModel.countDocuments({ _id: qa._id }), 0)
    const event = await AuditEventModel.findOne({ action: 'user.mfa-reset' }).lean()
    assert.equal(event?.target, `user ${String(qa._id)}`)
    assert.match(event?.detail ?? '', /^Authenticator app removed; 1 session ended$/)
    assert.equal((await password(qa)).location, '/sign-in/set-up-mfa')
    // Only admins may.
    const manager = await signIn(t.app, await createUser({ role: 'manager' }))
    const token = csrfTokenFrom((await manager.get('/staff').expect(200)).text)
    await manager
      .post(`/admin/users/${String(qa._id)}/mfa-reset`)
      .type('form')
      .send({ _csrf: token })
      .expect(403)
  })

  it('does not ask a single sign-on session for a local code', async () => {
    const qa = await createUser({ role: 'qa' })
    const agent = await signIn(t.app, qa)
    // What the single sign-on route records on its sessions (server/staff/sso.ts).
    await mongoose.connection
      .collection('sessions')
      .updateOne({ 'session.staff.userId': String(qa._id) }, { $set: { 'session.staff.method': 'sso' } })
    const page = await agent.get('/account/mfa').expect(200)
    assert.match(visibleText(page), /You signed in with your organisation's account/)
  })
})
