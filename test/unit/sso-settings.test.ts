import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../server/config'
import { isVerifiedEmail, roleFromGroups } from '../../server/staff/ssoAccounts'

const SSO = {
  OIDC_ISSUER_URL: 'https://login.microsoftonline.com/7a1c2b3d-0000-4000-8000-000000000000/v2.0',
  OIDC_CLIENT_ID: '0b1e2f3a-0000-4000-8000-000000000001',
  OIDC_CLIENT_SECRET: 'a secret from the app registration',
}

/** The one sentence a wrong setting stops the app with. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    assert.equal(error.message.split('. ').length, 1, error.message)
    return error.message
  }
  assert.fail(`accepted ${JSON.stringify(env)}`)
}

describe('single sign-on settings', () => {
  it('are off without OIDC_*, on with all three, with a default button label and no account creation', () => {
    assert.equal(loadConfig({}).oidc, undefined)
    const oidc = loadConfig(SSO).oidc
    assert.equal(oidc?.issuerUrl, SSO.OIDC_ISSUER_URL)
    assert.equal(oidc?.signInLabel, 'Sign in with your council account')
    assert.equal(oidc?.createUsers, false)
    assert.equal(
      loadConfig({ ...SSO, OIDC_SIGN_IN_LABEL: 'Sign in with Northshire' }).oidc?.signInLabel,
      'Sign in with Northshire',
    )
  })

  it('need all three of issuer, client id and secret, naming the one missing', () => {
    assert.match(
      refusal({ ...SSO, OIDC_CLIENT_SECRET: '' }),
      /^Configuration error: OIDC_CLIENT_SECRET must be set too/,
    )
    assert.match(refusal({ OIDC_CLIENT_ID: 'x' }), /^Configuration error: OIDC_ISSUER_URL must be set too/)
    assert.match(refusal({ OIDC_CREATE_USERS: 'on' }), /OIDC_CREATE_USERS is set but single sign-on is not/)
  })

  it('want an https issuer (http only for this machine, outside production)', () => {
    assert.match(refusal({ ...SSO, OIDC_ISSUER_URL: 'not a url' }), /OIDC_ISSUER_URL is not a valid URL/)
    assert.match(
      refusal({ ...SSO, OIDC_ISSUER_URL: 'http://idp.council.example' }),
      /OIDC_ISSUER_URL must start with https:\/\//,
    )
    assert.ok(loadConfig({ ...SSO, OIDC_ISSUER_URL: 'http://127.0.0.1:4000' }).oidc)
    assert.match(
      refusal({
        ...SSO,
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(32),
        OIDC_ISSUER_URL: 'http://127.0.0.1:4000',
      }),
      /OIDC_ISSUER_URL must start with https:\/\//,
    )
    assert.match(refusal({ ...SSO, OIDC_ISSUER_URL: 'https://idp.example/?tenant=1' }), /without \?query/)
  })

  it('read OIDC_CREATE_USERS and OIDC_ROLE_GROUPS, refusing what they cannot mean', () => {
    assert.match(
      refusal({ ...SSO, OIDC_CREATE_USERS: 'maybe' }),
      /OIDC_CREATE_USERS must be on or off, not "maybe"/,
    )
    assert.match(
      refusal({ ...SSO, OIDC_CREATE_USERS: 'on' }),
      /OIDC_ROLE_GROUPS must name at least one group/,
    )
    assert.match(
      refusal({ ...SSO, OIDC_ROLE_GROUPS: 'boss=g1' }),
      /OIDC_ROLE_GROUPS must be .* not "boss=g1"/,
    )
    assert.match(refusal({ ...SSO, OIDC_ROLE_GROUPS: 'admin=' }), /OIDC_ROLE_GROUPS/)
    const oidc = loadConfig({
      ...SSO,
      OIDC_CREATE_USERS: 'on',
      OIDC_ROLE_GROUPS: 'practitioner=g-prac, admin=g-admin,practitioner=g-prac2,qa=g-qa,manager=g-man',
    }).oidc!
    assert.equal(oidc.createUsers, true)
    assert.equal(roleFromGroups(oidc, ['g-prac', 'g-man']), 'manager')
    assert.equal(roleFromGroups(oidc, ['g-prac2']), 'practitioner')
    assert.equal(roleFromGroups(oidc, ['g-qa', 'g-admin', 'g-prac']), 'admin')
    assert.equal(roleFromGroups(oidc, ['g-other']), undefined)
    assert.equal(roleFromGroups(oidc, 'g-admin'), undefined)
  })
})

describe('a verified email', () => {
  it('is email_verified true, or Entra ID’s xms_edov true when email_verified is absent', () => {
    assert.equal(isVerifiedEmail({ sub: 'a', email_verified: true }), true)
    assert.equal(isVerifiedEmail({ sub: 'a', xms_edov: true }), true)
    assert.equal(isVerifiedEmail({ sub: 'a', email_verified: false, xms_edov: true }), false)
    assert.equal(isVerifiedEmail({ sub: 'a', email_verified: 'true' }), false)
    assert.equal(isVerifiedEmail({ sub: 'a' }), false)
  })
})
