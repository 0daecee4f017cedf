/**
 * A family's survey session and a staff session in one browser: each has its own cookie, so
 * opening a family's link neither signs the staff member out nor lets the survey see the staff
 * session, and signing out leaves a half-answered survey alone.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ResponseModel } from '../../server/responses/response'
import { SESSION_COOKIE, SURVEY_SESSION_COOKIE } from '../../server/security/session'
import { createUser, issueInvitation, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody, postSurvey } from '../helpers/respond'
import { useTeam, useTestApp } from '../helpers/hooks'

const cookieNames = (header: unknown) =>
  ([] as string[]).concat((header as string[] | string | undefined) ?? []).map((c) => c.split('=')[0])

describe('survey and staff sessions in the same browser', () => {
  const t = useTestApp()
  const team = useTeam('Locality North')

  it('opening and answering a link keeps the staff member signed in, and the other way round', async () => {
    const browser = await signIn(t.app, await createUser({ role: 'practitioner', teams: [team] }))
    await browser.get('/staff').expect(200)
    const { token, invitationId } = await issueInvitation(t.services, team)

    const visit = await browser.get(`/s/${token}`).expect(303)
    assert.deepEqual(cookieNames(visit.headers['set-cookie']), [SURVEY_SESSION_COOKIE])
    const form = await browser.get('/survey').expect(200)
    assert.doesNotMatch(visibleText(form), /Sign out/, 'the survey does not show the staff session')
    // Still signed in, in the same browser, between the link and the answers.
    await browser.get('/staff').expect(200)
    const staffPage = await browser.get('/invitations/new?event=closure').expect(200)
    assert.notEqual(csrfTokenFrom(staffPage.text), csrfTokenFrom(form.text))

    const answered = await postSurvey(
      browser,
      formBody({ _csrf: csrfTokenFrom(form.text), 'q-share-views': 'yes' }),
    )
    assert.equal(answered.status, 303)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
    await browser.get('/staff').expect(200)

    // Signing out ends only the staff session; a second family link still opens.
    const second = await issueInvitation(t.services, team)
    await browser.get(`/s/${second.token}`).expect(303)
    const out = await browser
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenFrom(staffPage.text) })
    assert.equal(out.status, 303)
    assert.ok(cookieNames(out.headers['set-cookie']).includes(SESSION_COOKIE))
    assert.ok(!cookieNames(out.headers['set-cookie']).includes(SURVEY_SESSION_COOKIE))
    await browser.get('/survey').expect(200)
    await browser.get('/staff').expect(303)
  })
})
