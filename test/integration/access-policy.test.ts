/**
 * The one access policy (server/staff/policy.ts), proven through HTTP for every role, every action
 * and every owner: the actor's own invitation, a colleague's in the same team, and another team's.
 * Colleagues in a team may act on each other's invitations (covering a case); nobody outside the
 * team may, and the list shows exactly what the detail pages open.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { CommentModel } from '../../server/comments/comment'
import { InvitationModel } from '../../server/invitations/invitation'
import type { Role, User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { postInvitationAction, postSendForm, sendForm } from '../helpers/invitationForms'
import { giveResponse } from './feedback-fixtures'

type Owner = 'own' | 'colleague' | 'other-team'
const ROLES: Role[] = ['practitioner', 'manager', 'qa', 'admin']
const OWNERS: Owner[] = ['own', 'colleague', 'other-team']

/** The send form for one family by email, no name given. */
const familyForm = (csrf: string, team: Team) =>
  sendForm(csrf, team, { caseRef: 'LCS-1', 'email-1': 'family@family.example', 'firstName-1': '' })

describe('one access policy decides every record, for every role, action and owner', () => {
  const t = useTestApp()
  let north: Team, south: Team, colleague: User, southWorker: User
  const actors = new Map<Role, { user: User; agent: Agent; csrf: string }>()

  before(async () => {
    north = await createTeam('Locality North')
    south = await createTeam('Locality South')
    colleague = await createUser({ role: 'practitioner', teams: [north], name: 'Colleague' })
    southWorker = await createUser({ role: 'practitioner', teams: [south] })
    for (const role of ROLES) {
      const user = await createUser({ role, teams: role === 'qa' || role === 'admin' ? [] : [north] })
      const agent = await signIn(t.app, user)
      const page = await agent.get('/invitations/new?event=closure').expect(200)
      actors.set(role, { user, agent, csrf: csrfTokenFrom(page.text) })
    }
  })

  const actor = (role: Role) => actors.get(role)!

  /** A fresh live emailed invitation belonging to this owner, as seen from this role. */
  async function invitationFor(role: Role, owner: Owner) {
    const createdBy =
      owner === 'own' ? actor(role).user._id : owner === 'colleague' ? colleague._id : southWorker._id
    const { invitationId } = await issueInvitation(t.services, owner === 'other-team' ? south : north, {
      channel: 'email',
      recipientEmail: 'family@family.example',
      createdBy,
    })
    return (await InvitationModel.findById(invitationId).lean())!
  }

  const allowed = (role: Role, owner: Owner) => role === 'qa' || role === 'admin' || owner !== 'other-team'

  for (const role of ROLES) {
    for (const owner of OWNERS) {
      const expected = allowed(role, owner)
      it(`${role}, ${owner} invitation: see, reprint, resend, cancel and record an answer are all ${expected ? 'allowed' : 'refused (404)'}`, async () => {
        const { agent, csrf } = actor(role)

        // see: the detail page, and the list with everyone's invitations agree.
        const seen = await invitationFor(role, owner)
        const id = String(seen._id)
        const detail = await agent.get(`/invitations/${id}`)
        assert.equal(detail.status, expected ? 200 : 404, 'see')
        if (!expected) assert.doesNotMatch(detail.text, /family@family\.example/)
        const list = await agent.get('/invitations?sentBy=anyone').expect(200)
        assert.equal(
          list.text.includes(`/invitations/${id}"`),
          expected,
          'the list agrees with the detail page',
        )
        if (expected) assert.match(visibleText(detail), /Cancel this invitation/)

        // reprint: a fresh live link only when allowed; refused leaves the old link working.
        const reprinted = await invitationFor(role, owner)
        const letter = await agent
          .post(`/invitations/${String(reprinted._id)}/letter`)
          .type('form')
          .send({ _csrf: csrf })
        assert.equal(letter.status, expected ? 200 : 404, 'reprint')
        assert.equal(/\/s\/[0-9A-Z]{28}/.test(letter.text), expected)
        const afterLetter = await InvitationModel.findById(reprinted._id).lean()
        assert.equal(
          afterLetter!.tokenHash !== reprinted.tokenHash,
          expected,
          'token rotated only when allowed',
        )

        // resend
        const resent = await invitationFor(role, owner)
        const resend = await postInvitationAction(agent, resent._id, 'resend', csrf)
        assert.equal(resend.status, expected ? 303 : 404, 'resend')
        const afterResend = await InvitationModel.findById(resent._id).lean()
        assert.equal(afterResend!.tokenHash !== resent.tokenHash, expected)

        // cancel
        const cancelled = await invitationFor(role, owner)
        const cancel = await postInvitationAction(agent, cancelled._id, 'cancel', csrf)
        assert.equal(cancel.status, expected ? 303 : 404, 'cancel')
        const afterCancel = await InvitationModel.findById(cancelled._id).lean()
        assert.equal(afterCancel!.status === 'cancelled', expected)

        // record an answer given in person
        const recorded = await invitationFor(role, owner)
        const record = await agent.get(`/invitations/${String(recorded._id)}/record`)
        assert.equal(record.status, expected ? 200 : 404, 'record an answer (form)')
        const post = await agent
          .post(`/invitations/${String(recorded._id)}/record`)
          .type('form')
          .send({ _csrf: csrf })
        if (!expected) assert.equal(post.status, 404, 'record an answer (post)')
      })
    }

    it(`${role}: sends only for teams the policy allows`, async () => {
      const { agent, csrf } = actor(role)
      const before = await InvitationModel.countDocuments({ teamId: south._id })
      const other = await postSendForm(agent, familyForm(csrf, south))
      const mayOther = role === 'qa' || role === 'admin'
      assert.equal(other.status, mayOther ? 303 : 400)
      assert.equal(await InvitationModel.countDocuments({ teamId: south._id }), before + (mayOther ? 1 : 0))
      await postSendForm(agent, familyForm(csrf, north)).expect(303)
    })

    it(`${role}: reads and reviews free text and exports only as the policy says`, async () => {
      const { agent } = actor(role)
      for (const team of [north, south]) {
        const response = await giveResponse(t, team, { texts: { 'went-well': 'he said he would hurt me' } })
        const flag = await CommentModel.findOne({ responseId: response._id }).lean()
        assert.ok(flag?.flag?.flaggedAt, 'the comment is flagged')
        const page = await agent.get(`/feedback/attention/${String(flag._id)}`)
        const reads = role === 'qa' || role === 'admin' ? true : role === 'manager' ? team === north : false
        assert.equal(
          page.status,
          reads ? 200 : role === 'practitioner' ? 403 : 404,
          `free text of ${team.name}`,
        )
        assert.equal(page.text.includes('he said he would hurt me'), reads)
        // Reviewing free text for quoting: QA and admins only, every team.
        const review = await agent.get(`/feedback/review/${String(flag._id)}`)
        assert.equal(review.status, role === 'qa' || role === 'admin' ? 200 : 403, `review of ${team.name}`)

        const exported = await agent.get(
          `/reports/export.csv?survey=closure-family&period=2026-27&team=${encodeURIComponent(team.name)}`,
        )
        const exports = role === 'qa' || role === 'admin' || team === north
        // Another team's name answers as an unknown team would (400), so nothing is confirmed.
        assert.equal(exported.status, exports ? 200 : 400, `export of ${team.name}`)
      }
    })
  }

  it('a practitioner’s list starts at their own invitations and can show the whole team’s', async () => {
    const { agent, user } = actor('practitioner')
    const mine = await issueInvitation(t.services, north, { createdBy: user._id })
    const theirs = await issueInvitation(t.services, north, { createdBy: colleague._id })
    const own = await agent.get('/invitations').expect(200)
    assert.match(visibleText(own), /My invitations/)
    assert.ok(own.text.includes(`/invitations/${mine.invitationId}"`))
    assert.ok(!own.text.includes(`/invitations/${theirs.invitationId}"`))
    assert.match(own.text, /href="\/invitations\?sentBy=anyone"/)
    const team = await agent.get('/invitations?sentBy=anyone').expect(200)
    assert.match(visibleText(team), /Your teams’ invitations/)
    assert.ok(team.text.includes(`/invitations/${theirs.invitationId}"`))
  })
})
