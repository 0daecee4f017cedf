/**
 * Erasure by case reference, over HTTP (/admin/case-records) and the CLI (`erase-case`), against
 * the real database: afterwards nothing in ANY collection holds the case reference, the family's
 * addresses, name or words; the answers stay as anonymous counts, so the report figures are the
 * same and `recount-reports --check` agrees. Open safeguarding flags refuse it; it is audited
 * without the reference.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Types } from 'mongoose'
import { AuditEventModel, recordAudit } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { caseRefDigest } from '../../server/dataProtection/caseRecords'
import { BulkUploadModel } from '../../server/invitations/bulkUpload'
import { InvitationModel } from '../../server/invitations/invitation'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { ResponseModel } from '../../server/responses/response'
import { checkTallies } from '../../server/tallies/recount'
import type { User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { appDatabaseUri, runCli } from '../helpers/cli'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import {
  answerOnline,
  emailInvitation,
  everyDocument,
  recordWithCaseRef,
  tallyCells,
} from './data-protection-fixtures'

const CASE = 'LCS-448812'
const FAMILY_DATA = [
  CASE,
  'sam@family.example',
  'robin@family.example',
  '"Samantha"',
  'Our worker Jo was kind',
  'Jo never called me back',
  'I was scared when dad shouted',
  'Told the duty manager, Kim',
]

describe('erasing a case: nothing of it is left anywhere, and the reports stay the same', () => {
  const t = useTestApp()
  let team: Team, adminUser: User, admin: Agent, openToken: string

  const reportText = async () => {
    await t.services.tallies.runOnce()
    const page = await admin.get('/reports?survey=closure-family&period=2026-27-Q3').expect(200)
    return visibleText(page).replace(/\s+/g, ' ')
  }
  const csrf = async () => csrfTokenFrom((await admin.get('/admin/case-records').expect(200)).text)
  const holding = async (values: string[]) =>
    (await everyDocument()).filter((doc) => values.some((value) => doc.json.includes(value)))

  before(async () => {
    team = await createTeam('Locality North')
    adminUser = await createUser({ role: 'admin', email: 'ada@council.example' })
    admin = await signIn(t.app, adminUser)

    // The case: an answered email link with free text, a link still open, a telephone answer
    // whose flagged comment a person has closed, a bulk-upload row and audit events.
    const answered = await emailInvitation(t, team, {
      caseRef: CASE,
      email: 'sam@family.example',
      name: 'Samantha',
    })
    await answerOnline(t, answered.token, {
      'q-share-views': 'yes',
      'q-positive-difference': 'partly',
      'q-went-well': 'Our worker Jo was kind',
      'q-do-better': 'Jo never called me back',
    })
    const open = await emailInvitation(t, team, { caseRef: CASE, email: 'robin@family.example' })
    openToken = open.token
    const phoned = await recordWithCaseRef(
      t,
      team,
      CASE,
      { 'share-views': 'no' },
      { 'do-better': 'I was scared when dad shouted' },
    )
    await CommentModel.updateOne(
      { responseId: phoned._id },
      {
        $set: {
          'flag.acknowledgedAt': t.clock.now(),
          'flag.acknowledgedBy': adminUser._id,
          'flag.outcome': 'acted',
          'flag.acknowledgementNote': 'Rang the family the same day',
          'flag.toldWho': 'Told the duty manager, Kim',
        },
      },
    )
    await BulkUploadModel.create({
      createdBy: adminUser._id,
      createdAt: t.clock.now(),
      status: 'sent',
      rows: [CASE, 'LCS-1'].map((caseRef, i) => ({
        line: i + 2,
        caseRef,
        event: 'closure',
        eventDate: new Date('2026-11-20'),
        surveyId: 'closure-family',
        teamId: team._id,
        teamName: team.name,
        respondent: 'parent-carer',
        email: i === 0 ? 'robin@family.example' : 'other@family.example',
      })),
      invitationIds: [open.invitation._id],
    })
    await recordAudit(t.clock.now(), {
      actorLabel: 'pat@council.example',
      action: 'invitation.resent',
      target: `invitation ${String(open.invitation._id)}`,
    })

    // Another family, which must be left alone.
    const other = await emailInvitation(t, team, {
      caseRef: 'LCS-1',
      email: 'other@family.example',
      name: 'Olu',
    })
    await answerOnline(t, other.token, { 'q-share-views': 'yes', 'q-went-well': 'Very helpful' })
  })

  it('asks for a case reference, refusing an empty or malformed one with the form (400)', async () => {
    const token = await csrf()
    for (const [caseRef, message] of [
      ['', /Enter the case reference/],
      ['LCS 448812; drop', /letters, numbers and hyphens/],
    ] as const) {
      const page = await admin
        .post('/admin/case-records')
        .type('form')
        .send({ _csrf: token, caseRef })
        .expect(400)
      assert.match(visibleText(page), message)
      assert.match(visibleText(page), /There is a problem/)
    }
  })

  it('shows what will be erased, then erases only after the box is ticked', async () => {
    const token = await csrf()
    const summary = await admin
      .post('/admin/case-records')
      .type('form')
      .send({ _csrf: token, caseRef: CASE })
      .expect(200)
    const text = visibleText(summary)
    assert.match(text, /Records for case LCS-448812/)
    assert.match(text, /Invitations \(their case reference, email, mobile and name\) 2/)
    assert.match(text, /Responses \(their link to the case; the answers stay as anonymous counts\) 2/)
    assert.match(text, /Free-text answers, with their reviews and safeguarding notes 3/)
    assert.match(text, /of which have a safeguarding flag still open 0/)
    assert.match(text, /Emails in the outbox 2/)
    assert.match(text, /Rows of bulk uploads 1/)
    assert.match(text, /Audit events about these records .* 1/)

    const unconfirmed = await admin
      .post('/admin/case-records/erase')
      .type('form')
      .send({ _csrf: csrfTokenFrom(summary.text), caseRef: CASE })
      .expect(400)
    assert.match(visibleText(unconfirmed), /Tick the box to confirm/)
    assert.equal(await InvitationModel.countDocuments({ caseRef: CASE }), 2, 'nothing erased')
  })

  it('leaves nothing of the case in any collection; answers and report figures stay', async () => {
    const reportBefore = await reportText()
    assert.match(reportBefore, /3 families gave us feedback/)
    const tallies = await tallyCells()
    assert.ok((await holding(FAMILY_DATA)).length > 0, 'the search finds the family before')

    const token = await csrf()
    // Two admins confirm at the same moment: both see it done, and it is done once, consistently.
    const [first, second] = await Promise.all(
      [0, 1].map(() =>
        admin
          .post('/admin/case-records/erase')
          .type('form')
          .send({ _csrf: token, caseRef: CASE, confirm: 'yes' }),
      ),
    )
    assert.deepEqual([first!.status, second!.status], [200, 200])
    assert.match(visibleText(first!) + visibleText(second!), /Case erased/)

    const left = await holding(FAMILY_DATA)
    assert.deepEqual(
      left.map((doc) => `${doc.collection}: ${doc.json.slice(0, 300)}`),
      [],
      'no document in any collection holds the case reference, the addresses, the name or the words',
    )
    // The other family is untouched.
    assert.equal(
      await InvitationModel.countDocuments({ caseRef: 'LCS-1', recipientEmail: 'other@family.example' }),
      1,
    )
    assert.equal(await CommentModel.countDocuments({ text: 'Very helpful' }), 1)
    assert.deepEqual(
      (await BulkUploadModel.findOne().lean())?.rows.map((row) => row.caseRef),
      ['LCS-1'],
    )
    // The counts stay: 3 responses with their answers, 3 invitations sent.
    assert.equal(await ResponseModel.countDocuments({}), 3)
    assert.equal(await InvitationModel.countDocuments({}), 3)
    assert.equal(await OutboxMessageModel.countDocuments({}), 1, "only the other family's email")
    assert.equal(await reportText(), reportBefore, 'the report says the same')
    assert.equal(await tallyCells(), tallies, 'the tallies did not change')
    assert.deepEqual((await checkTallies()).differences, [])
    const recount = await runCli(['recount-reports', '--check'], { MONGODB_URI: appDatabaseUri() })
    assert.equal(recount.code, 0, recount.stdout + recount.stderr)

    // The link still open no longer works.
    const visit = await admin.get(`/s/${openToken}`)
    assert.notEqual(visit.headers.location, '/survey')

    // Audited: who and when with the counts, the case only as a keyed hash.
    const events = await AuditEventModel.find({ action: 'case.erased' }).lean()
    assert.ok(events.length >= 1)
    assert.equal(String(events[0]!.userId), String(adminUser._id))
    assert.equal(events[0]!.actorLabel, 'ada@council.example')
    assert.equal(events[0]!.target, `case ${caseRefDigest(t.services.config, CASE)}`)
    assert.match(
      events[0]!.detail ?? '',
      /^invitations 2, responses 2, comments 3, outboxMessages 2, bulkUploadRows 1$/,
    )

    const again = await admin
      .post('/admin/case-records')
      .type('form')
      .send({ _csrf: token, caseRef: CASE })
      .expect(200)
    assert.match(visibleText(again), /Family Voice holds nothing for this case reference/)
  })

  it('refuses while a safeguarding flag is open, on the page (409) and in the CLI (exit 1)', async () => {
    const worry = { 'do-better': 'He hit me' }
    const flagged = await recordWithCaseRef(t, team, 'LCS-777', { 'share-views': 'no' }, worry)
    const token = await csrf()
    const refused = await admin
      .post('/admin/case-records/erase')
      .type('form')
      .send({ _csrf: token, caseRef: 'LCS-777', confirm: 'yes' })
      .expect(409)
    assert.match(
      visibleText(refused),
      /1 of this case’s comments have a safeguarding flag that is still open/,
    )
    const cli = await runCli(['erase-case', '--case-ref', 'LCS-777', '--yes'], {
      MONGODB_URI: appDatabaseUri(),
    })
    assert.equal(cli.code, 1)
    assert.match(cli.stderr, /Nothing was erased: 1 comments have a safeguarding flag still open/)
    assert.equal(await CommentModel.countDocuments({ responseId: flagged._id }), 1)
    assert.equal((await ResponseModel.findById(flagged._id).lean())?.caseRef, 'LCS-777')
  })

  it('erases from the command line only with --yes, audited as the CLI', async () => {
    const sent = await emailInvitation(t, team, {
      caseRef: 'MOS-5150',
      email: 'cli@family.example',
      name: 'Cal',
    })
    await answerOnline(t, sent.token, { 'q-share-views': 'yes', 'q-went-well': 'Lovely team' })
    const env = { MONGODB_URI: appDatabaseUri() }
    const missing = await runCli(['erase-case'], env)
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--case-ref is required/)

    const dry = await runCli(['erase-case', '--case-ref', 'MOS-5150'], env)
    assert.equal(dry.code, 0, dry.stderr)
    assert.match(dry.stdout, /Invitations \(their case reference, email, mobile and name\): 1/)
    assert.match(dry.stdout, /Nothing was erased\. Run again with --yes/)
    assert.equal(await InvitationModel.countDocuments({ caseRef: 'MOS-5150' }), 1)

    const done = await runCli(['erase-case', '--case-ref', 'MOS-5150', '--yes'], env)
    assert.equal(done.code, 0, done.stderr)
    assert.match(
      done.stdout,
      /Erased: 1 invitations, 1 responses unlinked \(answers kept as counts\), 1 comments, 1 outbox emails, 0 bulk upload rows\./,
    )
    assert.deepEqual(await holding(['MOS-5150', 'cli@family.example', 'Lovely team', '"Cal"']), [])
    const event = await AuditEventModel.findOne({
      action: 'case.erased',
      actorLabel: 'CLI erase-case',
    }).lean()
    assert.equal(event?.target, `case ${caseRefDigest(t.services.config, 'MOS-5150')}`)
    assert.equal(event?.userId, undefined)
    await t.services.tallies.runOnce()
    assert.deepEqual((await checkTallies()).differences, [])
    assert.ok(Types.ObjectId.isValid(String(sent.invitation._id)))
  })

  it('is for admins only', async () => {
    const qa = await signIn(t.app, await createUser({ role: 'qa' }))
    await qa.get('/admin/case-records').expect(403)
  })
})
