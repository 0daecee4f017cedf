/**
 * Browser tests: Debian's Chromium driven by playwright-core (browser downloads do not work here),
 * the app served on a loopback port, and axe-core injected into each page for WCAG 2.2 AA checks.
 *
 *   const browser = await launchBrowser()
 *   const server = await serve(t.app)
 *   const context = await newContext(browser, { viewport: { width: 320, height: 640 }, javaScriptEnabled: false })
 *   const page = await context.newPage()
 *   await page.goto(`${server.baseUrl}/`)
 *   await checkPage(page, 'the home page')   // axe + nothing wider than the window
 *
 * A test file gets its app, server, browser and pages from browserSuite() (browserSuite.ts), which
 * starts them with the functions here; serve() is for scripts such as scripts/bench/familyPage.ts.
 *
 * Make contexts with `newContext` rather than `browser.newContext`: with JavaScript disabled a page
 * cannot run axe, so the checks run on a copy of the page (same address, HTML, CSS and window
 * size, scripts removed) in a JavaScript-enabled context, and `newContext` records which contexts
 * need that.
 */
import assert from 'node:assert/strict'
import { appendFileSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Express } from 'express'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core'
import { CHROMIUM_MISSING, findChromium } from '../../scripts/chromium'
import { PROJECT_ROOT } from '../../server/db/ferretdbInstall'

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'))

/** The Chromium on the PATH (Debian's /usr/bin/chromium), or CHROMIUM_PATH; `npm test` installs it when it can. */
export function chromiumPath(): string {
  const found = findChromium({ env: process.env })
  if (!found) throw new Error(CHROMIUM_MISSING)
  return found
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

const noScriptContexts = new WeakSet<BrowserContext>()

/** A browser context; remembers whether JavaScript is disabled in it (see checkAccessibility). */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options)
  if (options.javaScriptEnabled === false) noScriptContexts.add(context)
  return context
}

/**
 * The page to run checks in: the page itself, or, when its context has JavaScript disabled, a copy
 * of its current HTML served at the same address in a JavaScript-enabled context of the same size.
 */
async function pageForChecks(page: Page): Promise<{ target: Page; done(): Promise<void> }> {
  if (!noScriptContexts.has(page.context())) return { target: page, done: async () => undefined }
  const browser = page.context().browser()
  if (!browser) throw new Error('The page has no browser to copy it into')
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  const url = page.url().replace(/#.*$/, '')
  const copy = await (await checkerContext(browser)).newPage()
  const viewport = page.viewportSize()
  if (viewport) await copy.setViewportSize(viewport)
  await copy.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  )
  await copy.goto(url)
  return { target: copy, done: () => copy.close() }
}

/** One JavaScript-enabled context per browser for checking copies of no-JavaScript pages. */
const checkerContexts = new WeakMap<Browser, Promise<BrowserContext>>()
function checkerContext(browser: Browser): Promise<BrowserContext> {
  let context = checkerContexts.get(browser)
  if (!context) {
    context = browser.newContext()
    checkerContexts.set(browser, context)
  }
  return context
}

export interface Served {
  baseUrl: string
  close(): Promise<void>
}

/** Serves the app on 127.0.0.1 at a free port. */
export function serve(app: Express): Promise<Served> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(0, '127.0.0.1')
    server.once('error', reject)
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  helpUrl: string
  nodes: Array<{ target: string[]; failureSummary?: string; html: string }>
}

interface AxeWindow {
  axe: {
    run(
      context: unknown,
      options: { runOnly: { type: 'tag'; values: string[] }; resultTypes: string[] },
    ): Promise<{ violations: AxeViolation[] }>
  }
}

let axeSourceCache: string | undefined
function axeSource(): string {
  axeSourceCache ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
  return axeSourceCache
}

/** Runs axe-core (WCAG 2.0 A and AA, WCAG 2.1 AA and WCAG 2.2 AA rules) on the page as it is now. */
export async function checkAccessibility(page: Page): Promise<AxeViolation[]> {
  const { target, done } = await pageForChecks(page)
  try {
    return await runAxe(target)
  } finally {
    await done()
  }
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            'axe did not finish in 30 s. If JavaScript is disabled in this context, make it with newContext() from test/helpers/browser.ts.',
          ),
        ),
      30_000,
    )
  })
  try {
    return await Promise.race([axeViolations(page), timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: page.addScriptTag would add an inline <script>, which
  // the app's strict CSP (rightly) blocks, and bypassing CSP would hide real CSP mistakes.
  await page.evaluate(axeSource())
  return page.evaluate(async () => {
    const { axe } = window as unknown as AxeWindow
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    })
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target,
        failureSummary: node.failureSummary,
        html: node.html,
      })),
    }))
  })
}

/** Violations as a person reads them: rule, impact, what to fix, and where. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) =>
      [
        `${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}`,
        `  ${violation.helpUrl}`,
        ...violation.nodes.map(
          (node) =>
            `  at ${node.target.join(' ')}: ${node.html.slice(0, 160)}${node.failureSummary ? `\n    ${node.failureSummary.replace(/\n/g, '\n    ')}` : ''}`,
        ),
      ].join('\n'),
    )
    .join('\n\n')
}

export function assertNoViolations(violations: AxeViolation[], where: string): void {
  assert.equal(
    violations.length,
    0,
    `axe found ${violations.length} accessibility problem(s) on ${where}:\n\n${formatViolations(violations)}`,
  )
}

/** Checks axe and that nothing is wider than the viewport (e.g. 320px). */
/**
 * Notes the template a page that passed axe came from (its `<meta name="fv-view">`, test mode
 * only) in VIEW_LOG_DIR, one file per process, for test/e2e/views-covered.test.ts.
 */
async function recordCheckedView(page: Page): Promise<void> {
  const directory = process.env.VIEW_LOG_DIR
  if (!directory) return
  const view = await page.evaluate(
    () => document.querySelector('meta[name="fv-view"]')?.getAttribute('content') ?? '',
  )
  if (view) appendFileSync(path.join(directory, `${process.pid}.log`), `${view}\n`)
}

export async function checkPage(page: Page, where: string): Promise<void> {
  const { target, done } = await pageForChecks(page)
  let widths: { scrollWidth: number; innerWidth: number }
  try {
    assertNoViolations(await runAxe(target), where)
    await recordCheckedView(target)
    widths = await target.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }))
  } finally {
    await done()
  }
  const { scrollWidth, innerWidth } = widths
  assert.ok(
    scrollWidth <= innerWidth,
    `${where} is ${scrollWidth}px wide in a ${innerWidth}px window: something overflows sideways`,
  )
}

/**
 * Clicks something that loads a new page (a link, a form's button) and waits until that page has
 * loaded. Playwright's click does not wait for the navigation it starts, so reading the page
 * straight after a click can read the page being left.
 */
export async function clickAndLoad(page: Page, target: Locator | (() => Promise<void>)): Promise<void> {
  const loaded = page.waitForEvent('load')
  if (typeof target === 'function') await target()
  else await target.click()
  await loaded
}
