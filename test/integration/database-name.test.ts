/**
 * MONGODB_URI names the database: the app process (`npm start`) and a CLI command given
 * `mongodb://host/NAME` both keep their data in NAME, see each other's, and write nothing to the
 * default database `family-voice`.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import mongoose, { type Connection } from 'mongoose'
import request from 'supertest'
import { DEFAULT_DB_NAME } from '../../server/db/connect'
import { PROJECT_ROOT } from '../../server/db/ferretdbInstall'
import { freePort } from '../helpers/appProcess'
import { runCli } from '../helpers/cli'
import { totpCode } from '../../server/staff/mfa/totp'
import { csrfTokenFrom } from '../helpers/http'
import { startTestApp, type TestApp } from '../helpers/testApp'

describe('MONGODB_URI names the database, for the app and the CLI alike', () => {
  let t: TestApp, app: ChildProcess | undefined
  let output = ''
  let named: Connection, defaultDb: Connection
  const name = `fv_named_${randomBytes(4).toString('hex')}`
  const email = `ada.${name}@council.example`
  const password = 'a long passphrase of our own'
  let uri: string, baseUrl: string

  before(async () => {
    // The test app only provides the database server (TEST_MONGODB_URI, or one it starts).
    t = await startTestApp()
    uri = `mongodb://${mongoose.connection.host}:${mongoose.connection.port}/${name}`
    named = mongoose.connection.useDb(name, { useCache: false })
    defaultDb = mongoose.connection.useDb(DEFAULT_DB_NAME, { useCache: false })
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    app = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        MONGODB_URI: uri,
        PORT: String(port),
        NODE_ENV: 'test',
        // Tests log nothing by default; this one reads the app's own line about the database.
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    let healthy = false
    for (let attempt = 0; attempt < 150 && !healthy && app.exitCode === null; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      healthy = await fetch(`${baseUrl}/healthz`)
        .then((response) => response.ok)
        .catch(() => false)
    }
    assert.ok(healthy, `the app did not become healthy:\n${output}`)
  })
  after(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app!.once('exit', resolve))
      app.kill('SIGTERM')
      await exited
    }
    await named.dropDatabase().catch(() => undefined)
    await t.close()
  })

  it('lets a user made on the command line sign in to the app, both in NAME', async () => {
    assert.match(output, new RegExp(`Using the database "${name}"\\.`))

    const run = await runCli(
      ['create-user', '--email', email, '--role', 'admin', '--name', 'Ada Named'],
      { MONGODB_URI: uri, NODE_ENV: 'test' },
      `${password}\n`,
    )
    assert.equal(run.code, 0, run.stderr)

    const agent = request.agent(baseUrl)
    const page = await agent.get('/sign-in').expect(200)
    const signedIn = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email, password })
      .expect(303)
    // An admin sets up an authenticator app before anything else (the app runs on the real clock).
    assert.equal(signedIn.headers.location, '/sign-in/set-up-mfa', 'the app found the user the CLI made')
    const setUp = await agent.get('/sign-in/set-up-mfa').expect(200)
    const secret = /<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(setUp.text)![1]!.replace(/ /g, '')
    await agent
      .post('/sign-in/set-up-mfa')
      .type('form')
      .send({ _csrf: csrfTokenFrom(setUp.text), code: totpCode(secret, new Date()) })
      .expect(200)
    await agent.get('/admin/users').expect(200)

    assert.equal(await named.collection('users').countDocuments({ email }), 1)
    assert.ok(
      (await named.collection('sessions').countDocuments({})) >= 1,
      'the app keeps its sessions in NAME',
    )
    assert.equal(
      await named
        .collection('auditevents')
        .countDocuments({ action: 'user.created', target: `user ${email}` }),
      1,
    )
    for (const collection of ['users', 'auditevents']) {
      assert.equal(
        await defaultDb
          .collection(collection)
          .countDocuments({ $or: [{ email }, { target: `user ${email}` }] }),
        0,
        `nothing in family-voice.${collection}`,
      )
    }
  })
})
