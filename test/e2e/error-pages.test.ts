/**
 * The pages nobody hopes to see, in Chromium at 320px with axe: 403 (a form without its CSRF
 * token), 404, 429 (too many unusable survey links) and 500 (a route that throws), and the
 * feedback comment page a reviewer reads one comment on.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { CommentModel } from '../../server/comments/comment'
import { LINK_LIMIT } from '../../server/respond/linkLimiter'
import { checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, createUser } from '../helpers/factories'
import { giveResponse } from '../integration/feedback-fixtures'

describe('error pages and the comment page in a browser', () => {
  const suite = browserSuite()

  before(() => {
    // A route that fails, placed before the app's 404 and error handlers, so the real 500 page answers.
    const { app } = suite.testApp
    const router = (app as unknown as { router: { stack: unknown[] } }).router
    app.get('/test-only/fails', () => {
      throw new Error('a failure made by the test')
    })
    const failing = router.stack.pop()
    router.stack.splice(router.stack.length - 2, 0, failing)
  })

  it('404, 403, 500 and 429 pass axe and fit 320px, with and without JavaScript', async () => {
    for (const javaScriptEnabled of [false, true]) {
      const { context, page } = await suite.open({ javaScriptEnabled })
      const where = (what: string) => `${what} (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`

      const missing = await page.goto(`${suite.baseUrl}/no-such-page`)
      assert.equal(missing?.status(), 404)
      await checkPage(page, where('the 404 page'))

      // A form posted without its CSRF token, as after a session ended in another tab.
      await page.route(`${suite.baseUrl}/test-only/stale-form`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<form method="post" action="/sign-in"><button>Send</button></form>',
        }),
      )
      await page.goto(`${suite.baseUrl}/test-only/stale-form`)
      const [forbidden] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/sign-in')),
        page.getByRole('button', { name: 'Send' }).click(),
      ])
      assert.equal(forbidden.status(), 403)
      await checkPage(page, where('the 403 page'))

      const failed = await page.goto(`${suite.baseUrl}/test-only/fails`)
      assert.equal(failed?.status(), 500)
      assert.doesNotMatch(await page.locator('main').innerText(), /a failure made by the test/)
      await checkPage(page, where('the 500 page'))
      await context.close()
    }

    // Unusable links from this address until the limiter answers 429 (the browser shares it).
    const { context, page } = await suite.open({ javaScriptEnabled: false })
    for (let i = 0; i < LINK_LIMIT; i++) await fetch(`${suite.baseUrl}/s/${'A'.repeat(43)}`)
    const limited = await page.goto(`${suite.baseUrl}/s/${'B'.repeat(43)}`)
    assert.equal(limited?.status(), 429)
    assert.equal(await page.locator('h1').innerText(), 'Too many attempts')
    await checkPage(page, 'the 429 page')
    await context.close()
  })

  it('the comment page passes axe and fits 320px without JavaScript', async () => {
    const team = await createTeam('Locality North', 'Locality')
    const qa = await createUser({ role: 'qa', email: 'quinn@council.example' })
    const response = await giveResponse(suite.testApp, team, {
      texts: { 'went-well': 'The worker listened to us.' },
    })
    const comment = await CommentModel.findOne({ responseId: response._id }).lean()
    const { context, page } = await suite.signedIn(qa, { javaScriptEnabled: false })
    await page.goto(`${suite.baseUrl}/feedback/review/${String(comment!._id)}`)
    assert.equal(await page.locator('h1').innerText(), 'Review a comment')
    await checkPage(page, 'the comment page')
    await context.close()
  })
})
