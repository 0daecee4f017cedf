/**
 * Text message invitations from the staff pages: the send form offers SMS when GOV.UK Notify is
 * set up (or, in the demo with no delivery at all, keeps texts in the local outbox), checks and
 * normalises UK mobile numbers, and says plainly when texts are not available (SMTP without
 * Notify). The bulk CSV takes a `mobile` column. Resending a text invitation texts a new link.
 */
import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import type { NotifySettings } from '../../server/config'
import { BulkUploadModel } from '../../server/invitations/bulkUpload'
import { InvitationModel } from '../../server/invitations/invitation'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import type { User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestAppWithNotify } from '../helpers/hooks'

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

describe('text message invitations (send form, bulk CSV, resend)', () => {
  const { t, notify } = useTestAppWithNotify()
  let north: Team, practitioner: User, agent: Agent, notifySettings: NotifySettings

  before(async () => {
    notifySettings = t.services.config.notify!
    north = await createTeam('Locality North')
    practitioner = await createUser({ role: 'practitioner', teams: [north] })
    agent = await signIn(t.app, practitioner)
  })
  beforeEach(async () => {
    t.services.config.notify = notifySettings
    t.services.config.smtpUrl = undefined
    notify.accepted.length = 0
    await InvitationModel.deleteMany({})
    await OutboxMessageModel.deleteMany({})
    await BulkUploadModel.deleteMany({})
  })

  const formPage = async () => {
    const page = await agent.get('/invitations/new?event=closure').expect(200)
    return { page, csrf: csrfTokenFrom(page.text) }
  }
  const sendForm = (csrf: string, fields: Record<string, string>) =>
    agent
      .post('/invitations/new')
      .type('form')
      .send(
        formBody({
          _csrf: csrf,
          event: 'closure',
          team: String(north._id),
          service: '',
          caseRef: 'LCS-448812',
          'eventDate-day': '20',
          'eventDate-month': '11',
          'eventDate-year': '2026',
          channel: 'sms',
          'survey-1': 'closure-family',
          'survey-2': 'closure-young-person',
          ...fields,
        }),
      )

  it('offers text messages with Notify set up, and texts a normalised UK mobile number', async () => {
    const { page, csrf } = await formPage()
    assert.match(page.text, /id="channel-sms"/)
    assert.match(page.text, /id="mobile-1" name="mobile-1" type="tel"/)
    assert.doesNotMatch(visibleText(page), /Text messages are not available/)
    assert.doesNotMatch(visibleText(page), /This demonstration has no GOV.UK Notify/)

    const sent = await sendForm(csrf, {
      'mobile-1': '07400 123456',
      'firstName-1': 'Sam',
      'mobile-2': '+44 (0)7400 654321',
      // An email typed before choosing text is left unused.
      'email-2': 'robin@family.example',
    }).expect(303)
    const confirmation = visibleText(await agent.get(sent.headers.location as string).expect(200))
    assert.match(confirmation, /2 people invited by text message/)
    assert.match(confirmation, /Text messages go out within a minute/)

    const invitations = await InvitationModel.find({}).sort({ surveyId: 1 }).lean()
    assert.deepEqual(
      invitations.map((i) => [i.surveyId, i.channel, i.recipientMobile, i.recipientEmail ?? null, i.status]),
      [
        ['closure-family', 'sms', '+447400123456', null, 'queued'],
        ['closure-young-person', 'sms', '+447400654321', null, 'queued'],
      ],
    )
    assert.equal((await new OutboxWorker(t.services).runOnce()).sent, 2)
    assert.deepEqual(notify.accepted.map((request) => [request.type, request.to]).sort(), [
      ['sms', '+447400123456'],
      ['sms', '+447400654321'],
    ])
    const page2 = visibleText(await agent.get(`/invitations/${String(invitations[0]!._id)}`).expect(200))
    assert.match(page2, /How Text message/)
    assert.match(page2, /Sent to \+447400123456/)
    assert.match(page2, /Text message accepted by GOV.UK Notify/)
  })

  it('refuses a number that is not a UK mobile, a repeated one, or none, naming the field', async () => {
    const { csrf } = await formPage()
    const landline = await sendForm(csrf, { 'mobile-1': '020 7946 0000' }).expect(400)
    assert.match(visibleText(landline), /Enter a UK mobile number, like 07400 123456 or \+44 7400 123456/)
    assert.match(landline.text, /href="#mobile-1"/)
    const foreign = await sendForm(csrf, { 'mobile-1': '+33 6 12 34 56 78' }).expect(400)
    assert.match(visibleText(foreign), /Enter a UK mobile number/)
    const twice = await sendForm(csrf, { 'mobile-1': '07400 123456', 'mobile-2': '+447400123456' }).expect(
      400,
    )
    assert.match(visibleText(twice), /You have entered \+447400123456 more than once/)
    const nobody = await sendForm(csrf, {}).expect(400)
    assert.match(visibleText(nobody), /Enter the mobile number of at least one person to invite/)
    const nameOnly = await sendForm(csrf, { 'firstName-1': 'Sam' }).expect(400)
    assert.match(visibleText(nameOnly), /Enter a mobile number/)
    assert.equal(await InvitationModel.countDocuments(), 0)
  })

  it('with SMTP but no Notify, says texts are not available and refuses them', async () => {
    t.services.config.notify = undefined
    t.services.config.smtpUrl = 'smtp://127.0.0.1:1'
    const { page, csrf } = await formPage()
    assert.doesNotMatch(page.text, /id="channel-sms"/)
    assert.doesNotMatch(page.text, /name="mobile-1"/)
    assert.match(
      visibleText(page),
      /Text messages are not available: they need GOV.UK Notify, which is not set up for Family Voice here/,
    )
    const refused = await sendForm(csrf, { 'mobile-1': '07400 123456' }).expect(400)
    assert.match(visibleText(refused), /Text messages are not available: choose email or a letter/)
    assert.equal(await InvitationModel.countDocuments(), 0)
  })

  it('in the demo (no delivery set up) keeps the text in the local outbox and says so', async () => {
    t.services.config.notify = undefined
    const { page, csrf } = await formPage()
    assert.match(
      visibleText(page),
      /This demonstration has no GOV.UK Notify: the message is kept in the outbox/,
    )
    await sendForm(csrf, { 'mobile-1': '07400 123456' }).expect(303)
    const local = new OutboxWorker(t.services)
    assert.equal((await local.runOnce()).kept, 1)
    const [message] = await OutboxMessageModel.find({}).lean()
    assert.equal(message?.channel, 'sms')
    assert.equal(message?.status, 'kept')
    assert.equal(notify.accepted.length, 0)
    const invitation = await InvitationModel.findOne({}).lean()
    assert.equal(invitation?.status, 'sent')
    assert.match(
      invitation?.events?.at(-1)?.note ?? '',
      /GOV.UK Notify is not set up: the text message was kept/,
    )
  })

  it('resends a text invitation by text, with a new link', async () => {
    const { csrf } = await formPage()
    await sendForm(csrf, { 'mobile-1': '07400 123456' }).expect(303)
    const invitation = (await InvitationModel.findOne({}).lean())!
    const page = await agent.get(`/invitations/${String(invitation._id)}`).expect(200)
    assert.match(visibleText(page), /Send the text message again/)
    await agent
      .post(`/invitations/${String(invitation._id)}/resend`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .expect(303)
    const messages = await OutboxMessageModel.find({ invitationId: invitation._id }).sort({ _id: 1 }).lean()
    assert.deepEqual(
      messages.map((message) => [message.channel, message.to, message.status]),
      [
        ['sms', '+447400123456', 'cancelled'],
        ['sms', '+447400123456', 'pending'],
      ],
    )
    assert.notEqual(messages[0]!.text, messages[1]!.text, 'a new link')
    const after = visibleText(await agent.get(`/invitations/${String(invitation._id)}`).expect(200))
    assert.match(after, /A new link is being texted/)
  })

  it('bulk CSV: a row with a mobile and no email is texted; bad numbers are listed by line', async () => {
    const csrf = csrfTokenFrom((await agent.get('/invitations/bulk').expect(200)).text)
    const upload = (csv: string, status: number) =>
      agent
        .post('/invitations/bulk')
        .field('_csrf', csrf)
        .attach('file', Buffer.from(csv, 'utf8'), { filename: 'closures.csv', contentType: 'text/csv' })
        .expect(status)
    const header = 'case_ref,event,event_date,team,email,mobile,first_name'
    const bad = await upload(
      [
        header,
        'LCS-1,closure,2026-11-02,Locality North,,020 7946 0000,',
        'LCS-2,closure,2026-11-02,Locality North,,,',
        'LCS-3,closure,2026-11-02,Locality North,,07400 123456,',
        'LCS-3,closure,2026-11-02,Locality North,,+447400123456,',
      ].join('\n'),
      400,
    )
    const problems = visibleText(bad)
    assert.match(problems, /Line 2 mobile “020 7946 0000” is not a UK mobile number/)
    assert.match(problems, /Line 3 email and mobile are both empty/)
    assert.match(problems, /Line 5 repeats line 4 \(same mobile, survey and case\)/)

    // Only a mobile column: no email column needed.
    const mobileOnly = await upload(
      ['case_ref,event,event_date,team,mobile', 'LCS-9,closure,2026-11-02,Locality North,07400 999999'].join(
        '\n',
      ),
      303,
    )
    assert.match(mobileOnly.headers.location as string, /^\/invitations\/bulk\/[a-f0-9]{24}$/)
    await BulkUploadModel.deleteMany({})

    const good = await upload(
      [
        header,
        'LCS-1,closure,2026-11-02,Locality North,,07400 111111,Sam',
        'LCS-2,closure,2026-11-02,Locality North,alex@family.example,07400 222222,Alex',
      ].join('\n'),
      303,
    )
    const previewPath = good.headers.location as string
    const preview = await agent.get(previewPath).expect(200)
    const text = visibleText(preview)
    assert.match(
      text,
      /2 people will be sent a personal survey link from closures.csv: 1 by email, 1 by text message/,
    )
    assert.match(text, /Sam, \+447400111111 \(text message\)/)
    assert.match(text, /Alex, alex@family.example/)
    await agent
      .post(`${previewPath}/confirm`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(preview.text) })
      .expect(303)
    const invitations = await InvitationModel.find({}).sort({ caseRef: 1 }).lean()
    assert.deepEqual(
      invitations.map((i) => [i.caseRef, i.channel, i.recipientMobile ?? null, i.recipientEmail ?? null]),
      [
        ['LCS-1', 'sms', '+447400111111', null],
        ['LCS-2', 'email', null, 'alex@family.example'],
      ],
    )
    assert.deepEqual((await OutboxMessageModel.find({}).lean()).map((m) => m.channel).sort(), [
      'email',
      'sms',
    ])

    // Without a way to send texts, a mobile row is refused.
    t.services.config.notify = undefined
    t.services.config.smtpUrl = 'smtp://127.0.0.1:1'
    const unavailable = await upload(
      [header, 'LCS-7,closure,2026-11-02,Locality North,,07400 777777,'].join('\n'),
      400,
    )
    assert.match(visibleText(unavailable), /Line 2 mobile: text messages are not available here/)
  })
})
