/**
 * One browser test file's set-up, so the file says only what it tests: the app on a fresh database,
 * served on a loopback port, and Chromium, started before the file's tests and closed after them.
 * Pages opened through the suite note script errors and Content Security Policy violations in
 * `suite.problems`, which a file asserts empty once its pages have been seen.
 *
 *   describe('…', () => {
 *     const suite = browserSuite({ now: '2021-05-10T10:00:00Z' })
 *     before(async () => { qa = await createUser({ role: 'qa' }) })   // runs after the suite's
 *     it('…', async () => {
 *       const { context, page } = await suite.signedIn(qa, { javaScriptEnabled: false })
 *       await page.goto(`${suite.baseUrl}/reports`)
 *       await checkPage(page, 'the dashboard')
 *       await context.close()
 *     })
 *   })
 */
import assert from 'node:assert/strict'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before } from 'node:test'
import type { Browser, BrowserContext, Page, ViewportSize } from 'playwright-core'
import type { ManualClock } from '../../server/clock'
import type { Services } from '../../server/services'
import type { User } from '../../server/staff/user'
import { launchBrowser, newContext } from './browser'
import { signInInBrowser } from './browserSignIn'
import { TEST_PASSWORD } from './factories'
import { startTestApp, type TestApp } from './testApp'

/** The narrowest phone the pages must fit. */
export const PHONE: ViewportSize = { width: 320, height: 640 }
/** A QA officer's laptop. */
export const DESKTOP: ViewportSize = { width: 1280, height: 900 }

export interface BrowserSuiteOptions {
  /** Start time of the test clock. */
  now?: string
  /**
   * Extra environment for the app; a function is given the app's address first, for settings that
   * name it (BASE_URL, a sign-on provider's redirect URI).
   */
  env?: Record<string, string> | ((baseUrl: string) => Promise<Record<string, string>>)
  /** Also note every response of 400 or more (a missing script or stylesheet) in `problems`. */
  failedResponses?: boolean
}

export interface PageOptions {
  /** PHONE unless said. */
  viewport?: ViewportSize
  /** On unless said. */
  javaScriptEnabled?: boolean
}

export interface OpenPage {
  context: BrowserContext
  page: Page
}

export interface BrowserSuite {
  /** The whole test app, for fixtures that take it. */
  readonly testApp: TestApp
  readonly services: Services
  readonly clock: ManualClock
  readonly browser: Browser
  /** Where the app answers, e.g. http://127.0.0.1:41234. */
  readonly baseUrl: string
  /** Script errors and CSP violations (and failed responses, when asked) on the suite's pages. */
  readonly problems: string[]
  /** A new context and page; close the context when done. */
  open(options?: PageOptions): Promise<OpenPage>
  /** A new context and page with this staff member signed in (code included) on the staff home. */
  signedIn(user: Pick<User, 'email'>, options?: PageOptions & { password?: string }): Promise<OpenPage>
}

/** Registers the before and after hooks of the describe block it is called in. */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let testApp: TestApp | undefined
  let browser: Browser | undefined
  let server: http.Server | undefined
  let baseUrl: string | undefined
  const problems: string[] = []

  function started<T>(value: T | undefined, what: string): T {
    if (value === undefined)
      throw new Error(`The browser suite's ${what} is not started: use it in a test or hook`)
    return value
  }

  function watch(page: Page): void {
    page.on('pageerror', (error) => problems.push(`script error at ${page.url()}: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text()))
        problems.push(`CSP at ${page.url()}: ${message.text()}`)
    })
    if (options.failedResponses)
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
          problems.push(`${response.status()} for ${response.url()}`)
      })
  }

  before(async () => {
    // Listening before the app is built, so its address can be part of the app's settings.
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
    server = http.createServer((req, res) => handle(req, res))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const env = typeof options.env === 'function' ? await options.env(baseUrl) : options.env
    testApp = await startTestApp({ now: options.now, env })
    handle = testApp.app
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => {
      if (!server) return resolve()
      server.closeAllConnections()
      server.close(() => resolve())
    })
    await testApp?.close()
  })

  const suite: BrowserSuite = {
    get testApp() {
      return started(testApp, 'app')
    },
    get services() {
      return started(testApp, 'app').services
    },
    get clock() {
      return started(testApp, 'app').clock
    },
    get browser() {
      return started(browser, 'browser')
    },
    get baseUrl() {
      return started(baseUrl, 'server')
    },
    problems,
    async open({ viewport = PHONE, javaScriptEnabled = true } = {}) {
      const context = await newContext(suite.browser, { viewport, javaScriptEnabled })
      const page = await context.newPage()
      watch(page)
      return { context, page }
    },
    async signedIn(user, { password = TEST_PASSWORD, ...pageOptions } = {}) {
      const opened = await suite.open(pageOptions)
      await signInInBrowser(opened.page, suite.baseUrl, user, suite.clock, password)
      assert.equal(new URL(opened.page.url()).pathname, '/staff')
      return opened
    },
  }
  return suite
}
