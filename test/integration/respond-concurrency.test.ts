import assert from 'node:assert/strict'
import type { Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import request from 'supertest'
import { CommentModel } from '../../server/comments/comment'
import { InvitationModel } from '../../server/invitations/invitation'
import { ResponseModel } from '../../server/responses/response'
import { createTeam, issueInvitation } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink } from '../helpers/respond'
import { startTestApp, type TestApp } from '../helpers/testApp'

describe('one link, many submissions at once', () => {
  let t: TestApp, server: Server
  before(async () => {
    t = await startTestApp()
    server = t.app.listen(0, '127.0.0.1')
  })
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await t.close()
  })

  it('stores exactly one response for 50 concurrent posts from the same session, and every reply thanks the family', async () => {
    const team = await createTeam('Children with Disabilities', 'Children with Disabilities')
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { visit, csrf } = await openSurveyLink(server, token)
    const cookie = String(visit.headers['set-cookie']).split(';')[0]!
    const body = formBody({ _csrf: csrf, 'q-share-views': 'yes', 'q-went-well': 'Kind and patient.' })

    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(server).post('/survey').set('Cookie', cookie).type('form').send(body),
      ),
    )

    const statuses = replies.map((reply) => reply.status)
    // Every POST answers 303 (POST-redirect-GET), so the one that stored the answers looks like
    // the others from outside; the database counts below prove there was exactly one.
    assert.ok(
      replies.every((reply) => reply.status === 303 && reply.headers.location === '/survey/thank-you'),
      `every reply redirects to the thank-you page; got ${JSON.stringify(statuses)}`,
    )
    const thanks = await request(server).get('/survey/thank-you').set('Cookie', cookie).expect(200)
    assert.match(visibleText(thanks), /Thank you Your answers have been sent/)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
    assert.equal(await ResponseModel.countDocuments({}), 1)
    assert.equal(await CommentModel.countDocuments({}), 1)
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'completed')
  })
})
