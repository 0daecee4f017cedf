/**
 * The retention schedule (server/dataProtection/) against the real database with the test clock:
 * case references go after CASE_REF_RETENTION_DAYS, free text after FREE_TEXT_RETENTION_DAYS but
 * never under an open safeguarding flag, an invitation's contact details
 * INVITATION_CONTACT_RETENTION_DAYS after it closed, audit events after AUDIT_RETENTION_DAYS.
 * Counts are kept: the report tallies do not change and `recount-reports --check` agrees. Each day
 * runs once across processes and is recorded for admins.
 */
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import mongoose from 'mongoose'
import { AuditEventModel, recordAudit } from '../../server/audit/auditEvent'
import { CommentModel } from '../../server/comments/comment'
import { loadConfig } from '../../server/config'
import {
  applyRetentionSchedule,
  applyScheduleIfDue,
  runRetentionHour,
} from '../../server/dataProtection/applySchedule'
import { RetentionDayModel, RetentionSweepModel } from '../../server/dataProtection/retentionRecord'
import { InvitationModel } from '../../server/invitations/invitation'
import { runInvitationJobs } from '../../server/invitations/jobs'
import { mailFailed } from '../../server/invitations/lifecycle'
import { resendInvitation } from '../../server/invitations/sending'
import { cancelInvitation } from '../../server/invitations/lifecycle'
import { ResponseModel } from '../../server/responses/response'
import { checkTallies } from '../../server/tallies/recount'
import { appDatabaseUri, runCli } from '../helpers/cli'
import { createUser, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { useTeam, useTestApp } from '../helpers/hooks'
import { answerOnline, emailInvitation, recordWithCaseRef, tallyCells } from './data-protection-fixtures'

const DAY_MS = 24 * 60 * 60 * 1000
const START = '2026-11-23T10:00:00Z'

describe('retention schedule: personal data goes on time, counts stay', () => {
  const t = useTestApp()
  const team = useTeam('Locality North')
  beforeEach(async () => {
    const db = mongoose.connection.db!
    for (const name of [
      'invitations',
      'responses',
      'comments',
      'outboxmessages',
      'auditevents',
      'retentiondays',
      'retentionsweeps',
      'reporttallies',
      'tallybatches',
    ])
      await db.collection(name).deleteMany({})
    t.clock.set(START)
  })

  const at = (days: number) => t.clock.set(new Date(new Date(START).getTime() + days * DAY_MS))
  const apply = () => applyRetentionSchedule(t.services)
  const countAndCheck = async () => {
    await t.services.tallies.runOnce()
    const check = await checkTallies()
    assert.deepEqual(check.differences, [], 'the tallies agree with the responses and invitations')
    return tallyCells()
  }

  it('removes case references and free text after two years, keeping every answer and count', async () => {
    assert.deepEqual(
      [t.services.config.caseRefRetentionDays, t.services.config.freeTextRetentionDays],
      [730, 730],
    )
    const sent = await emailInvitation(t, team, {
      caseRef: 'LCS-1001',
      email: 'sam@family.example',
      name: 'Sam',
    })
    await answerOnline(t, sent.token, { 'q-share-views': 'yes', 'q-went-well': 'Our worker called back' })
    at(10)
    const worry = { 'do-better': 'I was scared at home' }
    const flagged = await recordWithCaseRef(t, team, 'LCS-2002', { 'share-views': 'no' }, worry)
    const before = await countAndCheck()

    at(729)
    assert.deepEqual(await apply(), {
      responseCaseRefs: 0,
      invitationCaseRefs: 0,
      invitationContacts: 1, // closed on day 0, due 90 days later
      freeText: 0,
      auditEvents: 0,
    })
    assert.equal(await ResponseModel.countDocuments({ caseRef: 'LCS-1001' }), 1, 'not yet two years')

    at(731)
    const counts = await apply()
    assert.equal(counts.responseCaseRefs, 1)
    assert.equal(counts.invitationCaseRefs, 1)
    assert.equal(counts.freeText, 1)
    const answered = await ResponseModel.findOne({ invitationId: sent.invitation._id }).lean()
    assert.equal(answered?.caseRef, undefined)
    assert.deepEqual(answered?.answers, [{ question: 'share-views', answer: 'yes' }], 'the answers stay')
    assert.equal((await InvitationModel.findById(sent.invitation._id).lean())?.caseRef, undefined)
    assert.equal(await CommentModel.countDocuments({ text: 'Our worker called back' }), 0)
    assert.equal(
      (await ResponseModel.findById(flagged._id).lean())?.caseRef,
      'LCS-2002',
      'made 10 days later',
    )

    at(741)
    const later = await apply()
    assert.equal(later.responseCaseRefs, 1)
    assert.equal(later.freeText, 0, 'an open flag keeps its text, however old')
    assert.equal(await CommentModel.countDocuments({ responseId: flagged._id }), 1)

    // A person closes the flag; the next run deletes the text.
    await CommentModel.updateOne(
      { responseId: flagged._id },
      { $set: { 'flag.acknowledgedAt': t.clock.now(), 'flag.outcome': 'acted' } },
    )
    at(742)
    assert.equal((await apply()).freeText, 1)
    assert.equal(await CommentModel.countDocuments({}), 0)
    assert.equal(await ResponseModel.countDocuments({}), 2, 'no response is deleted')

    assert.equal(await countAndCheck(), before, 'the report tallies did not change')
    const recount = await runCli(['recount-reports', '--check'], { MONGODB_URI: appDatabaseUri() })
    assert.equal(recount.code, 0, recount.stdout + recount.stderr)
    assert.match(recount.stdout, /The report tallies match the responses and invitations\./)
  })

  it("removes an invitation's email and name 90 days after it was answered, expired or cancelled, not before", async () => {
    assert.equal(t.services.config.invitationContactRetentionDays, 90)
    const answered = await emailInvitation(t, team, { email: 'answered@family.example', name: 'Ash' })
    const expired = await emailInvitation(t, team, { email: 'expired@family.example', name: 'Eli' })
    const resent = await emailInvitation(t, team, { email: 'resent@family.example' })
    const bounced = await emailInvitation(t, team, { email: 'bounced@family.example' })
    // The mail server's refusal repeats the address, on the invitation and its timeline.
    await mailFailed(
      { invitationId: bounced.invitation._id, purpose: 'invitation', to: 'bounced@family.example' },
      t.clock.now(),
      '550 bounced@family.example: no such user',
    )
    at(2)
    await cancelInvitation(bounced.invitation._id, t.services.clock.now(), { id: team._id, name: 'Pat' })
    await answerOnline(t, answered.token, { 'q-share-views': 'yes' })
    at(29)
    await runInvitationJobs(t.services) // both unanswered links expire
    at(60)
    // A practitioner resends an expired link: it lives 28 more days, so its address is needed longer.
    assert.equal(
      (await resendInvitation(t.services, resent.invitation._id, { id: team._id, name: 'Pat' })).ok,
      true,
    )
    const before = await countAndCheck()

    const contact = async (invitation: typeof answered) => {
      const stored = await InvitationModel.findById(invitation.invitation._id).lean()
      return [stored?.recipientEmail, stored?.recipientName, stored?.status]
    }
    at(91)
    assert.equal((await apply()).invitationContacts, 0, 'answered and cancelled on day 2: due on day 92')
    at(93)
    assert.equal((await apply()).invitationContacts, 2, 'the answered one and the bounced one')
    const bouncedNow = await InvitationModel.findById(bounced.invitation._id).lean()
    assert.equal(bouncedNow?.status, 'cancelled')
    assert.ok(!JSON.stringify(bouncedNow).includes('bounced@family.example'), JSON.stringify(bouncedNow))
    assert.deepEqual(
      bouncedNow?.events?.map((event) => event.kind),
      ['kept', 'delivery-failed', 'cancelled'],
      'the timeline stays, without the reply',
    )
    assert.deepEqual(
      await contact(answered),
      [undefined, undefined, 'completed'],
      'the record stays, for rates',
    )
    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const page = visibleText(await admin.get(`/invitations/${String(answered.invitation._id)}`).expect(200))
    assert.match(page, /Email \(address removed\)/)
    assert.doesNotMatch(page, /answered@family\.example|Ash/)
    assert.deepEqual(await contact(expired), ['expired@family.example', 'Eli', 'expired'])
    at(120)
    assert.equal((await apply()).invitationContacts, 1, 'its link ran out on day 28: due on day 118')
    assert.deepEqual(await contact(expired), [undefined, undefined, 'expired'])
    assert.equal(
      (await InvitationModel.findById(resent.invitation._id).lean())?.recipientEmail,
      'resent@family.example',
    )
    at(89)
    await runInvitationJobs(t.services) // the resent link expires too (day 88)
    at(177)
    assert.equal((await apply()).invitationContacts, 0)
    at(179)
    assert.equal((await apply()).invitationContacts, 1, 'the resent one, 90 days after its new expiry')
    assert.equal(await InvitationModel.countDocuments({ recipientEmail: { $exists: true } }), 0)
    assert.equal(await InvitationModel.countDocuments({}), 4)
    assert.equal(await countAndCheck(), before, 'response rates did not change')
  })

  it('deletes audit events after six years, reading only what came of age', async () => {
    await recordAudit(t.clock.now(), { actorLabel: 'old@council.example', action: 'session.signed-in' })
    at(365)
    await recordAudit(t.clock.now(), { actorLabel: 'newer@council.example', action: 'session.signed-in' })
    at(2190 + 1)
    assert.equal((await apply()).auditEvents, 1)
    assert.deepEqual(
      (await AuditEventModel.find({ action: 'session.signed-in' }).lean()).map((event) => event.actorLabel),
      ['newer@council.example'],
    )
  })

  it('remembers how far each sweep got, so a day reads only what came of age since', async () => {
    await recordWithCaseRef(t, team, 'LCS-3003', { 'share-views': 'yes' })
    at(731)
    assert.equal((await apply()).responseCaseRefs, 1)
    const sweep = await RetentionSweepModel.findById('response-case-refs').lean()
    assert.ok(sweep?.through, 'the sweep stopped after the last response it read')
    // A response behind the mark is not read again: one with a case reference written there
    // directly (as no code path does) is left alone, proving the sweep does not rescan.
    await ResponseModel.collection.updateMany({}, { $set: { caseRef: 'LCS-3003' } })
    assert.equal((await apply()).responseCaseRefs, 0)
  })

  it('runs once a UK day across processes, records what it did and shows it to admins', async () => {
    await recordWithCaseRef(t, team, 'LCS-4004', { 'share-views': 'yes' }, { 'went-well': 'Kind people' })
    at(731)
    // Two processes' hourly jobs at the same moment: one runs the day's schedule.
    const runs = await Promise.all([applyScheduleIfDue(t.services), applyScheduleIfDue(t.services)])
    assert.equal(runs.filter((run) => run !== undefined).length, 1)
    assert.equal(await applyScheduleIfDue(t.services), undefined, 'the same day again: already done')
    await runRetentionHour(t.services) // housekeeping still runs every hour
    const day = await RetentionDayModel.findById('2028-11-23').lean()
    assert.equal(day?.removed.responseCaseRefs, 1)
    assert.equal(day?.removed.freeText, 1)
    assert.ok(day?.schedule?.finishedAt)
    const audit = await AuditEventModel.find({ action: 'retention.applied' }).lean()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.detail, 'responseCaseRefs 1, freeText 1')

    const admin = await signIn(t.app, await createUser({ role: 'admin' }))
    const page = visibleText(await admin.get('/admin/retention').expect(200))
    assert.match(
      page,
      /Case references on responses and invitations 2 years after the response or invitation was made CASE_REF_RETENTION_DAYS/,
    )
    assert.match(
      page,
      /2028-11-23 23 November 2028 at 10:00 .*Case references removed from responses: 1 .*Free-text answers deleted: 1/,
    )
    const practitioner = await signIn(t.app, await createUser({ role: 'practitioner', teams: [team] }))
    await practitioner.get('/admin/retention').expect(403)
  })

  it('takes its settings from the environment, refusing a period of no days in one sentence', () => {
    const config = loadConfig({
      CASE_REF_RETENTION_DAYS: '365',
      FREE_TEXT_RETENTION_DAYS: '1095',
      INVITATION_CONTACT_RETENTION_DAYS: '30',
      AUDIT_RETENTION_DAYS: '2555',
    })
    assert.deepEqual(
      [
        config.caseRefRetentionDays,
        config.freeTextRetentionDays,
        config.invitationContactRetentionDays,
        config.auditRetentionDays,
      ],
      [365, 1095, 30, 2555],
    )
    assert.throws(() => loadConfig({ FREE_TEXT_RETENTION_DAYS: '0' }), {
      message: 'Configuration error: FREE_TEXT_RETENTION_DAYS must be a whole number of at least 1, not "0".',
    })
  })
})
