/**
 * Exactly once under concurrency, through the real app on the embedded engine (issue 7): a bulk
 * send confirmed many times at once, many outbox workers, a burst of wrong passwords, and
 * requests racing after the idle limit. Each claim is one atomic conditional write or
 * unique-index insert, so it holds on MongoDB and on the patched FerretDB alike.
 */
import assert from 'node:assert/strict'
import type { Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { BulkUploadModel } from '../../server/invitations/bulkUpload'
import { InvitationModel } from '../../server/invitations/invitation'
import { sendInvitation } from '../../server/invitations/sending'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { LoginFailureModel } from '../../server/security/rateLimits'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestAppWithMail } from '../helpers/hooks'

const HEADER = 'case_ref,event,event_date,survey,team,respondent,email,first_name'

describe('exactly once through the app on the embedded engine', () => {
  const { t, smtp } = useTestAppWithMail()
  let north: Team, server: Server

  before(async () => {
    north = await createTeam('Locality North')
    server = t.app.listen(0, '127.0.0.1')
  })
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  /** Waits for count emails, then a little longer, so that a duplicate would have arrived too. */
  async function emailsAfter(count: number) {
    await smtp.waitFor(count, 15_000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    return smtp.received.splice(0)
  }

  it('8 concurrent confirms of a bulk upload make one invitation and one email per family (5 uploads at once)', async () => {
    const practitioner = await createUser({ role: 'practitioner', teams: [north] })
    const agent = request.agent(server)
    const page = await agent.get('/sign-in').expect(200)
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: practitioner.email, password: TEST_PASSWORD })
      .expect(303)
    const uploads: Array<{ previewPath: string; families: string[] }> = []
    for (const name of ['ash', 'birch', 'cedar', 'damson', 'elm']) {
      const families = [1, 2, 3, 4, 5].map((n) => `${name}${n}@family.example`)
      const csv = [
        HEADER,
        ...families.map((email, i) => `LCS-${700 + i},closure,2026-11-02,,Locality North,,${email},`),
      ].join('\n')
      const form = await agent.get('/invitations/bulk').expect(200)
      const uploaded = await agent
        .post('/invitations/bulk')
        .field('_csrf', csrfTokenFrom(form.text))
        .attach('file', Buffer.from(csv, 'utf8'), { filename: 'closures.csv', contentType: 'text/csv' })
        .expect(303)
      uploads.push({ previewPath: uploaded.headers.location as string, families })
    }
    const csrf = csrfTokenFrom((await agent.get(uploads[0]!.previewPath).expect(200)).text)

    // The "Send" button pressed 8 times on each preview, all at once.
    const confirms = await Promise.all(
      uploads.flatMap(({ previewPath }) =>
        Array.from({ length: 8 }, async () => {
          const reply = await agent.post(`${previewPath}/confirm`).type('form').send({ _csrf: csrf })
          return [reply.status, reply.headers.location === previewPath]
        }),
      ),
    )
    assert.deepEqual(
      confirms,
      Array.from({ length: 40 }, () => [303, true]),
    )
    for (const { previewPath, families } of uploads) {
      const invitations = await InvitationModel.find({ recipientEmail: { $in: families } }).lean()
      assert.deepEqual(invitations.map((invitation) => invitation.recipientEmail).sort(), families)
      const stored = await BulkUploadModel.findById(previewPath.split('/').pop()).lean()
      assert.equal(stored?.status, 'sent')
      assert.equal(stored?.invitationIds.length, 5)
      assert.match(visibleText(await agent.get(previewPath).expect(200)), /5 surveys sent/)
    }
    assert.equal(await AuditEventModel.countDocuments({ action: 'invitations.bulk-sent' }), 5)
    assert.equal(await OutboxMessageModel.countDocuments({}), 25)

    assert.equal((await new OutboxWorker(t.services).runOnce()).sent, 25)
    const emails = await emailsAfter(25)
    const everyFamily = uploads.flatMap(({ families }) => families).sort()
    assert.deepEqual(emails.map((email) => email.to[0]).sort(), everyFamily)
    const links = emails.flatMap((email) => smtp.linksIn(email))
    assert.equal(links.length, 25, 'one link in each email')
    assert.equal(new Set(links).size, 25, 'a different link for each family')
  })

  it('16 outbox workers running at once send each message once', async () => {
    await OutboxMessageModel.deleteMany({})
    const recipients = Array.from({ length: 40 }, (_, i) => `family${i}@outbox.example`)
    for (const recipientEmail of recipients) {
      await sendInvitation(t.services, {
        surveyId: 'closure-family',
        team: north,
        channel: 'email',
        recipientEmail,
        expiresInDays: t.services.config.invitationExpiryDays,
      })
    }

    const workers = Array.from({ length: 16 }, () => new OutboxWorker(t.services))
    const results = await Promise.all(workers.map((worker) => worker.runOnce()))
    assert.equal(
      results.reduce((sum, result) => sum + result.sent, 0),
      40,
    )
    assert.ok(
      results.filter((result) => result.sent > 0).length > 1,
      'the work was shared, so the workers did compete',
    )
    const emails = await emailsAfter(40)
    assert.deepEqual(emails.map((email) => email.to[0]).sort(), [...recipients].sort())
    const messages = await OutboxMessageModel.find({}).lean()
    assert.ok(messages.every((message) => message.status === 'sent' && message.attempts === 1))
    const sent = await InvitationModel.find({ recipientEmail: { $in: recipients } }).lean()
    assert.ok(
      sent.every(
        (invitation) =>
          invitation.status === 'sent' &&
          invitation.events?.filter((event) => event.kind === 'emailed').length === 1,
      ),
    )
  })

  it('requests arriving together after the 30-minute idle limit all find the session ended (3 sessions)', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const agent = await signIn(t.app, await createUser({ role: 'qa' }))
      await agent.get('/staff').expect(200)
      t.clock.set(new Date(t.clock.now().getTime() + 31 * 60 * 1000))
      const replies = await Promise.all(Array.from({ length: 12 }, () => agent.get('/staff')))
      assert.deepEqual(
        replies.map((reply) => [reply.status, reply.headers.location]),
        Array.from({ length: 12 }, () => [303, '/sign-in?next=%2Fstaff']),
        `session ${trial + 1}`,
      )
    }
  })

  // Last: these 50 failures use up this app's sign-in limit for the client address. That the
  // lock refuses the right password too is in staff-throttle.test.ts.
  it('50 concurrent wrong passwords for one account: 10 are tried, the rest refused', async () => {
    const user = await createUser({ role: 'practitioner', email: 'burst@council.example' })
    const agents = Array.from({ length: 50 }, () => request.agent(t.app))
    const tokens = await Promise.all(
      agents.map(async (agent) => csrfTokenFrom((await agent.get('/sign-in').expect(200)).text)),
    )
    const replies = await Promise.all(
      agents.map((agent, i) =>
        agent
          .post('/sign-in')
          .type('form')
          .send({ _csrf: tokens[i], email: user.email, password: `wrong guess ${i}` }),
      ),
    )
    const statuses = replies.map((reply) => reply.status).sort()
    assert.deepEqual(statuses, [...Array<number>(10).fill(401), ...Array<number>(40).fill(429)])
    for (const reply of replies.filter((r) => r.status === 429)) {
      assert.match(visibleText(reply), /Too many attempts, try again in a few minutes/)
    }
    assert.equal(await LoginFailureModel.countDocuments({ email: user.email }), 10)
    assert.equal(
      await AuditEventModel.countDocuments({ action: 'session.sign-in-failed', userId: user._id }),
      10,
    )
    assert.equal(
      await AuditEventModel.countDocuments({ action: 'session.sign-in-blocked', userId: user._id }),
      40,
    )
  })
})
