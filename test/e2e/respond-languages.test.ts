/**
 * The family journeys in other languages, in Chromium at 320px, by keyboard only, with and without
 * JavaScript: closure-family in English, Welsh and Arabic (right to left) and closure-young-person
 * in Polish. Every page passes axe (WCAG 2.0 A/AA, 2.1 AA, 2.2 AA) and fits 320px without sideways
 * scrolling. On a 360×640 phone the first question is on the first screen.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ResponseModel } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import { checkPage, launchBrowser, newContext, serve, type Served } from '../helpers/browser'
import { createTeam, issueInvitation } from '../helpers/factories'
import { startTestApp, type TestApp } from '../helpers/testApp'

const NARROW = { width: 320, height: 640 }
const PHONE = { width: 360, height: 640 }

/** Presses Tab until the focused element matches `selector` (a keyboard user's way there). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

interface Journey {
  survey: 'closure-family' | 'closure-young-person'
  lang: 'en' | 'cy' | 'ar' | 'pl'
  dir: 'ltr' | 'rtl'
  title: string
  thanks: string
}

const JOURNEYS: Journey[] = [
  {
    survey: 'closure-family',
    lang: 'en',
    dir: 'ltr',
    title: 'Your experience of our service',
    thanks: 'Thank you',
  },
  {
    survey: 'closure-family',
    lang: 'cy',
    dir: 'ltr',
    title: "Eich profiad o'n gwasanaeth",
    thanks: 'Diolch',
  },
  { survey: 'closure-family', lang: 'ar', dir: 'rtl', title: 'تجربتك مع خدمتنا', thanks: 'شكرًا لك' },
  {
    survey: 'closure-young-person',
    lang: 'pl',
    dir: 'ltr',
    title: 'Powiedz nam, co myślisz',
    thanks: 'Dziękujemy',
  },
]

describe('family journeys in other languages, by keyboard, at 320px', () => {
  let t: TestApp
  let served: Served
  let browser: Browser
  let team: Team

  before(async () => {
    t = await startTestApp({ env: { FAMILY_LANGUAGES: 'cy,pl,ar' } })
    served = await serve(t.app)
    browser = await launchBrowser()
    team = await createTeam('Locality North', 'Locality')
  })
  after(async () => {
    await browser?.close()
    await served?.close()
    await t.close()
  })

  for (const journey of JOURNEYS) {
    for (const javaScriptEnabled of [false, true]) {
      const where = `${journey.survey} in ${journey.lang} ${javaScriptEnabled ? 'with' : 'without'} JavaScript`
      it(where, async () => {
        const { token, invitationId } = await issueInvitation(t.services, team, { surveyId: journey.survey })
        const context = await newContext(browser, { viewport: NARROW, javaScriptEnabled })
        const page = await context.newPage()
        await page.goto(`${served.baseUrl}/s/${token}`)
        assert.equal(page.url(), `${served.baseUrl}/survey`)
        await checkPage(page, `the first screen of ${where}`)

        if (journey.lang !== 'en') {
          // The language link, reached and followed by keyboard.
          await tabTo(page, `a[hreflang="${journey.lang}"]`)
          await page.keyboard.press('Enter')
          await page.waitForURL(`${served.baseUrl}/survey?lang=${journey.lang}`)
        }
        const html = page.locator('html')
        assert.equal(await html.getAttribute('lang'), journey.lang)
        assert.equal(await html.getAttribute('dir'), journey.dir)
        assert.equal(await page.locator('h1').innerText(), journey.title)
        await checkPage(page, `the survey page of ${where}`)

        // First question: the first answer; the next: the second; then the free text; then send.
        const first = journey.survey === 'closure-family' ? 'share-views' : 'listened'
        await tabTo(page, `#q-${first}`)
        await page.keyboard.press('Space')
        // With JavaScript, the next question's Listen button comes before its answers.
        await tabTo(page, 'input[type="radio"]')
        await page.keyboard.press('ArrowDown')
        const freeText = journey.survey === 'closure-family' ? '#q-went-well' : '#q-anything-else'
        await tabTo(page, freeText)
        await page.keyboard.type('Dziękuję / Diolch / شكرا')
        await tabTo(page, 'button[type="submit"]')
        await page.keyboard.press('Enter')
        await page.waitForURL(`${served.baseUrl}/survey/thank-you`)

        assert.equal(await html.getAttribute('lang'), journey.lang)
        assert.equal(await html.getAttribute('dir'), journey.dir)
        assert.equal(await page.locator('h1').innerText(), journey.thanks)
        await checkPage(page, `the thank-you page of ${where}`)
        // The footer's "how we use your answers", in the same language.
        await tabTo(page, 'footer a[href^="/privacy"]')
        await page.keyboard.press('Enter')
        await page.waitForURL(/\/privacy/)
        assert.equal(await html.getAttribute('lang'), journey.lang)
        assert.equal(await html.getAttribute('dir'), journey.dir)
        await checkPage(page, `the privacy page of ${where}`)

        const response = await ResponseModel.findOne({ invitationId }).lean()
        assert.equal(response?.language, journey.lang)
        assert.equal(response?.answers[0]?.answer, 'yes')
        assert.equal(response?.answers.length, 2)
        await context.close()
      })
    }
  }

  it('shows the first question on the first screen of a 360×640 phone, in English and right to left', async () => {
    for (const [survey, lang] of [
      ['closure-family', 'en'],
      ['closure-family', 'ar'],
      ['closure-young-person', 'en'],
      ['closure-young-person', 'pl'],
    ] as const) {
      const { token } = await issueInvitation(t.services, team, { surveyId: survey })
      const context = await newContext(browser, { viewport: PHONE, javaScriptEnabled: false })
      const page = await context.newPage()
      await page.goto(`${served.baseUrl}/s/${token}?lang=${lang}`)
      const question = await page.locator('fieldset').first().locator('legend').boundingBox()
      const answer = await page.locator('.govuk-radios__item').first().boundingBox()
      assert.ok(question && answer, `${survey} ${lang}: the first question is on the page`)
      assert.ok(
        answer.y + answer.height <= PHONE.height,
        `${survey} in ${lang}: the first answer ends at ${Math.round(answer.y + answer.height)}px, below the 640px screen`,
      )
      // Before the first question: at most 60 words (the collapsed "How we use your answers" is one line).
      const words = await page.evaluate(() => {
        const main = document.querySelector('main')!
        const fieldset = document.querySelector('fieldset')!
        const range = document.createRange()
        range.setStart(main, 0)
        range.setEndBefore(fieldset)
        const copy = range.cloneContents()
        copy.querySelectorAll('.govuk-details__text, nav, input').forEach((node) => node.remove())
        return (copy.textContent ?? '').split(/\s+/).filter(Boolean).length
      })
      assert.ok(words <= 60, `${survey} in ${lang}: ${words} words before the first question`)
      await context.close()
    }
  })
})
