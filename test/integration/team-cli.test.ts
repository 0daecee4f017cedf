/**
 * `npm run cli -- create-team` as a council's administrator runs it, as a real process against the
 * test database: makes the team (audited), and refuses a duplicate name (whatever its case), an
 * unknown service, a malformed duty email and missing options with one sentence and exit code 2.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import mongoose, { type Connection } from 'mongoose'
import { appDatabaseUri, runCli } from '../helpers/cli'
import { startTestApp, type TestApp } from '../helpers/testApp'

describe('npm run cli -- create-team', () => {
  let t: TestApp, uri: string, db: Connection
  const suffix = randomBytes(4).toString('hex')
  const name = `Through Care East ${suffix}`

  const createTeam = (args: string[]) =>
    runCli(['create-team', ...args], { MONGODB_URI: uri, NODE_ENV: 'test' })

  before(async () => {
    t = await startTestApp()
    uri = appDatabaseUri()
    db = await mongoose.createConnection(uri).asPromise()
  })
  after(async () => {
    await db.close()
    await t.close()
  })

  it('makes the team with its service and duty email, and records who did it', async () => {
    const run = await createTeam([
      '--name',
      `  ${name}  `,
      '--service',
      'Through Care',
      '--duty-email',
      'Duty.East@Council.example',
    ])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(
      run.stdout.trim(),
      `Created the team "${name}" (Through Care), safeguarding alerts to duty.east@council.example.`,
    )
    const team = await db.collection('teams').findOne({ name })
    assert.equal(team?.service, 'Through Care')
    assert.equal(team?.dutyEmail, 'duty.east@council.example')
    assert.equal(team?.retired, false)
    const audit = await db
      .collection('auditevents')
      .findOne({ action: 'team.created', target: `team ${name}` })
    assert.equal(audit?.actorLabel, 'command line')

    // Without a duty email, too.
    const plain = await createTeam(['--name', `Fostering West ${suffix}`, '--service', 'Fostering'])
    assert.equal(plain.code, 0, plain.stderr)
    assert.equal(plain.stdout.trim(), `Created the team "Fostering West ${suffix}" (Fostering).`)
  })

  it('refuses bad input and duplicates with one sentence and exit code 2, making nothing', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--name', name.toUpperCase(), '--service', 'Locality'],
        `There is already a team called "${name.toUpperCase()}".`,
      ],
      [
        ['--name', `New ${suffix}`, '--service', 'Social Work'],
        '--service must be one of: Family Front Door, Locality, Through Care, Targeted Family Support, Early Help, Children with Disabilities, Get Safe, Fostering, IRO and Conference Service.',
      ],
      [
        ['--name', `New ${suffix}`, '--service', 'Locality', '--duty-email', 'not-an-address'],
        '--duty-email must be an email address, like duty@council.example.',
      ],
      [
        ['--name', 'x'.repeat(101), '--service', 'Locality'],
        '--name: Team name must be 100 characters or fewer.',
      ],
      [['--service', 'Locality'], '--name is required.'],
      [['--name', `New ${suffix}`], '--service is required.'],
      [['--name', '   ', '--service', 'Locality'], '--name is required.'],
    ]
    for (const [args, sentence] of cases) {
      const run = await createTeam(args)
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`)
      assert.equal(run.stderr.trim(), sentence, args.join(' '))
      assert.equal(run.stdout, '')
    }
    const unknownOption = await createTeam([
      '--name',
      `New ${suffix}`,
      '--service',
      'Locality',
      '--colour',
      'red',
    ])
    assert.equal(unknownOption.code, 2)
    assert.match(unknownOption.stderr, /Unknown option '--colour'/)
    assert.equal(await db.collection('teams').countDocuments({ name: { $regex: `^New ${suffix}` } }), 0)
    assert.equal(await db.collection('teams').countDocuments({ name: { $regex: name, $options: 'i' } }), 1)
  })
})
