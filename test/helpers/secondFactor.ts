/** In Chromium: the code page after the password, for accounts with an authenticator app (admin and QA). */
import type { Page } from 'playwright-core'
import type { Clock } from '../../server/clock'
import type { User } from '../../server/staff/user'
import { currentCode } from './factories'

/** When the password led to "Enter the 6-digit code", types the app's current code and continues. */
export async function enterCodeIfAsked(page: Page, user: Pick<User, 'email'>, clock: Clock): Promise<void> {
  if (new URL(page.url()).pathname !== '/sign-in/code') return
  await page.getByLabel('Enter the 6-digit code').fill(await currentCode(user, clock))
  await page.getByRole('button', { name: 'Continue' }).click()
}
