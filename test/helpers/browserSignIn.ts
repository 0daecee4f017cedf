/** In Chromium: staff sign-in, the password and then, for accounts with an authenticator app (admin and QA), the code. */
import type { Page } from 'playwright-core'
import type { Clock } from '../../server/clock'
import type { User } from '../../server/staff/user'
import { clickAndLoad } from './browser'
import { currentCode, TEST_PASSWORD } from './factories'

/** Opens the sign-in page, types the email address and password, and sends them. */
export async function submitPassword(
  page: Page,
  baseUrl: string,
  user: Pick<User, 'email'>,
  password = TEST_PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel('Email address').fill(user.email)
  await page.getByLabel('Password').fill(password)
  await clickAndLoad(page, page.getByRole('button', { name: 'Sign in' }))
}

/** When the password led to "Enter the 6-digit code", types the app's current code and continues. */
export async function enterCodeIfAsked(page: Page, user: Pick<User, 'email'>, clock: Clock): Promise<void> {
  if (new URL(page.url()).pathname !== '/sign-in/code') return
  await page.getByLabel('Enter the 6-digit code').fill(await currentCode(user, clock))
  await clickAndLoad(page, page.getByRole('button', { name: 'Continue' }))
}

/**
 * Signs a staff member in on the sign-in page, with the app's code when their account has one,
 * and waits for the staff home page.
 */
export async function signInInBrowser(
  page: Page,
  baseUrl: string,
  user: Pick<User, 'email'>,
  clock: Clock,
  password = TEST_PASSWORD,
): Promise<void> {
  await submitPassword(page, baseUrl, user, password)
  await enterCodeIfAsked(page, user, clock)
  await page.waitForURL(/\/staff$/)
}
