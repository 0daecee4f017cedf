import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { INVITATION_STATUSES, type InvitationStatus } from '../../server/invitations/invitation'
import {
  canMove,
  LIVE_STATUSES,
  linkState,
  statusesMovingTo,
  statusWhenMade,
} from '../../server/invitations/lifecycle'
import type { Invitation } from '../../server/invitations/invitation'

/**
 * The table written out again, move by move, so that changing what an invitation may do is a
 * deliberate change here too.
 */
const ALLOWED: Array<[InvitationStatus, InvitationStatus, string]> = [
  ['queued', 'queued', 'resent before the first message went'],
  ['queued', 'sent', 'the outbox delivered the message'],
  ['queued', 'failed', 'the outbox gave up on the message'],
  ['queued', 'opened', 'the family opened the link'],
  ['queued', 'completed', 'answers were stored'],
  ['queued', 'cancelled', 'staff cancelled it'],
  ['queued', 'expired', 'its date passed'],
  ['sent', 'queued', 'resent'],
  ['sent', 'failed', 'the reminder could not be delivered'],
  ['sent', 'opened', 'the family opened the link'],
  ['sent', 'completed', 'answers were stored'],
  ['sent', 'cancelled', 'staff cancelled it'],
  ['sent', 'expired', 'its date passed'],
  ['failed', 'queued', 'resent'],
  ['failed', 'sent', 'a later message was delivered'],
  ['failed', 'failed', 'another message failed (the reason is replaced)'],
  ['failed', 'completed', 'answers were stored'],
  ['failed', 'cancelled', 'staff cancelled it'],
  ['failed', 'expired', 'its date passed'],
  ['opened', 'queued', 'resent'],
  ['opened', 'completed', 'answers were stored'],
  ['opened', 'cancelled', 'staff cancelled it'],
  ['opened', 'expired', 'its date passed'],
  ['expired', 'queued', 'an expired link can be resent'],
  ['expired', 'completed', 'answers stored as it expired still count'],
  ['cancelled', 'completed', 'answers stored as it was cancelled still count'],
]

describe('the invitation lifecycle', () => {
  it('allows every move in the table', () => {
    for (const [from, to, why] of ALLOWED) assert.equal(canMove(from, to), true, `${from} → ${to}: ${why}`)
  })

  it('refuses every other move', () => {
    const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`))
    let refused = 0
    for (const from of INVITATION_STATUSES) {
      for (const to of INVITATION_STATUSES) {
        if (allowed.has(`${from}→${to}`)) continue
        assert.equal(canMove(from, to), false, `${from} → ${to}`)
        refused++
      }
    }
    assert.equal(refused, INVITATION_STATUSES.length ** 2 - ALLOWED.length)
  })

  it('refuses in particular: nothing leaves completed, and a closed link never opens or goes out', () => {
    for (const to of INVITATION_STATUSES) assert.equal(canMove('completed', to), false, `completed → ${to}`)
    for (const from of ['cancelled', 'expired'] as const) {
      for (const to of ['sent', 'opened', 'failed', 'cancelled', 'expired'] as const)
        assert.equal(canMove(from, to), false, `${from} → ${to}`)
    }
    assert.equal(canMove('cancelled', 'queued'), false, 'a cancelled invitation cannot be resent')
    assert.equal(canMove('opened', 'sent'), false, 'a late delivery does not hide that it was opened')
    assert.equal(canMove('opened', 'failed'), false, 'a failed reminder does not hide that it was opened')
    assert.equal(canMove('failed', 'opened'), false)
    assert.equal(canMove('sent', 'sent'), false)
  })

  it('gives each move the statuses it may come from, as its filter', () => {
    assert.deepEqual(statusesMovingTo('queued'), ['queued', 'sent', 'failed', 'opened', 'expired'])
    assert.deepEqual(statusesMovingTo('sent'), ['queued', 'failed'])
    assert.deepEqual(statusesMovingTo('failed'), ['queued', 'sent', 'failed'])
    assert.deepEqual(statusesMovingTo('opened'), ['queued', 'sent'])
    assert.deepEqual(
      statusesMovingTo('completed'),
      INVITATION_STATUSES.filter((status) => status !== 'completed'),
    )
    assert.deepEqual(statusesMovingTo('cancelled'), LIVE_STATUSES)
    assert.deepEqual(statusesMovingTo('expired'), LIVE_STATUSES)
  })

  it('makes an emailed or texted invitation queued, and a letter or link sent at once', () => {
    const now = new Date('2026-11-23T10:00:00Z')
    assert.deepEqual(statusWhenMade('email', now), { status: 'queued' })
    assert.deepEqual(statusWhenMade('sms', now), { status: 'queued' })
    assert.deepEqual(statusWhenMade('letter', now), { status: 'sent', sentAt: now })
    assert.deepEqual(statusWhenMade('link', now), { status: 'sent', sentAt: now })
  })

  it('reads what a status means for the family’s link', () => {
    const now = new Date('2026-11-23T10:00:00Z')
    const later = new Date('2026-12-01T10:00:00Z')
    const invitation = (status: InvitationStatus, extra: Partial<Invitation> = {}) =>
      ({ status, expiresAt: later, ...extra }) as Invitation
    for (const status of LIVE_STATUSES) assert.equal(linkState(invitation(status), now), 'open')
    assert.equal(linkState(invitation('sent', { expiresAt: now }), now), 'expired')
    assert.equal(linkState(invitation('expired'), now), 'expired')
    assert.equal(linkState(invitation('cancelled'), now), 'cancelled')
    assert.equal(linkState(invitation('completed'), now), 'completed')
    assert.equal(linkState(invitation('cancelled', { completedAt: now }), now), 'completed')
  })
})
