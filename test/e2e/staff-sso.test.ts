/**
 * Single sign-on in Chromium: the sign-in page's "Sign in with your council account" button, the
 * (loopback) identity provider's login, back to the staff home; signing out goes through the
 * provider's sign-out and back. A refusal lands on the sign-in page with its error. Every app page
 * on the way passes axe (WCAG 2.2 AA rules), fits 320px and breaks no CSP rule.
 */
import assert from 'node:assert/strict'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { checkPage, launchBrowser, newContext } from '../helpers/browser'
import { createTeam, createUser } from '../helpers/factories'
import { startLoopbackProvider, type LoopbackProvider } from '../helpers/oidcProvider'
import { startTestApp, type TestApp } from '../helpers/testApp'

const PHONE = { width: 320, height: 640 }

describe('single sign-on in a browser', () => {
  let t: TestApp
  let op: LoopbackProvider
  let browser: Browser
  let baseUrl: string
  let server: http.Server
  const problems: string[] = []

  before(async () => {
    // The app's address is its BASE_URL and the provider's redirect URI: listen first, then build it.
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
    server = http.createServer((req, res) => handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    op = await startLoopbackProvider({ appBaseUrl: baseUrl })
    t = await startTestApp({ env: { BASE_URL: baseUrl, ...op.appEnv() } })
    handle = t.app
    browser = await launchBrowser()
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
    await browser?.close()
    await new Promise<void>((resolve) => {
      server?.closeAllConnections()
      server?.close(() => resolve())
    })
    await op?.close()
    await t?.close()
  })

  function watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text()))
        problems.push(`${page.url()}: ${message.text()}`)
    })
  }

  /** At the provider's login page: signs in as this account. */
  async function signInAtProvider(page: Page, accountId: string): Promise<void> {
    await page.waitForURL(`${op.issuer}/**`)
    await page.getByLabel('Account').fill(accountId)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('signs in with the council account, lands on the staff home, and signs out through the provider', async () => {
    const context = await newContext(browser, { viewport: PHONE })
    const page = await context.newPage()
    watch(page)
    await page.goto(`${baseUrl}/sign-in`)
    await checkPage(page, 'the sign-in page with single sign-on')

    await page.getByRole('button', { name: 'Sign in with your council account' }).click()
    await signInAtProvider(page, 'pat')
    await page.waitForURL(`${baseUrl}/staff`)
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
    await page.waitForURL(`${baseUrl}/sign-in?signedOut=1`)
    assert.match(await page.locator('main').innerText(), /You have signed out/)
    await checkPage(page, 'the sign-in page after signing out')
    await page.goto(`${baseUrl}/staff`)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    await context.close()
  })

  it('an unverified email ends on the sign-in page with the reason, linked from the error summary', async () => {
    const context = await newContext(browser, { viewport: PHONE })
    const page = await context.newPage()
    watch(page)
    await page.goto(`${baseUrl}/sign-in`)
    await page.getByRole('button', { name: 'Sign in with your council account' }).click()
    await signInAtProvider(page, 'uma')
    await page.waitForURL(`${baseUrl}/sign-in/sso/callback**`)
    assert.equal(await page.title(), 'Error: Sign in – Family Voice')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /email address is not verified/)
    await checkPage(page, 'the sign-in page with a single sign-on error')
    await page.locator('.govuk-error-summary a').click()
    assert.equal(await page.evaluate(() => location.hash), '#sso')
    await context.close()
  })

  it('broke no Content Security Policy rule', () => {
    assert.deepEqual(problems, [])
  })
})
