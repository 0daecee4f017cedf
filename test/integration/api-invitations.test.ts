/**
 * The invitations API as a case-management system uses it: POST an event, get 201 with the
 * invitation; the same event_id again (in sequence or at the same instant) makes nothing more and
 * answers 200 with the first; a failure after the claim leaves nothing and the retry works; bad
 * input is a 400 naming the field; a token reaches only the teams its role may send for.
 */
import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { idAt } from '../../server/db/timeOrderedIds'
import { EventClaimModel } from '../../server/invitations/eventClaim'
import { CLAIM_STALE_MS } from '../../server/invitations/fromEvent'
import { InvitationModel } from '../../server/invitations/invitation'
import type { MailQueue } from '../../server/mail/mailQueue'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import type { Team } from '../../server/teams/team'
import { TeamModel } from '../../server/teams/team'
import { createTeam } from '../helpers/factories'
import { schemaProblems } from '../helpers/jsonSchema'
import { useTestApp } from '../helpers/hooks'

type Json = Record<string, unknown>

describe('POST /api/v1/invitations and GET /api/v1/invitations/{id}', () => {
  const t = useTestApp()
  let north: Team, south: Team, qaToken: string, practitionerToken: string, document: Json
  let n = 0
  const nextEventId = () => `LCS-EV-${++n}`

  const body = (extra: Json = {}): Json => ({
    event_id: nextEventId(),
    event: 'closure',
    team: 'Locality North',
    case_ref: 'LCS-448812',
    channel: 'email',
    email: 'sam@family.example',
    first_name: 'Sam',
    ...extra,
  })

  before(async () => {
    north = await createTeam('Locality North')
    south = await createTeam('Locality South')
    await createTeam('Old Team')
    await TeamModel.updateOne({ name: 'Old Team' }, { $set: { retired: true } })
    qaToken = (await createApiToken(t.clock, { name: 'Mosaic', role: 'qa' })).token
    practitionerToken = (
      await createApiToken(t.clock, { name: 'North LCS', role: 'practitioner', teams: [north] })
    ).token
    document = (await request(t.app).get('/api/v1/openapi.json').expect(200)).body as Json
  })
  beforeEach(async () => {
    await InvitationModel.deleteMany({})
    await OutboxMessageModel.deleteMany({})
    await EventClaimModel.deleteMany({})
  })

  const post = (payload: unknown, token = qaToken) =>
    request(t.app)
      .post('/api/v1/invitations')
      .set('Authorization', `Bearer ${token}`)
      .send(payload as object)
  const get = (id: string, token = qaToken) =>
    request(t.app).get(`/api/v1/invitations/${id}`).set('Authorization', `Bearer ${token}`)

  function assertDocumented(path: string, method: 'get' | 'post', status: number, value: unknown) {
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, Json> }>>
    const response = paths[path]?.[method]?.responses[String(status)]
    assert.ok(response, `${method} ${path} documents a ${status} answer`)
    const schema = (response.content as Record<string, { schema: Json }>)['application/json']!.schema
    assert.deepEqual(schemaProblems(value, schema, document), [], `${method} ${path} ${status}`)
  }

  it('makes the invitation, queues its email and answers 201 { id, status }; GET gives it back', async () => {
    const payload = body()
    const created = await post(payload).expect(201)
    assert.equal(created.body.status, 'queued')
    assert.match(created.body.id, /^[a-f0-9]{24}$/)
    assert.equal(created.body.event_id, payload.event_id)
    assert.equal(created.body.survey, 'closure-family')
    assert.equal(created.body.team, 'Locality North')
    assertDocumented('/api/v1/invitations', 'post', 201, created.body)
    // Never the family's address or name in the answer.
    assert.doesNotMatch(JSON.stringify(created.body), /sam@family|Sam"/)

    const stored = await InvitationModel.findById(created.body.id).lean()
    assert.equal(stored?.recipientEmail, 'sam@family.example')
    assert.equal(stored?.recipientName, 'Sam')
    assert.equal(stored?.caseRef, 'LCS-448812')
    assert.equal(stored?.channel, 'email')
    const mail = await OutboxMessageModel.find({ invitationId: stored!._id }).lean()
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.to, 'sam@family.example')
    assert.match(mail[0]!.text, /^Hello Sam,/)

    const read = await get(created.body.id).expect(200)
    assert.deepEqual(read.body, created.body)
    assertDocumented('/api/v1/invitations/{id}', 'get', 200, read.body)

    const audit = await AuditEventModel.findOne({ action: 'api.invitations.created' }).lean()
    assert.equal(audit?.actorLabel, 'api token "Mosaic"')
    assert.doesNotMatch(JSON.stringify(audit), /sam@family|LCS-448812/)
  })

  it('the same event_id again makes nothing more and answers 200 with the first invitation', async () => {
    const payload = body()
    const first = await post(payload).expect(201)
    const again = await post(payload).expect(200)
    assert.deepEqual(again.body, first.body)
    assertDocumented('/api/v1/invitations', 'post', 200, again.body)
    // Even with other details: the event has had its invitation.
    const changed = await post({ ...payload, email: 'other@family.example' }).expect(200)
    assert.equal(changed.body.id, first.body.id)
    assert.equal(await InvitationModel.countDocuments({}), 1)
    assert.equal(await OutboxMessageModel.countDocuments({}), 1)
  })

  it('twelve requests for one event at the same instant make one invitation and one message', async () => {
    const payload = body()
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(payload)))
    const statuses = answers.map((answer) => answer.status).sort()
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201])
    assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1)
    assert.equal(await InvitationModel.countDocuments({}), 1)
    assert.equal(await OutboxMessageModel.countDocuments({}), 1)
    assert.equal(await EventClaimModel.countDocuments({ state: 'created' }), 1)
  })

  it('leaves nothing half-made when queuing fails after the claim, and the same request then works', async () => {
    const payload = body()
    const realMail = t.services.mail
    t.services.mail = {
      enqueue: () => Promise.reject(new Error('outbox unavailable')),
    } as unknown as MailQueue
    try {
      // Two at once, both failing: neither leaves a claim, an invitation or a message.
      const failed = await Promise.all([post(payload), post(payload)])
      for (const answer of failed) {
        assert.equal(answer.status, 503)
        assert.match(answer.body.error, /nothing was kept: send the same request again/)
      }
    } finally {
      t.services.mail = realMail
    }
    assert.equal(await InvitationModel.countDocuments({}), 0)
    assert.equal(await OutboxMessageModel.countDocuments({}), 0)
    assert.equal(await EventClaimModel.countDocuments({}), 0)

    const retried = await post(payload).expect(201)
    assert.equal(await InvitationModel.countDocuments({}), 1)
    assert.equal((await OutboxMessageModel.find({}).lean())[0]!.invitationId?.toString(), retried.body.id)
  })

  it('takes over a claim left by a process that stopped, without a second invitation or message', async () => {
    const token = (await createApiToken(t.clock, { name: 'Dead process', role: 'qa' })).apiToken
    const staleAt = new Date(t.clock.now().getTime() - CLAIM_STALE_MS - 1000)
    // Stopped before making anything: the invitation is made now, with the id the claim chose.
    const bare = body()
    const chosen = idAt(staleAt)
    await EventClaimModel.create({
      eventId: bare.event_id,
      state: 'creating',
      invitationId: chosen,
      attempt: 'gone',
      claimedAt: staleAt,
      apiTokenId: token._id,
    })
    const created = await post(bare).expect(201)
    assert.equal(created.body.id, String(chosen))

    // Stopped after queuing the message but before marking the claim: finished, nothing sent twice.
    const late = body()
    const first = await post(late).expect(201)
    await EventClaimModel.updateOne(
      { eventId: late.event_id },
      { $set: { state: 'creating', claimedAt: staleAt, attempt: 'gone' } },
    )
    const resumed = await post(late).expect(201)
    assert.equal(resumed.body.id, first.body.id)
    assert.equal(await InvitationModel.countDocuments({}), 2)
    assert.equal(await OutboxMessageModel.countDocuments({}), 2)
    assert.equal(await EventClaimModel.countDocuments({ state: 'created' }), 2)
  })

  it('while another request holds a fresh claim, waits, makes nothing and answers 409 to try again', async () => {
    const token = (await createApiToken(t.clock, { name: 'Slow process', role: 'qa' })).apiToken
    const payload = body()
    await EventClaimModel.create({
      eventId: payload.event_id,
      state: 'creating',
      invitationId: idAt(t.clock.now()),
      attempt: 'still-working',
      claimedAt: t.clock.now(),
      apiTokenId: token._id,
    })
    const started = Date.now()
    const busy = await post(payload).expect(409)
    assert.ok(Date.now() - started >= 9_000, 'it waited for the other request')
    assert.match(busy.body.error, /being sent by another request: send it again in a moment/)
    assertDocumented('/api/v1/invitations', 'post', 409, busy.body)
    assert.equal(await InvitationModel.countDocuments({}), 0)
    assert.equal(await OutboxMessageModel.countDocuments({}), 0)
  })

  it('chooses the survey from the event and respondent, or takes the survey named', async () => {
    const professional = await post(
      body({ event: 'cp-conference', respondent: 'professional', email: 'gp@nhs.example' }),
    ).expect(201)
    assert.equal(professional.body.survey, 'cp-conference-professional')
    assert.equal(professional.body.respondent, 'professional')
    const carer = await post(body({ event: 'cla-review', respondent: 'carer' })).expect(201)
    assert.equal(carer.body.survey, 'cla-review-family')
    assert.equal(carer.body.respondent, 'carer')
    const { event: _event, ...withoutEvent } = body()
    const named = await post({ ...withoutEvent, survey: 'closure-young-person' }).expect(201)
    assert.equal(named.body.survey, 'closure-young-person')
    assert.equal(named.body.respondent, 'child-young-person')
  })

  it('texts when channel is sms: the number normalised to +447…, the message short with the link', async () => {
    const { email: _email, ...rest } = body()
    const created = await post({ ...rest, channel: 'sms', mobile: '07400 123456' }).expect(201)
    assert.equal(created.body.channel, 'sms')
    const stored = await InvitationModel.findById(created.body.id).lean()
    assert.equal(stored?.recipientMobile, '+447400123456')
    assert.equal(stored?.recipientEmail, undefined)
    const [message] = await OutboxMessageModel.find({ invitationId: stored!._id }).lean()
    assert.equal(message?.channel, 'sms')
    assert.equal(message?.to, '+447400123456')
    assert.match(message!.text, /Locality North team/)
    assert.match(message!.text, /http:\/\/family-voice\.test\/s\/[0-9A-Z]{28}$/)
  })

  it('answers 400 naming the field for bad input, and makes nothing', async () => {
    const { email: _email, ...noEmail } = body()
    const cases: Array<[unknown, RegExp]> = [
      [body({ event_id: undefined }), /^"event_id" is required/],
      [body({ event_id: 'has spaces in it' }), /^"event_id" must be/],
      [body({ colour: 'blue' }), /^Unknown field "colour": use event_id, survey, event/],
      [body({ survey: 'closure-family' }), /^Give "survey" or "event", not both/],
      [body({ event: undefined }), /^"survey" or "event" is required/],
      [body({ event: 'wedding' }), /^"event" must be one of: closure, assessment/],
      [{ ...body({ event: undefined }), survey: 'no-such-survey' }, /^"survey": there is no survey called/],
      [body({ respondent: 'grandparent' }), /^"respondent" must be one of/],
      [
        body({ event: 'iro-midway', respondent: 'professional' }),
        /^"respondent": there is no iro-midway survey/,
      ],
      [body({ team: undefined }), /^"team" is required/],
      [body({ team: 'Nowhere' }), /^"team": there is no team called "Nowhere"/],
      [body({ team: 'Old Team' }), /^"team": the team "Old Team" has been retired/],
      [body({ case_ref: undefined }), /^"case_ref" is required/],
      [body({ case_ref: 'Sam Smith' }), /^"case_ref" must be letters/],
      [body({ channel: 'pigeon' }), /^"channel" must be "email" or "sms"/],
      [noEmail, /^"email" is required for "channel": "email"/],
      [body({ email: 'not-an-address' }), /^"email" is not a valid email address/],
      [body({ mobile: '07400 123456' }), /^"mobile" is only for "channel": "sms"/],
      [{ ...noEmail, channel: 'sms' }, /^"mobile" is required for "channel": "sms"/],
      [{ ...noEmail, channel: 'sms', mobile: '020 7946 0000' }, /^"mobile" must be a UK mobile number/],
      [{ ...noEmail, channel: 'sms', mobile: '+33 6 12 34 56 78' }, /^"mobile" must be a UK mobile number/],
      [body({ first_name: '<b>Sam</b>' }), /^"first_name": must only include letters/],
      [body({ case_ref: 12345 }), /^"case_ref" must be a string/],
      [[body()], /^Send a JSON object/],
    ]
    for (const [payload, error] of cases) {
      const answer = await post(payload)
      assert.equal(answer.status, 400, JSON.stringify(payload))
      assert.match(answer.body.error, error, JSON.stringify(payload))
      assertDocumented('/api/v1/invitations', 'post', 400, answer.body)
    }
    const form = await request(t.app)
      .post('/api/v1/invitations')
      .set('Authorization', `Bearer ${qaToken}`)
      .type('form')
      .send({ event_id: 'x' })
      .expect(400)
    assert.match(form.body.error, /Content-Type: application\/json/)
    const broken = await request(t.app)
      .post('/api/v1/invitations')
      .set('Authorization', `Bearer ${qaToken}`)
      .set('Content-Type', 'application/json')
      .send('{"event_id": ')
      .expect(400)
    assert.equal(typeof broken.body.error, 'string')
    assert.equal(await InvitationModel.countDocuments({}), 0)
    assert.equal(await EventClaimModel.countDocuments({}), 0)
  })

  it("reaches only the token's teams: another team is unknown, its invitations are not found", async () => {
    const own = await post(body(), practitionerToken).expect(201)
    await get(own.body.id, practitionerToken).expect(200)
    const other = await post(body({ team: 'Locality South' }), practitionerToken).expect(400)
    assert.equal(other.body.error, '"team": there is no team called "Locality South".')
    const unknown = await post(body({ team: 'Locality Nowhere' }), practitionerToken).expect(400)
    assert.equal(unknown.body.error, '"team": there is no team called "Locality Nowhere".')

    const southPayload = body({ team: south.name })
    const southInvitation = await post(southPayload).expect(201)
    const hidden = await get(southInvitation.body.id, practitionerToken).expect(404)
    assertDocumented('/api/v1/invitations/{id}', 'get', 404, hidden.body)
    // Its event_id sent by the token that cannot see it tells nothing about it.
    const reused = await post({ ...southPayload, team: north.name }, practitionerToken).expect(409)
    assert.equal(reused.body.error, 'This event_id has already been used.')
    await get('not-an-id').expect(404)
    await get(own.body.id.replace(/.$/, own.body.id.endsWith('0') ? '1' : '0')).expect(404)
    await get(`${own.body.id}?x=1`).expect(400)

    const noToken = await request(t.app).post('/api/v1/invitations').send(body()).expect(401)
    assertDocumented('/api/v1/invitations', 'post', 401, noToken.body)
    // The reports API still refuses practitioner tokens.
    await request(t.app)
      .get('/api/v1/reports/headlines?survey=closure-family&period=2023-24-Q2')
      .set('Authorization', `Bearer ${practitionerToken}`)
      .expect(403)
  })
})
