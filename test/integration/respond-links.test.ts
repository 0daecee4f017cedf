import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { InvitationModel } from '../../server/invitations/invitation'
import { newInvitationToken } from '../../server/invitations/token'
import { LINK_LIMIT } from '../../server/respond/linkLimiter'
import { ResponseModel } from '../../server/responses/response'
import { TeamModel, type Team } from '../../server/teams/team'
import { createTeam, issueInvitation } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

/** The words of a page between the header and the footer. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? ''
  return visibleText(main)
}

describe('personal links that cannot be answered, and link guessing', () => {
  const t = useTestApp({ now: '2026-05-01T09:00:00Z' })
  let team: Team
  before(async () => {
    team = await createTeam('Get Safe South', 'Get Safe')
    await TeamModel.updateOne({ _id: team._id }, { $set: { phone: '0300 555 0100' } })
  })

  it('answers an unknown or malformed link with a kind 404 page that reveals nothing', async () => {
    const unknown = await request(t.app).get(`/s/${newInvitationToken()}`).expect(404)
    assert.equal(unknown.headers['cache-control'], 'no-store')
    assert.equal(
      mainText(unknown.text),
      'This survey link does not work Check that you have copied the whole link from your email or letter. ' +
        'If it still does not work, contact the person who sent it to you. ' +
        "If you are worried about a child's safety If you are worried about a child's safety right now, call 999. " +
        "To talk to children's services, call the Family Front Door on 0300 123 4567 (out of hours: 0300 123 4568).",
    )
    const malformed = await request(t.app).get('/s/not-a-token').expect(404)
    assert.equal(mainText(malformed.text), mainText(unknown.text))
    const injected = await request(t.app).get('/s/%24ne').expect(404)
    assert.equal(mainText(injected.text), mainText(unknown.text))
  })

  it('answers a cancelled link with the unknown link\'s 404 status and "no longer in use", naming the team and its phone, never the family', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team, { caseRef: 'MOS-55120' })
    await InvitationModel.updateOne(
      { _id: invitationId },
      { $set: { status: 'cancelled', cancelledAt: t.clock.now() } },
    )
    const page = await request(t.app).get(`/s/${token}`).expect(404)
    // Not the unknown link's "check you copied the whole link": this link was right, and stopped.
    assert.equal(
      mainText(page.text),
      'This survey link is no longer in use The team who sent it has stopped this link. This can happen when a new link is sent instead. ' +
        'If you would like to answer, or have a question about the survey, call Get Safe South on 0300 555 0100. ' +
        "If you are worried about a child's safety If you are worried about a child's safety right now, call 999. " +
        "To talk to children's services, call the Family Front Door on 0300 123 4567 (out of hours: 0300 123 4568).",
    )
    assert.doesNotMatch(page.text, /MOS-55120|copied the whole link/)
    const unknown = await request(t.app).get(`/s/${newInvitationToken()}`).expect(404)
    assert.match(
      mainText(unknown.text),
      /^This survey link does not work Check that you have copied the whole link/,
    )
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'cancelled')
  })

  it('answers a link past its expiry date with 410 "expired", and does not mark it opened', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    t.clock.advanceDays(t.services.config.invitationExpiryDays)
    const page = await request(t.app).get(`/s/${token}`).expect(410)
    assert.match(
      mainText(page.text),
      /^This survey link has expired Survey links only work for a few weeks, and this one has now closed\. If you would still like to tell us about your experience, call Get Safe South on 0300 555 0100\./,
    )
    const invitation = await InvitationModel.findById(invitationId).lean()
    assert.equal(invitation?.status, 'sent')
    assert.equal(invitation?.openedAt, undefined)
    t.clock.set('2026-05-01T09:00:00Z')
  })

  it('answers a link marked expired with 410 even before its date', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    await InvitationModel.updateOne({ _id: invitationId }, { $set: { status: 'expired' } })
    const page = await request(t.app).get(`/s/${token}`).expect(410)
    assert.match(mainText(page.text), /^This survey link has expired/)
  })

  it('answers a used link with 410 "already answered", and never reopens it', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { agent, csrf } = await openSurveyLink(t.app, token)
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'yes' })).expect(303)

    const page = await request(t.app).get(`/s/${token}`).expect(410)
    assert.match(
      mainText(page.text),
      /^This survey has already been answered Each survey link can only be used once.* If you think someone else has used your link, or you want to add something, call Get Safe South on 0300 555 0100\./,
    )
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'completed')
  })

  it('stops a session whose link expired or was cancelled while the form was open, storing nothing', async () => {
    const expiring = await issueInvitation(t.services, team)
    const first = await openSurveyLink(t.app, expiring.token)
    t.clock.advanceDays(t.services.config.invitationExpiryDays + 1)
    const survey = await first.agent.get('/survey').expect(410)
    assert.match(mainText(survey.text), /^This survey link has expired/)
    const sent = await postSurvey(
      first.agent,
      formBody({ _csrf: first.csrf, 'q-share-views': 'yes' }),
    ).expect(303)
    assert.equal(sent.headers.location, '/survey')
    assert.match(
      mainText((await first.agent.get('/survey').expect(410)).text),
      /^This survey link has expired/,
    )
    assert.equal(await ResponseModel.countDocuments({ invitationId: expiring.invitationId }), 0)
    t.clock.set('2026-05-01T09:00:00Z')

    const cancelled = await issueInvitation(t.services, team)
    const second = await openSurveyLink(t.app, cancelled.token)
    await InvitationModel.updateOne({ _id: cancelled.invitationId }, { $set: { status: 'cancelled' } })
    const refused = await postSurvey(
      second.agent,
      formBody({ _csrf: second.csrf, 'q-share-views': 'no' }),
    ).expect(303)
    assert.equal(refused.headers.location, '/survey')
    assert.match(
      mainText((await second.agent.get('/survey').expect(404)).text),
      /^This survey link is no longer in use/,
    )
    assert.equal(await ResponseModel.countDocuments({ invitationId: cancelled.invitationId }), 0)
    assert.equal((await InvitationModel.findById(cancelled.invitationId).lean())?.status, 'cancelled')
  })

  it('gives each link visit a new session, and asks for the link again when there is none', async () => {
    const a = await issueInvitation(t.services, team)
    const b = await issueInvitation(t.services, team)
    const { agent, visit } = await openSurveyLink(t.app, a.token)
    const cookie = (response: { headers: Record<string, unknown> }) =>
      String(response.headers['set-cookie']).split(';')[0]
    const again = await agent.get(`/s/${b.token}`).expect(303)
    assert.notEqual(cookie(again), cookie(visit))

    const page = await request(t.app).get('/survey').expect(404)
    assert.match(mainText(page.text), /^Open your survey link again/)
    // No thank-you without answers sent from this session.
    const thanks = await request(t.app).get('/survey/thank-you').expect(404)
    assert.match(
      mainText(thanks.text),
      /^Open your survey link to answer No answers have been sent from this browser\./,
    )
    assert.doesNotMatch(thanks.text, /Your answers have been sent/)
  })

  it(`allows ${LINK_LIMIT} unusable links per IP address in 15 minutes, then answers 429; links that open are not counted`, async () => {
    const { token } = await issueInvitation(t.services, team)
    for (let i = 0; i < 5; i++) await request(t.app).get(`/s/${token}`).expect(303)
    // The tests above opened 8 unusable links from this address (3 + 2 + 1 + 1 + 1).
    let failures = 0
    for (;;) {
      const response = await request(t.app).get(`/s/${newInvitationToken()}`)
      if (response.status === 429) break
      assert.ok([404, 410].includes(response.status), `status ${response.status}`)
      failures += 1
      assert.ok(failures <= LINK_LIMIT, 'the limiter never stopped unknown links')
    }
    assert.equal(failures, LINK_LIMIT - 8)
    const blocked = await request(t.app).get(`/s/${token}`).expect(429)
    assert.match(
      mainText(blocked.text),
      /^Too many attempts That link could not be opened because there have been too many attempts/,
    )
    assert.match(String(blocked.headers['ratelimit-policy']), /q=30; w=900/)
  })
})
