import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import mongoose from 'mongoose'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { verifyPassword } from '../../server/staff/passwords'
import { UserModel } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn, TEST_PASSWORD } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'
import type { TestApp } from '../helpers/testApp'

type Agent = ReturnType<typeof request.agent>

function shownPassword(html: string): string | undefined {
  return /id="new-password">([^<]+)</.exec(html)?.[1]
}

async function tokenFor(agent: Agent, path = '/admin/users/new'): Promise<string> {
  return csrfTokenFrom((await agent.get(path).expect(200)).text)
}

async function signInWith(t: TestApp, email: string, password: string): Promise<number> {
  const agent = request.agent(t.app)
  const page = await agent.get('/sign-in').expect(200)
  const response = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email, password })
  return response.status
}

/** The audit event an admin action left, by what was done to whom. */
function auditOf(action: string, target: string) {
  return AuditEventModel.findOne({ action, target }).lean()
}

function sessionsOf(userId: unknown): Promise<number> {
  return mongoose.connection.collection('sessions').countDocuments({ 'session.staff.userId': String(userId) })
}

describe('admin: staff accounts', () => {
  const t = useTestApp()
  let admin: Agent, adminToken: string, north: Team, south: Team, retired: Team
  before(async () => {
    north = await createTeam('Locality North')
    south = await createTeam('Through Care South', 'Through Care')
    retired = await createTeam('Old Assessment Team', 'Family Front Door')
    await mongoose.connection.collection('teams').updateOne({ _id: retired._id }, { $set: { retired: true } })
    const adminUser = await createUser({ role: 'admin', email: 'admin@council.example', name: 'Ada Admin' })
    admin = await signIn(t.app, adminUser)
    adminToken = await tokenFor(admin)
  })

  it('is for admins only: others get 403, signed-out visitors are sent to sign in', async () => {
    for (const role of ['practitioner', 'manager', 'qa'] as const) {
      const agent = await signIn(t.app, await createUser({ role, teams: [north] }))
      const page = await agent.get('/admin').expect(403)
      assert.match(visibleText(page), /You do not have access to this page/)
      await agent.get('/admin/users').expect(403)
      await agent.get('/admin/audit').expect(403)
      const token = csrfTokenFrom((await agent.get('/staff').expect(200)).text)
      await agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: token, email: 'x@council.example', name: 'X', role: 'admin' })
        .expect(403)
    }
    assert.equal(await UserModel.countDocuments({ email: 'x@council.example' }), 0)
    const response = await request(t.app).get('/admin/users').expect(303)
    assert.equal(response.headers.location, '/sign-in?next=%2Fadmin%2Fusers')
  })

  it('lists users with their role, teams and status', async () => {
    await createUser({
      role: 'manager',
      teams: [north, south],
      email: 'mo@council.example',
      name: 'Mo Manager',
    })
    const page = await admin.get('/admin/users').expect(200)
    const text = visibleText(page)
    assert.match(
      text,
      /Mo Manager \(change\) mo@council\.example Manager Locality North, Through Care South Never Active/,
    )
    assert.match(page.text, /class="app-table-wrapper" tabindex="0"/)
  })

  it('adds a user with a generated password shown once, who can then sign in', async () => {
    const page = await admin.get('/admin/users/new').expect(200)
    assert.match(visibleText(page), /Locality North/)
    assert.doesNotMatch(visibleText(page), /Old Assessment Team/, 'the form hides retired teams')
    const response = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: adminToken,
        email: ' Sam.Smith@Council.example ',
        name: ' Sam Smith ',
        role: 'practitioner',
        teams: [String(north._id), String(south._id)],
        password: '',
      })
      .expect(200)
    assert.equal(response.headers['cache-control'], 'no-store')
    assert.match(visibleText(response), /Sam Smith has been added/)
    const password = shownPassword(response.text)
    assert.ok(password)
    assert.match(password, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/)

    const user = await UserModel.findOne({ email: 'sam.smith@council.example' }).lean()
    assert.ok(user)
    assert.equal(user.name, 'Sam Smith')
    assert.equal(user.role, 'practitioner')
    assert.deepEqual(user.teamIds.map(String).sort(), [String(north._id), String(south._id)].sort())
    assert.equal(await verifyPassword(user.passwordHash, password), true)
    assert.equal(await signInWith(t, 'sam.smith@council.example', password), 303)

    const audit = await auditOf('user.created', 'user sam.smith@council.example')
    assert.equal(audit?.actorLabel, 'admin@council.example')
    assert.equal(audit?.detail, 'Practitioner; password generated')
    assert.doesNotMatch(JSON.stringify(await AuditEventModel.find({}).lean()), new RegExp(password))
  })

  it('adds a user with a password the admin chose, without showing it again', async () => {
    const response = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: adminToken,
        email: 'quinn@council.example',
        name: 'Quinn QA',
        role: 'qa',
        password: 'plum orchard winter lantern',
      })
      .expect(200)
    assert.equal(shownPassword(response.text), undefined)
    assert.doesNotMatch(response.text, /plum orchard/)
    assert.equal(await signInWith(t, 'quinn@council.example', 'plum orchard winter lantern'), 303)
  })

  it('explains every problem with the add-user form', async () => {
    const empty = await admin.post('/admin/users').type('form').send({ _csrf: adminToken }).expect(400)
    const text = visibleText(empty)
    assert.match(text, /There is a problem Enter an email address Enter a name Select a role/)
    assert.match(empty.text, /<title>Error: Add a user/)
    assert.match(empty.text, /href="#email"/)
    assert.match(empty.text, /href="#role"/)

    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { email: 'not-an-email', name: 'A', role: 'qa' },
        'Enter an email address in the correct format, like name@example.com',
      ],
      [
        { email: 'ADMIN@council.example', name: 'A', role: 'qa' },
        'There is already a user with this email address',
      ],
      [
        { email: 'p@council.example', name: 'A', role: 'practitioner' },
        'Select at least one team for a practitioner',
      ],
      [
        { email: 'p@council.example', name: 'A', role: 'qa', teams: 'nonsense' },
        'Select teams from the list',
      ],
      [{ email: 'p@council.example', name: 'A', role: 'chief' }, 'Select a role'],
      [
        { email: 'p@council.example', name: 'x'.repeat(101), role: 'qa' },
        'Name must be 100 characters or fewer',
      ],
      [
        { email: 'p@council.example', name: 'A', role: 'qa', password: 'short one' },
        'Password must be 12 characters or more',
      ],
      [
        { email: 'p@council.example', name: 'A', role: 'qa', password: 'Liverpool2024!' },
        'Password is too common. Choose one that is hard to guess, for example three random words',
      ],
      [
        { email: 'p@council.example', name: 'A', role: 'qa', password: 'family voice rocks ok' },
        'Password must not contain the words Family Voice',
      ],
      [
        { email: 'pat.jones@council.example', name: 'A', role: 'qa', password: 'hello Pat.Jones friend' },
        'Password must not contain the email address',
      ],
      [
        { email: 'p@council.example', name: 'A', role: 'qa', password: '2024-11-23 12:00' },
        'Password must include letters, not only numbers',
      ],
    ]
    for (const [fields, message] of cases) {
      const response = await admin
        .post('/admin/users')
        .type('form')
        .send({ _csrf: adminToken, ...fields })
        .expect(400)
      assert.match(
        visibleText(response),
        new RegExp(`There is a problem ${message.replace(/[.()]/g, '\\$&')}`),
      )
    }
    // What was typed is kept, except the password.
    const kept = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: adminToken,
        email: 'kept@council.example',
        name: '<b>Kept</b>',
        role: 'qa',
        password: 'short one',
      })
      .expect(400)
    assert.match(kept.text, /value="kept@council.example"/)
    assert.match(kept.text, /value="&lt;b&gt;Kept&lt;\/b&gt;"/)
    assert.match(kept.text, /value="qa" aria-describedby="role-qa-hint" checked/)
    assert.doesNotMatch(kept.text, /short one/)
    assert.equal(
      await UserModel.countDocuments({ email: { $in: ['p@council.example', 'kept@council.example'] } }),
      0,
    )
  })

  it('refuses the admin forms without a valid CSRF token', async () => {
    const fields = { email: 'csrf@council.example', name: 'C', role: 'qa' }
    await admin.post('/admin/users').type('form').send(fields).expect(403)
    await admin
      .post('/admin/users')
      .type('form')
      .send({ ...fields, _csrf: 'wrong' })
      .expect(403)
    const someone = await createUser({ role: 'qa' })
    await admin
      .post(`/admin/users/${String(someone._id)}/disable`)
      .type('form')
      .send({})
      .expect(403)
    assert.equal(await UserModel.countDocuments({ email: 'csrf@council.example' }), 0)
    assert.equal((await UserModel.findById(someone._id).lean())?.disabled, false)
  })

  it('changes name, role and teams, recorded in the audit trail', async () => {
    const user = await createUser({ role: 'practitioner', teams: [north], name: 'Casey Change' })
    const form = await admin.get(`/admin/users/${String(user._id)}`).expect(200)
    assert.match(visibleText(form), /Casey Change/)
    const response = await admin
      .post(`/admin/users/${String(user._id)}`)
      .type('form')
      .send({ _csrf: adminToken, name: 'Casey Changed', role: 'manager', teams: [String(south._id)] })
      .expect(303)
    assert.equal(response.headers.location, `/admin/users/${String(user._id)}?done=saved`)
    const saved = await admin.get(response.headers.location!).expect(200)
    assert.match(visibleText(saved), /Success Changes saved/)
    const updated = await UserModel.findById(user._id).lean()
    assert.equal(updated?.name, 'Casey Changed')
    assert.equal(updated?.role, 'manager')
    assert.deepEqual(updated?.teamIds.map(String), [String(south._id)])
    const audit = await auditOf('user.changed', `user ${user.email}`)
    assert.equal(
      audit?.detail,
      'Changed name "Casey Change" to "Casey Changed", role practitioner to manager, teams',
    )

    const bad = await admin
      .post(`/admin/users/${String(user._id)}`)
      .type('form')
      .send({ _csrf: adminToken, name: '', role: 'manager' })
      .expect(400)
    assert.match(visibleText(bad), /There is a problem Enter a name Select at least one team for a manager/)
  })

  it('a role change takes effect on the next request', async () => {
    const user = await createUser({ role: 'admin' })
    const agent = await signIn(t.app, user)
    await agent.get('/admin').expect(200)
    await admin
      .post(`/admin/users/${String(user._id)}`)
      .type('form')
      .send({ _csrf: adminToken, name: user.name, role: 'qa' })
      .expect(303)
    await agent.get('/admin').expect(403)
  })

  it('disabling an account ends its sessions at once; enabling lets them sign in again', async () => {
    const user = await createUser({ role: 'practitioner', teams: [north], email: 'dee@council.example' })
    const agent = await signIn(t.app, user)
    await agent.get('/staff').expect(200)
    assert.equal(await sessionsOf(user._id), 1)

    const response = await admin
      .post(`/admin/users/${String(user._id)}/disable`)
      .type('form')
      .send({ _csrf: adminToken })
      .expect(303)
    assert.equal(await sessionsOf(user._id), 0)
    const page = await admin.get(response.headers.location!).expect(200)
    assert.match(visibleText(page), /Account disabled\. Anyone signed in with it has been signed out/)
    await agent.get('/staff').expect(303)
    assert.equal(await signInWith(t, user.email, TEST_PASSWORD), 401)
    const audit = await auditOf('user.disabled', 'user dee@council.example')
    assert.equal(audit?.detail, '1 session ended')

    await admin
      .post(`/admin/users/${String(user._id)}/enable`)
      .type('form')
      .send({ _csrf: adminToken })
      .expect(303)
    assert.equal((await UserModel.findById(user._id).lean())?.disabled, false)
    assert.equal(await signInWith(t, user.email, TEST_PASSWORD), 303)
    assert.equal(
      await AuditEventModel.countDocuments({ action: 'user.enabled', target: 'user dee@council.example' }),
      1,
    )
  })

  it('never leaves the service without an administrator', async () => {
    const me = await UserModel.findOne({ email: 'admin@council.example' }).lean()
    const self = await admin
      .post(`/admin/users/${String(me!._id)}/disable`)
      .type('form')
      .send({ _csrf: adminToken })
      .expect(400)
    assert.match(visibleText(self), /There is a problem You cannot disable your own account/)

    // Everyone else who is an admin is disabled, so demoting the last one is refused.
    await UserModel.updateMany({ role: 'admin', _id: { $ne: me!._id } }, { $set: { disabled: true } })
    const demote = await admin
      .post(`/admin/users/${String(me!._id)}`)
      .type('form')
      .send({ _csrf: adminToken, name: 'Ada Admin', role: 'qa' })
      .expect(400)
    assert.match(visibleText(demote), /There must be at least one administrator/)
    assert.equal((await UserModel.findById(me!._id).lean())?.role, 'admin')
  })

  it('resets a password: shown once, old one stops working, sessions end', async () => {
    const user = await createUser({ role: 'qa', email: 'reset.me@council.example' })
    const agent = await signIn(t.app, user)
    await agent.get('/staff').expect(200)
    const response = await admin
      .post(`/admin/users/${String(user._id)}/password`)
      .type('form')
      .send({ _csrf: adminToken, password: '' })
      .expect(200)
    assert.equal(response.headers['cache-control'], 'no-store')
    const password = shownPassword(response.text)
    assert.ok(password)
    assert.match(visibleText(response), /Anyone signed in with this account has been signed out/)
    await agent.get('/staff').expect(303)
    assert.equal(await signInWith(t, user.email, TEST_PASSWORD), 401)
    assert.equal(await signInWith(t, user.email, password), 303)
    const audit = await auditOf('user.password-reset', 'user reset.me@council.example')
    assert.equal(audit?.detail, 'Password generated; 1 session ended')

    const weak = await admin
      .post(`/admin/users/${String(user._id)}/password`)
      .type('form')
      .send({ _csrf: adminToken, password: 'reset.me is my password' })
      .expect(400)
    assert.match(visibleText(weak), /There is a problem Password must not contain the email address/)

    await admin
      .post(`/admin/users/${String(user._id)}/password`)
      .type('form')
      .send({ _csrf: adminToken, password: 'quiet river stone window' })
      .expect(200)
    assert.equal(await signInWith(t, user.email, 'quiet river stone window'), 303)
  })

  it('answers 404 for an unknown or malformed user id, 400 for a repeated field', async () => {
    await admin.get('/admin/users/ffffffffffffffffffffffff').expect(404)
    await admin.get('/admin/users/not-an-id').expect(404)
    await admin.post('/admin/users/not-an-id/disable').type('form').send({ _csrf: adminToken }).expect(404)
    const twice = await admin
      .post('/admin/users')
      .type('form')
      .send(`_csrf=${encodeURIComponent(adminToken)}&email=a@b.example&name=A&name=B&role=qa`)
      .expect(400)
    assert.match(visibleText(twice), /The name field was sent more than once/)
  })
})
