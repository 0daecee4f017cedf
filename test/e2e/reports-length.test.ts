/**
 * The dashboard a QA officer opens on the demo data, 1280 px wide: how long it is, and that each
 * headline is said once. The length is reported (diagnostic) and bounded: 9,461 px before the
 * headlines were said once and the answer tables folded away, 6,267 px after.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { DEMO_PASSWORD, seedDemoData } from '../../server/demo/seed'
import { checkPage, launchBrowser, newContext, serve, type Served } from '../helpers/browser'
import { startTestApp, type TestApp } from '../helpers/testApp'
import { signInInBrowser } from '../helpers/secondFactor'
import { enrolAuthenticator } from '../helpers/factories'
import { UserModel } from '../../server/staff/user'

describe('the dashboard on the demo data', () => {
  let t: TestApp
  let served: Served
  let browser: Browser

  before(async () => {
    t = await startTestApp({ now: '2026-11-23T10:00:00Z' })
    await seedDemoData(t.services, () => undefined)
    served = await serve(t.app)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await served?.close()
    await t.close()
  })

  it('is short at 1280 px and says each headline once', async (context) => {
    const browserContext = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    const page = await browserContext.newPage()
    // The demo's QA account, with an authenticator app as QA must have (set up here, as its owner would).
    const demoQa = await UserModel.findOne({ email: 'qa@demo.family-voice' }).lean()
    await enrolAuthenticator(demoQa!._id)
    await signInInBrowser(page, served.baseUrl, demoQa!, t.clock, DEMO_PASSWORD)
    await page.goto(`${served.baseUrl}/reports`)
    await page.locator('[data-chart] canvas').first().waitFor()
    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    context.diagnostic(`dashboard at 1280 px: ${height} px long`)
    const text = await page.locator('main').innerText()
    context.diagnostic(`dashboard text: ${text.length} characters`)
    // Each headline sentence ("90% told us that …") appears once on the page.
    const sentences: string[] = text.match(/\d+% told us that [^(\n]+/g) ?? []
    assert.ok(sentences.length > 0, 'the demo quarter has headlines')
    const repeated = sentences.filter((sentence, index) => sentences.indexOf(sentence) !== index)
    assert.deepEqual(repeated, [], 'no headline is said twice')
    assert.ok(height < 6500, `the dashboard is ${height} px long`)
    await checkPage(page, 'the dashboard at 1280 px')
    await browserContext.close()
  })
})
