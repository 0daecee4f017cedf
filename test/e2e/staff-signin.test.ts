/**
 * Staff sign-in and admin pages in Chromium: sign in with the keyboard alone, reach the staff home
 * and the admin pages; every page passes axe (WCAG 2.2 AA rules), fits 320px and breaks no CSP rule.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { recordAudit } from '../../server/audit/auditEvent'
import type { User } from '../../server/staff/user'
import { checkPage } from '../helpers/browser'
import { enterCodeIfAsked } from '../helpers/browserSignIn'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, createUser, currentCode, TEST_PASSWORD } from '../helpers/factories'
import { tabTo } from '../helpers/keyboard'

/** The most Tab presses that may reach a field. */
const PRESSES = 15

describe('staff sign-in and admin pages in a browser', () => {
  const suite = browserSuite()
  let admin: User

  before(async () => {
    const north = await createTeam('Locality North', 'Locality')
    await createTeam('Through Care South', 'Through Care')
    admin = await createUser({ role: 'admin', name: 'Ada Admin', email: 'ada.admin@council.example' })
    await createUser({ role: 'practitioner', teams: [north], name: 'Pat Practitioner' })
    await recordAudit(suite.clock.now(), {
      actorLabel: 'a.very.long.email.address.for.testing@children.services.council.example',
      action: 'report.exported',
      target: 'report closure-family 2020-21-Q4 Locality North',
      detail: 'CSV with free text',
    })
  })

  it('signs in with the keyboard alone and reaches the staff home and admin', async () => {
    const { context, page } = await suite.open({ viewport: { width: 1024, height: 768 } })
    await page.goto(`${suite.baseUrl}/admin/users`)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    assert.equal(await page.title(), 'Sign in – Family Voice')

    await tabTo(page, '#email', PRESSES)
    await page.keyboard.type(admin.email)
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password')
    await page.keyboard.type(TEST_PASSWORD)
    await page.keyboard.press('Enter')
    // Admins enter the code from their authenticator app next, with the keyboard too.
    await page.waitForURL(`${suite.baseUrl}/sign-in/code`)
    await tabTo(page, '#code', PRESSES)
    await page.keyboard.type(await currentCode(admin, suite.clock))
    await page.keyboard.press('Enter')
    await page.waitForURL(`${suite.baseUrl}/admin/users`)
    assert.equal(await page.title(), 'Staff accounts – Family Voice')

    await page.goto(`${suite.baseUrl}/staff`)
    assert.equal(await page.title(), 'Staff home – Family Voice')
    await tabTo(page, ':not([id]), [id=""]', PRESSES) // the first stop without an id
    // The admin link is reachable from the staff home page with the keyboard.
    await page.getByRole('heading', { name: 'Admin' }).getByRole('link').focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(`${suite.baseUrl}/admin`)
    assert.equal(await page.title(), 'Admin – Family Voice')

    // Sign out with the keyboard too.
    await page.getByRole('button', { name: /Sign out/ }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(`${suite.baseUrl}/sign-in?signedOut=1`)
    assert.match(await page.locator('main').innerText(), /You have signed out/)
    await context.close()
  })

  it('every sign-in and admin page passes axe and fits 320px without JavaScript', async () => {
    const { context, page } = await suite.open({ javaScriptEnabled: false })
    await page.goto(`${suite.baseUrl}/sign-in`)
    await checkPage(page, 'the sign-in page')

    await page.getByLabel('Email address').fill(admin.email)
    await page.getByLabel('Password').fill('not the right password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    assert.equal(await page.title(), 'Error: Sign in – Family Voice')
    await checkPage(page, 'the sign-in page with an error')

    await page.getByLabel('Email address').fill(admin.email)
    await page.getByLabel('Password').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await enterCodeIfAsked(page, admin, suite.clock)
    assert.equal(new URL(page.url()).pathname, '/staff')
    await checkPage(page, 'the staff home page')

    await page.goto(`${suite.baseUrl}/admin`)
    await checkPage(page, 'the admin page')
    await page.getByRole('link', { name: 'Staff accounts' }).click()
    await checkPage(page, 'the staff accounts list')

    await page.getByRole('link', { name: 'Add a user' }).click()
    await checkPage(page, 'the add-user form')
    await page.getByRole('button', { name: 'Add user' }).click()
    assert.equal(await page.title(), 'Error: Add a user – Family Voice')
    await checkPage(page, 'the add-user form with errors')
    await page.locator('.govuk-error-summary a', { hasText: 'Select a role' }).click()
    assert.equal(await page.evaluate(() => location.hash), '#role')

    await page.getByLabel('Email address').fill('new.person@council.example')
    await page.getByLabel('Full name').fill('New Person')
    await page.getByLabel('Practitioner').check()
    await page.getByLabel('Locality North').check()
    await page.getByRole('button', { name: 'Add user' }).click()
    assert.equal(await page.title(), 'User added – Family Voice')
    assert.match(await page.locator('#new-password').innerText(), /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/)
    await checkPage(page, 'the password shown once')

    await page.getByRole('link', { name: 'Back to New Person' }).click()
    await checkPage(page, 'the change-user page')

    await page.goto(`${suite.baseUrl}/admin/teams`)
    await checkPage(page, 'the teams list')
    await page.getByRole('link', { name: 'Add a team' }).click()
    await page.getByRole('button', { name: 'Add team' }).click()
    await checkPage(page, 'the add-team form with errors')
    await page.goto(`${suite.baseUrl}/admin/teams`)
    await page.getByRole('link', { name: /Locality North/ }).click()
    await checkPage(page, 'the change-team page')

    await page.goto(`${suite.baseUrl}/admin/audit`)
    await checkPage(page, 'the audit trail')
    await page.goto(`${suite.baseUrl}/admin/audit?from=2026-02-30`)
    await checkPage(page, 'the audit trail with a filter error')
    await context.close()
  })

  it('broke no Content Security Policy rule', () => {
    assert.deepEqual(suite.problems, [])
  })
})
