/**
 * The family journeys in Chromium at 320px wide: opening a personal link, the survey page (with an
 * error round), and the thank-you page, with and without JavaScript. Every page must pass axe
 * (WCAG 2.2 AA rules), fit 320px without sideways scrolling, and break no CSP rule.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { ResponseModel } from '../../server/responses/response'
import { CommentModel } from '../../server/comments/comment'
import type { Team } from '../../server/teams/team'
import { checkAccessibility, checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, issueInvitation } from '../helpers/factories'

describe('family journeys in a browser at 320px', () => {
  const suite = browserSuite()
  let team: Team

  before(async () => {
    team = await createTeam('Locality North', 'Locality')
  })

  it('closure-family without JavaScript: link, survey page, an error round, thank-you', async () => {
    const { token, invitationId } = await issueInvitation(suite.services, team, {
      surveyId: 'closure-family',
    })
    const { context, page } = await suite.open({ javaScriptEnabled: false })

    await page.goto(`${suite.baseUrl}/s/${token}`)
    assert.equal(page.url(), `${suite.baseUrl}/survey`, 'the token is gone from the address')
    assert.equal(await page.title(), 'Your experience of our service – Family Voice')
    assert.equal(await page.locator('.govuk-caption-m').innerText(), 'From Locality North')
    await checkPage(page, 'the closure-family survey page')

    // Sending nothing is an error: the summary links to the first question.
    await page.getByRole('button', { name: 'Send your answers' }).click()
    assert.equal(await page.title(), 'Error: Your experience of our service – Family Voice')
    const summaryLink = page.locator('.govuk-error-summary a')
    assert.equal(await summaryLink.innerText(), 'Answer at least one question before you send your answers')
    await checkPage(page, 'the closure-family survey page with an error')
    await summaryLink.click()
    assert.equal(await page.evaluate(() => location.hash), '#q-share-views')

    // Answer by clicking labels and by keyboard.
    await page.locator('label[for="q-share-views"]').click()
    await page
      .getByRole('group', { name: 'Did your worker speak to your child and listen to what they had to say?' })
      .getByLabel('Not applicable')
      .check()
    await page.locator('#q-right-people').focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowDown') // "Partly"
    await page
      .getByRole('group', { name: 'Could you get hold of your worker when you needed to?' })
      .getByLabel('Sometimes')
      .check()
    await page
      .getByLabel('What went well while we were working with you?')
      .pressSequentially('Always called back.')
    await page.getByRole('button', { name: 'Send your answers' }).click()

    assert.equal(page.url(), `${suite.baseUrl}/survey/thank-you`)
    assert.equal(await page.locator('h1').innerText(), 'Thank you')
    assert.match(
      await page.locator('main').innerText(),
      /If you are worried about a child's safety right now, call 999/,
    )
    await checkPage(page, 'the closure-family thank-you page')

    const response = await ResponseModel.findOne({ invitationId }).lean()
    assert.deepEqual(response?.answers, [
      { question: 'share-views', answer: 'yes' },
      { question: 'child-listened', answer: 'not-applicable' },
      { question: 'right-people', answer: 'partly' },
      { question: 'reach-worker', answer: 'sometimes' },
    ])
    assert.equal(response?.mode, 'online')
    assert.equal(
      (await CommentModel.findOne({ responseId: response!._id }).lean())?.text,
      'Always called back.',
    )

    // The used link now gets the kind "already answered" page.
    await page.goto(`${suite.baseUrl}/s/${token}`)
    assert.equal(await page.locator('h1').innerText(), 'This survey has already been answered')
    await checkPage(page, 'the used-link page')
    await context.close()
  })

  it('closure-young-person with JavaScript: faces, keyboard only, thank-you', async () => {
    const { token, invitationId } = await issueInvitation(suite.services, team, {
      surveyId: 'closure-young-person',
    })
    const { context, page } = await suite.open()

    await page.goto(`${suite.baseUrl}/s/${token}`)
    assert.equal(page.url(), `${suite.baseUrl}/survey`)
    assert.equal(await page.locator('body.app-child-friendly').count(), 1)
    // Faces are decoration: the accessible name of each answer is its words.
    assert.equal(await page.getByRole('radio', { name: 'Not sure' }).count(), 3)
    assert.equal(
      await page
        .locator('img.app-face')
        .first()
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
      40,
    )
    await checkPage(page, 'the closure-young-person survey page')

    await page.locator('#q-listened').focus()
    await page.keyboard.press('Space') // "Yes"
    // With JavaScript each question starts with its "Listen" button, then its answers.
    await page.keyboard.press('Tab')
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Listen: /)
    await page.keyboard.press('Tab') // to the next question's radios
    await page.keyboard.press('ArrowDown') // "Not sure"
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space') // "Yes"
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.type('The worker was kind to me.')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter') // "Send your answers"
    await page.waitForURL(`${suite.baseUrl}/survey/thank-you`)

    assert.equal(await page.locator('h1').innerText(), 'Thank you')
    assert.match(await page.locator('main').innerText(), /Childline for free, any time, on 0800 1111/)
    await checkPage(page, 'the closure-young-person thank-you page')

    const response = await ResponseModel.findOne({ invitationId }).lean()
    assert.deepEqual(response?.answers, [
      { question: 'listened', answer: 'yes' },
      { question: 'understood', answer: 'not-sure' },
      { question: 'helped', answer: 'yes' },
    ])
    assert.equal(response?.respondent, 'child-young-person')
    assert.equal(
      (await CommentModel.findOne({ responseId: response!._id }).lean())?.text,
      'The worker was kind to me.',
    )
    await context.close()
  })

  it('hides a question that does not apply when JavaScript runs, and shows it with a hint when not', async () => {
    const condition = '[data-show-if-question="q-views-heard"]'
    const withScript = await suite.open()
    const first = await issueInvitation(suite.services, team, { surveyId: 'cla-review-family' })
    await withScript.page.goto(`${suite.baseUrl}/s/${first.token}`)
    assert.equal(await withScript.page.locator(condition).isVisible(), false)
    await withScript.page
      .getByRole('group', { name: 'Were your views listened to at the review?' })
      .getByLabel('No')
      .check()
    assert.equal(await withScript.page.locator(condition).isVisible(), true)
    await checkPage(withScript.page, 'the cla-review-family page with the follow-up question shown')
    await withScript.page
      .getByRole('group', { name: 'Were your views listened to at the review?' })
      .getByLabel('Yes')
      .check()
    assert.equal(await withScript.page.locator(condition).isVisible(), false)
    await withScript.context.close()

    const withoutScript = await suite.open({ javaScriptEnabled: false })
    const second = await issueInvitation(suite.services, team, { surveyId: 'cla-review-family' })
    await withoutScript.page.goto(`${suite.baseUrl}/s/${second.token}`)
    assert.equal(await withoutScript.page.locator(condition).isVisible(), true)
    assert.match(
      await withoutScript.page.locator(condition).innerText(),
      /Only answer this if you answered “Partly” or “No” to the question above\./,
    )
    await checkPage(withoutScript.page, 'the cla-review-family page without JavaScript')
    await withoutScript.context.close()
  })

  it('keeps the other public pages accessible at 320px: home, privacy, unknown link, no session', async () => {
    const { context, page } = await suite.open({ javaScriptEnabled: false })
    for (const [path, where] of [
      ['/', 'the home page'],
      ['/privacy', 'the privacy page'],
      [`/s/${'A'.repeat(43)}`, 'the unknown-link page'],
      ['/survey', 'the no-session page'],
    ] as const) {
      await page.goto(`${suite.baseUrl}${path}`)
      await checkPage(page, where)
    }
    await context.close()
  })

  it('the accessibility check can fail, with and without JavaScript (a page with known problems)', async () => {
    const bad = '<html><body><img src="/x.png"><a href="/"></a></body></html>'
    const wide =
      '<html lang="en"><head><title>Wide</title></head><body><main><h1>Wide</h1><p style="width:600px">x</p></main></body></html>'
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await suite.open({ javaScriptEnabled })
      await page.route(`${suite.baseUrl}/canary`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: bad }),
      )
      await page.goto(`${suite.baseUrl}/canary`)
      const violations = await checkAccessibility(page)
      assert.deepEqual(
        violations.map((violation) => violation.id).sort(),
        ['document-title', 'html-has-lang', 'image-alt', 'link-name'],
        `with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`,
      )
      await assert.rejects(
        checkPage(page, 'the canary page'),
        /axe found 4 accessibility problem\(s\) on the canary page:[\s\S]*\nimage-alt \(critical\): Images must have alternative text\n {2}https:\/\/dequeuniversity\.com\/[\s\S]*\n {2}at img: <img src="\/x\.png">/,
      )
      await page.route(`${suite.baseUrl}/wide`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: wide }),
      )
      await page.goto(`${suite.baseUrl}/wide`)
      await assert.rejects(
        checkPage(page, 'the wide page'),
        /the wide page is 6\d\dpx wide in a 320px window: something overflows sideways/,
      )
      await context.close()
    }
  })

  it('saw no script errors and no CSP violations on any page', () => {
    assert.deepEqual(suite.problems, [])
  })
})
