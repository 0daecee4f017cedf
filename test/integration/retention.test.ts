/**
 * Nothing grows without bound: the retention job (server/retention.ts) deletes settled outbox
 * mail, unconfirmed bulk previews, old sent uploads and expired sessions after their settings,
 * through the real database with the test clock; recent records and anything still needed stay.
 */
import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import mongoose, { Types } from 'mongoose'
import request from 'supertest'
import { loadConfig } from '../../server/config'
import { BulkUploadModel } from '../../server/invitations/bulkUpload'
import { InvitationModel } from '../../server/invitations/invitation'
import { runInvitationJobs } from '../../server/invitations/jobs'
import { sendInvitation } from '../../server/invitations/sending'
import { cancelInvitation } from '../../server/invitations/lifecycle'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { outboxRetentionDays, pruneOldRecords } from '../../server/retention'
import { SessionActivityModel } from '../../server/staff/sessions'
import type { User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestAppWithMail } from '../helpers/hooks'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

describe('retention: old records are pruned, recent and needed ones stay', () => {
  const { t, smtp } = useTestAppWithMail()
  let team: Team, practitioner: User
  const actor = { id: new Types.ObjectId(), name: 'Pat Practitioner' }

  before(async () => {
    team = await createTeam('Locality North')
    practitioner = await createUser({ role: 'practitioner', teams: [team] })
  })
  beforeEach(async () => {
    await OutboxMessageModel.deleteMany({})
    await InvitationModel.deleteMany({})
    await BulkUploadModel.deleteMany({})
    t.clock.set('2026-11-23T10:00:00Z')
  })

  const advance = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms))
  const prune = () => pruneOldRecords(t.services)
  const emailInvitation = (email: string) =>
    sendInvitation(t.services, {
      surveyId: 'closure-family',
      team,
      channel: 'email',
      recipientEmail: email,
      createdBy: practitioner._id,
      expiresInDays: t.services.config.invitationExpiryDays,
    })
  const statusOf = async (invitationId: Types.ObjectId) =>
    (await OutboxMessageModel.findOne({ invitationId }).lean())?.status

  it('deletes sent, kept, cancelled and failed mail 30 days after it was queued, keeping the newer', async () => {
    assert.equal(t.services.config.outboxRetentionDays, 30)
    smtp.rejectRecipient('refused@family.example')
    const sent = await emailInvitation('sent@family.example')
    const failed = await emailInvitation('refused@family.example')
    const cancelled = await emailInvitation('cancelled@family.example')
    await cancelInvitation(cancelled.invitation._id, t.services.clock.now(), actor)
    await new OutboxWorker(t.services).runOnce()
    const kept = await emailInvitation('kept@family.example')
    await new OutboxWorker(t.services, { transport: null }).runOnce()
    assert.deepEqual(
      await Promise.all([sent, failed, cancelled, kept].map(({ invitation }) => statusOf(invitation._id))),
      ['sent', 'failed', 'cancelled', 'kept'],
    )

    advance(20 * DAY_MS)
    const recent = await emailInvitation('recent@family.example')
    await new OutboxWorker(t.services).runOnce()
    assert.equal(await statusOf(recent.invitation._id), 'sent')

    advance(10 * DAY_MS - HOUR_MS) // 29 days 23 hours after the first mail
    assert.equal((await prune()).outboxMessages, 0)
    assert.equal(await OutboxMessageModel.countDocuments(), 5)

    advance(2 * HOUR_MS)
    await runInvitationJobs(t.services) // links expire and reminders go meanwhile, as they would
    assert.equal((await prune()).outboxMessages, 4)
    assert.deepEqual(
      (await OutboxMessageModel.find().sort({ purpose: 1 }).lean()).map((m) => [m.to, m.purpose]),
      [
        ['recent@family.example', 'invitation'],
        ['recent@family.example', 'reminder'], // queued just now by the reminder job
      ],
    )
    assert.equal((await prune()).outboxMessages, 0, 'a second run finds nothing more')

    // The failure an admin or practitioner acts on is kept on the invitation, not only in the outbox.
    const agent = await signIn(t.app, practitioner)
    const page = visibleText(await agent.get(`/invitations/${String(failed.invitation._id)}`).expect(200))
    assert.match(page, /550/, 'the mail server’s refusal is still on the invitation’s timeline')
    assert.equal(await InvitationModel.countDocuments(), 5, 'no invitation is deleted')
  })

  it('never deletes mail still waiting to go, however old', async () => {
    const waiting = await emailInvitation('waiting@family.example')
    advance(400 * DAY_MS)
    assert.equal((await prune()).outboxMessages, 0)
    assert.equal(await statusOf(waiting.invitation._id), 'pending')
  })

  it('keeps mail kept here (no SMTP) as long as its link can work, even past OUTBOX_RETENTION_DAYS', async () => {
    const config = { ...t.services.config, invitationExpiryDays: 60, outboxRetentionDays: 30 }
    assert.equal(outboxRetentionDays(config), 60)
    const kept = await sendInvitation(t.services, {
      surveyId: 'closure-family',
      team,
      channel: 'email',
      recipientEmail: 'long@family.example',
      expiresInDays: 60,
    })
    await new OutboxWorker(t.services, { transport: null }).runOnce()
    advance(45 * DAY_MS)
    assert.equal((await pruneOldRecords({ clock: t.clock, config })).outboxMessages, 0)
    assert.equal(await statusOf(kept.invitation._id), 'kept', 'the only copy of a working link stays')
    advance(16 * DAY_MS)
    assert.equal((await pruneOldRecords({ clock: t.clock, config })).outboxMessages, 1)
  })

  it('takes its settings from the environment, refusing a retention of no days in one sentence', () => {
    const config = loadConfig({ OUTBOX_RETENTION_DAYS: '90', BULK_UPLOAD_RETENTION_DAYS: '7' })
    assert.deepEqual([config.outboxRetentionDays, config.bulkUploadRetentionDays], [90, 7])
    assert.throws(() => loadConfig({ OUTBOX_RETENTION_DAYS: '0' }), {
      message: 'Configuration error: OUTBOX_RETENTION_DAYS must be a whole number of at least 1, not "0".',
    })
    assert.throws(() => loadConfig({ BULK_UPLOAD_RETENTION_DAYS: 'a month' }), {
      message:
        'Configuration error: BULK_UPLOAD_RETENTION_DAYS must be a whole number of at least 1, not "a month".',
    })
  })

  it('says on the outbox page how long messages are kept', async () => {
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    assert.match(
      visibleText(await admin.get('/admin/outbox').expect(200)),
      /Messages are deleted 30 days after they were queued, once they have been sent, kept, cancelled or have failed\. Messages waiting to be sent are never deleted\./,
    )
  })

  it('is safe with two app processes pruning at once, in batches', async () => {
    const old = new Date(t.clock.now().getTime() - 31 * DAY_MS)
    const message = (status: string, createdAt: Date, i: number) => ({
      to: `family${i}@family.example`,
      subject: 'Your survey',
      text: 'Hello',
      purpose: 'invitation',
      status,
      attempts: 1,
      nextAttemptAt: createdAt,
      createdAt,
    })
    await OutboxMessageModel.collection.insertMany([
      ...Array.from({ length: 1200 }, (_, i) =>
        message(['sent', 'kept', 'cancelled', 'failed'][i % 4]!, old, i),
      ),
      ...Array.from({ length: 10 }, (_, i) => message('sent', t.clock.now(), i)),
      message('pending', old, 9999),
    ])
    const [first, second] = await Promise.all([prune(), prune()])
    assert.equal(first.outboxMessages + second.outboxMessages, 1200, 'each message deleted once, none twice')
    assert.equal(await OutboxMessageModel.countDocuments(), 11)
    assert.equal(await OutboxMessageModel.countDocuments({ status: 'pending' }), 1)
  })

  describe('bulk uploads', () => {
    const HEADER = 'case_ref,event,event_date,survey,team,respondent,email,first_name'
    const csvFor = (email: string) => `${HEADER}\nLCS-1,closure,2026-11-02,,Locality North,,${email},Sam\n`

    async function preview(agent: Agent, email: string): Promise<string> {
      const form = await agent.get('/invitations/bulk').expect(200)
      const uploaded = await agent
        .post('/invitations/bulk')
        .field('_csrf', csrfTokenFrom(form.text))
        .attach('file', Buffer.from(csvFor(email), 'utf8'), {
          filename: 'closures.csv',
          contentType: 'text/csv',
        })
        .expect(303)
      return uploaded.headers.location as string
    }

    it('deletes a preview nobody confirmed once it is a day old, and a sent upload after 30 days', async () => {
      assert.equal(t.services.config.bulkUploadRetentionDays, 30)
      let agent = await signIn(t.app, practitioner)
      const sentPath = await preview(agent, 'sent@family.example')
      const page = await agent.get(sentPath).expect(200)
      await agent
        .post(`${sentPath}/confirm`)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text) })
        .expect(303)
      const abandonedPath = await preview(agent, 'abandoned@family.example')

      advance(23 * HOUR_MS)
      agent = await signIn(t.app, practitioner)
      const recentPath = await preview(agent, 'recent@family.example')
      assert.deepEqual(await prune().then((r) => [r.bulkPreviews, r.bulkUploads]), [0, 0])

      advance(2 * HOUR_MS) // the first preview is 25 hours old: it can no longer be sent
      assert.deepEqual(await prune().then((r) => [r.bulkPreviews, r.bulkUploads]), [1, 0])
      agent = await signIn(t.app, practitioner)
      await agent.get(abandonedPath).expect(404)
      await agent.get(recentPath).expect(200)
      assert.match(visibleText(await agent.get(sentPath).expect(200)), /1 survey sent/)

      advance(30 * DAY_MS)
      assert.deepEqual(await prune().then((r) => [r.bulkPreviews, r.bulkUploads]), [1, 1])
      agent = await signIn(t.app, practitioner)
      await agent.get(sentPath).expect(404)
      await agent.get(recentPath).expect(404)
      assert.equal(
        await InvitationModel.countDocuments({ recipientEmail: 'sent@family.example' }),
        1,
        'the invitation the upload made is kept',
      )
    })
  })

  describe('sessions', () => {
    const sessions = () => mongoose.connection.db!.collection<{ _id: string; expires: Date }>('sessions')
    /** The session id in a signed `fv.sid=s:<id>.<signature>` cookie. */
    const sessionIdIn = (setCookie: string | string[] | undefined) =>
      decodeURIComponent(/fv\.sid=([^;]+)/.exec(String(setCookie))![1]!)
        .replace(/^s:/, '')
        .split('.')[0]!

    it('deletes expired sessions and activity records older than any session lives; live ones work on', async () => {
      await sessions().deleteMany({})
      await SessionActivityModel.deleteMany({})
      const agent = await signIn(t.app, practitioner)
      const visit = await request.agent(t.app).get('/sign-in').expect(200)
      const visitorSession = sessionIdIn(visit.headers['set-cookie'])
      assert.ok(await sessions().findOne({ _id: visitorSession }))
      // The visitor left: the store's expiry (the system clock, as express-session sets it) passes.
      await sessions().updateOne({ _id: visitorSession }, { $set: { expires: new Date(Date.now() - 1000) } })
      const before = await sessions().countDocuments()

      const result = await prune()
      assert.equal(result.sessions, 1)
      assert.equal(await sessions().countDocuments(), before - 1)
      assert.equal(await sessions().findOne({ _id: visitorSession }), null)
      await agent.get('/invitations').expect(200)
      assert.equal(result.sessionActivity, 0)

      assert.equal(await SessionActivityModel.countDocuments(), 1)
      advance(12 * HOUR_MS + 60_000)
      const fresh = await signIn(t.app, practitioner)
      assert.equal((await prune()).sessionActivity, 1)
      assert.equal(await SessionActivityModel.countDocuments(), 1, 'only the new sign-in’s record is left')
      await fresh.get('/invitations').expect(200)
    })
  })
})
