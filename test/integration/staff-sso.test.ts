/**
 * Single sign-on against a real OpenID provider (oidc-provider on loopback), driven over HTTP as a
 * browser would: the app's redirect to the provider, its login, the way back with a code, every
 * hop followed by hand with one cookie jar per host. Proves who gets in (a verified email matching
 * an enabled account, or a new account from a group when creation is on), that everything else is
 * refused on the sign-in page with a 4xx and audited, and that signing out ends the session.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mongoose from 'mongoose'
import request from 'supertest'
import { AuditEventModel } from '../../server/audit/auditEvent'
import { SESSION_COOKIE } from '../../server/security/session'
import { UserModel } from '../../server/staff/user'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { SignOnBrowser, startLoopbackProvider, type LoopbackProvider } from '../helpers/oidcProvider'
import { useTestApp } from '../helpers/hooks'
import { postSignOut } from '../helpers/staffSignIn'
import { startTestApp, type TestApp } from '../helpers/testApp'

const APP = 'http://family-voice.test'
const GROUPS = {
  admin: 'g-admin-0b1e',
  qa: 'g-qa-5a7f',
  manager: 'g-manager-91c3',
  practitioner: 'g-prac-7c2d',
}
const ROLE_GROUPS = Object.entries(GROUPS)
  .map(([role, id]) => `${role}=${id}`)
  .join(',')

function sessionCookie(response: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? [])
  return cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0]
}

/** The session id inside a signed `fv.sid=s%3A<id>.<signature>` cookie. */
function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1))
  return value.slice(2, value.lastIndexOf('.'))
}

async function refusals(): Promise<string[]> {
  const events = await AuditEventModel.find({ action: 'session.sso-refused' }).sort({ _id: 1 }).lean()
  return events.map((event) => event.detail ?? '')
}

let op: LoopbackProvider
before(async () => {
  op = await startLoopbackProvider({ appBaseUrl: APP })
})
after(async () => op.close())

