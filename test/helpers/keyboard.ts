/** In Chromium: moving through a page as a keyboard user does. */
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'

/**
 * Presses Tab until the focused element matches `selector`; fails if it takes more than `presses`
 * presses (how far a keyboard user may reasonably have to go).
 */
export async function tabTo(page: Page, selector: string, presses: number): Promise<void> {
  for (let pressed = 0; pressed < presses; pressed++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  assert.fail(`${selector} cannot be reached with the Tab key in ${presses} presses`)
}
