import assert from 'node:assert/strict'
import { before, beforeEach, describe, it } from 'node:test'
import { Types } from 'mongoose'
import { InvitationModel } from '../../server/invitations/invitation'
import { runInvitationJobs } from '../../server/invitations/jobs'
import { sendInvitation } from '../../server/invitations/sending'
import { cancelInvitation } from '../../server/invitations/lifecycle'
import { findInvitationByToken } from '../../server/invitations/service'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { MAX_ATTEMPTS, OutboxWorker } from '../../server/mail/outboxWorker'
import { recordResponse } from '../../server/responses/recordResponse'
import type { Team } from '../../server/teams/team'
import { createTeam } from '../helpers/factories'
import { useTestAppWithMail } from '../helpers/hooks'

describe('mail outbox, reminders and expiry (real SMTP on loopback)', () => {
  const { t, smtp } = useTestAppWithMail()
  let worker: OutboxWorker, team: Team
  const actor = { id: new Types.ObjectId(), name: 'Pat Practitioner' }

  before(async () => {
    worker = new OutboxWorker(t.services)
    team = await createTeam('Locality North')
  })
  beforeEach(async () => {
    smtp.received.length = 0
    await smtp.restart()
    await OutboxMessageModel.deleteMany({})
    await InvitationModel.deleteMany({})
  })

  const advanceMinutes = (minutes: number) =>
    t.clock.set(new Date(t.clock.now().getTime() + minutes * 60 * 1000))

  const emailInvitation = (email: string, extra: { recipientName?: string; caseRef?: string } = {}) =>
    sendInvitation(t.services, {
      surveyId: 'closure-family',
      team,
      channel: 'email',
      recipientEmail: email,
      caseRef: 'LCS-448812',
      expiresInDays: t.services.config.invitationExpiryDays,
      ...extra,
    })

  it('delivers an invitation email: kind words, the link, no case reference, and marks it sent', async () => {
    const { invitation, token } = await emailInvitation('sam@family.example', { recipientName: 'Sam' })
    assert.equal(invitation.status, 'queued')

    const result = await worker.runOnce()
    assert.deepEqual(result, { sent: 1, kept: 0, retrying: 0, failed: 0, cancelled: 0 })
    const [email] = await smtp.waitFor(1)
    assert.deepEqual(email!.to, ['sam@family.example'])
    assert.equal(email!.subject, "Tell us about your experience of children's services")
    assert.match(email!.text, /^Hello Sam,/)
    assert.match(email!.text, /Locality team, children's services/)
    assert.match(email!.text, /Answering is up to you/)
    assert.match(email!.text, /works until Monday 21 December 2026/)
    assert.match(email!.text, /contact the Locality North team/)
    assert.deepEqual(smtp.linksIn(email!), [`http://family-voice.test/s/${token}`])
    assert.doesNotMatch(email!.raw, /LCS-448812/)
    assert.match(email!.html, new RegExp(`href="http://family-voice.test/s/${token}"`))

    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.equal(stored?.status, 'sent')
    assert.deepEqual(stored?.sentAt, t.clock.now())
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'sent')
    assert.equal(message?.attempts, 1)

    assert.deepEqual(await worker.runOnce(), { sent: 0, kept: 0, retrying: 0, failed: 0, cancelled: 0 })
    assert.equal(smtp.received.length, 1)
  })

  it('greets with "Hello," when no first name is given', async () => {
    await emailInvitation('nobody@family.example')
    await worker.runOnce()
    const [email] = await smtp.waitFor(1)
    assert.match(email!.text, /^Hello,\n/)
  })

  it('loses nothing while SMTP is down: retries with backoff and delivers when it returns', async () => {
    await smtp.stop()
    const { invitation } = await emailInvitation('down@family.example')

    assert.equal((await worker.runOnce()).retrying, 1)
    let message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'pending')
    assert.equal(message?.attempts, 1)
    assert.equal(message?.nextAttemptAt.getTime(), t.clock.now().getTime() + 60 * 1000)
    assert.match(message?.lastError ?? '', /could not be reached/)
    assert.equal((await InvitationModel.findById(invitation._id).lean())?.status, 'queued')

    // Not due yet: nothing is tried.
    assert.equal((await worker.runOnce()).retrying, 0)
    advanceMinutes(1)
    assert.equal((await worker.runOnce()).retrying, 1)
    message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.nextAttemptAt.getTime(), t.clock.now().getTime() + 2 * 60 * 1000)

    await smtp.restart()
    advanceMinutes(2)
    assert.equal((await worker.runOnce()).sent, 1)
    const [email] = await smtp.waitFor(1)
    assert.deepEqual(email!.to, ['down@family.example'])
    assert.equal((await InvitationModel.findById(invitation._id).lean())?.status, 'sent')
  })

  it(`gives up after ${MAX_ATTEMPTS} temporary failures (1, 2, 4 … minutes apart) and says so`, async () => {
    await smtp.stop()
    const { invitation } = await emailInvitation('never@family.example')
    const waits: number[] = []
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      assert.equal((await worker.runOnce()).retrying, 1)
      const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
      const wait = (message!.nextAttemptAt.getTime() - t.clock.now().getTime()) / 60000
      waits.push(wait)
      advanceMinutes(wait)
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64])
    assert.equal((await worker.runOnce()).failed, 1)
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'failed')
    assert.equal(message?.attempts, MAX_ATTEMPTS)
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.equal(stored?.status, 'failed')
    assert.match(stored?.failureReason ?? '', /Gave up after 8 attempts/)
  })

  it('marks a permanent refusal (550) failed at once, with the reason on the invitation', async () => {
    smtp.rejectRecipient('gone@family.example')
    const { invitation } = await emailInvitation('gone@family.example')
    const { invitation: other } = await emailInvitation('fine@family.example')
    const result = await worker.runOnce()
    assert.equal(result.failed, 1)
    assert.equal(result.sent, 1)
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.equal(stored?.status, 'failed')
    assert.match(stored?.failureReason ?? '', /refused the message: 550/)
    assert.ok(stored?.failedAt)
    assert.equal((await InvitationModel.findById(other._id).lean())?.status, 'sent')
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'failed')
    assert.equal(message?.attempts, 1)
  })

  it('keeps mail in the local outbox when there is no SMTP_URL, and counts the invitation sent', async () => {
    const localWorker = new OutboxWorker(t.services, { transport: null })
    const { invitation } = await emailInvitation('local@family.example')
    assert.equal((await localWorker.runOnce()).kept, 1)
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'kept')
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.equal(stored?.status, 'sent')
    assert.equal(stored?.events?.at(-1)?.kind, 'kept')
    assert.equal(smtp.received.length, 0)
  })

  it('sends exactly one reminder after the reminder period, with a new link that replaces the old', async () => {
    const { invitation, token } = await emailInvitation('remind@family.example', { recipientName: 'Alex' })
    await worker.runOnce()
    await smtp.waitFor(1)

    t.clock.advanceDays(6)
    assert.deepEqual(await runInvitationJobs(t.services), { expired: 0, reminded: 0 })
    t.clock.advanceDays(1)
    assert.deepEqual(await runInvitationJobs(t.services), { expired: 0, reminded: 1 })
    assert.equal((await worker.runOnce()).sent, 1)
    const [, reminder] = await smtp.waitFor(2)
    assert.match(reminder!.subject, /^Reminder:/)
    assert.match(reminder!.text, /^Hello Alex,/)
    const [link] = smtp.linksIn(reminder!)
    const newToken = link!.split('/s/')[1]!
    assert.notEqual(newToken, token)
    assert.equal(await findInvitationByToken(token), undefined, 'the old link stops working')
    assert.equal(String((await findInvitationByToken(newToken))?._id), String(invitation._id))

    t.clock.advanceDays(7)
    assert.equal((await runInvitationJobs(t.services)).reminded, 0)
    await worker.runOnce()
    assert.equal(smtp.received.length, 2)
    const stored = await InvitationModel.findById(invitation._id).lean()
    assert.ok(stored?.reminderSentAt)
    assert.equal(stored?.tokenRotations, 1)
  })

  it('sends no reminder once the survey is completed or cancelled', async () => {
    const { invitation: answered } = await emailInvitation('answered@family.example')
    const { invitation: cancelled } = await emailInvitation('cancelled@family.example')
    await worker.runOnce()
    const survey = t.services.surveys.latest('closure-family')!
    const outcome = await recordResponse(
      {
        survey,
        claimKey: `invitation:${String(answered._id)}`,
        invitationId: answered._id,
        team: { id: team._id, name: team.name },
        service: team.service,
        respondent: 'parent-carer',
        mode: 'online',
        source: 'online',
        submittedAt: t.clock.now(),
        answers: [{ question: 'share-views', answer: 'yes' }],
        texts: [],
      },
      [],
      t.services.responseHooks,
    )
    assert.equal(outcome.recorded, true)
    assert.ok(await cancelInvitation(cancelled._id, t.services.clock.now(), actor))

    t.clock.advanceDays(10)
    assert.equal((await runInvitationJobs(t.services)).reminded, 0)
    assert.equal((await worker.runOnce()).sent, 0)
    assert.equal(smtp.received.length, 2)
  })

  it('expires links past their date and drops their undelivered mail', async () => {
    await smtp.stop()
    const { invitation: queued } = await emailInvitation('late@family.example')
    await worker.runOnce() // SMTP down: stays pending
    t.clock.advanceDays(27)
    assert.equal((await runInvitationJobs(t.services)).expired, 0)
    t.clock.advanceDays(1)
    assert.equal((await runInvitationJobs(t.services)).expired, 1)
    const stored = await InvitationModel.findById(queued._id).lean()
    assert.equal(stored?.status, 'expired')
    assert.deepEqual(stored?.expiredAt, t.clock.now())
    const message = await OutboxMessageModel.findOne({ invitationId: queued._id }).lean()
    assert.equal(message?.status, 'cancelled')
    await smtp.restart()
    assert.equal((await worker.runOnce()).sent, 0)
    assert.equal(smtp.received.length, 0)
  })

  it('does not send an email whose invitation was cancelled after it was queued', async () => {
    const { invitation } = await emailInvitation('changed-mind@family.example')
    await cancelInvitation(invitation._id, t.services.clock.now(), actor)
    assert.deepEqual(await worker.runOnce(), { sent: 0, kept: 0, retrying: 0, failed: 0, cancelled: 0 })
    const message = await OutboxMessageModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(message?.status, 'cancelled')
    assert.equal(smtp.received.length, 0)
  })

  it('claims each message once even when two workers run at the same time', async () => {
    await emailInvitation('a@family.example')
    await emailInvitation('b@family.example')
    await emailInvitation('c@family.example')
    const other = new OutboxWorker(t.services)
    const [first, second] = await Promise.all([worker.runOnce(), other.runOnce()])
    assert.equal(first.sent + second.sent, 3)
    await smtp.waitFor(3)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(smtp.received.length, 3)
  })
})
