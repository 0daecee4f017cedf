/**
 * `npm run cli -- create-invitation` end to end: the real CLI process against this file's app
 * database (named in MONGODB_URI), then the printed link followed through the app. Both see the
 * same data, and nothing lands in the default database `family-voice`.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { before, describe, it } from 'node:test'
import mongoose, { type Connection } from 'mongoose'
import { DEFAULT_DB_NAME } from '../../server/db/connect'
import { InvitationModel } from '../../server/invitations/invitation'
import { hashToken } from '../../server/invitations/token'
import { ResponseModel } from '../../server/responses/response'
import { createTeam } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { appDatabaseUri, runCli } from '../helpers/cli'
import { useTestApp } from '../helpers/hooks'

describe('npm run cli -- create-invitation', () => {
  const t = useTestApp()
  let defaultDb: Connection, env: Record<string, string>
  const teamName = `CLI Team ${randomBytes(4).toString('hex')}`

  before(async () => {
    env = {
      MONGODB_URI: appDatabaseUri(),
      BASE_URL: 'http://family-voice.test',
      NODE_ENV: 'test',
      DEMO_DATA: 'off',
    }
    defaultDb = mongoose.connection.useDb(DEFAULT_DB_NAME, { useCache: false })
    await createTeam(teamName, 'Targeted Family Support')
  })

  it('prints a personal link once, which a family can follow to answer', async () => {
    const run = await runCli(
      ['create-invitation', '--survey', 'closure-family', '--team', teamName, '--case-ref', 'LCS-4242'],
      env,
    )
    assert.equal(run.code, 0, `the CLI failed: ${run.stderr}`)
    const printed = run.stdout.trim()
    assert.match(printed, /^http:\/\/family-voice\.test\/s\/[0-9A-Z]{28}$/)
    const token = printed.slice(printed.lastIndexOf('/') + 1)

    const invitation = await InvitationModel.collection.findOne({ tokenHash: hashToken(token) })
    assert.ok(invitation, 'the invitation is stored by the hash of the printed token')
    assert.equal(invitation.surveyId, 'closure-family')
    assert.equal(invitation.teamName, teamName)
    assert.equal(invitation.service, 'Targeted Family Support')
    assert.equal(invitation.respondent, 'parent-carer')
    assert.equal(invitation.caseRef, 'LCS-4242')
    assert.equal(invitation.channel, 'link')
    assert.equal(invitation.status, 'sent')
    assert.equal(JSON.stringify(invitation).includes(token), false, 'the token itself is not stored')
    assert.equal(
      await defaultDb.collection('invitations').countDocuments({ teamName }),
      0,
      'nothing is written to the family-voice database',
    )

    // Through the app, as the family would.
    t.clock.set(invitation.sentAt as Date)

    const { agent, page, csrf } = await openSurveyLink(t.app, token)
    assert.match(
      visibleText(page),
      // The team's own name (the survey page no longer adds its service).
      new RegExp(`From ${teamName} Your experience of our service`),
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

  it('refuses a case reference the service refuses, with its message, exit code 1 and no link', async () => {
    const run = await runCli(
      ['create-invitation', '--survey', 'closure-family', '--team', teamName, '--case-ref', 'Bad Ref!'],
      env,
    )
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.equal(
      run.stderr,
      'A case reference is the case-management id: letters, numbers and hyphens only, up to 30.\n',
    )
  })
})
