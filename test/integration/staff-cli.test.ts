import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import mongoose, { type Connection } from 'mongoose'
import { verifyPassword } from '../../server/staff/passwords'
import { appDatabaseUri, runCli } from '../helpers/cli'
import { startTestApp, type TestApp } from '../helpers/testApp'

/** `npm run cli -- create-user …` against the test database server. */
const createUser = (uri: string, args: string[], stdin?: string) =>
  runCli(['create-user', ...args], { MONGODB_URI: uri, NODE_ENV: 'test' }, stdin)

describe('npm run cli -- create-user', () => {
  let t: TestApp, uri: string, db: Connection
  const suffix = randomBytes(4).toString('hex')
  const north = `CLI Locality North ${suffix}`
  const help = `CLI Early Help ${suffix}`
  const emails: string[] = []
  const email = (name: string) => {
    const address = `${name}.${suffix}@council.example`
    emails.push(address)
    return address
  }

  before(async () => {
    t = await startTestApp()
    // The command uses the database the URI names: this app's own.
    uri = appDatabaseUri()
    db = await mongoose.createConnection(uri).asPromise()
    await db.collection('teams').insertMany([
      { name: north, service: 'Locality', retired: false, createdAt: new Date() },
      { name: help, service: 'Early Help', retired: false, createdAt: new Date() },
    ])
  })
  after(async () => {
    await db.collection('users').deleteMany({ email: { $in: emails } })
    await db.collection('teams').deleteMany({ name: { $in: [north, help] } })
    await db.close()
    await t.close()
  })

  async function userIn(address: string) {
    return db.collection('users').findOne({ email: address })
  }
  async function teamId(name: string): Promise<string> {
    return String((await db.collection('teams').findOne({ name }))!._id)
  }

  it('takes the password from standard input and puts the user in every team named', async () => {
    const address = email('pia.practitioner')
    const run = await createUser(
      uri,
      [
        '--email',
        address,
        '--role',
        'practitioner',
        '--team',
        north,
        '--team',
        help,
        '--name',
        'Pia Practitioner',
      ],
      'quiet river stone window\n',
    )
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stdout, '', 'a password the person typed is never printed')
    assert.match(
      run.stderr,
      new RegExp(`Created practitioner ${address.replace(/\./g, '\\.')} in ${north}, ${help}\\.`),
    )
    const user = await userIn(address)
    assert.ok(user)
    assert.equal(user.name, 'Pia Practitioner')
    assert.equal(user.role, 'practitioner')
    assert.deepEqual(user.teamIds.map(String).sort(), [await teamId(north), await teamId(help)].sort())
    assert.equal(await verifyPassword(user.passwordHash as string, 'quiet river stone window'), true)
    const audit = await db
      .collection('auditevents')
      .findOne({ action: 'user.created', target: `user ${address}` })
    assert.equal(audit?.actorLabel, 'command line')
  })

  it('generates a password and prints it once when nothing is piped in; teams may be comma-separated', async () => {
    const address = email('max.manager')
    const run = await createUser(uri, ['--email', address, '--role', 'manager', '--team', `${north},${help}`])
    assert.equal(run.code, 0, run.stderr)
    const password = run.stdout.trim()
    assert.match(password, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/)
    assert.match(run.stderr, /Their password \(shown only this once\):/)
    const user = await userIn(address)
    assert.ok(user)
    assert.equal(user.name, `max.manager.${suffix}`)
    assert.equal(user.teamIds.length, 2)
    assert.equal(await verifyPassword(user.passwordHash as string, password), true)
  })

  it('refuses an unknown team, a wrong role, a weak password and a duplicate email, creating nobody', async () => {
    const address = email('nobody')
    const unknown = await createUser(uri, ['--email', address, '--role', 'qa', '--team', 'Nowhere Team'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /There is no team called "Nowhere Team"\. Add it in Admin > Teams first\./)

    const role = await createUser(uri, ['--email', address, '--role', 'boss'])
    assert.equal(role.code, 2)
    assert.match(role.stderr, /--role must be one of: practitioner, manager, qa, admin\./)

    const weak = await createUser(uri, ['--email', address, '--role', 'qa'], 'password1234\n')
    assert.equal(weak.code, 1)
    assert.match(weak.stderr, /--password: Password is too common/)

    const missing = await createUser(uri, ['--role', 'qa'])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--email is required\./)

    assert.equal(await userIn(address), null)

    const existing = emails[0]!
    const duplicate = await createUser(
      uri,
      ['--email', existing.toUpperCase(), '--role', 'qa'],
      'quiet river stone window\n',
    )
    assert.equal(duplicate.code, 1)
    assert.match(duplicate.stderr, /--email: There is already a user with this email address\./)
  })
})
