import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { approvedQuotes } from '../../server/feedback/quotes'
import type { Team } from '../../server/teams/team'
import type { User } from '../../server/staff/user'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { csrfFrom, giveResponse } from './feedback-fixtures'

describe('free text review queue', () => {
  const t = useTestApp({ now: '2021-03-20T12:00:00Z' })
  let north: Team, south: Team, qaUser: User, qa: Agent

  before(async () => {
    north = await createTeam('North Locality')
    south = await createTeam('South Assessment', 'Family Front Door')
    qaUser = await createUser({ role: 'qa', name: 'Quinn Assure' })
    qa = await signIn(t.app, qaUser)
  })

  async function commentFor(responseId: unknown, question = 'went-well') {
    const comment = await CommentModel.findOne({ responseId, question }).lean()
    assert.ok(comment, 'the comment was stored')
    return comment
  }

  it('lists pending comments newest first with their survey, question, team and period, and audits the view', async () => {
    await giveResponse(t, north, {
      texts: { 'went-well': 'Older comment about North' },
      submittedAt: '2021-02-01T10:00:00Z',
    })
    await giveResponse(t, south, {
      texts: { 'do-better': 'Newer comment about South' },
      submittedAt: '2021-03-01T10:00:00Z',
    })
    const before = await AuditEventModel.countDocuments({ action: 'free-text.viewed' })

    const page = await qa.get('/feedback/review').expect(200)
    const text = visibleText(page)
    assert.ok(
      text.indexOf('Newer comment about South') < text.indexOf('Older comment about North'),
      'newest first',
    )
    assert.ok(text.indexOf('Older comment about North') > -1)
    assert.match(text, /Your experience of our service/)
    assert.match(text, /2020\/21 Q4/)
    assert.match(text, /South Assessment/)

    const audits = await AuditEventModel.find({ action: 'free-text.viewed' }).sort({ at: 1 }).lean()
    assert.equal(audits.length, before + 1, 'exactly one audit event per page view')
    const last = audits[audits.length - 1]!
    assert.equal(String(last.userId), String(qaUser._id))
    assert.match(last.detail ?? '', /survey=all; team=all; status=pending/)
  })

  it('filters by survey, team and status, and rejects nonsense filters with a 400', async () => {
    const filtered = await qa.get(`/feedback/review?team=${String(north._id)}`).expect(200)
    assert.match(visibleText(filtered), /Older comment about North/)
    assert.doesNotMatch(visibleText(filtered), /Newer comment about South/)
    const audit = await AuditEventModel.findOne({ action: 'free-text.viewed' })
      .sort({ at: -1, _id: -1 })
      .lean()
    assert.match(audit?.detail ?? '', new RegExp(`team=${String(north._id)}`))

    const none = await qa.get('/feedback/review?status=approved&survey=closure-family').expect(200)
    assert.doesNotMatch(visibleText(none), /comment about/)

    assert.match(
      (await qa.get('/feedback/review?survey=nope').expect(400)).text,
      /Choose a survey from the list/,
    )
    await qa.get('/feedback/review?team=not-an-id').expect(400)
    await qa.get('/feedback/review?status=deleted').expect(400)
    await qa.get('/feedback/review?page=-1').expect(400)
    await qa.get('/feedback/review?survey=a&survey=b').expect(400)
    await qa.get('/feedback/review/not-an-id').expect(404)
    await qa.get('/feedback/review/0123456789abcdef01234567').expect(404)
  })

  it('approves with a redaction: the original is kept and the quote uses the redacted text', async () => {
    const response = await giveResponse(t, north, {
      texts: { 'went-well': 'Sarah Smith helped me through the rough times' },
      submittedAt: '2021-03-10T10:00:00Z',
    })
    const comment = await commentFor(response._id)
    const csrf = await csrfFrom(qa, '/feedback/review')
    t.clock.set('2021-03-20T12:10:00Z')
    const posted = await qa
      .post(`/feedback/review/${String(comment._id)}`)
      .type('form')
      .send({
        _csrf: csrf,
        decision: 'approve',
        redactedText: '[Worker] helped me through the rough times',
        returnQuery: 'status=pending&survey=closure-family',
      })
      .expect(303)
    assert.equal(
      posted.headers.location,
      '/feedback/review?survey=closure-family&status=pending&done=approved',
    )

    const stored = await commentFor(response._id)
    assert.equal(
      stored.text,
      'Sarah Smith helped me through the rough times',
      'the original is never changed',
    )
    assert.equal(stored.review.status, 'approved')
    assert.equal(stored.review.redactedText, '[Worker] helped me through the rough times')
    assert.equal(String(stored.review.reviewedBy), String(qaUser._id))
    assert.equal(stored.review.reviewedAt?.toISOString(), '2021-03-20T12:10:00.000Z')

    const quotes = await approvedQuotes({ surveyId: 'closure-family' })
    assert.deepEqual(
      quotes.map((q) => q.text),
      ['[Worker] helped me through the rough times'],
    )
    assert.equal(quotes[0]!.teamName, 'North Locality')
    assert.equal(quotes[0]!.question, 'went-well')
    assert.equal(quotes[0]!.quarter, '2020/21 Q4')
    assert.ok(
      await AuditEventModel.exists({
        action: 'free-text.approved',
        target: `comment ${String(comment._id)}`,
      }),
    )

    const done = await qa.get(posted.headers.location!).expect(200)
    assert.match(visibleText(done), /The comment was approved for quoting/)
  })

  it('approves as written without storing a redaction, and rejected or pending comments are never quoted', async () => {
    const asWritten = await giveResponse(t, south, {
      texts: { 'went-well': 'Thank you for being there when I needed help' },
      submittedAt: '2021-03-11T10:00:00Z',
    })
    const rejected = await giveResponse(t, south, {
      texts: { 'went-well': 'Do not quote this one' },
      submittedAt: '2021-03-12T10:00:00Z',
    })
    await giveResponse(t, south, {
      texts: { 'went-well': 'Still pending' },
      submittedAt: '2021-03-13T10:00:00Z',
    })
    const asWrittenComment = await commentFor(asWritten._id)
    const rejectedComment = await commentFor(rejected._id)

    const csrf = await csrfFrom(qa, '/feedback/review')
    await qa
      .post(`/feedback/review/${String(asWrittenComment._id)}`)
      .type('form')
      .send({ _csrf: csrf, decision: 'approve', redactedText: asWrittenComment.text })
      .expect(303)
    await qa
      .post(`/feedback/review/${String(rejectedComment._id)}`)
      .type('form')
      .send({ _csrf: csrf, decision: 'reject' })
      .expect(303)

    const approved = await commentFor(asWritten._id)
    assert.equal(approved.review.status, 'approved')
    assert.equal(approved.review.redactedText, undefined)
    const stillRejected = await commentFor(rejected._id)
    assert.equal(stillRejected.review.status, 'rejected')
    assert.equal(stillRejected.text, 'Do not quote this one')
    assert.equal(String(stillRejected.review.reviewedBy), String(qaUser._id))

    const quotes = await approvedQuotes({
      surveyId: 'closure-family',
      period: { field: 'period.quarter', value: '2020-21-Q4' },
    })
    const texts = quotes.map((q) => q.text)
    assert.deepEqual(texts, [
      'Thank you for being there when I needed help',
      '[Worker] helped me through the rough times',
    ])
    assert.ok(!texts.includes('Do not quote this one'))
    assert.ok(!texts.includes('Still pending'))

    const southOnly = await approvedQuotes({ surveyId: 'closure-family', teamIds: [south._id], limit: 1 })
    assert.deepEqual(
      southOnly.map((q) => q.text),
      ['Thank you for being there when I needed help'],
    )
    assert.deepEqual(
      await approvedQuotes({
        surveyId: 'closure-family',
        period: { field: 'period.quarter', value: '2021-22-Q1' },
      }),
      [],
    )
    const inRange = await approvedQuotes({
      surveyId: 'closure-family',
      range: { start: new Date('2021-03-10T00:00:00Z'), end: new Date('2021-03-11T00:00:00Z') },
    })
    assert.deepEqual(
      inRange.map((q) => q.text),
      ['[Worker] helped me through the rough times'],
    )
  })

  it('asks again, with a 400 and the error summary, when the version to quote is emptied', async () => {
    const response = await giveResponse(t, north, { texts: { 'do-better': 'Call me back' } })
    const comment = await commentFor(response._id, 'do-better')
    const csrf = await csrfFrom(qa, '/feedback/review')
    const page = await qa
      .post(`/feedback/review/${String(comment._id)}`)
      .type('form')
      .send({ _csrf: csrf, decision: 'approve', redactedText: '   ' })
      .expect(400)
    assert.match(page.text, /govuk-error-summary/)
    assert.match(visibleText(page), /Enter the version to quote, or reject the comment/)
    assert.equal((await commentFor(response._id, 'do-better')).review.status, 'pending')

    await qa
      .post(`/feedback/review/${String(comment._id)}`)
      .type('form')
      .send({ _csrf: csrf, decision: 'delete' })
      .expect(400)
    await qa
      .post('/feedback/review/0123456789abcdef01234567')
      .type('form')
      .send({ _csrf: csrf, decision: 'reject' })
      .expect(404)
    await qa
      .post(`/feedback/review/${String(comment._id)}`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&decision=approve&decision=reject`)
      .expect(400)
  })

  it('pages the queue twenty at a time, newest first', async () => {
    const busy = await createTeam('Busy Early Help', 'Early Help')
    for (let day = 1; day <= 21; day++) {
      await giveResponse(t, busy, {
        texts: { 'went-well': `Busy comment ${day}` },
        submittedAt: `2021-01-${String(day).padStart(2, '0')}T10:00:00Z`,
      })
    }
    const count = (html: string) => (html.match(/class="govuk-summary-card"/g) ?? []).length
    const first = await qa.get(`/feedback/review?team=${String(busy._id)}`).expect(200)
    assert.equal(count(first.text), 20)
    assert.match(visibleText(first), /Busy comment 21 .*Busy comment 2\b/)
    assert.match(first.text, /rel="next"/)
    const second = await qa.get(`/feedback/review?team=${String(busy._id)}&page=2`).expect(200)
    assert.equal(count(second.text), 1)
    assert.match(visibleText(second), /Busy comment 1\b/)
    assert.match(visibleText(second), /Page 2 of 2/)
    const beyond = await qa.get(`/feedback/review?team=${String(busy._id)}&page=99`).expect(200)
    assert.match(visibleText(beyond), /Page 2 of 2/)
  })

  it('shows hostile free text escaped', async () => {
    await giveResponse(t, north, { texts: { 'went-well': '<script>alert(1)</script>' } })
    const page = await qa.get('/feedback/review').expect(200)
    assert.ok(!page.text.includes('<script>alert(1)</script>'), 'the script tag is not in the page as markup')
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  })

  it('is for QA and admins only: practitioners and managers get 403, signed-out people go to sign in', async () => {
    const practitioner = await signIn(t.app, await createUser({ role: 'practitioner', teams: [north] }))
    for (const path of [
      '/feedback/review',
      '/feedback/attention',
      '/feedback/export',
      '/feedback/export.csv',
    ]) {
      await practitioner.get(path).expect(403)
    }
    const comment = await CommentModel.findOne().lean()
    await practitioner.get(`/feedback/review/${String(comment!._id)}`).expect(403)
    await practitioner.get(`/feedback/attention/${String(comment!._id)}`).expect(403)

    const manager = await signIn(t.app, await createUser({ role: 'manager', teams: [north] }))
    await manager.get('/feedback/review').expect(403)
    const csrf = await csrfFrom(manager, '/feedback/attention')
    await manager
      .post(`/feedback/review/${String(comment!._id)}`)
      .type('form')
      .send({ _csrf: csrf, decision: 'approve' })
      .expect(403)
    await manager.get('/feedback/export.csv?survey=closure-family&period=2020-21-Q4').expect(403)

    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    await admin.get('/feedback/review').expect(200)

    const anonymous = await request(t.app).get('/feedback/review').expect(303)
    assert.match(anonymous.headers.location ?? '', /^\/sign-in/)
  })
})
