import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

describe('without SMTP_URL, mail is kept in the local outbox that admins read', () => {
  const t = useTestApp()

  it('keeps an invitation email, marks the invitation sent, and shows it to admins only', async () => {
    assert.equal(t.services.config.smtpUrl, undefined)
    const team = await createTeam('Early Help Central', 'Early Help')
    const practitioner = await signIn(t.app, await createUser({ role: 'practitioner', teams: [team] }))
    const page = await practitioner.get('/invitations/new?event=closure').expect(200)
    await practitioner
      .post('/invitations/new')
      .type('form')
      .send(
        formBody({
          _csrf: csrfTokenFrom(page.text),
          event: 'closure',
          team: String(team._id),
          service: '',
          caseRef: 'EH-5521',
          'eventDate-day': '1',
          'eventDate-month': '11',
          'eventDate-year': '2026',
          channel: 'email',
          'survey-1': 'closure-family',
          'respondent-1': '',
          'email-1': 'local@family.example',
          'firstName-1': 'Kim',
        }),
      )
      .expect(303)
    assert.equal((await new OutboxWorker(t.services).runOnce()).kept, 1)
    const message = await OutboxMessageModel.findOne({}).lean()
    assert.equal(message?.status, 'kept')

    await practitioner.get('/admin/outbox').expect(403)
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const list = visibleText(await admin.get('/admin/outbox').expect(200))
    assert.match(list, /No mail server is set up \(SMTP_URL\)/)
    assert.match(list, /Tell us about your experience of children's services/)
    assert.match(list, /To local@family.example · Survey invitation/)
    assert.match(list, /Kept here \(no mail server\)/)
    assert.match(visibleText(await admin.get('/admin/outbox?status=sent')), /0 messages/)
    await admin.get('/admin/outbox?status=bogus').expect(400)

    const view = await admin.get(`/admin/outbox/${String(message!._id)}`).expect(200)
    assert.match(visibleText(view), /Hello Kim,/)
    // Even kept mail never shows the live link (issue 9: an admin could answer as the family).
    assert.doesNotMatch(view.text, /\/s\/[0-9A-Z]{28}/)
    assert.match(visibleText(view), /http:\/\/family-voice.test\/s\/\[personal link hidden\]/)
    assert.doesNotMatch(view.text, /EH-5521/)
    await admin.get('/admin/outbox/123').expect(404)
  })

  it('hides the personal link in mail that has gone to the family', async () => {
    const sent = await OutboxMessageModel.create({
      to: 'gone@family.example',
      subject: 'Sent already',
      text: `Hello,\n\nhttp://family-voice.test/s/${'A'.repeat(43)}\n`,
      purpose: 'invitation',
      status: 'sent',
      attempts: 1,
      nextAttemptAt: t.clock.now(),
    })
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const view = await admin.get(`/admin/outbox/${String(sent._id)}`).expect(200)
    assert.doesNotMatch(view.text, /AAAAAAAAAA/)
    assert.match(visibleText(view), /\/s\/\[personal link hidden\]/)
  })
})
