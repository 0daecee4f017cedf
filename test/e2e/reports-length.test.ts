/**
 * The dashboard a QA officer opens on the demo data, 1280 px wide: how long it is, and that each
 * headline is said once. The length is reported (diagnostic) and bounded: 9,461 px before the
 * headlines were said once and the answer tables folded away, 6,267 px after.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { DEMO_PASSWORD, seedDemoData } from '../../server/demo/seed'
import { UserModel } from '../../server/staff/user'
import { checkPage } from '../helpers/browser'
import { browserSuite, DESKTOP } from '../helpers/browserSuite'
import { enrolAuthenticator } from '../helpers/factories'

describe('the dashboard on the demo data', () => {
  const suite = browserSuite({ now: '2026-11-23T10:00:00Z' })

  before(async () => {
    await seedDemoData(suite.services, () => undefined)
  })

  it('is short at 1280 px and says each headline once', async (context) => {
    // The demo's QA account, with an authenticator app as QA must have (set up here, as its owner would).
    const demoQa = await UserModel.findOne({ email: 'qa@demo.family-voice' }).lean()
    await enrolAuthenticator(demoQa!._id)
    const { context: browserContext, page } = await suite.signedIn(demoQa!, {
      viewport: DESKTOP,
      password: DEMO_PASSWORD,
    })
    await page.goto(`${suite.baseUrl}/reports`)
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
