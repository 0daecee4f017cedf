/**
 * Single sign-on in Chromium: the sign-in page's "Sign in with your council account" button, the
 * (loopback) identity provider's login, back to the staff home; signing out goes through the
 * provider's sign-out and back. A refusal lands on the sign-in page with its error. Every app page
 * on the way passes axe (WCAG 2.2 AA rules), fits 320px and breaks no CSP rule.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, createUser } from '../helpers/factories'
import { startLoopbackProvider, type LoopbackProvider } from '../helpers/oidcProvider'

describe('single sign-on in a browser', () => {
  let op: LoopbackProvider
  // The app's address is its BASE_URL and the provider's redirect URI.
  const suite = browserSuite({
    env: async (baseUrl) => {
      op = await startLoopbackProvider({ appBaseUrl: baseUrl })
      return { BASE_URL: baseUrl, ...op.appEnv() }
    },
  })

  before(async () => {
    const team = await createTeam('Locality North')
    await createUser({
      role: 'practitioner',
      teams: [team],
      name: 'Pat Jones',
      email: 'pat.jones@council.example',
    })
    op.accounts.set('pat', { email: 'Pat.Jones@council.example', email_verified: true, name: 'Pat Jones' })
    op.accounts.set('uma', { email: 'uma@council.example', email_verified: false })
  })
  after(async () => {
    await op?.close()
  })

  /** At the provider's login page: signs in as this account. */
  async function signInAtProvider(page: Page, accountId: string): Promise<void> {
    await page.waitForURL(`${op.issuer}/**`)
    await page.getByLabel('Account').fill(accountId)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('signs in with the council account, lands on the staff home, and signs out through the provider', async () => {
    const { context, page } = await suite.open()
    await page.goto(`${suite.baseUrl}/sign-in`)
    await checkPage(page, 'the sign-in page with single sign-on')

    await page.getByRole('button', { name: 'Sign in with your council account' }).click()
    await signInAtProvider(page, 'pat')
    await page.waitForURL(`${suite.baseUrl}/staff`)
    assert.equal(await page.title(), 'Staff home – Family Voice')
    assert.match(await page.locator('body').innerText(), /Pat Jones/)
    await checkPage(page, 'the staff home after single sign-on')

    await page.getByRole('button', { name: /Sign out/ }).click()
    // On to the provider's sign-out (not straight back to our sign-in page); slow on a busy machine.
    await page.waitForURL((url) => url.origin === op.issuer || url.pathname === '/sign-in', {
      timeout: 60_000,
    })
    assert.equal(new URL(page.url()).origin, op.issuer, page.url())
    await page.getByRole('button', { name: 'Yes, sign me out' }).click()
    await page.waitForURL(`${suite.baseUrl}/sign-in?signedOut=1`)
    assert.match(await page.locator('main').innerText(), /You have signed out/)
    await checkPage(page, 'the sign-in page after signing out')
    await page.goto(`${suite.baseUrl}/staff`)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    await context.close()
  })

  it('an unverified email ends on the sign-in page with the reason, linked from the error summary', async () => {
    const { context, page } = await suite.open()
    await page.goto(`${suite.baseUrl}/sign-in`)
    await page.getByRole('button', { name: 'Sign in with your council account' }).click()
    await signInAtProvider(page, 'uma')
    await page.waitForURL(`${suite.baseUrl}/sign-in/sso/callback**`)
    assert.equal(await page.title(), 'Error: Sign in – Family Voice')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /email address is not verified/)
    await checkPage(page, 'the sign-in page with a single sign-on error')
    await page.locator('.govuk-error-summary a').click()
    assert.equal(await page.evaluate(() => location.hash), '#sso')
    await context.close()
  })

  it('broke no Content Security Policy rule', () => {
    assert.deepEqual(suite.problems, [])
  })
})
