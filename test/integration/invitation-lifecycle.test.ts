/**
 * The invitation lifecycle on the real database: a refused move changes nothing, and a move made
 * many times at once lands once (one conditional write per move, filtered by the statuses it may
 * come from).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Types } from 'mongoose'
import { InvitationModel } from '../../server/invitations/invitation'
import {
  cancelInvitation,
  expire,
  mailFailed,
  markAnswered,
  markOpened,
  queueWithNewLink,
  remindWithNewLink,
  reprintLetter,
} from '../../server/invitations/lifecycle'
import type { Team } from '../../server/teams/team'
import { startTestApp, type TestApp } from '../helpers/testApp'
import { createTeam, issueInvitation } from '../helpers/factories'

const actor = { id: new Types.ObjectId(), name: 'Pat Practitioner' }

describe('the invitation lifecycle on the database', () => {
  let t: TestApp
  let team: Team

  before(async () => {
    t = await startTestApp()
    team = await createTeam('Locality East')
  })
  after(() => t.close())

  async function openedInvitation(options: { recipientEmail?: string } = {}): Promise<Types.ObjectId> {
    const { invitationId } = await issueInvitation(t.services, team, options)
    const id = new Types.ObjectId(invitationId)
    await markOpened(id, t.clock.now())
    assert.equal((await InvitationModel.findById(id).lean())?.status, 'opened')
    return id
  }

  it('leaves a completed invitation exactly as it was when any further move is tried', async () => {
    const id = await openedInvitation({ recipientEmail: 'family@example.test' })
    assert.equal(await markAnswered(id, t.clock.now()), true)
    const before = await InvitationModel.findById(id).lean()
    assert.equal(before?.status, 'completed')

    t.clock.advanceDays(60)
    const now = t.clock.now()
    assert.equal(await cancelInvitation(id, now, actor), undefined)
    assert.equal(await expire(id, now), false)
    assert.equal(await markAnswered(id, now), false)
    await markOpened(id, now)
    assert.equal(
      await queueWithNewLink(id, { now, expiresAt: now, byText: false, actor }),
      undefined,
      'a completed invitation cannot be resent',
    )
    assert.equal(await reprintLetter(id, now, actor), undefined)
    assert.equal(await remindWithNewLink(id, now), undefined)

    assert.deepEqual(await InvitationModel.findById(id).lean(), before)
  })

  it('leaves a cancelled invitation unchanged by a failed delivery, apart from the line on its timeline', async () => {
    const id = await openedInvitation()
    assert.ok(await cancelInvitation(id, t.clock.now(), actor))
    const before = await InvitationModel.findById(id).lean()
    await mailFailed({ invitationId: id, purpose: 'invitation', to: 'x@example.test' }, t.clock.now(), 'No')
    const after = await InvitationModel.findById(id).lean()
    assert.equal(after?.status, 'cancelled')
    assert.equal(after?.failureReason, undefined)
    assert.equal(after?.failedAt, undefined)
    assert.deepEqual(after?.events?.slice(0, -1), before?.events)
    assert.equal(after?.events?.at(-1)?.kind, 'delivery-failed')
  })

  it('cancels an opened invitation once when 16 cancel it at once: one winner, one event', async () => {
    const id = await openedInvitation()
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        cancelInvitation(id, t.clock.now(), { id: actor.id, name: `Colleague ${i}` }),
      ),
    )
    const winners = outcomes.filter((outcome) => outcome !== undefined)
    assert.equal(winners.length, 1)
    const stored = await InvitationModel.findById(id).lean()
    assert.equal(stored?.status, 'cancelled')
    const events = (stored?.events ?? []).filter((entry) => entry.kind === 'cancelled')
    assert.equal(events.length, 1)
    assert.equal(events[0]?.byName, winners[0]?.events?.at(-1)?.byName)
  })

  it('completes an opened invitation once when 16 answers land at once: the first completion time stays', async () => {
    const id = await openedInvitation()
    const start = t.clock.now().getTime()
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) => markAnswered(id, new Date(start + i * 1000))),
    )
    assert.equal(outcomes.filter(Boolean).length, 1)
    const stored = await InvitationModel.findById(id).lean()
    assert.equal(stored?.status, 'completed')
    const winner = outcomes.indexOf(true)
    assert.equal(stored?.completedAt?.getTime(), start + winner * 1000)
  })

  it('expires an invitation once when 16 expiry runs meet it: one expired event', async () => {
    const id = await openedInvitation()
    t.clock.advanceDays(40)
    const outcomes = await Promise.all(Array.from({ length: 16 }, () => expire(id, t.clock.now())))
    assert.equal(outcomes.filter(Boolean).length, 1)
    const stored = await InvitationModel.findById(id).lean()
    assert.equal(stored?.status, 'expired')
    assert.equal((stored?.events ?? []).filter((entry) => entry.kind === 'expired').length, 1)
  })
})
