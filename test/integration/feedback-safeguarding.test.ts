import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { loadConfig } from '../../server/config'
import type { MailQueue } from '../../server/mail/mailQueue'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import type { Team } from '../../server/teams/team'
import type { User } from '../../server/staff/user'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { csrfFrom, giveResponse, setDutyEmail } from './feedback-fixtures'
import { log } from '../../server/log'

const DISCLOSURE = "he hit me and I'm scared"

describe('safeguarding flags', () => {
  const t = useTestApp({
    now: '2026-11-23T10:00:00Z',
    env: { SAFEGUARDING_EMAIL: 'safeguarding-hub@council.example' },
  })
  let north: Team, south: Team, noDuty: Team, managerUser: User, manager: Agent, qa: Agent

  before(async () => {
    north = await createTeam('North Locality')
    south = await createTeam('South Locality')
    noDuty = await createTeam('Get Safe East', 'Get Safe')
    await setDutyEmail(north, 'north-duty@council.example')
    await setDutyEmail(south, 'south-duty@council.example')
    managerUser = await createUser({ role: 'manager', teams: [north], name: 'Morgan Manager' })
    manager = await signIn(t.app, managerUser)
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  async function flaggedComment(responseId: unknown) {
    const comment = await CommentModel.findOne({ responseId }).lean()
    assert.ok(comment?.flag, 'the comment was flagged')
    return comment
  }

  it('emails the team duty address exactly once, without the words, with a link to the flag', async () => {
    const response = await giveResponse(t, north, { texts: { 'do-better': DISCLOSURE } })
    const comment = await flaggedComment(response._id)
    assert.deepEqual(comment.flag?.matched, ['hit me', 'scared'])

    const mail = await OutboxMessageModel.find({ purpose: 'safeguarding' }).lean()
    assert.equal(mail.length, 1)
    const [message] = mail
    assert.equal(message!.to, 'north-duty@council.example')
    for (const field of [message!.subject, message!.text, message!.html ?? '']) {
      assert.ok(!field.includes(DISCLOSURE), 'the comment is not in the email')
      assert.ok(!/hit me|scared/i.test(field), 'nor are the matched words')
    }
    assert.match(
      message!.text,
      /A response to "Your experience of our service" for North Locality may need attention/,
    )
    assert.ok(message!.text.includes(`http://family-voice.test/feedback/attention/${String(comment._id)}`))
    assert.match(message!.subject, /North Locality/)
  })

  it('sends nothing for comments without worry words, and falls back to SAFEGUARDING_EMAIL', async () => {
    await giveResponse(t, north, { texts: { 'went-well': 'Very helpful, thank you' } })
    assert.equal(await OutboxMessageModel.countDocuments({ purpose: 'safeguarding' }), 1)

    await giveResponse(t, noDuty, { texts: { 'went-well': 'I feel unsafe at home' } })
    const latest = await OutboxMessageModel.findOne({ purpose: 'safeguarding' })
      .sort({ createdAt: -1, _id: -1 })
      .lean()
    assert.equal(await OutboxMessageModel.countDocuments({ purpose: 'safeguarding' }), 2)
    assert.equal(latest?.to, 'safeguarding-hub@council.example')
  })

  it('shows managers their own teams flags only, with the words and text, and audits the view', async () => {
    const southResponse = await giveResponse(t, south, { texts: { 'do-better': 'South: they hurt me' } })
    const southFlag = await flaggedComment(southResponse._id)

    const page = await manager.get('/feedback/attention').expect(200)
    const text = visibleText(page)
    assert.ok(text.includes(DISCLOSURE))
    assert.match(text, /hit me/)
    assert.match(text, /North Locality/)
    assert.ok(!text.includes('South: they hurt me'), "another team's flag is not listed")
    assert.ok(!text.includes('I feel unsafe at home'))
    assert.ok(
      await AuditEventModel.exists({
        userId: managerUser._id,
        action: 'free-text.viewed',
        target: 'needs attention',
      }),
    )

    await manager.get(`/feedback/attention/${String(southFlag._id)}`).expect(404)
    const csrf = await csrfFrom(manager, '/feedback/attention')
    await manager
      .post(`/feedback/attention/${String(southFlag._id)}`)
      .type('form')
      .send({ _csrf: csrf, note: 'trying' })
      .expect(404)
    assert.equal((await flaggedComment(southResponse._id)).flag?.acknowledgedAt, undefined)
    await manager.get('/feedback/attention/not-an-id').expect(404)

    const qaPage = await qa.get('/feedback/attention').expect(200)
    assert.ok(visibleText(qaPage).includes('South: they hurt me'), 'QA sees every team')

    const notFlagged = await CommentModel.findOne({ text: 'Very helpful, thank you' }).lean()
    await qa.get(`/feedback/attention/${String(notFlagged!._id)}`).expect(404)
  })

  it('records who acknowledged a flag, when, and what they did; unacknowledged flags stay first', async () => {
    const comment = await CommentModel.findOne({ text: DISCLOSURE }).lean()
    const id = String(comment!._id)
    const detail = await manager.get(`/feedback/attention/${id}`).expect(200)
    assert.ok(visibleText(detail).includes(DISCLOSURE))
    assert.ok(await AuditEventModel.exists({ action: 'free-text.viewed', target: `comment ${id}` }))

    const csrf = await csrfFrom(manager, `/feedback/attention/${id}`)
    t.clock.set('2026-11-23T10:05:00Z')
    const done = await manager
      .post(`/feedback/attention/${id}`)
      .type('form')
      .send({
        _csrf: csrf,
        note: 'Called the family; referred to the Family Front Door',
        toldWho: 'Duty manager, Family Front Door',
      })
      .expect(303)
    assert.equal(done.headers.location, '/feedback/attention?done=acknowledged')

    const stored = await CommentModel.findById(id).lean()
    assert.equal(String(stored?.flag?.acknowledgedBy), String(managerUser._id))
    assert.equal(stored?.flag?.acknowledgedAt?.toISOString(), '2026-11-23T10:05:00.000Z')
    assert.equal(stored?.flag?.acknowledgementNote, 'Called the family; referred to the Family Front Door')
    assert.equal(stored?.flag?.toldWho, 'Duty manager, Family Front Door')
    assert.equal(stored?.flag?.outcome, 'acted')
    assert.ok(
      await AuditEventModel.exists({ action: 'safeguarding-flag.acknowledged', target: `comment ${id}` }),
    )

    // A second acknowledgement (another tab, another person) changes nothing.
    const qaCsrf = await csrfFrom(qa, '/feedback/attention')
    t.clock.set('2026-11-23T10:06:00Z')
    const again = await qa.post(`/feedback/attention/${id}`).type('form').send({ _csrf: qaCsrf }).expect(303)
    assert.equal(again.headers.location, '/feedback/attention?done=already')
    const unchanged = await CommentModel.findById(id).lean()
    assert.equal(String(unchanged?.flag?.acknowledgedBy), String(managerUser._id))
    assert.equal(unchanged?.flag?.acknowledgedAt?.toISOString(), '2026-11-23T10:05:00.000Z')

    // QA's list: the open flags come before the acknowledged one, which shows who and what.
    const list = visibleText(await qa.get('/feedback/attention').expect(200))
    assert.ok(list.indexOf('South: they hurt me') < list.indexOf(DISCLOSURE), 'open flags first')
    assert.ok(list.indexOf('I feel unsafe at home') < list.indexOf(DISCLOSURE))
    assert.match(list, /Waiting for someone to act \(2\)/)
    assert.match(list, /Acknowledged by Morgan Manager on 23 November 2026 at 10:05/)
    assert.match(list, /Called the family; referred to the Family Front Door/)
    assert.match(list, /Who was told Duty manager, Family Front Door/)
  })

  it('refuses an over-long note with a 400 and keeps the flag open', async () => {
    const response = await giveResponse(t, north, { texts: { 'went-well': 'I am frightened' } })
    const comment = await flaggedComment(response._id)
    const csrf = await csrfFrom(manager, `/feedback/attention/${String(comment._id)}`)
    const page = await manager
      .post(`/feedback/attention/${String(comment._id)}`)
      .type('form')
      .send({ _csrf: csrf, note: 'x'.repeat(2001) })
      .expect(400)
    assert.match(visibleText(page), /What was done must be 2000 characters or fewer/)
    assert.equal((await flaggedComment(response._id)).flag?.acknowledgedAt, undefined)
  })

  it('keeps the response and the flag when the alert cannot be queued', async () => {
    const realMail = t.services.mail
    t.services.mail = {
      enqueue: () => Promise.reject(new Error('outbox unavailable')),
    } as unknown as MailQueue
    const logged: unknown[] = []
    const realError = log.error
    log.error = ((...args: unknown[]) => logged.push(args)) as typeof log.error
    try {
      const response = await giveResponse(t, north, { texts: { 'went-well': 'I want to run away' } })
      const comment = await flaggedComment(response._id)
      assert.deepEqual(comment.flag?.matched, ['run away'])
    } finally {
      t.services.mail = realMail
      log.error = realError
    }
    assert.equal(logged.length, 1, 'the failure is logged')
  })

  it('reads SAFEGUARDING_EMAIL as an email address or stops with one sentence', () => {
    assert.equal(
      loadConfig({ SAFEGUARDING_EMAIL: 'hub@council.example' }).safeguardingEmail,
      'hub@council.example',
    )
    assert.equal(loadConfig({}).safeguardingEmail, undefined)
    assert.throws(() => loadConfig({ SAFEGUARDING_EMAIL: 'the hub' }), {
      message: 'Configuration error: SAFEGUARDING_EMAIL must be an email address.',
    })
  })
})
