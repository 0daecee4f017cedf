/**
 * Links on paper: a code a family can type (Crockford base32, grouped, any case, 140 bits) at a
 * short address, with the team's name and phone number; links made before codes keep working.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { InvitationModel } from '../../server/invitations/invitation'
import { sendInvitation } from '../../server/invitations/sending'
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  formatCode,
  hashToken,
  newInvitationToken,
  normalCode,
} from '../../server/invitations/token'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { sha256Hex } from '../../server/security/sha256'
import { TeamModel, type Team } from '../../server/teams/team'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'

describe('a code on paper instead of a long link', () => {
  const t = useTestApp()
  let team: Team
  before(async () => {
    team = await createTeam('Early Help Central', 'Early Help')
    await TeamModel.updateOne({ _id: team._id }, { $set: { phone: '0300 555 0199' } })
  })

  it('makes codes of 28 characters without look-alikes (140 bits), printed in seven groups of four', () => {
    assert.equal(CODE_ALPHABET.length, 32)
    assert.doesNotMatch(CODE_ALPHABET, /[ILOU]/)
    assert.ok(CODE_LENGTH * Math.log2(CODE_ALPHABET.length) >= 128)
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const code = newInvitationToken()
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{28}$/)
      assert.match(formatCode(code), /^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/)
      seen.add(code)
    }
    assert.equal(seen.size, 200)
  })

  it('reads a code typed in small letters, with spaces or dashes, and O, I or L for 0 and 1', () => {
    const code = '0123456789ABCDEFGHJKMNPQRSTV'
    assert.equal(normalCode(code), code)
    assert.equal(normalCode(formatCode(code).toLowerCase()), code)
    assert.equal(normalCode(' oL23 4567 89ab cdef ghjk mnpq rstv '), code)
    assert.equal(normalCode('0123-4567-89AB-CDEF-GHJK-MNPQ-RSTU'), undefined, 'U is not in the alphabet')
    assert.equal(normalCode('0123-4567'), undefined)
    assert.equal(normalCode({ $ne: 1 }), undefined)
    assert.equal(hashToken(code), sha256Hex(code))
  })

  it('opens the survey from the code typed at the short address /s, in any case and grouping', async () => {
    const form = await request(t.app).get('/s').expect(200)
    assert.equal(form.headers['cache-control'], 'no-store')
    assert.match(visibleText(form), /Enter your survey code Your code is in your letter or email\./)
    assert.match(form.text, /<form method="get" action="\/s" novalidate>/)

    const { token, invitationId } = await issueInvitation(t.services, team)
    const typed = formatCode(token).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, ' ')
    const agent = request.agent(t.app)
    const opened = await agent.get('/s').query({ code: typed }).expect(303)
    assert.equal(opened.headers.location, '/survey')
    const page = await agent.get('/survey').expect(200)
    assert.match(page.text, /Your experience of our service/)
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'opened')
    // The grouped code works in the link's place too.
    await request(t.app)
      .get(`/s/${formatCode(token)}`)
      .expect(303)
  })

  it('asks again, on the same page, for a missing, malformed or unknown code', async () => {
    const missing = await request(t.app).get('/s?code=%20').expect(400)
    assert.match(missing.text, /<a href="#code">Enter the code from your letter or email<\/a>/)
    const malformed = await request(t.app).get('/s?code=1234-5678').expect(400)
    assert.match(visibleText(malformed), /Check your code: it has 28 letters and numbers/)
    assert.match(malformed.text, /value="1234-5678"/)
    const unknown = await request(t.app)
      .get('/s')
      .query({ code: formatCode(newInvitationToken()) })
      .expect(404)
    assert.match(visibleText(unknown), /We could not find a survey with that code/)
    const injected = await request(t.app).get('/s?code[$ne]=x').expect(200)
    assert.match(visibleText(injected), /Enter your survey code/)
  })

  it('keeps links made before codes working (43 characters of base64url, hashed as they are)', async () => {
    const { invitationId } = await issueInvitation(t.services, team)
    const legacy = 'Ab3_-9xYz0123456789abcdefghijklmnopqrstuvwx'
    assert.equal(legacy.length, 43)
    await InvitationModel.updateOne({ _id: invitationId }, { $set: { tokenHash: sha256Hex(legacy) } })
    const visit = await request(t.app).get(`/s/${legacy}`).expect(303)
    assert.equal(visit.headers.location, '/survey')
    // Case matters for those: another capitalisation is another token.
    await request(t.app).get(`/s/${legacy.toUpperCase()}`).expect(404)
  })

  it('prints the short address, the grouped code and the team phone on the letter', async () => {
    const agent = await signIn(t.app, await createUser({ role: 'practitioner', teams: [team] }))
    const { invitation } = await sendInvitation(t.services, {
      surveyId: 'closure-family',
      channel: 'letter',
      expiresInDays: 28,
      team,
    })
    const confirm = await agent.get(`/invitations/${String(invitation._id)}/letter`).expect(200)
    const letter = await agent
      .post(`/invitations/${String(invitation._id)}/letter`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(confirm.text) })
    const page = letter.status === 200 ? letter : confirm
    const text = visibleText(page)
    const code = /\b(([0-9A-Z]{4}-){6}[0-9A-Z]{4})\b/.exec(text)?.[1]
    assert.ok(code, 'the letter shows a grouped code')
    assert.match(text, /Or go to http:\/\/family-voice\.test\/s and type this code/)
    assert.match(text, /call the Early Help Central team at children's services on 0300 555 0199\./)
    await request(t.app).get('/s').query({ code: code.toLowerCase() }).expect(303)
  })

  it('puts the short address, code and phone in the email, and hides the code from admins reading the outbox', async () => {
    await sendInvitation(t.services, {
      surveyId: 'closure-family',
      channel: 'email',
      recipientEmail: 'kim@family.example',
      expiresInDays: 28,
      team,
    })
    const message = await OutboxMessageModel.findOne({ to: 'kim@family.example' }).lean()
    assert.ok(message)
    const code = /type this code: (([0-9A-Z]{4}-){6}[0-9A-Z]{4})/.exec(message.text)?.[1]
    assert.ok(code, 'the email carries the grouped code')
    assert.match(
      message.text,
      /If the link does not open, go to http:\/\/family-voice\.test\/s and type this code/,
    )
    assert.match(message.text, /on 0300 555 0199\./)
    assert.match(message.html ?? '', new RegExp(code))

    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const view = await admin.get(`/admin/outbox/${String(message._id)}`).expect(200)
    assert.doesNotMatch(view.text, new RegExp(code))
    assert.doesNotMatch(view.text, /\/s\/[0-9A-Z]{28}/)
    assert.match(visibleText(view), /type this code: \[personal code hidden\]/)
  })

  it('lets an admin give a team a phone number, checked and written the UK way', async () => {
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const target = await createTeam('Locality Phone', 'Locality')
    const form = await admin.get(`/admin/teams/${String(target._id)}`).expect(200)
    assert.match(visibleText(form), /Phone number for families \(optional\)/)
    const csrf = csrfTokenFrom(form.text)
    const wrong = await admin
      .post(`/admin/teams/${String(target._id)}`)
      .type('form')
      .send({ _csrf: csrf, name: 'Locality Phone', service: 'Locality', dutyEmail: '', phone: '12' })
      .expect(400)
    assert.match(wrong.text, /<a href="#phone">Enter a UK phone number, like 0300 123 4567<\/a>/)
    await admin
      .post(`/admin/teams/${String(target._id)}`)
      .type('form')
      .send({
        _csrf: csrf,
        name: 'Locality Phone',
        service: 'Locality',
        dutyEmail: '',
        phone: '+44300 1234567',
      })
      .expect(303)
    assert.equal((await TeamModel.findById(target._id).lean())?.phone, '0300 123 4567')
    await admin
      .post(`/admin/teams/${String(target._id)}`)
      .type('form')
      .send({ _csrf: csrf, name: 'Locality Phone', service: 'Locality', dutyEmail: '', phone: '' })
      .expect(303)
    assert.equal((await TeamModel.findById(target._id).lean())?.phone, undefined)
  })
})
