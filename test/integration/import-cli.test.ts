/**
 * `npm run cli -- import-responses` and `create-api-token` as real processes against the test
 * app's own database (named in MONGODB_URI), read here through a second connection.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import mongoose, { type Connection } from 'mongoose'
import { appDatabaseUri, runCli } from '../helpers/cli'
import { startTestApp, type TestApp } from '../helpers/testApp'

describe('import-responses and create-api-token on the command line', () => {
  let t: TestApp, cliDb: Connection, env: Record<string, string>, dir: string
  const run = randomBytes(4).toString('hex')
  const teamName = `Import CLI ${run}`
  const tokenName = `cli-test-${run}`

  before(async () => {
    t = await startTestApp()
    const uri = appDatabaseUri()
    env = { MONGODB_URI: uri, NODE_ENV: 'test', DEMO_DATA: 'off', BASE_URL: 'http://family-voice.test' }
    cliDb = await mongoose.createConnection(uri).asPromise()
    dir = mkdtempSync(path.join(tmpdir(), 'family-voice-import-'))
  })
  after(async () => {
    await cliDb.collection('responses').deleteMany({ teamName })
    await cliDb.collection('comments').deleteMany({ teamName })
    await cliDb.collection('teams').deleteMany({ name: teamName })
    await cliDb.collection('apitokens').deleteMany({ name: tokenName })
    await cliDb.close()
    rmSync(dir, { recursive: true, force: true })
    await t.close()
  })

  it('imports a file once, adds nothing the second time, and creates the team with --create-teams', async () => {
    const file = path.join(dir, 'calls.csv')
    writeFileSync(
      file,
      [
        'survey,submitted_at,team,external_id,share-views,positive-difference,do-better',
        `closure-family,2021-02-01T10:00,${teamName},${run}-1,yes,yes,`,
        `closure-family,2021-02-02T10:00,${teamName},${run}-2,partly,no,"Call back, please"`,
        `closure-family,2021-02-03T10:00,${teamName},,yes,,`,
      ].join('\n'),
    )
    const withoutTeams = await runCli(['import-responses', file], env)
    assert.equal(withoutTeams.code, 1)
    assert.equal(withoutTeams.stdout, '')
    assert.match(
      withoutTeams.stderr,
      new RegExp(`Line 2: there is no team called "${teamName}" \\(add --create-teams to create it\\)`),
    )
    assert.match(
      withoutTeams.stderr,
      /Nothing was imported: 3 lines have problems\. Fix them and import the whole file again\./,
    )

    const dry = await runCli(['import-responses', file, '--create-teams', '--dry-run'], env)
    assert.equal(dry.code, 0, dry.stderr)
    assert.equal(
      dry.stdout,
      `Would create team "${teamName}" (service: Locality).\nDry run: would import 3 responses (0 already present). Nothing was written.\n`,
    )
    assert.equal(await cliDb.collection('teams').countDocuments({ name: teamName }), 0)

    const first = await runCli(['import-responses', file, '--create-teams'], env)
    assert.equal(first.code, 0, first.stderr)
    assert.equal(
      first.stdout,
      `Created team "${teamName}" (service: Locality).\nImported 3 responses (0 already present)\n`,
    )
    const second = await runCli(['import-responses', file], env)
    assert.equal(second.code, 0, second.stderr)
    assert.equal(second.stdout, 'Imported 0 responses (3 already present)\n')

    const stored = await cliDb.collection('responses').find({ teamName }).sort({ submittedAt: 1 }).toArray()
    assert.deepEqual(
      stored.map((r) => [r.claimKey.startsWith('import:'), r.source, r.mode, r.period.quarter]),
      [
        [true, 'import', 'telephone', '2020-21-Q4'],
        [true, 'import', 'telephone', '2020-21-Q4'],
        [true, 'import', 'telephone', '2020-21-Q4'],
      ],
    )
    assert.equal(stored[0]!.claimKey, `import:${run}-1`)
    assert.deepEqual(
      stored.map((r) => r.tallyState),
      ['done', 'done', 'done'],
      'the import counts its responses into the report tallies before it ends',
    )
    assert.equal(
      await cliDb.collection('comments').countDocuments({ teamName, text: 'Call back, please' }),
      1,
    )
  })

  it('exits non-zero and names every bad line, writing nothing', async () => {
    const file = path.join(dir, 'bad.csv')
    writeFileSync(
      file,
      [
        'survey,submitted_at,team,share-views',
        `closure-family,2021-02-05T10:00,${teamName},yes`,
        `closure-family,yesterday,${teamName},yes`,
        `closure-family,2021-02-05T11:00,${teamName},sometimes`,
      ].join('\n'),
    )
    const before = await cliDb.collection('responses').countDocuments({ teamName })
    const result = await runCli(['import-responses', file], env)
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      [
        'Line 3: submitted_at "yesterday" is not an ISO 8601 date and time, e.g. 2021-01-15T14:30 or 2021-01-15T14:30:00Z',
        'Line 4: "sometimes" is not an answer to share-views (use yes, partly, no)',
        'Nothing was imported: 2 lines have problems. Fix them and import the whole file again.',
        '',
      ].join('\n'),
    )
    assert.equal(await cliDb.collection('responses').countDocuments({ teamName }), before)
    const missing = await runCli(['import-responses', path.join(dir, 'nope.csv')], env)
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /Cannot read .*nope\.csv: no such file\./)
  })

  it('prints an API token once and stores only its SHA-256', async () => {
    const result = await runCli(['create-api-token', '--name', tokenName, '--role', 'qa'], env)
    assert.equal(result.code, 0, result.stderr)
    const token = result.stdout.trim()
    assert.match(token, /^fv_[A-Za-z0-9_-]{43}$/)
    const stored = await cliDb.collection('apitokens').findOne({ name: tokenName })
    assert.equal(stored!.role, 'qa')
    assert.equal(stored!.tokenHash, createHash('sha256').update(token).digest('hex'))
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(token.slice(3)))

    const badRole = await runCli(['create-api-token', '--name', tokenName, '--role', 'boss'], env)
    assert.equal(badRole.code, 2)
    assert.equal(badRole.stderr, '--role must be one of: practitioner, manager, qa, admin.\n')
  })
})
