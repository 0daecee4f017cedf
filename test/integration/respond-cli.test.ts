/**
 * `npm run cli -- create-invitation` end to end: the real CLI process against the test database
 * server, then the printed link followed through the app.
 *
 * The CLI always uses the database name `family-voice`, while this file's app uses its own fresh
 * database; so the test creates the team in `family-voice` through a second connection, and copies
 * the team and the invitation the CLI made into the app's database before following the link.
 * It removes what it added to `family-voice` afterwards.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import mongoose, { type Connection } from 'mongoose'
import { DEFAULT_DB_NAME } from '../../server/db/connect'
import { InvitationModel } from '../../server/invitations/invitation'
import { hashToken } from '../../server/invitations/token'
import { ResponseModel } from '../../server/responses/response'
import { TeamModel } from '../../server/teams/team'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { runCli } from '../helpers/cli'
import { startTestApp, type TestApp } from '../helpers/testApp'

describe('npm run cli -- create-invitation', () => {
  let t: TestApp
  let cliDb: Connection
  let env: Record<string, string>
  const teamName = `CLI Team ${randomBytes(4).toString('hex')}`

  before(async () => {
    t = await startTestApp()
    const uri = `mongodb://${mongoose.connection.host}:${mongoose.connection.port}/`
    env = { MONGODB_URI: uri, BASE_URL: 'http://family-voice.test', NODE_ENV: 'test', DEMO_DATA: 'off' }
    cliDb = await mongoose.createConnection(uri, { dbName: DEFAULT_DB_NAME }).asPromise()
    await cliDb.collection('teams').insertOne({
      name: teamName,
      service: 'Targeted Family Support',
      retired: false,
      createdAt: new Date(),
    })
  })
  after(async () => {
    const team = await cliDb.collection('teams').findOne({ name: teamName })
    if (team) await cliDb.collection('invitations').deleteMany({ teamId: team._id })
    await cliDb.collection('teams').deleteMany({ name: teamName })
    await cliDb.close()
    await t.close()
  })

  it('prints a personal link once, which a family can follow to answer', async () => {
    const run = await runCli(
      ['create-invitation', '--survey', 'closure-family', '--team', teamName, '--case-ref', 'LCS-4242'],
      env,
    )
    assert.equal(run.code, 0, `the CLI failed: ${run.stderr}`)
    const printed = run.stdout.trim()
    assert.match(printed, /^http:\/\/family-voice\.test\/s\/[A-Za-z0-9_-]{43}$/)
    const token = printed.slice(printed.lastIndexOf('/') + 1)

    const invitation = await cliDb.collection('invitations').findOne({ tokenHash: hashToken(token) })
    assert.ok(invitation, 'the invitation is stored by the hash of the printed token')
    assert.equal(invitation.surveyId, 'closure-family')
    assert.equal(invitation.teamName, teamName)
    assert.equal(invitation.service, 'Targeted Family Support')
    assert.equal(invitation.respondent, 'parent-carer')
    assert.equal(invitation.caseRef, 'LCS-4242')
    assert.equal(invitation.channel, 'link')
    assert.equal(invitation.status, 'sent')
    assert.equal(JSON.stringify(invitation).includes(token), false, 'the token itself is not stored')

    // Into this app's database, then through the app as the family would.
    const team = await cliDb.collection('teams').findOne({ name: teamName })
    await TeamModel.collection.insertOne(team!)
    await InvitationModel.collection.insertOne(invitation)
    t.clock.set(invitation.sentAt as Date)

    const { agent, page, csrf } = await openSurveyLink(t.app, token)
    assert.match(
      visibleText(page),
      new RegExp(
        `This survey is from ${teamName} \\(Targeted Family Support\\) ?, part of children's services\\.`,
      ),
    )
    assert.match(visibleText(page), /Your answers will be linked to your family's case record/)
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-positive-difference': 'yes' })).expect(303)
    const response = await ResponseModel.findOne({ invitationId: invitation._id }).lean()
    assert.equal(response?.teamName, teamName)
    assert.equal(response?.caseRef, 'LCS-4242')
    assert.deepEqual(response?.answers, [{ question: 'positive-difference', answer: 'yes' }])
  })

  it('says which team is unknown, exits non-zero and prints no link', async () => {
    const run = await runCli(
      ['create-invitation', '--survey', 'closure-family', '--team', 'No Such Team'],
      env,
    )
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /There is no team called "No Such Team"\./)
  })
})
