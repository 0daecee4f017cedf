/**
 * Two app processes on one database, as a council runs behind a load balancer (issue 7): the
 * outbox, reminders and expiry each act once across both. Real processes (`server/main.ts`), one
 * FerretDB of this file's own, the real SMTP test server, background work every 200 ms.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mongoose from 'mongoose'
import { connectDatabase, disconnectDatabase } from '../../server/db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { InvitationModel } from '../../server/invitations/invitation'
import { hashToken, newInvitationToken } from '../../server/invitations/token'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { TeamModel } from '../../server/teams/team'
import { isHealthy, startAppProcess, type AppProcess } from '../helpers/appProcess'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp'

const DAY_MS = 24 * 60 * 60 * 1000

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('two app processes on one database', () => {
  let database: EmbeddedDatabase, smtp: TestSmtpServer
  const apps: AppProcess[] = []

  before(async () => {
    database = await startEmbeddedDatabase({ inMemory: true, log: () => undefined })
    smtp = await startSmtpServer()
    const env = {
      MONGODB_URI: `${database.uri}fv_two_processes`,
      SMTP_URL: smtp.url,
      BACKGROUND_INTERVAL_MS: '200',
      BASE_URL: 'http://family-voice.test',
    }
    apps.push(await startAppProcess(env), await startAppProcess(env))
    for (const app of apps) {
      await waitUntil(`app on port ${app.port} to be healthy:\n${app.output()}`, () => isHealthy(app.port))
    }
    // The database the URI names, as every app process and CLI command uses it.
    await connectDatabase(database.uri, 'fv_two_processes')
  })
  after(async () => {
    for (const app of apps) app.child.kill('SIGKILL')
    await disconnectDatabase()
    await smtp.stop()
    await database.stop()
  })

  it('sends each queued email, reminder and expiry once across both', async () => {
    const team = (await TeamModel.create({ name: 'Locality North', service: 'Locality' })).toObject()
    const now = Date.now()
    const invitation = (email: string, fields: Record<string, unknown>) => ({
      tokenHash: hashToken(newInvitationToken()),
      surveyId: 'closure-family',
      teamId: team._id,
      teamName: team.name,
      service: team.service,
      respondent: 'parent-carer',
      channel: 'email',
      recipientEmail: email,
      status: 'sent',
      ...fields,
    })
    const remind = Array.from({ length: 20 }, (_, i) => `remind${i}@family.example`)
    const expire = Array.from({ length: 20 }, (_, i) => `expire${i}@family.example`)
    const queued = Array.from({ length: 30 }, (_, i) => `queued${i}@family.example`)
    // All the work falls due at once, while both processes poll every 200 ms.
    await Promise.all([
      InvitationModel.insertMany([
        ...remind.map((email) =>
          invitation(email, { sentAt: new Date(now - 8 * DAY_MS), expiresAt: new Date(now + 20 * DAY_MS) }),
        ),
        ...expire.map((email) =>
          invitation(email, {
            sentAt: new Date(now - 29 * DAY_MS),
            reminderSentAt: new Date(now - 22 * DAY_MS),
            expiresAt: new Date(now - 60_000),
          }),
        ),
      ]),
      OutboxMessageModel.insertMany(
        queued.map((to) => ({
          to,
          subject: 'A message from Family Voice',
          text: 'Hello.',
          purpose: 'other',
          status: 'pending',
          attempts: 0,
          nextAttemptAt: new Date(now),
        })),
      ),
    ])

    const expected = remind.length + queued.length
    await waitUntil(
      `${expected} emails (${smtp.received.length} so far)`,
      async () => smtp.received.length >= expected,
    )
    await waitUntil(
      'the expiry of every past-date invitation',
      async () =>
        (await InvitationModel.countDocuments({ recipientEmail: { $in: expire }, status: 'expired' })) ===
        expire.length,
    )
    // Several more rounds of both processes' background work: nothing more may happen.
    await new Promise((resolve) => setTimeout(resolve, 1500))

    const recipients = smtp.received.map((email) => email.to[0]).sort()
    assert.deepEqual(
      recipients,
      [...remind, ...queued].sort(),
      'one email to each, and none to expired invitations',
    )
    for (const email of smtp.received.filter((received) => received.to[0]!.startsWith('remind'))) {
      assert.equal(smtp.linksIn(email).length, 1)
    }

    const reminded = await InvitationModel.find({ recipientEmail: { $in: remind } }).lean()
    for (const record of reminded) {
      assert.ok(record.reminderSentAt, record.recipientEmail)
      assert.equal(record.tokenRotations, 1, `${record.recipientEmail}: one new link`)
    }
    assert.equal(await OutboxMessageModel.countDocuments({ purpose: 'reminder' }), remind.length)

    const expired = await InvitationModel.find({ recipientEmail: { $in: expire } }).lean()
    for (const record of expired) {
      assert.equal(
        record.events?.filter((event) => event.kind === 'expired').length,
        1,
        record.recipientEmail,
      )
    }
    const messages = await OutboxMessageModel.find({ to: { $in: queued } }).lean()
    assert.ok(messages.every((message) => message.status === 'sent' && message.attempts === 1))

    for (const app of apps)
      assert.ok(await isHealthy(app.port), `both processes still running:\n${app.output()}`)
    assert.equal(mongoose.connection.readyState, 1)
  })

  it('both stop cleanly on SIGTERM', async () => {
    for (const app of apps) app.child.kill('SIGTERM')
    for (const app of apps) assert.equal(await app.exited, 0, app.output())
  })
})