describe('single sign-on, matching existing accounts', () => {
  const t = useTestApp(() => ({ env: op.appEnv() }))

  function browser(): SignOnBrowser {
    return new SignOnBrowser(t.app, op, APP)
  }

  /** Signs `accountId` in at the provider and returns the address it sends the browser back to. */
  async function toCallback(b: SignOnBrowser, accountId: string, start = '/sign-in/sso'): Promise<string> {
    op.autoSignInAs = accountId
    const { location } = await b.go(start, { untilCallback: true })
    return location
  }

  it('shows the single sign-on button on the sign-in page, keeping a safe next page', async () => {
    const page = await request(t.app).get('/sign-in?next=%2Freports').expect(200)
    assert.match(visibleText(page), /Sign in with your council account/)
    assert.match(page.text, /href="\/sign-in\/sso\?next=%2Freports"/)
    assert.match(visibleText(page), /Or sign in with your email address and password/)
    const unsafe = await request(t.app).get('/sign-in?next=%2F%2Fevil.example').expect(200)
    assert.match(unsafe.text, /href="\/sign-in\/sso"/)
  })

  it('signs a verified email in to its account (any case), by code with PKCE, state and nonce, landing on the staff home', async () => {
    const team = await createTeam('Locality North')
    const user = await createUser({
      role: 'practitioner',
      teams: [team],
      email: 'Pat.Jones@council.example',
      name: 'Pat Jones',
    })
    op.accounts.set('pat', { email: 'PAT.JONES@Council.Example', email_verified: true, groups: [] })
    const b = browser()
    const before = sessionCookie(await b.app.get('/sign-in').expect(200))

    const start = await b.app.get('/sign-in/sso').expect(303)
    const authorize = new URL(start.headers.location!)
    assert.equal(authorize.origin, op.issuer)
    assert.equal(authorize.searchParams.get('response_type'), 'code')
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
    assert.equal(authorize.searchParams.get('redirect_uri'), `${APP}/sign-in/sso/callback`)
    assert.match(authorize.searchParams.get('scope') ?? '', /\bopenid\b.*\bemail\b/)
    for (const name of ['state', 'nonce', 'code_challenge']) {
      assert.match(authorize.searchParams.get(name) ?? '', /^[\w-]{32,}$/, name)
    }

    const callback = await toCallback(b, 'pat', start.headers.location!)
    const back = await b.get(callback)
    assert.equal(back.status, 303, visibleText(back))
    assert.equal(back.headers.location, '/staff')
    assert.notEqual(sessionCookie(back), before, 'the session id changes at sign-in')
    const home = await b.app.get('/staff').expect(200)
    assert.match(visibleText(home), /Pat Jones/)

    const session = await mongoose.connection
      .collection('sessions')
      .findOne({ 'session.staff.userId': String(user._id) })
    assert.equal((session?.session as { staff?: { method?: string } }).staff?.method, 'sso')
    const audit = await AuditEventModel.findOne({ action: 'session.signed-in', userId: user._id }).lean()
    assert.equal(audit?.detail, 'Single sign-on')
    assert.ok((await UserModel.findById(user._id).lean())?.lastSignedInAt)
  })

  it('goes on to the page asked for before signing in', async () => {
    await createUser({ role: 'qa', email: 'quinn@council.example' })
    op.accounts.set('quinn', { email: 'quinn@council.example', email_verified: true })
    const b = browser()
    const back = await b.get(
      await toCallback(b, 'quinn', '/sign-in/sso?next=%2Freports%3Fsurvey%3Dclosure-family'),
    )
    assert.equal(back.headers.location, '/reports?survey=closure-family')
    const evil = browser()
    const home = await evil.get(await toCallback(evil, 'quinn', '/sign-in/sso?next=%2F%2Fevil.example'))
    assert.equal(home.headers.location, '/staff')
  })

  it('refuses a callback whose state is not this browser’s', async () => {
    await createUser({ role: 'manager', email: 'morgan@council.example' })
    op.accounts.set('morgan', { email: 'morgan@council.example', email_verified: true })
    const b = browser()
    const callback = new URL(await toCallback(b, 'morgan'))
    callback.searchParams.set('state', 'a-state-this-browser-never-made-0123456789')
    const refused = await b.get(callback.href)
    assert.equal(refused.status, 400)
    assert.match(
      visibleText(refused),
      /There is a problem .*could not be checked, so you have not been signed in/,
    )
    assert.match(refused.text, /href="#sso"/)
    await b.app.get('/staff').expect(303)
    assert.match((await refusals()).at(-1)!, /state did not match/)

    // Another browser's callback (its own state, in someone else's session) is refused too.
    const victim = browser()
    await victim.app.get('/sign-in').expect(200)
    const planted = await victim.get(await toCallback(browser(), 'morgan'))
    assert.equal(planted.status, 400)
    assert.match(visibleText(planted), /expired or was started in another window/)
    await victim.app.get('/staff').expect(303)
  })

  it('refuses a code used before: the browser’s sign-in is spent, and the provider refuses the code itself', async () => {
    await createUser({ role: 'practitioner', email: 'robin@council.example' })
    op.accounts.set('robin', { email: 'robin@council.example', email_verified: true })
    const b = browser()
    const callback = await toCallback(b, 'robin')
    // Keep the session as it was before coming back (pending sign-in, state and PKCE verifier)…
    const pendingCookie = sessionCookie(await b.app.get('/sign-in').expect(200))!
    const sessions = mongoose.connection.collection<{ _id: string }>('sessions')
    const pendingSession = await sessions.findOne({ _id: sessionIdOf(pendingCookie) })
    assert.ok(pendingSession)
    await b.get(callback).then((response) => assert.equal(response.headers.location, '/staff'))

    // …the same address again in the same browser: nothing is waiting any more.
    const again = await b.get(callback)
    assert.equal(again.status, 400)
    assert.match(visibleText(again), /expired or was started in another window/)

    // …and with that session put back as it was, state and verifier match, but the code is spent.
    await sessions.replaceOne({ _id: pendingSession._id }, pendingSession, { upsert: true })
    const replay = await request(t.app)
      .get(callback.slice(APP.length))
      .set('Cookie', pendingCookie)
      .redirects(0)
    assert.equal(replay.status, 400)
    assert.match(visibleText(replay), /That sign-in has already been used or has expired/)
    assert.match((await refusals()).at(-1)!, /refused the code .*\(invalid_grant\)/)
  })

  it('lets exactly one of two simultaneous callbacks with one code in', async () => {
    await createUser({ role: 'practitioner', email: 'sam@council.example' })
    op.accounts.set('sam', { email: 'sam@council.example', email_verified: true })
    const b = browser()
    const callback = await toCallback(b, 'sam')
    const answers = await Promise.all([b.get(callback), b.get(callback)])
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [303, 400])
    // Both found the browser's sign-in waiting; the provider took the code once.
    assert.match((await refusals()).at(-1)!, /refused the code .*\(invalid_grant\)/)
  })

  it('checks the nonce in the ID token and the PKCE verifier at the provider', async () => {
    await createUser({ role: 'practitioner', email: 'nico@council.example' })
    op.accounts.set('nico', { email: 'nico@council.example', email_verified: true })
    const sessions = mongoose.connection.collection<{ _id: string }>('sessions')
    for (const [field, expected] of [
      ['nonce', /answer could not be checked/],
      ['codeVerifier', /already been used or has expired/],
    ] as const) {
      const b = browser()
      const callback = await toCallback(b, 'nico')
      // As if the browser's sign-in had been started with another nonce or verifier.
      const cookie = sessionCookie(await b.app.get('/sign-in').expect(200))!
      const changed = await sessions.updateOne(
        { _id: sessionIdOf(cookie) },
        { $set: { [`session.ssoPending.${field}`]: 'x'.repeat(43) } },
      )
      assert.equal(changed.modifiedCount, 1)
      const refused = await b.get(callback)
      assert.equal(refused.status, 400, field)
      assert.match(visibleText(refused), expected, field)
      await b.app.get('/staff').expect(303)
    }
    assert.match((await refusals()).at(-2)!, /failed its checks/)
    assert.match((await refusals()).at(-1)!, /refused the code .*\(invalid_grant\)/)
  })

  it('refuses an answer with no email address', async () => {
    op.accounts.set('noemail', { email_verified: true, name: 'No Email' })
    const b = browser()
    const refused = await b.get(await toCallback(b, 'noemail'))
    assert.equal(refused.status, 403)
    assert.match(visibleText(refused), /did not give Family Voice an email address/)
  })

  it('refuses a sign-in left at the provider for more than 10 minutes', async () => {
    const b = browser()
    const callback = await toCallback(b, 'sam')
    t.clock.set(new Date(t.clock.now().getTime() + 11 * 60 * 1000))
    const late = await b.get(callback)
    assert.equal(late.status, 400)
    assert.match(visibleText(late), /expired/)
  })

  it('shows an error from the provider (e.g. the person cancelled) on the sign-in page', async () => {
    const b = browser()
    op.refuseNextWith = 'access_denied'
    const { location } = await b.go('/sign-in/sso', { untilCallback: true })
    assert.match(location, /error=access_denied/)
    const refused = await b.get(location)
    assert.equal(refused.status, 400)
    assert.match(visibleText(refused), /Your council account did not sign you in/)
    assert.match((await refusals()).at(-1)!, /returned an error \(access_denied\)/)
  })

  it('refuses an email the provider has not verified', async () => {
    const user = await createUser({ role: 'admin', email: 'uma@council.example' })
    for (const identity of [
      { email: 'uma@council.example', email_verified: false },
      { email: 'uma@council.example' },
      // Entra ID's domain check never overrides an explicit "not verified".
      { email: 'uma@council.example', email_verified: false, xms_edov: true },
    ]) {
      op.accounts.set('uma', identity)
      const b = browser()
      const refused = await b.get(await toCallback(b, 'uma'))
      assert.equal(refused.status, 403, JSON.stringify(identity))
      assert.match(visibleText(refused), /email address is not verified/)
      await b.app.get('/staff').expect(303)
    }
    assert.equal(await AuditEventModel.countDocuments({ action: 'session.signed-in', userId: user._id }), 0)
    assert.match((await refusals()).at(-1)!, /not verified/)

    // Entra ID sends no email_verified; its xms_edov (domain verified by the tenant) is accepted.
    op.accounts.set('uma', { email: 'uma@council.example', xms_edov: true })
    const entra = browser()
    assert.equal((await entra.get(await toCallback(entra, 'uma'))).headers.location, '/staff')
  })

  it('refuses a disabled account', async () => {
    const user = await createUser({ role: 'practitioner', email: 'dana@council.example' })
    await UserModel.updateOne({ _id: user._id }, { $set: { disabled: true } })
    op.accounts.set('dana', { email: 'dana@council.example', email_verified: true })
    const b = browser()
    const refused = await b.get(await toCallback(b, 'dana'))
    assert.equal(refused.status, 403)
    assert.match(visibleText(refused), /Your Family Voice account has been disabled/)
    await b.app.get('/staff').expect(303)
    const audit = await AuditEventModel.findOne({ action: 'session.sso-refused', userId: user._id }).lean()
    assert.equal(audit?.detail, 'Account disabled')
  })

  it('refuses an email with no account when creating accounts is off, and creates none', async () => {
    op.accounts.set('nobody', {
      email: 'nobody@council.example',
      email_verified: true,
      groups: [GROUPS.admin],
    })
    const b = browser()
    const refused = await b.get(await toCallback(b, 'nobody'))
    assert.equal(refused.status, 403)
    assert.match(visibleText(refused), /There is no Family Voice account for your email address/)
    assert.equal(await UserModel.countDocuments({ email: 'nobody@council.example' }), 0)
    assert.match((await refusals()).at(-1)!, /No account with that email address/)
  })

  it('signing out ends the session here, then at the provider, and comes back signed out', async () => {
    const user = await createUser({ role: 'practitioner', email: 'sasha@council.example' })
    op.accounts.set('sasha', { email: 'sasha@council.example', email_verified: true })
    const b = browser()
    await b.get(await toCallback(b, 'sasha'))
    const home = await b.app.get('/staff').expect(200)
    const cookie = sessionCookie(home) ?? sessionCookie(await b.app.get('/staff').expect(200))
    assert.ok(cookie)

    const out = await b.app
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenFrom(home.text) })
      .expect(303)
    const endSession = new URL(out.headers.location!)
    assert.equal(endSession.origin, op.issuer)
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${APP}/sign-in?signedOut=1`)
    assert.equal(endSession.searchParams.get('client_id'), op.clientId)
    // The old cookie no longer works, whatever happens at the provider.
    const replay = await request(t.app).get('/staff').set('Cookie', cookie).expect(303)
    assert.match(replay.headers.location ?? '', /^\/sign-in/)
    assert.equal(await AuditEventModel.countDocuments({ action: 'session.signed-out', userId: user._id }), 1)

    // The provider asks to confirm, then sends the browser back to the signed-out page.
    const confirm = await b.get(endSession.href)
    assert.equal(confirm.status, 200)
    const form =
      /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"/.exec(
        confirm.text,
      )
    assert.ok(form, confirm.text)
    const confirmed = await b.provider
      .post(new URL(form[1]!, op.issuer).pathname)
      .type('form')
      .send({ xsrf: form[2]!, logout: 'yes' })
      .redirects(0)
    assert.equal(confirmed.headers.location, `${APP}/sign-in?signedOut=1`)
    const signedOut = await b.get(confirmed.headers.location)
    assert.match(visibleText(signedOut), /You have signed out/)

    // Signed out at the provider too: signing in again asks who you are.
    op.autoSignInAs = undefined
    const { response } = await b.go('/sign-in/sso')
    assert.match(visibleText(response!), /Sign in to the test provider/)
  })

  it('a password sign-out is unchanged: straight back to the sign-in page', async () => {
    const agent = await signIn(t.app, await createUser({ role: 'practitioner' }))
    const home = await agent.get('/staff').expect(200)
    const out = await postSignOut(agent, home)
    assert.equal(out.headers.location, '/sign-in?signedOut=1')
  })
})

describe('single sign-on creating accounts from identity-provider groups', () => {
  const t = useTestApp(() => ({ env: op.appEnv({ OIDC_CREATE_USERS: 'on', OIDC_ROLE_GROUPS: ROLE_GROUPS }) }))

  async function signOnAs(accountId: string): Promise<{ b: SignOnBrowser; back: request.Response }> {
    const b = new SignOnBrowser(t.app, op, APP)
    op.autoSignInAs = accountId
    const { location } = await b.go('/sign-in/sso', { untilCallback: true })
    return { b, back: await b.get(location) }
  }

  it('creates the account at first sign-in with the highest role its groups give', async () => {
    op.accounts.set('newqa', {
      email: 'New.Quality@Council.example',
      email_verified: true,
      name: 'Nia Quality',
      groups: ['some-other-group', GROUPS.practitioner, GROUPS.qa],
    })
    const { b, back } = await signOnAs('newqa')
    assert.equal(back.headers.location, '/staff', visibleText(back))
    const user = await UserModel.findOne({ email: 'new.quality@council.example' }).lean()
    assert.equal(user?.role, 'qa')
    assert.equal(user?.name, 'Nia Quality')
    assert.deepEqual(user?.teamIds, [])
    assert.match(visibleText(await b.app.get('/staff').expect(200)), /Nia Quality/)
    const created = await AuditEventModel.findOne({ action: 'user.created-by-sso', userId: user!._id }).lean()
    assert.match(created?.detail ?? '', /Quality assurance/)

    // The second time, the same account (the role is managed here from now on).
    op.accounts.set('newqa', {
      email: 'new.quality@council.example',
      email_verified: true,
      groups: [GROUPS.admin],
    })
    assert.equal((await signOnAs('newqa')).back.headers.location, '/staff')
    assert.equal(await UserModel.countDocuments({ email: 'new.quality@council.example' }), 1)
    assert.equal((await UserModel.findById(user!._id).lean())?.role, 'qa')
  })

  it('refuses someone in no group that gives a role, and creates nothing', async () => {
    op.accounts.set('outsider', {
      email: 'outsider@council.example',
      email_verified: true,
      groups: ['g-finance'],
    })
    const { b, back } = await signOnAs('outsider')
    assert.equal(back.status, 403)
    assert.match(visibleText(back), /not in a group that gives access to Family Voice/)
    await b.app.get('/staff').expect(303)
    assert.equal(await UserModel.countDocuments({ email: 'outsider@council.example' }), 0)
    op.accounts.set('nogroups', { email: 'nogroups@council.example', email_verified: true })
    assert.equal((await signOnAs('nogroups')).back.status, 403)
    assert.match((await refusals()).at(-1)!, /in no group that gives a role/)
  })

  it('never creates an account for an unverified email', async () => {
    op.accounts.set('unverified', { email: 'unverified@council.example', groups: [GROUPS.admin] })
    assert.equal((await signOnAs('unverified')).back.status, 403)
    assert.equal(await UserModel.countDocuments({ email: 'unverified@council.example' }), 0)
  })

  it('creates one account when the same person signs in twice at once', async () => {
    op.accounts.set('twice', {
      email: 'twice@council.example',
      email_verified: true,
      groups: [GROUPS.manager],
    })
    const browsers = [new SignOnBrowser(t.app, op, APP), new SignOnBrowser(t.app, op, APP)]
    op.autoSignInAs = 'twice'
    const callbacks = await Promise.all(browsers.map((b) => b.go('/sign-in/sso', { untilCallback: true })))
    const answers = await Promise.all(browsers.map((b, i) => b.get(callbacks[i]!.location)))
    assert.deepEqual(
      answers.map((answer) => answer.headers.location),
      ['/staff', '/staff'],
    )
    assert.equal(await UserModel.countDocuments({ email: 'twice@council.example' }), 1)
    assert.equal(
      await AuditEventModel.countDocuments({
        action: 'user.created-by-sso',
        target: 'user twice@council.example',
      }),
      1,
    )
  })
})

describe('without single sign-on set up', () => {
  const t = useTestApp()

  it('shows no button and has no single sign-on pages', async () => {
    const page = await request(t.app).get('/sign-in').expect(200)
    assert.doesNotMatch(page.text, /sign-in\/sso/)
    await request(t.app).get('/sign-in/sso').expect(404)
    await request(t.app).get('/sign-in/sso/callback?code=x&state=y').expect(404)
  })
})

describe('single sign-on callbacks from one address', () => {
  const t = useTestApp(() => ({ env: op.appEnv() }))

  it('limits failed callbacks from one address, like failed sign-ins', async () => {
    let last: request.Response | undefined
    for (let i = 0; i < 50; i++) {
      last = await request(t.app).get('/sign-in/sso/callback?code=x&state=y')
      assert.equal(last.status, 400)
    }
    const limited = await request(t.app).get('/sign-in/sso/callback?code=x&state=y')
    assert.equal(limited.status, 429)
    assert.match(visibleText(limited), /Too many attempts/)
  })
})

describe('single sign-on when the provider cannot be reached', () => {
  let t: TestApp
  before(async () => {
    // Nothing listens on port 9 (discard) here: the provider is down.
    t = await startTestApp({ env: op.appEnv({ OIDC_ISSUER_URL: 'http://127.0.0.1:9' }) })
  })
  after(async () => t.close())

  it('answers 503 with the sign-in page, and password sign-in still works', async () => {
    const refused = await request(t.app).get('/sign-in/sso').expect(503)
    assert.match(visibleText(refused), /Single sign-on is not available at the moment/)
    assert.match((await refusals()).at(-1)!, /could not be reached/)
    await signIn(t.app, await createUser({ role: 'practitioner' }))
  })
})
