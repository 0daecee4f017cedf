/**
 * The Board report printed by Chromium to A4 (page.pdf, the same print engine as the browser's
 * print menu): the PDF's pages are read back as text. Every page has the council's name, "Page N
 * of M" and the date produced, from CSS margin boxes; the first page is not left half empty; no
 * menu or links are printed; the eight quarters' table is not cut off at the page edge.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import type { User } from '../../server/staff/user'
import { launchBrowser, newContext, serve, type Served } from '../helpers/browser'
import { createTeam, createUser, TEST_PASSWORD } from '../helpers/factories'
import { pdfPages } from '../helpers/pdfText'
import { addResponses, answerRows } from '../helpers/reportsFixtures'
import { startTestApp, type TestApp } from '../helpers/testApp'

const Q = 'survey=closure-family&period=2020-21-Q4'
const A4 = { width: 595, height: 842 } // points

describe('the Board report printed to A4', () => {
  let t: TestApp
  let served: Served
  let browser: Browser
  let qaUser: User

  before(async () => {
    t = await startTestApp({ now: '2021-05-10T10:00:00Z' })
    t.services.config.councilName = 'Northshire "North" Council'
    served = await serve(t.app)
    browser = await launchBrowser()
    const plan = {
      'share-views': { yes: 27, partly: 3 },
      'child-listened': { yes: 20, no: 4, 'not-applicable': 6 },
      'positive-difference': { yes: 25, partly: 5 },
    }
    const teams = [
      await createTeam('Locality North', 'Locality'),
      await createTeam('Locality South', 'Locality'),
      await createTeam('Family Front Door', 'Family Front Door'),
      await createTeam('Through Care', 'Through Care'),
    ]
    const quarters = ['2019-05', '2019-08', '2019-11', '2020-02', '2020-05', '2020-08', '2020-11', '2021-02']
    for (const [index, month] of quarters.entries()) {
      await addResponses(t.services, {
        survey: 'closure-family',
        team: teams[index % teams.length]!,
        at: [`${month}-10T10:00:00Z`],
        rows: answerRows(30, plan),
      })
    }
    for (const team of teams) {
      await addResponses(t.services, {
        survey: 'closure-family',
        team,
        at: ['2021-03-03T10:00:00Z'],
        rows: answerRows(30, plan),
      })
    }
    qaUser = await createUser({ role: 'qa', name: 'Quinn Print', email: 'quinn.print@council.example' })
  })
  after(async () => {
    await browser?.close()
    await served?.close()
    await t.close()
  })

  it('prints every page with the council, "Page N of M" and the date, and a full first page', async (context) => {
    const browserContext = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    const page = await browserContext.newPage()
    await page.goto(`${served.baseUrl}/sign-in`)
    await page.getByLabel('Email address').fill(qaUser.email)
    await page.getByLabel('Password').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/staff$/)
    await page.goto(`${served.baseUrl}/reports/quarterly?${Q}`)
    const pdf = await page.pdf({ format: 'A4' })
    await browserContext.close()

    const sizes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
      Math.round(Number(m[1])),
      Math.round(Number(m[2])),
    ])
    const pages = pdfPages(pdf)
    context.diagnostic(`${pages.length} pages: ${pages.map((text) => text.length).join(', ')} characters`)
    assert.ok(pages.length >= 2, `${pages.length} pages`)
    // A4 is 595.3 × 841.9 points; Chromium rounds the page to whole CSS pixels.
    assert.equal(sizes.length, pages.length)
    for (const [width, height] of sizes) {
      assert.ok(
        Math.abs(width! - A4.width) <= 2 && Math.abs(height! - A4.height) <= 2,
        `${width} × ${height}`,
      )
    }
    pages.forEach((text, index) => {
      const where = `page ${index + 1}: ${text.slice(0, 300)}`
      assert.match(text, /Northshire "North" Council/, where)
      assert.match(text, new RegExp(`Page ${index + 1} of ${pages.length}`), where)
      assert.match(text, /Produced by Family Voice on 10 May 2021/, where)
      assert.doesNotMatch(text, /Sign out|Back to the dashboard|Skip to main content/, where)
    })
    const first = pages[0]!
    assert.match(first, /Case closure: parents and carers, 2020\/21 Q4/)
    assert.match(first, /150 families gave us feedback following closure in 2020\/21 Q4/)
    // No page break after the verdicts: the first page goes on into the trends.
    assert.match(first, /What are we worried about\?[\s\S]*Trends/)
    // Nor is a line or two left alone on the last page.
    const margins = /^.*Council\n.*2021\n/
    assert.ok(pages.at(-1)!.replace(margins, '').length > 150, `last page: ${pages.at(-1)}`)
    const all = pages.join('\n')
    for (const quarter of ['2019/20 Q1', '2019/20 Q4', '2020/21 Q3', '2020/21 Q4']) {
      assert.match(
        all,
        new RegExp(quarter.replace(' ', '\\s+')),
        `${quarter} is printed (the table is not cut off)`,
      )
    }
  })
})
