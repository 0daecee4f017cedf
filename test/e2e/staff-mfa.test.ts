/**
 * Local accounts in Chromium: an admin signs in with their password, sets up an authenticator app
 * (the test reads the key shown on the page and computes the code, as the app would), signs out,
 * and signs in with password and code using the keyboard alone; "Forgotten your password?" through
 * to a new password. Every new page passes axe (WCAG 2.2 AA rules) and fits 320px, without JavaScript.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { totpCode } from '../../server/staff/mfa/totp'
import type { User } from '../../server/staff/user'
import { checkPage } from '../helpers/browser'
import { submitPassword } from '../helpers/browserSignIn'
import { browserSuite } from '../helpers/browserSuite'
import { createUser, TEST_PASSWORD } from '../helpers/factories'
import { tabTo } from '../helpers/keyboard'

/** The most Tab presses that may reach a field. */
const PRESSES = 20

describe('local accounts in a browser: authenticator app and password reset', () => {
  const suite = browserSuite()
  let admin: User

  before(async () => {
    admin = await createUser({
      role: 'admin',
      name: 'Ada Admin',
      email: 'ada.mfa@council.example',
      mfa: false,
    })
  })

  it('an admin sets up an app after their password, signs out, and signs in with password and code', async () => {
    const { context, page } = await suite.open({ javaScriptEnabled: false })
    await submitPassword(page, suite.baseUrl, admin)
    assert.equal(new URL(page.url()).pathname, '/sign-in/set-up-mfa')
    assert.equal(await page.title(), 'Set up an authenticator app – Family Voice')
    assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible())
    await checkPage(page, 'the set-up page')
    // Nothing else opens until it is set up.
    await page.goto(`${suite.baseUrl}/admin`)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    await page.goto(`${suite.baseUrl}/sign-in/set-up-mfa`)

    await page.getByText('I cannot scan the QR code').click()
    const secret = (await page.locator('#secret').innerText()).replace(/\s/g, '')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    await page.getByLabel('Enter the 6-digit code from the app').fill('000000')
    await page.getByRole('button', { name: 'Turn on' }).click()
    assert.equal(await page.title(), 'Error: Set up an authenticator app – Family Voice')
    await checkPage(page, 'the set-up page with an error')

    await page.getByLabel('Enter the 6-digit code from the app').fill(totpCode(secret, suite.clock.now()))
    await page.getByRole('button', { name: 'Turn on' }).click()
    assert.equal(await page.title(), 'Save your recovery codes – Family Voice')
    assert.equal(await page.locator('#recovery-codes li').count(), 10)
    await checkPage(page, 'the recovery codes page')
    await page.getByRole('link', { name: /I have saved my codes/ }).click()
    assert.equal(new URL(page.url()).pathname, '/staff')
    await page.getByRole('link', { name: 'Authenticator app for signing in' }).click()
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(secret.slice(0, 4)))
    await checkPage(page, 'the authenticator app page')
    await page.getByRole('button', { name: /Sign out/ }).click()
    await context.close()

    // Signing in again, with the keyboard alone: password, then the code.
    const { context: keyboard, page: again } = await suite.open({ viewport: { width: 1024, height: 768 } })
    suite.clock.set(new Date(suite.clock.now().getTime() + 30_000)) // the app shows its next code
    await again.goto(`${suite.baseUrl}/sign-in`)
    await tabTo(again, '#email', PRESSES)
    await again.keyboard.type(admin.email)
    await again.keyboard.press('Tab')
    await again.keyboard.type(TEST_PASSWORD)
    await again.keyboard.press('Enter')
    await again.waitForURL(`${suite.baseUrl}/sign-in/code`)
    assert.equal(await again.title(), 'Enter the 6-digit code – Family Voice')
    await checkPage(again, 'the code page')
    await tabTo(again, '#code', PRESSES)
    await again.keyboard.type('123 45')
    await again.keyboard.press('Enter')
    await again.locator('.govuk-error-summary').waitFor()
    assert.equal(await again.title(), 'Error: Enter the 6-digit code – Family Voice')
    await checkPage(again, 'the code page with an error')
    await tabTo(again, '#code', PRESSES)
    await again.keyboard.type(totpCode(secret, suite.clock.now()))
    await again.keyboard.press('Enter')
    await again.waitForURL(`${suite.baseUrl}/staff`)
    assert.equal(await again.title(), 'Staff home – Family Voice')
    await keyboard.close()

    // The recovery code page, from a fresh sign-in.
    const { context: recovery, page: other } = await suite.open({ javaScriptEnabled: false })
    await submitPassword(other, suite.baseUrl, admin)
    await checkPage(other, 'the code page at 320px')
    await other.getByRole('link', { name: 'Use a recovery code instead' }).click()
    assert.equal(await other.title(), 'Enter a recovery code – Family Voice')
    await checkPage(other, 'the recovery code page')
    await other.getByRole('button', { name: 'Continue' }).click()
    await checkPage(other, 'the recovery code page with an error')
    await recovery.close()
    assert.deepEqual(suite.problems, [])
  })

  it('forgotten password: ask for a link, follow it, choose a new password', async () => {
    const practitioner = await createUser({ role: 'practitioner', email: 'pat.forgot@council.example' })
    const { context, page } = await suite.open({ javaScriptEnabled: false })
    await page.goto(`${suite.baseUrl}/sign-in`)
    await page.getByRole('link', { name: 'Forgotten your password?' }).click()
    assert.equal(await page.title(), 'Reset your password – Family Voice')
    await checkPage(page, 'the forgotten password page')
    await page.getByLabel('Email address').fill('not an address')
    await page.getByRole('button', { name: 'Send the link' }).click()
    await checkPage(page, 'the forgotten password page with an error')
    await page.getByLabel('Email address').fill(practitioner.email)
    await page.getByRole('button', { name: 'Send the link' }).click()
    assert.equal(await page.title(), 'Check your email – Family Voice')
    await checkPage(page, 'the check your email page')

    // No SMTP_URL here: the email waits in the outbox, where the test reads its link.
    let text = ''
    for (let i = 0; i < 200 && !text; i++) {
      text = (await OutboxMessageModel.findOne({ to: practitioner.email }).lean())?.text ?? ''
      if (!text) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const path = /\/reset-password\/[A-Za-z0-9_-]+/.exec(text)?.[0]
    assert.ok(path, 'the email carries a reset link')
    await page.goto(`${suite.baseUrl}${path}`)
    assert.equal(new URL(page.url()).pathname, '/reset-password', 'the token leaves the address bar')
    assert.equal(await page.title(), 'Choose a new password – Family Voice')
    await checkPage(page, 'the choose a new password page')
    await page.getByLabel('New password', { exact: true }).fill('short')
    await page.getByLabel('New password again').fill('short')
    await page.getByRole('button', { name: 'Change password' }).click()
    await checkPage(page, 'the choose a new password page with an error')
    await page.getByLabel('New password', { exact: true }).fill('a heron waits by the weir')
    await page.getByLabel('New password again').fill('a heron waits by the weir')
    await page.getByRole('button', { name: 'Change password' }).click()
    assert.match(await page.locator('main').innerText(), /Your password has been changed/)

    await page.goto(`${suite.baseUrl}${path}`)
    assert.equal(await page.title(), 'That link does not work – Family Voice')
    await checkPage(page, 'the used link page')
    await context.close()
    assert.deepEqual(suite.problems, [])
  })
})
