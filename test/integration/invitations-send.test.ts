import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { InvitationModel } from '../../server/invitations/invitation'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { ResponseModel } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import type { User } from '../../server/staff/user'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey, type Agent } from '../helpers/respond'
import { useTestAppWithMail } from '../helpers/hooks'
import { confirmationAfter, postInvitationAction, postSendForm, sendForm } from '../helpers/invitationForms'

describe('sending a survey by email, through to the family answering', () => {
  const { t, smtp } = useTestAppWithMail()
  let worker: OutboxWorker, north: Team, south: Team, practitioner: User, agent: Agent

  before(async () => {
    worker = new OutboxWorker(t.services)
    north = await createTeam('Locality North')
    south = await createTeam('Through Care South', 'Through Care')
    practitioner = await createUser({ role: 'practitioner', teams: [north], name: 'Pat Practitioner' })
    agent = await signIn(t.app, practitioner)
  })

  const formPage = async () => {
    const page = await agent.get('/invitations/new?event=closure').expect(200)
    return { page, csrf: csrfTokenFrom(page.text) }
  }

  it('asks people who are not signed in to sign in', async () => {
    const response = await request(t.app).get('/invitations/new').expect(303)
    assert.equal(response.headers.location, '/sign-in?next=%2Finvitations%2Fnew')
  })

  it('asks for the point in the case first, then offers only that event’s surveys and the user’s teams', async () => {
    const choose = await agent.get('/invitations/new').expect(200)
    assert.match(visibleText(choose), /When in the case is the survey for\?/)
    assert.match(visibleText(choose), /Child protection conference \(initial or review\)/)
    const { page } = await formPage()
    const text = visibleText(page)
    assert.match(text, /Case closure/)
    assert.match(page.text, /value="closure-family"/)
    assert.match(page.text, /value="closure-young-person"/)
    assert.doesNotMatch(page.text, /value="cp-conference-family"/)
    assert.match(page.text, new RegExp(`value="${String(north._id)}"`))
    assert.doesNotMatch(page.text, new RegExp(`value="${String(south._id)}"`))
    const bad = await agent.get('/invitations/new?event=wedding').expect(400)
    assert.match(visibleText(bad), /Select when in the case the survey is for/)
  })

  it('shows every problem with the form and keeps what was typed', async () => {
    const { csrf } = await formPage()
    const response = await postSendForm(
      agent,
      sendForm(csrf, north, {
        team: String(south._id),
        caseRef: 'Jane Smith',
        'eventDate-day': '31',
        'eventDate-month': '2',
        'email-1': 'not-an-email',
        'email-2': 'second@family.example',
        'survey-2': 'cp-conference-family',
      }),
    ).expect(400)
    const text = visibleText(response)
    assert.match(text, /There is a problem/)
    assert.match(text, /Select one of your teams/)
    assert.match(text, /Case reference must be the case-management ID/)
    assert.match(text, /The date the case closed must be a real date/)
    assert.match(text, /Enter an email address in the correct format, like name@example.com/)
    assert.match(text, /Select a survey for person 2/)
    assert.match(response.text, /href="#caseRef"/)
    assert.match(response.text, /value="Jane Smith"/)
    assert.match(response.text, /<details class="govuk-details" open>/)
    assert.equal(await InvitationModel.countDocuments(), 0)

    const future = await postSendForm(agent, sendForm(csrf, north, { 'eventDate-day': '24' })).expect(400)
    assert.match(visibleText(future), /The date the case closed must be today or in the past/)
    const nobody = await postSendForm(
      agent,
      sendForm(csrf, north, { 'email-1': '', 'firstName-1': '' }),
    ).expect(400)
    assert.match(visibleText(nobody), /Enter the email address of at least one person to invite/)
    assert.equal(await InvitationModel.countDocuments(), 0)
  })

  it('refuses a post without the CSRF token, or with a wrong one (403), and sends nothing', async () => {
    const { csrf } = await formPage()
    const body = sendForm(csrf, north)
    await postSendForm(agent, body.replace(/_csrf=[^&]+&/, '')).expect(403)
    await postSendForm(agent, body.replace(/_csrf=[^&]+/, '_csrf=wrong-token')).expect(403)
    assert.equal(await InvitationModel.countDocuments(), 0)
  })

  it('invites two family members, emails each a personal link without the case reference, and the family answers', async () => {
    const { csrf } = await formPage()
    const sent = await postSendForm(
      agent,
      sendForm(csrf, north, {
        'email-2': 'young.person@family.example',
        'firstName-2': 'Robin',
        'survey-2': 'closure-young-person',
      }),
    ).expect(303)
    const confirmation = await confirmationAfter(agent, sent)
    const confirmationText = visibleText(confirmation)
    assert.match(confirmationText, /Survey sent/)
    assert.match(confirmationText, /2 people invited by email/)
    assert.match(confirmationText, /Sam ?: sam.parent@family.example/)
    assert.match(confirmationText, /Robin ?: young.person@family.example/)

    const invitations = await InvitationModel.find({}).sort({ recipientEmail: 1 }).lean()
    assert.equal(invitations.length, 2)
    const [parent, young] = [
      invitations.find((i) => i.recipientEmail === 'sam.parent@family.example')!,
      invitations.find((i) => i.recipientEmail === 'young.person@family.example')!,
    ]
    assert.equal(parent.surveyId, 'closure-family')
    assert.equal(parent.respondent, 'parent-carer')
    assert.equal(young.surveyId, 'closure-young-person')
    assert.equal(young.respondent, 'child-young-person')
    for (const invitation of invitations) {
      assert.equal(invitation.status, 'queued')
      assert.equal(invitation.caseRef, 'LCS-448812')
      assert.equal(invitation.service, 'Locality')
      assert.equal(String(invitation.createdBy), String(practitioner._id))
      assert.equal(invitation.eventDate?.toISOString(), '2026-11-20T12:00:00.000Z')
    }
    const audits = await AuditEventModel.find({ action: 'invitation.sent' }).lean()
    assert.equal(audits.length, 2)
    assert.equal(audits[0]?.actorLabel, practitioner.email)

    assert.equal((await worker.runOnce()).sent, 2)
    const emails = await smtp.waitFor(2)
    const parentEmail = emails.find((email) => email.to[0] === 'sam.parent@family.example')!
    assert.match(parentEmail.text, /^Hello Sam,/)
    assert.match(parentEmail.text, /Locality team, children's services/)
    for (const email of emails) {
      assert.doesNotMatch(email.raw, /LCS-448812/)
      assert.equal(smtp.linksIn(email).length, 1)
    }

    const detailBefore = await agent.get(`/invitations/${String(parent._id)}`).expect(200)
    assert.match(visibleText(detailBefore), /Invitation: Sam Sent/)
    assert.match(visibleText(detailBefore), /Email delivered to the mail server/)

    // The family follows the link in the email.
    const token = smtp.linksIn(parentEmail)[0]!.split('/s/')[1]!
    const family = await openSurveyLink(t.app, token)
    const answered = await postSurvey(
      family.agent,
      formBody({ _csrf: family.csrf, 'q-share-views': 'yes', 'q-positive-difference': 'partly' }),
    )
    assert.equal(answered.status, 303)
    const response = await ResponseModel.findOne({ invitationId: parent._id }).lean()
    assert.equal(response?.mode, 'online')
    assert.equal(response?.caseRef, 'LCS-448812')

    const detail = await agent.get(`/invitations/${String(parent._id)}`).expect(200)
    const text = visibleText(detail)
    assert.match(text, /Completed/)
    assert.match(text, /Opened by the family/)
    assert.match(text, /Answers received/)
    assert.doesNotMatch(text, /Cancel this invitation/)
  })

  it('lists the practitioner’s own invitations with filters, and hides other teams’ (404)', async () => {
    const list = await agent.get('/invitations').expect(200)
    assert.match(visibleText(list), /My invitations/)
    assert.match(visibleText(list), /2 invitations/)
    const completed = await agent.get('/invitations?status=completed').expect(200)
    assert.match(visibleText(completed), /1 invitation\b/)
    assert.match(visibleText(completed), /Sam, sam.parent@family.example/)
    const bySurvey = await agent.get('/invitations?survey=closure-young-person').expect(200)
    assert.match(visibleText(bySurvey), /Robin, young.person@family.example/)
    assert.doesNotMatch(visibleText(bySurvey), /sam.parent/)
    const byDate = await agent.get('/invitations?from=2026-11-24').expect(200)
    assert.match(visibleText(byDate), /0 invitations/)
    await agent.get('/invitations?status=lost').expect(400)

    const southWorker = await createUser({ role: 'practitioner', teams: [south] })
    const other = await signIn(t.app, southWorker)
    const invitation = await InvitationModel.findOne({}).lean()
    const notTheirs = await other.get(`/invitations/sent?ids=${String(invitation!._id)}`).expect(303)
    assert.equal(notTheirs.headers.location, '/invitations')
    const hidden = await other.get(`/invitations/${String(invitation!._id)}`).expect(404)
    assert.doesNotMatch(hidden.text, /sam.parent/)
    const page = await other.get('/invitations/new?event=closure').expect(200)
    await other
      .post(`/invitations/${String(invitation!._id)}/cancel`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(404)
    assert.match(visibleText(await other.get('/invitations')), /0 invitations/)
    await other.get('/invitations/not-an-id').expect(404)

    const manager = await signIn(t.app, await createUser({ role: 'manager', teams: [north] }))
    assert.match(visibleText(await manager.get('/invitations')), /2 invitations/)
    const qa = await signIn(t.app, await createUser({ role: 'qa' }))
    assert.match(visibleText(await qa.get(`/invitations?team=${String(north._id)}`)), /2 invitations/)
  })

  it('cancels an invitation: its link then says it is no longer in use (404 like an unknown link, naming the team) and no reminder goes', async () => {
    const { csrf } = await formPage()
    await postSendForm(
      agent,
      sendForm(csrf, north, { 'email-1': 'changed.mind@family.example', 'firstName-1': '' }),
    ).expect(303)
    await worker.runOnce()
    const email = (await smtp.waitFor(3)).find((e) => e.to[0] === 'changed.mind@family.example')!
    const token = smtp.linksIn(email)[0]!.split('/s/')[1]!
    const invitation = await InvitationModel.findOne({ recipientEmail: 'changed.mind@family.example' }).lean()
    const id = String(invitation!._id)

    const detail = await agent.get(`/invitations/${id}`).expect(200)
    const cancelled = await postInvitationAction(agent, id, 'cancel', csrfTokenFrom(detail.text)).expect(303)
    assert.equal(cancelled.headers.location, `/invitations/${id}`)
    const after = await agent.get(`/invitations/${id}`).expect(200)
    assert.match(visibleText(after), /Invitation cancelled/)
    assert.match(visibleText(after), /Cancelled by Pat Practitioner/)
    assert.equal((await InvitationModel.findById(id).lean())?.status, 'cancelled')
    assert.ok(await AuditEventModel.findOne({ action: 'invitation.cancelled', target: `invitation ${id}` }))

    const link = await request(t.app).get(`/s/${token}`).expect(404)
    assert.match(visibleText(link), /This survey link is no longer in use/)
    await postInvitationAction(agent, id, 'cancel', csrfTokenFrom(after.text)).expect(409)
  })

  it('resends with a new link: the old link stops working, the new one opens the survey', async () => {
    const { csrf } = await formPage()
    await postSendForm(agent, sendForm(csrf, north, { 'email-1': 'resend@family.example' })).expect(303)
    await worker.runOnce()
    const before = smtp.received.length
    const first = smtp.received.find((e) => e.to[0] === 'resend@family.example')!
    const oldToken = smtp.linksIn(first)[0]!.split('/s/')[1]!
    const invitation = await InvitationModel.findOne({ recipientEmail: 'resend@family.example' }).lean()
    const id = String(invitation!._id)
    const detail = await agent.get(`/invitations/${id}`).expect(200)
    await postInvitationAction(agent, id, 'resend', csrfTokenFrom(detail.text)).expect(303)
    assert.equal((await InvitationModel.findById(id).lean())?.status, 'queued')
    assert.equal((await worker.runOnce()).sent, 1)
    const [second] = (await smtp.waitFor(before + 1)).slice(before)
    const newToken = smtp.linksIn(second!)[0]!.split('/s/')[1]!
    assert.notEqual(newToken, oldToken)
    await request(t.app).get(`/s/${oldToken}`).expect(404)
    await request(t.app).get(`/s/${newToken}`).expect(303)
    const page = visibleText(await agent.get(`/invitations/${id}`))
    assert.match(page, /Resent with a new link by Pat Practitioner/)
  })

  it('shows a permanent delivery failure and its reason on the invitation', async () => {
    smtp.rejectRecipient('bounce@family.example')
    const { csrf } = await formPage()
    await postSendForm(agent, sendForm(csrf, north, { 'email-1': 'bounce@family.example' })).expect(303)
    assert.equal((await worker.runOnce()).failed, 1)
    const invitation = await InvitationModel.findOne({ recipientEmail: 'bounce@family.example' }).lean()
    const page = visibleText(await agent.get(`/invitations/${String(invitation!._id)}`))
    assert.match(page, /Not delivered/)
    assert.match(page, /The email could not be delivered: The mail server refused the message: 550/)
    const list = visibleText(await agent.get('/invitations?status=failed'))
    assert.match(list, /bounce@family.example/)
  })
})
