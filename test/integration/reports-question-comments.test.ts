/**
 * From a question on the dashboard, QA opens the comments given with its answers (approved or
 * awaiting review), as survey tools let you open the responses behind a chart. Free text, so the
 * access policy decides whose comments ('read-free-text'; pending ones for reviewers only), a
 * comment with an open safeguarding flag is held back (counted, never shown), and each view is audited.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { createTeam, createUser, signIn } from '../helpers/factories'
import type { Agent } from '../helpers/respond'
import { plainText } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'
import { giveResponse } from './feedback-fixtures'

const Q = 'survey=closure-family&period=2022-23-Q1'
const PAGE = `/reports/comments?${Q}&question=share-views`

describe('comments given with a question, from the report', () => {
  const t = useTestApp({ now: '2022-08-01T10:00:00Z' })
  let qa: Agent, manager: Agent, practitioner: Agent

  before(async () => {
    const riverside = await createTeam('Riverside Locality', 'Locality')
    const hilltop = await createTeam('Hilltop Locality', 'Locality')
    const at = '2022-05-10T10:00:00Z'
    const give = (team: typeof riverside, answer: string | undefined, text: string) =>
      giveResponse(t, team, {
        submittedAt: at,
        answers: answer ? { 'share-views': answer } : {},
        texts: { 'went-well': text },
      })
    const approved = [
      await give(riverside, 'yes', 'She always listened to us'),
      await give(hilltop, 'yes', 'The Hilltop worker was kind'),
      await give(riverside, undefined, 'A comment from someone who skipped the question'),
    ]
    await give(riverside, 'no', 'Nobody called me back')
    await give(riverside, 'no', 'I felt scared of my ex-partner when he came round')
    await CommentModel.updateMany(
      { responseId: { $in: approved.map((response) => response._id) } },
      { $set: { 'review.status': 'approved' } },
    )
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
    manager = await signIn(t.app, await createUser({ role: 'manager', teams: [riverside] }))
    practitioner = await signIn(t.app, await createUser({ role: 'practitioner', teams: [riverside] }))
  })

  it('shows QA the approved and awaiting-review comments of those who answered, holding back an open flag', async () => {
    const before = await AuditEventModel.countDocuments({ action: 'free-text.viewed' })
    const page = plainText((await qa.get(PAGE).expect(200)).text)
    assert.match(
      page,
      /Comments given with: Did your worker give you chances to share your views and opinions\?/,
    )
    assert.match(
      page,
      /“She always listened to us” Answered “Yes”\. Asked: What went well while we were working with you\? Team: Riverside Locality\. Approved/,
    )
    assert.match(page, /“Nobody called me back” Answered “No”\..*Awaiting review/)
    assert.match(page, /The Hilltop worker was kind/)
    assert.doesNotMatch(page, /skipped the question/, 'only comments given with an answer to this question')
    assert.doesNotMatch(page, /scared/, 'an open safeguarding flag is never shown as a comment')
    assert.match(page, /1 comment is not shown because of an open safeguarding flag\./)
    assert.equal(await AuditEventModel.countDocuments({ action: 'free-text.viewed' }), before + 1)

    const riversideOnly = plainText((await qa.get(`${PAGE}&team=Riverside%20Locality`).expect(200)).text)
    assert.doesNotMatch(riversideOnly, /Hilltop worker/)
    assert.match(riversideOnly, /She always listened/)
  })

  it('shows the comment once its flag is acknowledged', async () => {
    await CommentModel.updateOne({ text: /scared/ }, { $set: { 'flag.acknowledgedAt': t.clock.now() } })
    try {
      const page = plainText((await qa.get(PAGE).expect(200)).text)
      assert.match(page, /I felt scared of my ex-partner/)
      assert.doesNotMatch(page, /open safeguarding flag\./)
    } finally {
      await CommentModel.updateOne({ text: /scared/ }, { $unset: { 'flag.acknowledgedAt': 1 } })
    }
  })

  it("follows the access policy: a manager reads only their teams' approved comments, a practitioner none", async () => {
    const page = plainText((await manager.get(PAGE).expect(200)).text)
    assert.match(page, /She always listened to us/)
    assert.doesNotMatch(page, /Nobody called me back/, 'awaiting review is for reviewers')
    assert.doesNotMatch(page, /Hilltop worker/, "another team's comments")
    await practitioner.get(PAGE).expect(403)
    const dashboard = (await practitioner.get(`/reports?${Q}`).expect(200)).text
    assert.doesNotMatch(dashboard, /\/reports\/comments/, 'no link for those who may not read free text')
    const qaDashboard = (await qa.get(`/reports?${Q}`).expect(200)).text
    assert.match(
      qaDashboard,
      /href="\/reports\/comments\?survey=closure-family&amp;period=2022-23-Q1&amp;question=share-views"/,
    )
  })

  it('answers an unknown question or a bad filter with a 400', async () => {
    await qa.get(`/reports/comments?${Q}&question=nope`).expect(400)
    await qa.get(`/reports/comments?${Q}`).expect(400)
    await qa.get(`/reports/comments?survey=closure-family&period=2022-23-Q9&question=share-views`).expect(400)
  })
})
