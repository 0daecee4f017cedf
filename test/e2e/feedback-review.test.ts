/**
 * QA's free text journey in Chromium at 320px: sign in, review the queue, approve a comment with a
 * redaction, then open Needs attention and acknowledge a safeguarding flag. Every page must pass
 * axe (WCAG 2.2 AA rules), fit 320px without sideways scrolling, and break no CSP rule.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { CommentModel } from '../../server/comments/comment'
import type { User } from '../../server/staff/user'
import { checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, createUser } from '../helpers/factories'
import { giveResponse, setDutyEmail } from '../integration/feedback-fixtures'

describe('free text review and needs attention in a browser', () => {
  const suite = browserSuite()
  let qaUser: User

  before(async () => {
    const team = await createTeam('Locality North', 'Locality')
    await setDutyEmail(team, 'north-duty@council.example')
    qaUser = await createUser({ role: 'qa', name: 'Quinn Assure', email: 'quinn@council.example' })
    for (const [question, text, submittedAt] of [
      ['went-well', 'Sarah Smith was brilliant with my son <b>Tom</b>', '2026-11-20T10:00:00Z'],
      ['do-better', "he hit me and I'm scared", '2026-11-22T10:00:00Z'],
    ] as const) {
      await giveResponse(suite.testApp, team, { texts: { [question]: text }, submittedAt })
    }
  })

  it('signs in, approves with a redaction and acknowledges a flag', async () => {
    const { context, page } = await suite.signedIn(qaUser)

    // The review queue.
    await page.goto(`${suite.baseUrl}/feedback/review`)
    assert.equal(await page.title(), 'Comments to review – Family Voice')
    await checkPage(page, 'the review queue')
    const card = page.locator('section.govuk-summary-card', { hasText: 'Sarah Smith' })
    assert.equal(
      await card.locator('.app-free-text').first().innerText(),
      'Sarah Smith was brilliant with my son <b>Tom</b>',
      'hostile markup shows as text',
    )
    const redaction = card.getByLabel('Version to quote')
    assert.equal(
      await redaction.inputValue(),
      'Sarah Smith was brilliant with my son <b>Tom</b>',
      'prefilled',
    )
    const flaggedCard = page.locator('section.govuk-summary-card', { hasText: 'he hit me' })
    assert.match(await flaggedCard.innerText(), /Safeguarding flag:\s+Open: waiting for someone to act/)
    assert.equal(await flaggedCard.getByRole('button', { name: /^Approve for quoting/ }).count(), 0)
    await redaction.fill('[Worker] was brilliant with my son [child]')
    await card.getByRole('button', { name: /^Approve for quoting/ }).click()
    await page.waitForURL(/done=approved/)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /approved for quoting/)
    await checkPage(page, 'the review queue after approving')

    const approved = await CommentModel.findOne({ question: 'went-well' }).lean()
    assert.equal(approved?.review.status, 'approved')
    assert.equal(approved?.review.redactedText, '[Worker] was brilliant with my son [child]')
    assert.equal(approved?.text, 'Sarah Smith was brilliant with my son <b>Tom</b>')
    assert.equal(String(approved?.review.reviewedBy), String(qaUser._id))

    // The approved filter shows what will be quoted.
    await page.getByLabel('Status').selectOption('approved')
    await page.getByRole('button', { name: 'Show comments' }).click()
    await page.waitForURL(/status=approved/)
    assert.match(
      await page.locator('main').innerText(),
      /Quoted as\s+\[Worker\] was brilliant with my son \[child\]/,
    )
    await checkPage(page, 'approved comments')

    // Needs attention: the list, the flag, acknowledge it.
    await page.getByRole('link', { name: 'Needs attention' }).click()
    await page.waitForURL(/\/feedback\/attention$/)
    await checkPage(page, 'needs attention')
    assert.match(await page.locator('main').innerText(), /Waiting for someone to act \(1\)/)
    await page.getByRole('link', { name: /^Open flag for Locality North/ }).click()
    await page.waitForURL(/\/feedback\/attention\/[0-9a-f]{24}$/)
    await checkPage(page, 'a flagged comment')
    assert.match(await page.locator('main').innerText(), /he hit me and I'm scared/)
    await page.getByLabel('What was done', { exact: true }).fill('Rang the duty social worker')
    await page.getByLabel('Who was told', { exact: true }).fill('Duty manager')
    await page.getByRole('button', { name: /^Acknowledge/ }).click()
    await page.waitForURL(/done=acknowledged/)
    const list = await page.locator('main').innerText()
    assert.match(list, /Waiting for someone to act \(0\)/)
    assert.match(list, /Acknowledged by Quinn Assure/)
    await checkPage(page, 'needs attention after acknowledging')

    const flagged = await CommentModel.findOne({ question: 'do-better' }).lean()
    assert.equal(String(flagged?.flag?.acknowledgedBy), String(qaUser._id))
    assert.ok(flagged?.flag?.acknowledgedAt)
    assert.equal(flagged?.flag?.acknowledgementNote, 'Rang the duty social worker')

    // The export form, and its error round.
    await page.goto(`${suite.baseUrl}/feedback/export`)
    await checkPage(page, 'the export form')
    await page.getByLabel('Period').fill('last quarter')
    await page.getByRole('button', { name: 'Download CSV' }).click()
    await page.waitForSelector('.govuk-error-summary')
    await checkPage(page, 'the export form with errors')

    await context.close()
    assert.deepEqual(suite.problems, [])
  })
})
