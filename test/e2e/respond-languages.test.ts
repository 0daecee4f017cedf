/**
 * The family journeys in other languages, in Chromium at 320px, by keyboard only, with and without
 * JavaScript: closure-family in English, Welsh and Arabic (right to left) and closure-young-person
 * in Polish. Every page passes axe (WCAG 2.0 A/AA, 2.1 AA, 2.2 AA) and fits 320px without sideways
 * scrolling. On a 360×640 phone the first question is on the first screen.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { ResponseModel } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import { checkPage } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, issueInvitation } from '../helpers/factories'
import { tabTo } from '../helpers/keyboard'

const PHONE = { width: 360, height: 640 }
/** The most Tab presses that may reach a field or link. */
const PRESSES = 60

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
  const suite = browserSuite({ env: { FAMILY_LANGUAGES: 'cy,pl,ar' } })
  let team: Team

  before(async () => {
    team = await createTeam('Locality North', 'Locality')
  })

  for (const journey of JOURNEYS) {
    for (const javaScriptEnabled of [false, true]) {
      const where = `${journey.survey} in ${journey.lang} ${javaScriptEnabled ? 'with' : 'without'} JavaScript`
      it(where, async () => {
        const { token, invitationId } = await issueInvitation(suite.services, team, {
          surveyId: journey.survey,
        })
        const { context, page } = await suite.open({ javaScriptEnabled })
        await page.goto(`${suite.baseUrl}/s/${token}`)
        assert.equal(page.url(), `${suite.baseUrl}/survey`)
        await checkPage(page, `the first screen of ${where}`)

        if (journey.lang !== 'en') {
          // The language link, reached and followed by keyboard.
          await tabTo(page, `a[hreflang="${journey.lang}"]`, PRESSES)
          await page.keyboard.press('Enter')
          await page.waitForURL(`${suite.baseUrl}/survey?lang=${journey.lang}`)
        }
        const html = page.locator('html')
        assert.equal(await html.getAttribute('lang'), journey.lang)
        assert.equal(await html.getAttribute('dir'), journey.dir)
        assert.equal(await page.locator('h1').innerText(), journey.title)
        await checkPage(page, `the survey page of ${where}`)

        // First question: the first answer; the next: the second; then the free text; then send.
        const first = journey.survey === 'closure-family' ? 'share-views' : 'listened'
        await tabTo(page, `#q-${first}`, PRESSES)
        await page.keyboard.press('Space')
        // With JavaScript, the next question's Listen button comes before its answers.
        await tabTo(page, 'input[type="radio"]', PRESSES)
        await page.keyboard.press('ArrowDown')
        const freeText = journey.survey === 'closure-family' ? '#q-went-well' : '#q-anything-else'
        await tabTo(page, freeText, PRESSES)
        await page.keyboard.type('Dziękuję / Diolch / شكرا')
        await tabTo(page, 'button[type="submit"]', PRESSES)
        await page.keyboard.press('Enter')
        await page.waitForURL(`${suite.baseUrl}/survey/thank-you`)

        assert.equal(await html.getAttribute('lang'), journey.lang)
        assert.equal(await html.getAttribute('dir'), journey.dir)
        assert.equal(await page.locator('h1').innerText(), journey.thanks)
        await checkPage(page, `the thank-you page of ${where}`)
        // The footer's "how we use your answers", in the same language.
        await tabTo(page, 'footer a[href^="/privacy"]', PRESSES)
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
      const { token } = await issueInvitation(suite.services, team, { surveyId: survey })
      const { context, page } = await suite.open({ viewport: PHONE, javaScriptEnabled: false })
      await page.goto(`${suite.baseUrl}/s/${token}?lang=${lang}`)
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
