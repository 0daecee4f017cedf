/**
 * QA reads the reports in Chromium: sign in, open the dashboard and the quarterly report. Every page
 * passes axe (WCAG 2.2 AA rules) and fits 320px; with JavaScript the charts draw on a canvas, and
 * without it the same numbers are in the tables. No CSP rule may be broken.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { User } from '../../server/staff/user'
import { checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { addDashboardResponses } from '../helpers/dashboardResponses'
import { createUser } from '../helpers/factories'

const Q = 'survey=closure-family&period=2020-21-Q4'

describe('reports in a browser', () => {
  const suite = browserSuite({ failedResponses: true })
  let qaUser: User

  before(async () => {
    // Get Safe, a small team, makes the page show "fewer than 5" and "hidden".
    await addDashboardResponses(suite.services)
    qaUser = await createUser({ role: 'qa', name: 'Quinn Assure', email: 'quinn.reports@council.example' })
  })

  it('shows the dashboard with charts drawn from the same numbers as the tables', async () => {
    const { context, page } = await suite.signedIn(qaUser)
    await page.goto(`${suite.baseUrl}/reports`)
    // Choose the period with the form, as a person would.
    await page.getByText('Choose your own dates instead').click()
    // One GOV.UK date input pattern for every date a person types: day, month and year boxes.
    const from = page.getByRole('group', { name: 'From' })
    await from.getByLabel('Day').fill('1')
    await from.getByLabel('Month').fill('1')
    await from.getByLabel('Year').fill('2021')
    const to = page.getByRole('group', { name: 'To (inclusive)' })
    await to.getByLabel('Day').fill('31')
    await to.getByLabel('Month').fill('3')
    await to.getByLabel('Year').fill('2021')
    await page.getByRole('button', { name: 'Show results' }).click()
    await page.waitForURL(/from-year=2021/)
    assert.match(
      await page.locator('#lead').innerText(),
      /^63 families gave us feedback following closure from 1 Jan 2021 to 31 Mar 2021$/,
    )
    await page.goto(`${suite.baseUrl}/reports?${Q}`)
    assert.equal(await page.title(), 'Reports – Family Voice')
    assert.equal(
      await page.locator('#lead').innerText(),
      '63 families gave us feedback following closure in 2020/21 Q4',
    )
    await page.locator('[data-chart] canvas').first().waitFor()
    assert.equal(await page.locator('[data-chart] canvas').count(), 3, 'trend, months and teams charts')
    assert.equal(
      await page.locator('[data-chart="trend-chart-data"] canvas').getAttribute('aria-label'),
      'Positive answers in the last eight quarters. The same numbers are in the table below.',
    )
    assert.equal(await page.locator('#by-team td', { hasText: 'fewer than 5' }).count(), 1)
    await checkPage(page, 'the dashboard')

    await page.getByRole('link', { name: 'Quarterly report for printing' }).click()
    await page.waitForURL(/\/reports\/quarterly\?/)
    assert.match(
      await page.title(),
      /^Case closure: parent or carer \(closure-family\), 2020\/21 Q4 – Family Voice$/,
    )
    assert.match(
      await page.locator('#lead').innerText(),
      /^63 families gave us feedback following closure in 2020\/21 Q4, they told us:$/,
    )
    await checkPage(page, 'the quarterly report')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('.app-navigation').isVisible(), false, 'no menu on paper')
    await context.close()
    assert.deepEqual(suite.problems, [])
  })

  it('works without JavaScript: no charts, every number in the tables', async () => {
    const { context, page } = await suite.signedIn(qaUser, { javaScriptEnabled: false })
    await page.goto(`${suite.baseUrl}/reports?${Q}`)
    assert.equal(await page.locator('canvas').count(), 0)
    assert.equal(
      await page.locator('[data-chart]').first().isVisible(),
      false,
      'empty chart boxes take no space',
    )
    const trendHeader = await page.locator('#trend thead th').allInnerTexts()
    assert.deepEqual(trendHeader.slice(-3), ['2020/21 Q2', '2020/21 Q3', '2020/21 Q4'])
    const shareViews = page.locator('#trend tbody tr', { hasText: 'share your views' })
    assert.deepEqual((await shareViews.locator('td').allInnerTexts()).slice(-3), [
      '90% (30)',
      '90% (30)',
      '90% (63)',
    ])
    const teams = await page.locator('#by-team thead th').allInnerTexts()
    assert.deepEqual(teams, ['Question', 'Family Front Door', 'Get Safe', 'Locality North'])
    await checkPage(page, 'the dashboard without JavaScript')
    await context.close()
    assert.deepEqual(suite.problems, [])
  })
})
