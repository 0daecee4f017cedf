import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { TeamModel } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'

type Agent = ReturnType<typeof request.agent>

describe('admin: teams', () => {
  const t = useTestApp()
  let admin: Agent, token: string
  before(async () => {
    admin = await signIn(t.app, await createUser({ role: 'admin', email: 'admin@council.example' }))
    token = csrfTokenFrom((await admin.get('/admin/teams/new').expect(200)).text)
  })

  it('adds a team with its service and duty email', async () => {
    const response = await admin
      .post('/admin/teams')
      .type('form')
      .send({
        _csrf: token,
        name: '  Locality   East ',
        service: 'Locality',
        dutyEmail: 'Duty.East@Council.example',
      })
      .expect(303)
    const team = await TeamModel.findOne({ name: 'Locality East' }).lean()
    assert.ok(team)
    assert.equal(team.service, 'Locality')
    assert.equal(team.dutyEmail, 'duty.east@council.example')
    assert.equal(team.retired, false)
    assert.equal(response.headers.location, `/admin/teams?added=${String(team._id)}`)
    const list = await admin.get(response.headers.location!).expect(200)
    assert.match(
      visibleText(list),
      /Success Team Locality East added\..*Locality East \(change\) Locality duty\.east@council\.example 0 Active/,
    )
    const audit = await AuditEventModel.findOne({ action: 'team.created' }).lean()
    assert.equal(audit?.target, 'team Locality East')
    assert.equal(audit?.detail, 'Locality')
    assert.equal(audit?.actorLabel, 'admin@council.example')
  })

  it('explains problems: missing name and service, duplicate name in any case, bad duty email', async () => {
    const empty = await admin.post('/admin/teams').type('form').send({ _csrf: token }).expect(400)
    assert.match(
      visibleText(empty),
      /There is a problem Enter a team name Select the service the team belongs to/,
    )
    const duplicate = await admin
      .post('/admin/teams')
      .type('form')
      .send({ _csrf: token, name: 'LOCALITY EAST', service: 'Locality' })
      .expect(400)
    assert.match(visibleText(duplicate), /There is a problem There is already a team with this name/)
    const badEmail = await admin
      .post('/admin/teams')
      .type('form')
      .send({ _csrf: token, name: 'Get Safe', service: 'Get Safe', dutyEmail: 'duty at council' })
      .expect(400)
    assert.match(
      visibleText(badEmail),
      /There is a problem Enter the duty email address in the correct format, like duty@example\.com/,
    )
    assert.match(badEmail.text, /value="duty at council"/)
    const badService = await admin
      .post('/admin/teams')
      .type('form')
      .send({ _csrf: token, name: 'Get Safe', service: 'Space Service' })
      .expect(400)
    assert.match(visibleText(badService), /Select the service the team belongs to/)
    assert.equal(await TeamModel.countDocuments({ name: 'Get Safe' }), 0)
  })

  it('renames a team and changes its service and duty email', async () => {
    const team = await createTeam('FFD Assessment 1', 'Family Front Door')
    await TeamModel.updateOne({ _id: team._id }, { $set: { dutyEmail: 'old@council.example' } })
    const response = await admin
      .post(`/admin/teams/${String(team._id)}`)
      .type('form')
      .send({ _csrf: token, name: 'Assessment Team North', service: 'Locality', dutyEmail: '' })
      .expect(303)
    assert.equal(response.headers.location, `/admin/teams/${String(team._id)}?done=saved`)
    const updated = await TeamModel.findById(team._id).lean()
    assert.equal(updated?.name, 'Assessment Team North')
    assert.equal(updated?.service, 'Locality')
    assert.equal(updated?.dutyEmail, undefined)
    const audit = await AuditEventModel.findOne({ action: 'team.changed' }).lean()
    assert.equal(
      audit?.detail,
      'renamed from "FFD Assessment 1" to "Assessment Team North"; service Family Front Door to Locality; duty email',
    )
    // Keeping its own name (in another case) is not a duplicate; taking another team's is.
    await admin
      .post(`/admin/teams/${String(team._id)}`)
      .type('form')
      .send({ _csrf: token, name: 'assessment team north', service: 'Locality' })
      .expect(303)
    const clash = await admin
      .post(`/admin/teams/${String(team._id)}`)
      .type('form')
      .send({ _csrf: token, name: 'Locality East', service: 'Locality' })
      .expect(400)
    assert.match(visibleText(clash), /There is already a team with this name/)
  })

  it('retires and brings back a team, keeping its members', async () => {
    const team = await createTeam('Through Care West', 'Through Care')
    await createUser({ role: 'practitioner', teams: [team] })
    const retire = await admin
      .post(`/admin/teams/${String(team._id)}/retire`)
      .type('form')
      .send({ _csrf: token })
      .expect(303)
    assert.equal((await TeamModel.findById(team._id).lean())?.retired, true)
    const page = await admin.get(retire.headers.location!).expect(200)
    assert.match(visibleText(page), /Team retired\. It takes no new invitations/)
    assert.match(visibleText(page), /Bring back team/)
    const list = await admin.get('/admin/teams').expect(200)
    assert.match(visibleText(list), /Through Care West \(change\) Through Care Not set 1 Retired/)
    assert.equal(
      await AuditEventModel.countDocuments({ action: 'team.retired', target: 'team Through Care West' }),
      1,
    )

    await admin
      .post(`/admin/teams/${String(team._id)}/unretire`)
      .type('form')
      .send({ _csrf: token })
      .expect(303)
    assert.equal((await TeamModel.findById(team._id).lean())?.retired, false)
    assert.equal(await AuditEventModel.countDocuments({ action: 'team.unretired' }), 1)
  })

  it('needs the admin role and a CSRF token', async () => {
    const team = await createTeam('Early Help Central', 'Early Help')
    const manager = await signIn(t.app, await createUser({ role: 'manager', teams: [team] }))
    await manager.get('/admin/teams').expect(403)
    const managerToken = csrfTokenFrom((await manager.get('/staff').expect(200)).text)
    await manager
      .post(`/admin/teams/${String(team._id)}/retire`)
      .type('form')
      .send({ _csrf: managerToken })
      .expect(403)
    await admin
      .post(`/admin/teams/${String(team._id)}/retire`)
      .type('form')
      .send({})
      .expect(403)
    await admin
      .post('/admin/teams')
      .type('form')
      .send({ _csrf: 'not-the-token', name: 'Sneaky', service: 'Locality' })
      .expect(403)
    assert.equal((await TeamModel.findById(team._id).lean())?.retired, false)
    assert.equal(await TeamModel.countDocuments({ name: 'Sneaky' }), 0)
    await admin.get('/admin/teams/0123456789abcdef01234567').expect(404)
    await admin.get('/admin/teams/zzz').expect(404)
  })
})
