/**
 * Email and text messages through GOV.UK Notify (a local server that answers as Notify's API
 * does): the outbox keeps its promises on this channel too. Notify down (connection refused, then
 * 500) then up: every message delivered exactly once. 429: tried again later. 400: failed at once,
 * with Notify's reason on the invitation's page.
 */
import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import { randomUUID } from 'node:crypto'
import { loadConfig } from '../../server/config'
import { InvitationModel } from '../../server/invitations/invitation'
import { runInvitationJobs } from '../../server/invitations/jobs'
import { sendInvitation } from '../../server/invitations/sending'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { notifyApiKey, notifyToken } from '../helpers/notifyServer'
import { useTestAppWithNotify } from '../helpers/hooks'

describe('delivery through GOV.UK Notify (a local server answering as its API does)', () => {
  const { t, notify } = useTestAppWithNotify()
  let worker: OutboxWorker, team: Team

  before(async () => {
    worker = new OutboxWorker(t.services)
    team = await createTeam('Locality North')
  })
  beforeEach(async () => {
    notify.accepted.length = 0
    notify.answered.length = 0
    await notify.restart().catch(() => undefined)
    await OutboxMessageModel.deleteMany({})
    await InvitationModel.deleteMany({})
  })

  const advanceMinutes = (minutes: number) =>
    t.clock.set(new Date(t.clock.now().getTime() + minutes * 60 * 1000))

  const invite = (to: { email: string } | { mobile: string }, name?: string) =>
    sendInvitation(t.services, {
      surveyId: 'closure-family',
      team,
      caseRef: 'LCS-448812',
      expiresInDays: t.services.config.invitationExpiryDays,
      ...('email' in to
        ? { channel: 'email' as const, recipientEmail: to.email }
        : { channel: 'sms' as const, recipientMobile: to.mobile }),
      ...(name ? { recipientName: name } : {}),
    })

  it('refuses a malformed Notify setting at start with one sentence naming it', () => {
    const load = (extra: Record<string, string>) => () =>
      loadConfig({ NODE_ENV: 'test', ...notify.env, ...extra })
    assert.throws(load({ NOTIFY_API_KEY: 'not-a-key' }), {
      message:
        'Configuration error: NOTIFY_API_KEY must be an API key from GOV.UK Notify (name-serviceid-secret).',
    })
    assert.throws(load({ NOTIFY_SMS_TEMPLATE_ID: '' }), {
      message: 'Configuration error: NOTIFY_SMS_TEMPLATE_ID must be set when NOTIFY_API_KEY is.',
    })
    assert.throws(load({ NOTIFY_EMAIL_TEMPLATE_ID: 'welcome' }), {
      message:
        "Configuration error: NOTIFY_EMAIL_TEMPLATE_ID must be a template id from GOV.UK Notify (a UUID, on the template's page).",
    })
    assert.throws(load({ NOTIFY_BASE_URL: 'ftp://notify' }), {
      message: 'Configuration error: NOTIFY_BASE_URL must start with https:// or http://.',
    })
    assert.equal(loadConfig({ NODE_ENV: 'test' }).notify, undefined)
    assert.equal(
      loadConfig({ NODE_ENV: 'test', ...notify.env, NOTIFY_BASE_URL: '' }).notify?.baseUrl,
      'https://api.notifications.service.gov.uk',
    )
  })

  it('the test server checks the JWT as Notify does: iss, HS256 with the secret, iat within 30 s', async () => {
    const post = (authorization?: string) =>
      fetch(`${notify.url}/v2/notifications/sms`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: JSON.stringify({
          template_id: notify.smsTemplateId,
          phone_number: '07400123456',
          personalisation: { body: 'x' },
        }),
      })
    const secret = notify.apiKey.slice(-36)
    const none = await post()
    assert.equal(none.status, 401)
    assert.deepEqual(await none.json(), {
      status_code: 401,
      errors: [{ error: 'AuthError', message: 'Unauthorized: authentication token must be provided' }],
    })
    const wrongSecret = await post(`Bearer ${notifyToken(notify.serviceId, randomUUID())}`)
    assert.equal(wrongSecret.status, 403)
    const wrongService = await post(`Bearer ${notifyToken(randomUUID(), secret)}`)
    assert.equal(wrongService.status, 403)
    const stale = await post(
      `Bearer ${notifyToken(notify.serviceId, secret, Math.round(Date.now() / 1000) - 40)}`,
    )
    assert.equal(stale.status, 403)
    assert.match(JSON.stringify(await stale.json()), /system clock must be accurate to within 30 seconds/)
    const good = await post(`Bearer ${notifyToken(notify.serviceId, secret)}`)
    assert.equal(good.status, 201)
    const created = (await good.json()) as Record<string, unknown>
    assert.deepEqual(Object.keys(created).sort(), ['content', 'id', 'reference', 'template', 'uri'])
  })

  it('sends an email with the product’s words through the email template, and marks it sent', async () => {
    const { invitation, token } = await invite({ email: 'sam@family.example' }, 'Sam')
    assert.deepEqual(await worker.runOnce(), { sent: 1, kept: 0, retrying: 0, failed: 0, cancelled: 0 })
    assert.equal(notify.accepted.length, 1)
    const [email] = notify.accepted
    assert.equal(email!.type, 'email')
    assert.equal(email!.to, 'sam@family.example')
    assert.equal(email!.templateId, notify.emailTemplateId)
    assert.equal(email!.personalisation.subject, "Tell us about your experience of children's services")
    assert.match(email!.personalisation.body!, /^Hello Sam,/)
    assert.ok(email!.personalisation.body!.includes(`http://family-voice.test/s/${token}`))
    assert.doesNotMatch(JSON.stringify(email), /LCS-448812/)
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(email!.reference, String(message!._id))
    assert.equal(message?.status, 'sent')
    assert.equal((await InvitationModel.findById(invitation._id).lean())?.status, 'sent')
  })

  it('sends a text message through the text template: short, names the team, carries the link', async () => {
    const { invitation, token } = await invite({ mobile: '+447400123456' })
    assert.equal((await worker.runOnce()).sent, 1)
    const [sms] = notify.accepted
    assert.equal(sms!.type, 'sms')
    assert.equal(sms!.to, '+447400123456')
    assert.equal(sms!.templateId, notify.smsTemplateId)
    const text = sms!.personalisation.body!
    assert.ok(text.length <= 306, `${text.length} characters`)
    assert.match(text, /Locality North team/)
    assert.ok(text.endsWith(`http://family-voice.test/s/${token}`))
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.equal(stored?.status, 'sent')
    assert.equal(stored?.events?.at(-1)?.kind, 'texted')
  })

  it('loses nothing while Notify is down (refused, then 500) and delivers each message exactly once', async () => {
    await notify.stop()
    const sent = [
      await invite({ email: 'one@family.example' }),
      await invite({ mobile: '+447400111111' }),
      await invite({ email: 'three@family.example' }),
    ]
    const refused = await worker.runOnce()
    assert.equal(refused.retrying, 3)
    const waiting = await OutboxMessageModel.find({}).lean()
    for (const message of waiting) {
      assert.equal(message.status, 'pending')
      assert.match(message.lastError ?? '', /GOV.UK Notify could not be reached \(ECONNREFUSED/)
      assert.equal(message.nextAttemptAt.getTime(), t.clock.now().getTime() + 60 * 1000)
    }

    await notify.restart()
    notify.failNext(3, 500)
    advanceMinutes(1)
    assert.equal((await worker.runOnce()).retrying, 3)
    const after500 = await OutboxMessageModel.find({}).lean()
    for (const message of after500) {
      assert.match(
        message.lastError ?? '',
        /GOV.UK Notify asked us to try later \(500 Exception: Internal server error\)/,
      )
    }
    for (const { invitation } of sent) {
      assert.equal((await InvitationModel.findById(invitation._id).lean())?.status, 'queued')
    }

    // Up again: two workers (two app processes) at the same moment.
    advanceMinutes(2)
    const other = new OutboxWorker(t.services)
    const results = await Promise.all([worker.runOnce(), other.runOnce()])
    assert.equal(results[0].sent + results[1].sent, 3)
    assert.equal(notify.accepted.length, 3)
    const references = notify.accepted.map((request) => request.reference)
    assert.equal(new Set(references).size, 3, 'each message once')
    assert.deepEqual(notify.accepted.map((request) => request.to).sort(), [
      '+447400111111',
      'one@family.example',
      'three@family.example',
    ])
    for (const { invitation } of sent) {
      assert.equal((await InvitationModel.findById(invitation._id).lean())?.status, 'sent')
    }
    advanceMinutes(60)
    assert.equal((await worker.runOnce()).sent, 0)
    assert.equal(notify.accepted.length, 3)
  })

  it('tries again later after 429 (RateLimitError, then TooManyRequestsError)', async () => {
    const { invitation } = await invite({ email: 'busy@family.example' })
    notify.failNext(1, 'rate-limit')
    assert.equal((await worker.runOnce()).retrying, 1)
    let message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'pending')
    assert.match(message?.lastError ?? '', /try later \(429 RateLimitError: Exceeded rate limit/)
    assert.equal(message?.nextAttemptAt.getTime(), t.clock.now().getTime() + 60 * 1000)
    // Not yet due: Notify is not asked again.
    assert.equal((await worker.runOnce()).retrying, 0)
    assert.equal(notify.answered.length, 1)

    notify.failNext(1, 'daily-limit')
    advanceMinutes(1)
    assert.equal((await worker.runOnce()).retrying, 1)
    message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.match(message?.lastError ?? '', /429 TooManyRequestsError/)
    assert.equal(message?.nextAttemptAt.getTime(), t.clock.now().getTime() + 2 * 60 * 1000)

    advanceMinutes(2)
    assert.equal((await worker.runOnce()).sent, 1)
    assert.equal(notify.accepted.length, 1)
    assert.equal((await InvitationModel.findById(invitation._id).lean())?.status, 'sent')
  })

  it('fails a 400 at once and shows Notify’s reason on the invitation page', async () => {
    notify.refuseRecipient('+447400222222')
    const { invitation } = await invite({ mobile: '+447400222222' })
    const { invitation: fine } = await invite({ email: 'fine@family.example' })
    const result = await worker.runOnce()
    assert.equal(result.failed, 1)
    assert.equal(result.sent, 1)
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.equal(stored?.status, 'failed')
    assert.equal(
      stored?.failureReason,
      "GOV.UK Notify refused the message (400 BadRequestError: Can't send to this recipient using a team-only API key)",
    )
    assert.equal((await InvitationModel.findById(fine._id).lean())?.status, 'sent')
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'failed')
    assert.equal(message?.attempts, 1)
    // Not tried again.
    advanceMinutes(120)
    await worker.runOnce()
    assert.equal(notify.answered.filter((answer) => answer.status === 400).length, 1)

    const practitioner = await createUser({ role: 'practitioner', teams: [team] })
    const agent = await signIn(t.app, practitioner)
    const page = visibleText(await agent.get(`/invitations/${String(invitation._id)}`).expect(200))
    assert.match(page, /Not delivered/)
    assert.match(
      page,
      /The text message could not be delivered: GOV.UK Notify refused the message \(400 BadRequestError: Can't send to this recipient using a team-only API key\)/,
    )
    assert.match(page, /Text message could not be delivered/)
  })

  it('fails at once when Notify refuses the key (403 AuthError), saying so on the invitation', async () => {
    const wrongKey = notifyApiKey('revoked', notify.serviceId, randomUUID())
    const misconfigured = new OutboxWorker({
      ...t.services,
      config: loadConfig({ NODE_ENV: 'test', ...notify.env, NOTIFY_API_KEY: wrongKey }),
    })
    const { invitation } = await invite({ email: 'keyed@family.example' })
    assert.equal((await misconfigured.runOnce()).failed, 1)
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.match(stored?.failureReason ?? '', /refused the message \(403 AuthError: Invalid token: signature/)
    assert.equal(notify.accepted.length, 0)
  })

  it('reminds by text message after a week, through Notify, with a new link', async () => {
    const { invitation, token } = await invite({ mobile: '+447400333333' })
    await worker.runOnce()
    t.clock.set(new Date(t.clock.now().getTime() + 7 * 24 * 60 * 60 * 1000 + 1000))
    assert.equal((await runInvitationJobs(t.services)).reminded, 1)
    assert.equal((await worker.runOnce()).sent, 1)
    assert.equal(notify.accepted.length, 2)
    const reminder = notify.accepted[1]!
    assert.equal(reminder.type, 'sms')
    assert.equal(reminder.to, '+447400333333')
    assert.match(reminder.personalisation.body!, /^Reminder from the Locality North team/)
    assert.ok(reminder.personalisation.body!.length <= 306)
    assert.ok(!reminder.personalisation.body!.includes(token), 'a new link')
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.ok(stored?.reminderSentAt)
  })
})
