/**
 * Changing your own password in Chromium: the form, its errors and the confirmation pass axe
 * (WCAG 2.2 AA rules) and fit 320px, with JavaScript off.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { User } from '../../server/staff/user'
import { checkPage, clickAndLoad } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createUser, TEST_PASSWORD } from '../helpers/factories'

describe('changing your own password in a browser', () => {
  const suite = browserSuite()
  let user: User

  before(async () => {
    user = await createUser({ role: 'qa', name: 'Quinn QA' })
  })

  it('the form, an error and the confirmation pass axe at 320px', async () => {
    const { context, page } = await suite.signedIn(user, { javaScriptEnabled: false })
    await page.getByRole('link', { name: 'Change your password' }).click()
    assert.equal(await page.title(), 'Change your password – Family Voice')
    await checkPage(page, 'the change password form')

    await page.getByLabel('Current password').fill(TEST_PASSWORD)
    await page.getByLabel('New password', { exact: true }).fill('a kettle sings on the hob')
    await page.getByLabel('New password again').fill('a kettle sings on the stove')
    await clickAndLoad(page, page.getByRole('button', { name: 'Change password' }))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the same new password twice/)
    await checkPage(page, 'the change password form with an error')

    await page.getByLabel('Current password').fill(TEST_PASSWORD)
    await page.getByLabel('New password', { exact: true }).fill('a kettle sings on the hob')
    await page.getByLabel('New password again').fill('a kettle sings on the hob')
    await page.getByRole('button', { name: 'Change password' }).click()
    assert.equal(new URL(page.url()).pathname, '/staff')
    assert.match(await page.locator('main').innerText(), /Your password has been changed/)
    await checkPage(page, 'the staff home after changing the password')
    await context.close()
  })
})
