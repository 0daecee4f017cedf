import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import mongoose from 'mongoose'
import { InvitationModel } from '../../server/invitations/invitation'
import { ResponseModel } from '../../server/responses/response'
import { createTeam, issueInvitation } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { assertBackAndResendThankYou } from '../helpers/surveyAnswered'

/** The family's session as stored, found by the id in its cookie. */
async function storedSession(cookie: string) {
  const value = decodeURIComponent(/fv\.survey=([^;]+)/.exec(cookie)?.[1] ?? '')
  const sid = /^s:([^.]+)\./.exec(value)?.[1]
  assert.ok(sid, `no survey session cookie in ${cookie}`)
  return mongoose.connection.collection('sessions').findOne({ _id: sid as never })
}

describe("a family's session is written once, when the link is opened", () => {
  const t = useTestApp()

  it('reading the survey, sending the answers, the thank-you page and the back button leave the stored session as it was', async () => {
    const team = await createTeam('Locality West', 'Locality')
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { agent, visit, csrf } = await openSurveyLink(t.app, token)
    const cookie = String(visit.headers['set-cookie'])
    const opened = await storedSession(cookie)
    assert.equal(opened?.session?.invitationId, String(invitationId))

    // Real time moves on between requests, so any write (a touch moves `expires`) would show.
    await new Promise((resolve) => setTimeout(resolve, 20))
    await agent.get('/survey').expect(200)
    const sent = await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'yes' })).expect(303)
    assert.equal(sent.headers.location, '/survey/thank-you')
    assert.match(visibleText(await agent.get('/survey/thank-you').expect(200)), /Thank you/)
    assert.deepEqual(await storedSession(cookie), opened)

    // The stored invitation, not the session, now says the link is answered.
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'completed')
    // Back, and sending again, go to the thank-you page too.
    await assertBackAndResendThankYou(agent, csrf, invitationId)
    assert.deepEqual(await storedSession(cookie), opened)
  })

  it('only an error round writes: the answers are kept for /survey, and sending them removes them', async () => {
    const team = await createTeam('Locality East', 'Locality')
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { agent, visit, csrf } = await openSurveyLink(t.app, token)
    const cookie = String(visit.headers['set-cookie'])
    const kept = await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-share-views': 'maybe', 'q-went-well': 'Kind words.' }),
    ).expect(303)
    assert.equal(kept.headers.location, '/survey')
    assert.equal((await storedSession(cookie))?.session?.surveyForm?.values?.['went-well'], 'Kind words.')
    assert.match(visibleText(await agent.get('/survey').expect(400)), /There is a problem/)

    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-share-views': 'yes', 'q-went-well': 'Kind words.' }),
    ).expect(303)
    const stored = await storedSession(cookie)
    assert.equal(stored?.session?.surveyForm, undefined, 'the typed words are not left in the session')
    assert.equal(stored?.session?.invitationId, String(invitationId))
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
  })
})
