import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { BulkUploadModel } from '../../server/invitations/bulkUpload'
import { InvitationModel } from '../../server/invitations/invitation'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import type { User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestAppWithMail } from '../helpers/hooks'

const HEADER = 'case_ref,event,event_date,survey,team,respondent,email,first_name'

describe('bulk sending from a CSV of case closures', () => {
  const { t, smtp } = useTestAppWithMail()
  let north: Team, practitioner: User, agent: Agent

  before(async () => {
    north = await createTeam('Locality North')
    await createTeam('Fostering East', 'Fostering')
    practitioner = await createUser({ role: 'practitioner', teams: [north] })
    agent = await signIn(t.app, practitioner)
  })
  beforeEach(async () => {
    await InvitationModel.deleteMany({})
    await BulkUploadModel.deleteMany({})
    await OutboxMessageModel.deleteMany({})
  })

  const csrf = async (as: Agent = agent) =>
    csrfTokenFrom((await as.get('/invitations/bulk').expect(200)).text)
  /** Uploads a CSV file through the form (the CSRF token first, as a browser sends it). */
  const upload = async (csv: string, status: number, as: Agent = agent) =>
    as
      .post('/invitations/bulk')
      .field('_csrf', await csrf(as))
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'closures.csv', contentType: 'text/csv' })
      .expect(status)

  it('lists every bad row with its line number and sends nothing', async () => {
    const csv = [
      HEADER,
      'LCS-1,closure,2026-11-02,,Locality North,,one@family.example,Sam',
      'LCS-2,closure,2026-13-02,,Locality North,,two@family.example,',
      'LCS-3,closure,2026-11-02,,Fostering East,,three@family.example,',
      'Jo Bloggs,wedding,2026-11-02,,Locality North,,not-an-email,',
      'LCS-5,closure,2026-11-02,cp-conference-family,Locality North,,five@family.example,',
      'LCS-1,closure,2026-11-02,,Locality North,,one@family.example,Sam',
    ].join('\n')
    const response = await upload(csv, 400)
    const text = visibleText(response)
    assert.match(text, /The file has 5 problems\. Nothing has been sent/)
    assert.match(text, /Line 3 event_date must be a real date/)
    assert.match(text, /Line 4 there is no team called “Fostering East” that you can send for/)
    assert.match(text, /Line 5 case_ref must be letters, numbers and hyphens only/)
    assert.match(text, /event “wedding” is not one of/)
    assert.match(text, /email “not-an-email” is not a valid email address/)
    assert.match(text, /Line 6 survey “cp-conference-family” is not a closure survey/)
    assert.match(text, /Line 7 repeats line 2/)
    assert.doesNotMatch(text, /Line 2 /)
    assert.equal(await InvitationModel.countDocuments(), 0)
    assert.equal(await BulkUploadModel.countDocuments(), 0)
    assert.equal(await OutboxMessageModel.countDocuments(), 0)
  })

  it('previews a good file, sends only on confirmation by the same person, and sends once', async () => {
    const csv = [
      HEADER,
      'LCS-10,closure,2026-11-02,,Locality North,,alex@family.example,Alex',
      'LCS-11,closure,2026-11-03,closure-young-person,Locality North,child-young-person,robin@family.example,Robin',
      'LCS-12,assessment,2026-11-04,,locality north,,,',
    ].join('\r\n')
    const bad = await upload(csv, 400)
    assert.match(visibleText(bad), /Line 4 email is empty/)

    const good = csv.replace('locality north,,,', 'locality north,,casey@family.example,')
    const uploaded = await upload(good, 303)
    const previewPath = uploaded.headers.location as string
    assert.match(previewPath, /^\/invitations\/bulk\/[a-f0-9]{24}$/)
    assert.equal(await InvitationModel.countDocuments(), 0, 'nothing is sent before confirmation')

    const preview = await agent.get(previewPath).expect(200)
    const text = visibleText(preview)
    assert.match(text, /3 people will be emailed a personal survey link from closures.csv/)
    assert.match(text, /Alex, alex@family.example Your experience of our service \(closure-family\)/)
    assert.match(text, /Robin, robin@family.example Tell us what you think \(closure-young-person\)/)
    assert.match(text, /casey@family.example Your views on your assessment \(assessment-family\)/)

    // Someone else cannot see or confirm it.
    const colleague = await signIn(t.app, await createUser({ role: 'practitioner', teams: [north] }))
    await colleague.get(previewPath).expect(404)
    await colleague
      .post(`${previewPath}/confirm`)
      .type('form')
      .send({ _csrf: await csrf(colleague) })
      .expect(404)
    assert.equal(await InvitationModel.countDocuments(), 0)

    const token = csrfTokenFrom(preview.text)
    const confirmed = await agent
      .post(`${previewPath}/confirm`)
      .type('form')
      .send({ _csrf: token })
      .expect(303)
    assert.equal(confirmed.headers.location, previewPath)
    const again = await agent.post(`${previewPath}/confirm`).type('form').send({ _csrf: token }).expect(303)
    assert.equal(again.headers.location, previewPath)

    const invitations = await InvitationModel.find({}).sort({ recipientEmail: 1 }).lean()
    assert.deepEqual(
      invitations.map((i) => [
        i.recipientEmail,
        i.surveyId,
        i.respondent,
        i.caseRef,
        i.recipientName ?? null,
      ]),
      [
        ['alex@family.example', 'closure-family', 'parent-carer', 'LCS-10', 'Alex'],
        ['casey@family.example', 'assessment-family', 'parent-carer', 'LCS-12', null],
        ['robin@family.example', 'closure-young-person', 'child-young-person', 'LCS-11', 'Robin'],
      ],
    )
    assert.ok(
      invitations.every((i) => String(i.createdBy) === String(practitioner._id) && i.status === 'queued'),
    )
    const result = visibleText(await agent.get(previewPath).expect(200))
    assert.match(result, /3 surveys sent/)
    assert.ok(
      await AuditEventModel.findOne({ action: 'invitations.bulk-sent', detail: '3 invitations by email' }),
    )

    const before = smtp.received.length
    assert.equal((await new OutboxWorker(t.services).runOnce()).sent, 3)
    const emails = (await smtp.waitFor(before + 3)).slice(before)
    assert.deepEqual(emails.map((email) => email.to[0]).sort(), [
      'alex@family.example',
      'casey@family.example',
      'robin@family.example',
    ])
    for (const email of emails) assert.doesNotMatch(email.raw, /LCS-1\d/)
  })

  it('accepts pasted CSV too', async () => {
    const response = await agent
      .post('/invitations/bulk')
      .field('_csrf', await csrf())
      .field('csv', `${HEADER}\nLCS-20,closure,2026-11-02,,Locality North,,pasted@family.example,`)
      .expect(303)
    assert.match(
      visibleText(await agent.get(response.headers.location as string)),
      /1 person will be emailed/,
    )
  })

  it('refuses an upload without the CSRF token (403), an empty form, a wrong header and a file over 1 MB', async () => {
    await agent
      .post('/invitations/bulk')
      .attach(
        'file',
        Buffer.from(`${HEADER}\nLCS-1,closure,2026-11-02,,Locality North,,a@b.example,`),
        'x.csv',
      )
      .expect(403)
    await agent
      .post('/invitations/bulk')
      .field('_csrf', 'forged')
      .attach('file', Buffer.from(HEADER), 'x.csv')
      .expect(403)
    const empty = await agent
      .post('/invitations/bulk')
      .field('_csrf', await csrf())
      .expect(400)
    assert.match(visibleText(empty), /Choose a CSV file, or paste the CSV/)
    const header = await upload('case,event,when\nLCS-1,closure,2026-11-02', 400)
    assert.match(visibleText(header), /Line 1 Unknown columns: case, when/)
    assert.match(visibleText(header), /Missing columns: case_ref, event_date, team, email/)
    const huge = await upload(`${HEADER}\n${'x'.repeat(1024 * 1024 + 10)}`, 413)
    assert.match(visibleText(huge), /larger than 1 MB/)
    const tooMany = [HEADER]
    for (let i = 0; i < 501; i++)
      tooMany.push(`LCS-${i},closure,2026-11-02,,Locality North,,p${i}@family.example,`)
    assert.match(visibleText(await upload(tooMany.join('\n'), 400)), /the most is 500/)
    assert.equal(await InvitationModel.countDocuments(), 0)
  })
})
