/**
 * "Forgotten your password?" over HTTP against the real database, the email read from a real SMTP
 * server on loopback: the same answer whether or not the address has an account; a link that works
 * once, for 30 minutes (on the test's clock), and only the newest; two uses at once, one wins; the
 * new password meets the policy and ends every session; limits per address and per email.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import mongoose from 'mongoose'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { pruneOldRecords } from '../../server/retention'
import { sha256Hex } from '../../server/security/sha256'
import { PasswordResetModel } from '../../server/staff/passwordReset'
import { RESET_REQUESTS_PER_IP } from '../../server/staff/passwordResetRoutes'
import type { User } from '../../server/staff/user'
import { createUser, signIn, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestAppWithMail } from '../helpers/hooks'
import { postSignIn } from '../helpers/staffSignIn'
import type { ReceivedEmail } from '../helpers/smtp'

const NEW_PASSWORD = 'otters hold hands while sleeping'

describe('resetting a forgotten password by email', () => {
  // One proxy hop, so each test can come from its own address (the limit per address is 10).
  const { t, smtp } = useTestAppWithMail({ env: { TRUST_PROXY: '1' } })
  let worker: OutboxWorker
  let address = 0
  before(async () => {
    worker = new OutboxWorker(t.services)
  })

  /** A browser at its own address. */
  function browser(): { agent: Agent; ip: string } {
    address += 1
    return { agent: request.agent(t.app), ip: `203.0.113.${address}` }
  }

  async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await check()) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    assert.fail(`timed out waiting for ${what}`)
  }

  /** Asks for a link as a person would, and waits until the request has been dealt with. */
  async function askForLink(email: string, from = browser()) {
    const requests = await AuditEventModel.countDocuments({ action: 'account.password-reset-requested' })
    const page = await from.agent.get('/forgotten-password').set('X-Forwarded-For', from.ip).expect(200)
    const started = performance.now()
    const response = await from.agent
      .post('/forgotten-password')
      .set('X-Forwarded-For', from.ip)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email })
    const ms = performance.now() - started
    if (response.status === 303) {
      await waitUntil(
        async () =>
          (await AuditEventModel.countDocuments({ action: 'account.password-reset-requested' })) > requests,
        'the request to be handled',
      )
    }
    return { response, ms }
  }

  const read = new Set<ReceivedEmail>()
  /** Delivers the outbox and returns the reset link in the next unread email to `to`. */
  async function linkIn(to: string): Promise<string> {
    await worker.runOnce()
    let email: ReceivedEmail | undefined
    await waitUntil(async () => {
      email = smtp.received.find((received) => received.to.includes(to) && !read.has(received))
      return email !== undefined
    }, `an email to ${to}`)
    read.add(email!)
    assert.deepEqual(email!.to, [to])
    assert.equal(email!.subject, 'Reset your Family Voice password')
    const match = /http:\/\/family-voice\.test(\/reset-password\/[A-Za-z0-9_-]+)/.exec(email!.text)
    assert.ok(match, 'the email carries a reset link')
    return match[1]!
  }

  async function choosePassword(agent: Agent, password: string, confirm = password) {
    const page = await agent.get('/reset-password')
    if (page.status !== 200) return page
    return agent
      .post('/reset-password')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), password, confirm })
  }

  async function passwordWorks(user: Pick<User, 'email'>, password: string): Promise<boolean> {
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in').expect(200)
    const response = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: user.email, password })
    return response.status === 303
  }

  it('gives the same answer, as fast, whether or not the address has an account', async () => {
    const signInPage = await request(t.app).get('/sign-in').expect(200)
    assert.match(signInPage.text, /href="\/forgotten-password">Forgotten your password\?</)
    const user = await createUser({ role: 'practitioner', email: 'pat.reset@council.example' })
    const disabled = await createUser({ role: 'practitioner', email: 'gone@council.example' })
    await mongoose.connection
      .collection('users')
      .updateOne({ _id: disabled._id }, { $set: { disabled: true } })

    await askForLink('warming.up@council.example') // the first request of a process is slower
    const answers = []
    const times: Record<string, number[]> = { known: [], unknown: [] }
    for (const [kind, email] of [
      ['known', user.email],
      ['unknown', 'nobody@council.example'],
      ['unknown', 'gone@council.example'],
      ['known', 'PAT.RESET@council.example '],
      ['unknown', 'nobody.else@council.example'],
      ['known', user.email],
    ] as const) {
      const { response, ms } = await askForLink(email)
      times[kind]!.push(ms)
      answers.push({ status: response.status, location: response.headers.location })
    }
    assert.deepEqual(new Set(answers.map((a) => JSON.stringify(a))), new Set([JSON.stringify(answers[0])]))
    assert.deepEqual(answers[0], { status: 303, location: '/forgotten-password/sent' })
    const sent = await request(t.app).get('/forgotten-password/sent').expect(200)
    assert.match(
      visibleText(sent),
      /If that address belongs to a Family Voice account, we have sent it a link/,
    )
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const gap = Math.abs(median(times.known!) - median(times.unknown!))
    assert.ok(gap < 100, `known ${times.known!.join(', ')} ms, unknown ${times.unknown!.join(', ')} ms`)

    // Only the account gets mail (three emails; only the newest link works).
    await worker.runOnce()
    await waitUntil(async () => smtp.received.length >= 3, 'three emails')
    for (const email of smtp.received) read.add(email)
    const outbox = await OutboxMessageModel.find({ purpose: 'password-reset' }).lean()
    assert.deepEqual(
      outbox.map((message) => message.to),
      [user.email, user.email, user.email],
    )
    const audits = await AuditEventModel.find({ action: 'account.password-reset-requested' })
      .sort({ _id: 1 })
      .lean()
    assert.deepEqual(
      audits.map((event) => event.detail),
      [
        'No account with that email address',
        'Reset link emailed',
        'No account with that email address',
        'Account disabled: no email sent',
        'Reset link emailed',
        'No account with that email address',
        'Reset link emailed',
      ],
    )
    // An address that is not an email is a clear error, not a different "sent".
    const { response: bad } = await askForLink('not an email')
    assert.equal(bad.status, 400)
    assert.match(visibleText(bad), /Enter your email address/)
  })

  it('follows the link, applies the policy, changes the password once and ends every session', async () => {
    const user = await createUser({ role: 'manager', email: 'morgan@council.example' })
    const signedIn = await signIn(t.app, user)
    const elsewhere = await signIn(t.app, user)
    await askForLink(user.email)
    const link = await linkIn(user.email)
    const token = link.split('/').pop()!
    assert.ok(Buffer.from(token, 'base64url').length >= 32, 'at least 256 random bits')
    // Only the hash is kept; the admin's outbox hides the link.
    const stored = await PasswordResetModel.findOne({ userId: user._id }).lean()
    assert.equal(stored?.tokenHash, sha256Hex(token))
    assert.ok(!JSON.stringify(stored).includes(token))
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const message = await OutboxMessageModel.findOne({ to: user.email }).lean()
    const shown = await admin.get(`/admin/outbox/${String(message!._id)}`).expect(200)
    assert.ok(!shown.text.includes(token))
    assert.match(visibleText(shown), /\/reset-password\/\[link hidden\]/)

    const { agent } = browser()
    const opened = await agent.get(link).expect(303)
    assert.equal(opened.headers.location, '/reset-password')
    const form = await agent.get('/reset-password').expect(200)
    assert.equal(form.headers['cache-control'], 'no-store')
    assert.match(visibleText(form), /For morgan@council\.example/)
    const weak = await choosePassword(agent, 'password1234')
    assert.equal(weak.status, 400)
    assert.match(visibleText(weak), /Password is too common/)
    const mistyped = await choosePassword(agent, NEW_PASSWORD, `${NEW_PASSWORD}!`)
    assert.equal(mistyped.status, 400)
    assert.match(visibleText(mistyped), /Enter the same new password twice/)
    assert.equal(await passwordWorks(user, TEST_PASSWORD), true, 'nothing changed yet')

    const done = await choosePassword(agent, NEW_PASSWORD)
    assert.equal(done.status, 303)
    assert.equal(done.headers.location, '/sign-in?reset=1')
    assert.match(
      visibleText(await agent.get('/sign-in?reset=1').expect(200)),
      /Your password has been changed/,
    )
    for (const session of [signedIn, elsewhere]) await session.get('/staff').expect(303)
    assert.equal(await passwordWorks(user, TEST_PASSWORD), false)
    assert.equal(await passwordWorks(user, NEW_PASSWORD), true)
    const audit = await AuditEventModel.findOne({ action: 'account.password-reset-by-email' }).lean()
    assert.equal(audit?.actorLabel, user.email)
    assert.equal(audit?.detail, '3 sessions ended') // the two above and the check that nothing had changed
    const trail = JSON.stringify(await AuditEventModel.find({}).lean())
    assert.ok(!trail.includes(token) && !trail.includes(NEW_PASSWORD))

    // Used: the link, and the session that opened it, no longer work.
    assert.equal((await choosePassword(agent, 'another fine password here')).status, 404)
    const again = await request(t.app).get(link).expect(404)
    assert.match(visibleText(again), /That link does not work/)
  })

  it('refuses a link after 30 minutes, and an older link once a newer one is sent', async () => {
    const user = await createUser({ role: 'practitioner' })
    await askForLink(user.email)
    const first = await linkIn(user.email)
    await askForLink(user.email)
    const second = await linkIn(user.email)
    await request(t.app).get(first).expect(404)
    const { agent } = browser()
    await agent.get(second).expect(303) // opened in time…
    t.clock.set(new Date(t.clock.now().getTime() + 31 * 60 * 1000))
    assert.equal((await choosePassword(agent, NEW_PASSWORD)).status, 404) // …but set too late
    await request(t.app).get(second).expect(404)
    assert.equal(await passwordWorks(user, TEST_PASSWORD), true)
    // The hourly housekeeping deletes them a day after they expired.
    t.clock.set(new Date(t.clock.now().getTime() + 24 * 60 * 60 * 1000))
    assert.ok((await pruneOldRecords(t.services)).passwordResets >= 1)
    assert.equal(await PasswordResetModel.countDocuments({ userId: user._id }), 0)
  })

  it('lets one of two uses of a link at the same moment win', async () => {
    const user = await createUser({ role: 'practitioner' })
    await askForLink(user.email)
    const link = await linkIn(user.email)
    const browsers = [browser().agent, browser().agent]
    const forms = await Promise.all(
      browsers.map(async (agent) => {
        await agent.get(link).expect(303)
        return csrfTokenFrom((await agent.get('/reset-password').expect(200)).text)
      }),
    )
    const passwords = [`${NEW_PASSWORD} one`, `${NEW_PASSWORD} two`]
    const replies = await Promise.all(
      browsers.map((agent, i) =>
        agent
          .post('/reset-password')
          .type('form')
          .send({ _csrf: forms[i], password: passwords[i], confirm: passwords[i] }),
      ),
    )
    assert.deepEqual(replies.map((reply) => reply.status).sort(), [303, 404])
    const works = await Promise.all(passwords.map((password) => passwordWorks(user, password)))
    assert.deepEqual(
      works,
      replies.map((reply) => reply.status === 303),
    )
    assert.equal(
      await AuditEventModel.countDocuments({ action: 'account.password-reset-by-email', userId: user._id }),
      1,
    )
  })

  it('keeps the second factor: an admin who resets their password still enters a code', async () => {
    const admin = await createUser({ role: 'admin' })
    await askForLink(admin.email)
    const { agent } = browser()
    await agent.get(await linkIn(admin.email)).expect(303)
    assert.equal((await choosePassword(agent, NEW_PASSWORD)).status, 303)
    const response = await postSignIn(agent, { email: admin.email, password: NEW_PASSWORD }, 303)
    assert.equal(response.headers.location, '/sign-in/code')
  })

  it('limits requests per address (then 429) and emails per account (then the same answer, no email)', async () => {
    const from = browser()
    const statuses: number[] = []
    for (let i = 0; i < RESET_REQUESTS_PER_IP + 2; i++) {
      statuses.push((await askForLink(`someone${i}@council.example`, from)).response.status)
    }
    assert.deepEqual(statuses, [
      ...Array<number>(RESET_REQUESTS_PER_IP).fill(303),
      ...Array<number>(2).fill(429),
    ])

    const user = await createUser({ role: 'practitioner' })
    for (let i = 0; i < 5; i++) {
      assert.equal((await askForLink(user.email)).response.status, 303)
    }
    assert.equal(await OutboxMessageModel.countDocuments({ to: user.email }), 3)
    const refused = await AuditEventModel.countDocuments({
      userId: user._id,
      detail: /^More than 3 requests in an hour/,
    })
    assert.equal(refused, 2)
  })
})
