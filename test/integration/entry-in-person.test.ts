import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { InvitationModel } from '../../server/invitations/invitation'
import { CommentModel } from '../../server/comments/comment'
import { ResponseModel } from '../../server/responses/response'
import type { User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey, type Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

describe('recording feedback given in person (telephone, face to face, paper)', () => {
  const t = useTestApp()
  let north: Team, south: Team, practitioner: User, agent: Agent

  before(async () => {
    north = await createTeam('Locality North')
    south = await createTeam('Get Safe South', 'Get Safe')
    practitioner = await createUser({ role: 'practitioner', teams: [north], name: 'Pat Practitioner' })
    agent = await signIn(t.app, practitioner)
  })

  /** Answers for an invitation recorded from a paper form, with the CSRF token of the page given. */
  const recordOnPaper = (invitationId: string, page: string) =>
    agent
      .post(`/invitations/${invitationId}/record`)
      .type('form')
      .send(
        formBody({
          _csrf: csrfTokenFrom(page),
          mode: 'paper',
          'given-day': '23',
          'given-month': '11',
          'given-year': '2026',
          'q-share-views': 'yes',
        }),
      )

  const entryBody = (csrf: string, fields: Record<string, string>) =>
    formBody({
      _csrf: csrf,
      survey: 'closure-family',
      mode: 'telephone',
      team: String(north._id),
      respondent: 'parent-carer',
      caseRef: 'MOS-20417',
      'given-day': '23',
      'given-month': '11',
      'given-year': '2026',
      'q-share-views': 'yes',
      'q-child-listened': 'not-applicable',
      'q-went-well': 'She always rang back.',
      ...fields,
    })

  it('lists the surveys to choose from, then shows the family’s questions with the staff fields', async () => {
    const chooser = await agent.get('/responses/new').expect(200)
    assert.match(visibleText(chooser), /Case closure Your experience of our service \(Parent or carer\)/)
    const form = await agent.get('/responses/new?survey=closure-family').expect(200)
    const text = visibleText(form)
    assert.match(text, /Your experience of our service Record answers given in person/)
    assert.match(text, /How were the answers given\? Telephone Face to face Paper/)
    assert.match(form.text, /name="q-share-views"/)
    assert.match(form.text, /id="given-day"[^>]*value="23"/)
    assert.doesNotMatch(form.text, new RegExp(String(south._id)))
    await agent.get('/responses/new?survey=no-such-survey').expect(400)
    await request(t.app).get('/responses/new').expect(303)
  })

  it('explains what is missing and stores nothing', async () => {
    const form = await agent.get('/responses/new?survey=closure-family').expect(200)
    const csrf = csrfTokenFrom(form.text)
    const empty = await agent
      .post('/responses/new')
      .type('form')
      .send(
        formBody({
          _csrf: csrf,
          survey: 'closure-family',
          mode: '',
          team: String(south._id),
          respondent: 'parent-carer',
          caseRef: 'not a ref!',
          'given-day': '1',
          'given-month': '12',
          'given-year': '2026',
        }),
      )
      .expect(400)
    const text = visibleText(empty)
    assert.match(text, /Select how the answers were given/)
    assert.match(text, /Select one of your teams/)
    assert.match(text, /Case reference must be the case-management ID/)
    assert.match(text, /The date the answers were given must be today or in the past/)
    assert.match(text, /Enter at least one answer/)
    const badAnswer = await agent
      .post('/responses/new')
      .type('form')
      .send(entryBody(csrf, { 'q-share-views': 'maybe' }))
      .expect(400)
    assert.match(visibleText(badAnswer), /Select one of the answers for/)
    assert.match(badAnswer.text, /She always rang back\./)
    assert.equal(await ResponseModel.countDocuments(), 0)
    await agent
      .post('/responses/new')
      .type('form')
      .send(entryBody(csrf, {}).replace(/_csrf=[^&]+/, '_csrf=forged'))
      .expect(403)
    assert.equal(await ResponseModel.countDocuments(), 0)
  })

  it('stores a telephone answer with mode, who entered it and a random claim key, and audits it', async () => {
    const form = await agent.get('/responses/new?survey=closure-family').expect(200)
    const saved = await agent
      .post('/responses/new')
      .type('form')
      .send(entryBody(csrfTokenFrom(form.text), { 'given-day': '20' }))
      .expect(303)
    assert.equal(saved.headers.location, '/responses/recorded')
    assert.match(visibleText(await agent.get('/responses/recorded')), /Answers recorded/)
    const response = await ResponseModel.findOne({}).lean()
    assert.ok(response)
    assert.equal(response.source, 'staff')
    assert.equal(response.mode, 'telephone')
    assert.equal(String(response.enteredBy), String(practitioner._id))
    assert.match(response.claimKey, /^entry:[a-f0-9]{32}$/)
    assert.equal(response.caseRef, 'MOS-20417')
    assert.equal(response.teamName, 'Locality North')
    assert.equal(response.service, 'Locality')
    assert.equal(response.submittedAt.toISOString(), '2026-11-20T12:00:00.000Z')
    assert.equal(response.period.quarter, '2026-27-Q3')
    assert.deepEqual(response.answers, [
      { question: 'share-views', answer: 'yes' },
      { question: 'child-listened', answer: 'not-applicable' },
    ])
    assert.equal(
      (await CommentModel.findOne({ responseId: response._id }).lean())?.text,
      'She always rang back.',
    )
    const audit = await AuditEventModel.findOne({ action: 'response.entered' }).lean()
    assert.equal(audit?.target, `response ${String(response._id)}`)
    assert.equal(audit?.detail, 'closure-family telephone')
  })

  it('records an invitation’s answers given face to face: the invitation completes and its link is used up', async () => {
    const { token, invitationId } = await issueInvitation(t.services, north, {
      caseRef: 'LCS-1001',
      channel: 'email',
      recipientEmail: 'parent@family.example',
      createdBy: practitioner._id,
    })
    const form = await agent.get(`/invitations/${invitationId}/record`).expect(200)
    assert.match(visibleText(form), /Invitation parent@family.example/)
    assert.match(visibleText(form), /Case reference LCS-1001/)
    assert.doesNotMatch(form.text, /name="team"/)
    const csrf = csrfTokenFrom(form.text)
    const body = formBody({
      _csrf: csrf,
      mode: 'face-to-face',
      'given-day': '23',
      'given-month': '11',
      'given-year': '2026',
      'q-positive-difference': 'yes',
    })
    await agent.post(`/invitations/${invitationId}/record`).type('form').send(body).expect(303)

    const response = await ResponseModel.findOne({ invitationId }).lean()
    assert.equal(response?.claimKey, `invitation:${invitationId}`)
    assert.equal(response?.mode, 'face-to-face')
    assert.equal(response?.source, 'staff')
    assert.equal(response?.caseRef, 'LCS-1001')
    assert.equal(String(response?.enteredBy), String(practitioner._id))
    assert.deepEqual(response?.submittedAt, t.clock.now())
    const invitation = await InvitationModel.findById(invitationId).lean()
    assert.equal(invitation?.status, 'completed')

    const detail = visibleText(await agent.get(`/invitations/${invitationId}`))
    assert.match(detail, /Completed/)
    assert.match(detail, /Answers recorded by staff by Pat Practitioner/)

    // A second entry, and the family's own link, are refused: one response per invitation.
    const again = await agent.post(`/invitations/${invitationId}/record`).type('form').send(body).expect(409)
    assert.match(visibleText(again), /already been recorded/)
    await agent.get(`/invitations/${invitationId}/record`).expect(409)
    await request(t.app).get(`/s/${token}`).expect(410)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
  })

  it('refuses to record for an invitation the family has already answered online', async () => {
    const { token, invitationId } = await issueInvitation(t.services, north, { createdBy: practitioner._id })
    const form = await agent.get(`/invitations/${invitationId}/record`).expect(200)
    const family = await openSurveyLink(t.app, token)
    await postSurvey(family.agent, formBody({ _csrf: family.csrf, 'q-share-views': 'no' })).expect(303)
    const refused = await recordOnPaper(invitationId, form.text).expect(409)
    assert.match(visibleText(refused), /already been recorded/)
    const responses = await ResponseModel.find({ invitationId }).lean()
    assert.equal(responses.length, 1)
    assert.equal(responses[0]?.mode, 'online')
  })

  it('gives 404 for another team’s invitation', async () => {
    const { invitationId } = await issueInvitation(t.services, south)
    await agent.get(`/invitations/${invitationId}/record`).expect(404)
    const form = await agent.get('/responses/new?survey=closure-family').expect(200)
    await recordOnPaper(invitationId, form.text).expect(404)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 0)
  })
})
