import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { InvitationModel } from '../../server/invitations/invitation'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody, type Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { confirmationAfter, postInvitationAction, postSendForm } from '../helpers/invitationForms'

describe('a printed letter with the link and a QR code, for feedback asked for face to face', () => {
  const t = useTestApp()
  let team: Team, agent: Agent

  before(async () => {
    team = await createTeam('Through Care West', 'Through Care')
    agent = await signIn(t.app, await createUser({ role: 'practitioner', teams: [team], name: 'Lee Worker' }))
  })

  const tokenIn = (html: string) => /http:\/\/family-voice\.test\/s\/([0-9A-Z]{28})/.exec(html)?.[1]

  it('makes a letter invitation without an email address and shows its link once', async () => {
    const page = await agent.get('/invitations/new?event=cla-review').expect(200)
    const sent = await postSendForm(
      agent,
      formBody({
        _csrf: csrfTokenFrom(page.text),
        event: 'cla-review',
        team: String(team._id),
        service: '',
        caseRef: 'LCS-77120',
        'eventDate-day': '23',
        'eventDate-month': '11',
        'eventDate-year': '2026',
        channel: 'letter',
        'survey-1': 'cla-review-young-person',
        'respondent-1': '',
        'email-1': '',
        'firstName-1': 'Jordan',
      }),
    ).expect(303)
    const confirmation = await confirmationAfter(agent, sent)
    assert.match(visibleText(confirmation), /Letters ready to print 1 letter to print/)
    const invitation = await InvitationModel.findOne({}).lean()
    assert.equal(invitation?.channel, 'letter')
    assert.equal(invitation?.status, 'sent', 'a letter is live at once')
    assert.equal(invitation?.recipientEmail, undefined)
    assert.equal(await OutboxMessageModel.countDocuments(), 0)
    const id = String(invitation!._id)
    assert.match(confirmation.text, new RegExp(`href="/invitations/${id}/letter"`))

    const letter = await agent.get(`/invitations/${id}/letter`).expect(200)
    assert.equal(letter.headers['cache-control'], 'no-store')
    assert.match(letter.text, /<link rel="stylesheet" href="\/public\/css\/print.css" media="print">/)
    assert.match(
      letter.text,
      /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="QR code for your personal survey link"/,
    )
    const text = visibleText(letter)
    assert.match(text, /Dear Jordan,/)
    assert.match(text, /Through Care team, children's services/)
    assert.match(text, /You do not have to answer/)
    assert.match(text, /works until Monday 21 December 2026/)
    assert.match(text, /Printing again makes a new link and this letter's link stops working/)
    assert.doesNotMatch(letter.text, /LCS-77120/)
    const token = tokenIn(letter.text)
    assert.ok(token)
    await request(t.app).get(`/s/${token}`).expect(303)

    // Shown once: opening the page again offers a new letter instead of the same link.
    const again = await agent.get(`/invitations/${id}/letter`).expect(200)
    assert.equal(tokenIn(again.text), undefined)
    assert.match(
      visibleText(again),
      /Printing a letter makes a new link. Any earlier letter or email for this invitation will stop working/,
    )

    const reprinted = await agent
      .post(`/invitations/${id}/letter`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(again.text) })
      .expect(200)
    const newToken = tokenIn(reprinted.text)
    assert.ok(newToken)
    assert.notEqual(newToken, token)
    await request(t.app).get(`/s/${token}`).expect(404)
    await request(t.app).get(`/s/${newToken}`).expect(303)
    assert.ok(
      await AuditEventModel.findOne({ action: 'invitation.letter-printed', target: `invitation ${id}` }),
    )
    const detail = visibleText(await agent.get(`/invitations/${id}`))
    assert.match(detail, /Letter printed by Lee Worker/)
    assert.doesNotMatch(detail, /Send the email again/)
  })

  it('will not print a letter for a cancelled invitation', async () => {
    const invitation = await InvitationModel.findOne({}).lean()
    const id = String(invitation!._id)
    const detail = await agent.get(`/invitations/${id}`).expect(200)
    await postInvitationAction(agent, id, 'cancel', csrfTokenFrom(detail.text)).expect(303)
    const page = await agent.get(`/invitations/${id}/letter`).expect(200)
    assert.match(visibleText(page), /This invitation is cancelled, so a letter cannot be printed/)
    await agent
      .post(`/invitations/${id}/letter`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(409)
  })
})
