/**
 * Safeguarding comes first: a comment whose flag is open cannot be approved, quoted or shown in a
 * report; closing a flag needs what was done and who was told (or why it is not a concern); and
 * an alert raised while mail is down (SMTP, or the outbox itself) still goes out later.
 */
import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { queueDueSafeguardingAlerts } from '../../server/feedback/safeguarding'
import type { MailQueue } from '../../server/mail/mailQueue'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { MAX_ATTEMPTS, OutboxWorker } from '../../server/mail/outboxWorker'
import type { Team } from '../../server/teams/team'
import type { User } from '../../server/staff/user'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestAppWithMail } from '../helpers/hooks'
import { csrfFrom, giveResponse, setDutyEmail } from './feedback-fixtures'

const DISCLOSURE = 'Mum said she felt scared of her ex-partner'
const QUARTERLY = '/reports/quarterly?survey=closure-family&period=2026-27-Q3'

describe('safeguarding before quoting, and flags never lost', () => {
  const { t, smtp } = useTestAppWithMail({ now: '2026-11-23T10:00:00Z' })
  let north: Team, qaUser: User, qa: Agent, managerUser: User, manager: Agent

  before(async () => {
    north = await createTeam('North Locality')
    await setDutyEmail(north, 'north-duty@council.example')
    qaUser = await createUser({ role: 'qa', name: 'Quinn Assure' })
    qa = await signIn(t.app, qaUser)
    managerUser = await createUser({ role: 'manager', teams: [north], name: 'Morgan Manager' })
    manager = await signIn(t.app, managerUser)
  })
  beforeEach(async () => {
    smtp.received.length = 0
    await smtp.restart()
  })

  async function flagged(text: string) {
    const response = await giveResponse(t, north, { texts: { 'went-well': text } })
    const comment = await CommentModel.findOne({ responseId: response._id }).lean()
    assert.ok(comment?.flag, 'the comment was flagged')
    return { comment, id: String(comment._id) }
  }

  const approve = async (id: string, status: number) => {
    const csrf = await csrfFrom(qa, '/feedback/review')
    return qa
      .post(`/feedback/review/${id}`)
      .type('form')
      .send({ _csrf: csrf, decision: 'approve' })
      .expect(status)
  }

  it('an open flag shows on the review card with its status and link, and cannot be approved', async () => {
    const { id } = await flagged(DISCLOSURE)
    const list = await qa.get('/feedback/review').expect(200)
    const card = list.text.slice(list.text.indexOf(`comment-${id}-title`))
    const cardEnd = card.indexOf('</section>')
    const cardHtml = card.slice(0, cardEnd)
    assert.match(visibleText(cardHtml), /Safeguarding flag: Open: waiting for someone to act/)
    assert.match(cardHtml, new RegExp(`href="/feedback/attention/${id}"`))
    assert.doesNotMatch(cardHtml, /value="approve"/, 'no approve button while the flag is open')
    assert.match(cardHtml, /value="reject"/)

    const refused = await approve(id, 409)
    assert.match(visibleText(refused), /open safeguarding flag/)
    assert.equal((await CommentModel.findById(id).lean())?.review.status, 'pending')
    assert.ok(!(await AuditEventModel.exists({ action: 'free-text.approved', target: `comment ${id}` })))
  })

  it('keeps a comment approved before its flag out of every report until the flag is acknowledged', async () => {
    const { id } = await flagged('I was scared but the worker was brilliant')
    // As if approved before this rule existed: the quote query itself must hold it back.
    await CommentModel.updateOne({ _id: id }, { $set: { 'review.status': 'approved' } })
    const report = visibleText(await qa.get(QUARTERLY).expect(200))
    assert.ok(!report.includes('I was scared but the worker was brilliant'))
  })

  it('acknowledging needs what was done and who was told; then the comment can be quoted', async () => {
    const { id } = await flagged('I feel unsafe when he visits')
    const csrf = await csrfFrom(manager, `/feedback/attention/${id}`)

    const missingTold = await manager
      .post(`/feedback/attention/${id}`)
      .type('form')
      .send({ _csrf: csrf, note: 'Rang the family' })
      .expect(400)
    assert.match(missingTold.text, /govuk-error-summary/)
    assert.match(visibleText(missingTold), /Enter who was told/)
    assert.match(missingTold.text, /Rang the family<\/textarea>/, 'what was typed is kept')
    const missingBoth = await manager
      .post(`/feedback/attention/${id}`)
      .type('form')
      .send({ _csrf: csrf, note: '  ', toldWho: '' })
      .expect(400)
    assert.match(visibleText(missingBoth), /Enter what was done.*Enter who was told/)
    assert.equal((await CommentModel.findById(id).lean())?.flag?.acknowledgedAt, undefined)

    t.clock.set('2026-11-23T10:30:00Z')
    await manager
      .post(`/feedback/attention/${id}`)
      .type('form')
      .send({ _csrf: csrf, note: 'Rang the family; home visit booked', toldWho: 'Duty manager' })
      .expect(303)
    const stored = await CommentModel.findById(id).lean()
    assert.equal(stored?.flag?.outcome, 'acted')
    assert.equal(stored?.flag?.toldWho, 'Duty manager')
    assert.equal(String(stored?.flag?.acknowledgedBy), String(managerUser._id))
    assert.equal(stored?.flag?.acknowledgedAt?.toISOString(), '2026-11-23T10:30:00.000Z')

    const card = visibleText(await qa.get(`/feedback/review/${id}`).expect(200))
    assert.match(card, /Safeguarding flag: Acknowledged \(Morgan Manager, 23 November 2026 at 10:30\)/)
    await approve(id, 303)
    assert.ok(visibleText(await qa.get(QUARTERLY).expect(200)).includes('I feel unsafe when he visits'))
  })

  it('marks a flag "not a safeguarding concern" only with a reason, recorded and audited', async () => {
    const { id } = await flagged('The film was so scared-making my son loved it')
    const csrf = await csrfFrom(qa, `/feedback/attention/${id}`)
    const page = await qa.get(`/feedback/attention/${id}`).expect(200)
    assert.match(page.text, new RegExp(`action="/feedback/attention/${id}/not-a-concern"`))

    const noReason = await qa
      .post(`/feedback/attention/${id}/not-a-concern`)
      .type('form')
      .send({ _csrf: csrf, reason: ' ' })
      .expect(400)
    assert.match(visibleText(noReason), /Enter why this is not a safeguarding concern/)
    assert.equal((await CommentModel.findById(id).lean())?.flag?.acknowledgedAt, undefined)

    t.clock.set('2026-11-23T11:00:00Z')
    const done = await qa
      .post(`/feedback/attention/${id}/not-a-concern`)
      .type('form')
      .send({ _csrf: csrf, reason: 'About a film, not about harm' })
      .expect(303)
    assert.equal(done.headers.location, '/feedback/attention?done=not-a-concern')
    const stored = await CommentModel.findById(id).lean()
    assert.equal(stored?.flag?.outcome, 'not-a-concern')
    assert.equal(stored?.flag?.notConcernReason, 'About a film, not about harm')
    assert.equal(String(stored?.flag?.acknowledgedBy), String(qaUser._id))
    const audit = await AuditEventModel.findOne({
      action: 'safeguarding-flag.not-a-concern',
      target: `comment ${id}`,
    }).lean()
    assert.equal(String(audit?.userId), String(qaUser._id))
    assert.ok(!(audit?.detail ?? '').includes('film'), 'the words stay on the flag, not in the trail')

    const list = visibleText(await qa.get('/feedback/attention').expect(200))
    assert.match(list, /Not a safeguarding concern marked by Quinn Assure on 23 November 2026 at 11:00/)
    assert.match(list, /About a film, not about harm/)
    // A closed flag cannot be closed again, either way.
    await qa
      .post(`/feedback/attention/${id}`)
      .type('form')
      .send({ _csrf: csrf, note: 'x', toldWho: 'y' })
      .expect(303)
      .expect('Location', '/feedback/attention?done=already')
    assert.equal((await CommentModel.findById(id).lean())?.flag?.outcome, 'not-a-concern')
  })

  it('of eight people closing one flag at once, exactly one is recorded', async () => {
    const { id } = await flagged('he hit me')
    const csrf = await csrfFrom(qa, `/feedback/attention/${id}`)
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? qa
              .post(`/feedback/attention/${id}`)
              .type('form')
              .send({ _csrf: csrf, note: `acted ${i}`, toldWho: 'Duty manager' })
          : qa
              .post(`/feedback/attention/${id}/not-a-concern`)
              .type('form')
              .send({ _csrf: csrf, reason: `reason ${i}` }),
      ),
    )
    const locations = answers.map((answer) => answer.headers.location)
    assert.equal(locations.filter((l) => l === '/feedback/attention?done=already').length, 7)
    const audits = await AuditEventModel.countDocuments({
      action: { $in: ['safeguarding-flag.acknowledged', 'safeguarding-flag.not-a-concern'] },
      target: `comment ${id}`,
    })
    assert.equal(audits, 1)
  })

  it('a flag raised while the mail server is down is visible at once and emailed when it is back', async () => {
    await OutboxMessageModel.deleteMany({})
    await smtp.stop()
    const { id } = await flagged('I want to run away from home')
    assert.ok(visibleText(await manager.get('/feedback/attention').expect(200)).includes('run away'))

    const worker = new OutboxWorker(t.services)
    // Far more failed tries than an invitation gets: a safeguarding alert is never given up.
    for (let i = 0; i < MAX_ATTEMPTS + 4; i++) {
      assert.equal((await worker.runOnce()).retrying, 1)
      t.clock.set(new Date(t.clock.now().getTime() + 31 * 60 * 1000))
    }
    const waiting = await OutboxMessageModel.findOne({ purpose: 'safeguarding' }).lean()
    assert.equal(waiting?.status, 'pending')
    assert.equal(waiting?.attempts, MAX_ATTEMPTS + 4)

    await smtp.restart()
    assert.equal((await worker.runOnce()).sent, 1)
    const [email] = await smtp.waitFor(1)
    assert.deepEqual(email!.to, ['north-duty@council.example'])
    assert.ok(email!.text.includes(`/feedback/attention/${id}`))
  })

  it('a flag whose alert could not be written to the outbox is queued later, once, by the job', async () => {
    await OutboxMessageModel.deleteMany({})
    const realMail = t.services.mail
    const realError = console.error
    t.services.mail = { enqueue: () => Promise.reject(new Error('outbox down')) } as unknown as MailQueue
    console.error = () => undefined
    let id: string
    try {
      ;({ id } = await flagged('I am frightened of him'))
      assert.equal((await queueDueSafeguardingAlerts(t.services)) as number, 0)
    } finally {
      t.services.mail = realMail
      console.error = realError
    }
    assert.equal(await OutboxMessageModel.countDocuments({ purpose: 'safeguarding' }), 0)
    assert.equal((await CommentModel.findById(id).lean())?.alertState, 'due')
    // The clock has moved on hours since the sign-in above: a fresh session.
    const freshManager = await signIn(t.app, managerUser)
    const page = await freshManager.get('/feedback/attention').expect(200)
    assert.ok(visibleText(page).includes('frightened of him'))

    // Several processes running the job at once queue it exactly once.
    const queued = await Promise.all(Array.from({ length: 6 }, () => queueDueSafeguardingAlerts(t.services)))
    assert.equal(
      queued.reduce((a, b) => a + b, 0),
      1,
    )
    const mail = await OutboxMessageModel.find({ purpose: 'safeguarding' }).lean()
    assert.equal(mail.length, 1)
    assert.ok(mail[0]!.text.includes(`/feedback/attention/${id}`))
    assert.equal((await CommentModel.findById(id).lean())?.alertState, 'queued')
    assert.equal(await queueDueSafeguardingAlerts(t.services), 0)
  })

  it('an alert the duty address refuses (550) goes once to SAFEGUARDING_EMAIL instead', async () => {
    await OutboxMessageModel.deleteMany({})
    t.services.config.safeguardingEmail = 'safeguarding-hub@council.example'
    smtp.rejectRecipient('north-duty@council.example')
    try {
      const { id } = await flagged('he hurt me again')
      const worker = new OutboxWorker(t.services)
      // The refusal and the redirected alert, delivered in the same run.
      assert.deepEqual(await worker.runOnce(), { sent: 1, kept: 0, retrying: 0, failed: 1, cancelled: 0 })
      assert.deepEqual(await worker.runOnce(), { sent: 0, kept: 0, retrying: 0, failed: 0, cancelled: 0 })
      const [email] = await smtp.waitFor(1)
      assert.deepEqual(email!.to, ['safeguarding-hub@council.example'])
      assert.match(email!.text, /duty address \(north-duty@council.example\) refused this alert/)
      assert.ok(email!.text.includes(`/feedback/attention/${id}`))
      assert.ok(!email!.text.includes('hurt me'), 'still without the words')
      assert.equal(await OutboxMessageModel.countDocuments({ purpose: 'safeguarding' }), 2)
    } finally {
      t.services.config.safeguardingEmail = undefined
    }
  })
})
