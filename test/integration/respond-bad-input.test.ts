import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import { CommentModel } from '../../server/comments/comment'
import { InvitationModel } from '../../server/invitations/invitation'
import { ResponseModel } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import { createTeam, issueInvitation } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey, postSurveyWithProblems, type Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

/**
 * Hostile or broken submissions of the family's form: each gets a clear 4xx page, nothing is
 * stored, the link stays open, and nothing answers 500.
 */
describe('bad input to the survey form', () => {
  const t = useTestApp()
  let team: Team, agent: Agent, csrf: string, invitationId: string

  before(async () => {
    team = await createTeam('Early Help East', 'Early Help')
  })

  beforeEach(async () => {
    const issued = await issueInvitation(t.services, team)
    invitationId = issued.invitationId
    ;({ agent, csrf } = await openSurveyLink(t.app, issued.token))
  })

  async function assertNothingStored() {
    assert.equal(await ResponseModel.countDocuments({}), 0)
    assert.equal(await CommentModel.countDocuments({}), 0)
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'opened')
  }

  it('refuses an operator-style key such as q-share-views[$ne] with 400', async () => {
    const page = await postSurvey(
      agent,
      `_csrf=${encodeURIComponent(csrf)}&q-share-views%5B%24ne%5D=`,
    ).expect(400)
    assert.match(
      visibleText(page),
      /There is a problem The form contained something we did not expect, so nothing was saved\. Go back, check your answers and send them again\./,
    )
    assert.doesNotMatch(page.text, /\$ne/)
    await assertNothingStored()
  })

  it('refuses field names the form does not have with 400', async () => {
    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-share-views': 'yes', 'q-not-a-question': 'yes' }),
    ).expect(400)
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'yes', team: 'Another team' })).expect(
      400,
    )
    // (A `__proto__` field never arrives: the body parser drops it.)
    await postSurvey(
      agent,
      formBody([
        ['_csrf', csrf],
        ['q-share-views', 'yes'],
        ['constructor', 'x'],
      ]),
    ).expect(400)
    await assertNothingStored()
  })

  it('refuses an answer id the question does not offer, on the form with the error', async () => {
    const page = await postSurveyWithProblems(agent, formBody({ _csrf: csrf, 'q-share-views': '{"$gt":""}' }))
    assert.match(
      page.text,
      /<a href="#q-share-views">Select one of the answers for “Did your worker give you chances to share your views and opinions\?”<\/a>/,
    )
    await assertNothingStored()
  })

  it('refuses two answers to one question (a repeated key) with 400', async () => {
    const page = await postSurveyWithProblems(
      agent,
      formBody([
        ['_csrf', csrf],
        ['q-share-views', 'yes'],
        ['q-share-views', 'no'],
        ['q-went-well', 'kept'],
      ]),
    )
    assert.match(page.text, /<a href="#q-share-views">Choose one answer only<\/a>/)
    assert.match(page.text, />kept<\/textarea>/)
    await assertNothingStored()
  })

  it('refuses text over the question’s limit with 400, counting characters not bytes', async () => {
    const page = await postSurveyWithProblems(
      agent,
      formBody({ _csrf: csrf, 'q-went-well': '😀'.repeat(2001) }),
    )
    assert.match(page.text, /Your answer must be 2000 characters or fewer\. You have used 2001\./)
    await assertNothingStored()
    // Exactly at the limit (4 bytes each, one character each) is fine.
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-went-well': '😀'.repeat(2000) })).expect(303)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
    await ResponseModel.deleteMany({})
    await CommentModel.deleteMany({})
  })

  it('refuses bytes that are not UTF-8 with 400', async () => {
    const encoded = await postSurvey(agent, `_csrf=${encodeURIComponent(csrf)}&q-went-well=%FF%FEabc`).expect(
      400,
    )
    assert.match(visibleText(encoded), /The form contained characters that could not be read\./)
    const raw = await agent
      .post('/survey')
      .type('form')
      .serialize((bytes: unknown) => bytes as string)
      .send(
        Buffer.concat([
          Buffer.from(`_csrf=${encodeURIComponent(csrf)}&q-went-well=`),
          Buffer.from([0xc3, 0x28]),
        ]),
      )
      .expect(400)
    assert.match(visibleText(raw), /could not be read/)
    await assertNothingStored()
  })

  it('refuses a body over 100 kB with 413', async () => {
    const page = await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-went-well': 'a'.repeat(101 * 1024) }),
    ).expect(413)
    assert.match(
      visibleText(page),
      /That was too long What you sent was too large\. Please shorten it and try again\./,
    )
    await assertNothingStored()
  })

  it('refuses more form fields than any survey has with 413', async () => {
    const fields: Array<[string, string]> = [['_csrf', csrf]]
    for (let i = 0; i < 250; i++) fields.push([`q-share-views`, 'yes'])
    await postSurvey(agent, formBody(fields)).expect(413)
    await assertNothingStored()
  })

  it('refuses a missing or wrong CSRF token with 403', async () => {
    const missing = await postSurvey(agent, formBody({ 'q-share-views': 'yes' })).expect(403)
    assert.match(visibleText(missing), /That form has expired/)
    await postSurvey(agent, formBody({ _csrf: 'not-the-token', 'q-share-views': 'yes' })).expect(403)
    await postSurvey(
      agent,
      formBody([
        ['_csrf', csrf],
        ['_csrf', csrf],
        ['q-share-views', 'yes'],
      ]),
    ).expect(403)
    await assertNothingStored()
  })

  it('refuses JSON with an operator in place of an answer with 400', async () => {
    await agent
      .post('/survey')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ _csrf: csrf, 'q-share-views': { $ne: null } }))
      .expect(400)
    await agent.post('/survey').set('Content-Type', 'application/json').send('{"_csrf": ').expect(400)
    await assertNothingStored()
  })

  it('answers a POST without a survey session with a 403 (no CSRF token), not a 500', async () => {
    const { default: request } = await import('supertest')
    await request(t.app).post('/survey').type('form').send('q-share-views=yes').expect(403)
    await assertNothingStored()
  })
})
