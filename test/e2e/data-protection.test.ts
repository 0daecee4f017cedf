/**
 * The data-protection admin pages in Chromium with JavaScript off: finding a case, its summary,
 * the erase confirmation with and without the box ticked, the erased page, the retention
 * schedule and the privacy notice all pass axe (WCAG 2.2 AA) and fit 320px.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { applyScheduleNow } from '../../server/dataProtection/applySchedule'
import { InvitationModel } from '../../server/invitations/invitation'
import { checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, createUser } from '../helpers/factories'
import { emailInvitation, recordWithCaseRef } from '../integration/data-protection-fixtures'

describe('data protection pages in a browser', () => {
  const suite = browserSuite()

  before(async () => {
    const team = await createTeam('Locality North')
    await emailInvitation(suite.testApp, team, {
      caseRef: 'LCS-448812',
      email: 'sam@family.example',
      name: 'Sam',
    })
    await recordWithCaseRef(
      suite.testApp,
      team,
      'LCS-448812',
      { 'share-views': 'yes' },
      { 'went-well': 'Kind' },
    )
    await applyScheduleNow(suite.services, 'test')
  })

  it('finding, reviewing and erasing a case, and the retention schedule, pass axe at 320px', async () => {
    const admin = await createUser({ role: 'admin' })
    const { context, page } = await suite.signedIn(admin, { javaScriptEnabled: false })
    await page.goto(`${suite.baseUrl}/admin`)
    await page.getByRole('link', { name: 'Records for a case' }).click()
    await checkPage(page, 'the case records form')

    await page.getByRole('button', { name: 'Find records' }).click()
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the case reference/)
    await checkPage(page, 'the case records form with an error')

    await page.getByLabel('Case reference').fill('LCS-448812')
    await page.getByRole('button', { name: 'Find records' }).click()
    assert.match(await page.locator('h1').innerText(), /Records for case LCS-448812/)
    await checkPage(page, 'the case summary')

    await page.getByRole('button', { name: 'Erase' }).click()
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Tick the box to confirm/)
    await checkPage(page, 'the case summary with an error')

    await page.getByLabel('Yes, erase the personal data held for case LCS-448812').check()
    await page.getByRole('button', { name: 'Erase' }).click()
    assert.match(await page.locator('h1').innerText(), /Case erased/)
    await checkPage(page, 'the case erased page')
    assert.equal(await InvitationModel.countDocuments({ caseRef: 'LCS-448812' }), 0)

    await page.goto(`${suite.baseUrl}/admin/retention`)
    assert.match(await page.locator('main').innerText(), /What it removed/)
    await checkPage(page, 'the retention schedule')

    await page.goto(`${suite.baseUrl}/privacy`)
    assert.match(await page.locator('main').innerText(), /0303 123 1113/)
    await checkPage(page, 'the privacy notice')
    await context.close()
  })
})
