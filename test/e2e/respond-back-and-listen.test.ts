/**
 * In Chromium at 320px: after an error round and sending, Back shows the thank-you page (never
 * "Confirm Form Resubmission"), with and without JavaScript; a code typed from a letter opens the
 * survey; the Listen buttons read each question and its answers in the page's language, and
 * nothing of them exists without JavaScript. Every page passes axe.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { InvitationModel } from '../../server/invitations/invitation'
import { formatCode } from '../../server/invitations/token'
import { ResponseModel } from '../../server/responses/response'
import { TeamModel, type Team } from '../../server/teams/team'
import { checkPage, clickAndLoad } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, issueInvitation } from '../helpers/factories'

describe('Back after sending, a typed code, and Listen, in a browser', () => {
  const suite = browserSuite()
  let team: Team

  before(async () => {
    team = await createTeam('Locality North', 'Locality')
    await TeamModel.updateOne({ _id: team._id }, { $set: { phone: '0300 555 0123' } })
  })

  for (const javaScriptEnabled of [false, true]) {
    it(`Back after an error round and sending shows the thank-you page, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const { token, invitationId } = await issueInvitation(suite.services, team, {
        surveyId: 'closure-family',
      })
      const { context, page } = await suite.open({ javaScriptEnabled })
      await page.goto(`${suite.baseUrl}/s/${token}`)
      await page.getByLabel('What went well while we were working with you?').fill('Always called back.')
      // An answer that is too long is an error; the words typed stay on the page.
      await page.getByLabel('What could we have done better?').evaluate((textarea: HTMLTextAreaElement) => {
        textarea.removeAttribute('maxlength')
        textarea.value = 'x'.repeat(2001)
      })
      await clickAndLoad(page, page.getByRole('button', { name: 'Send your answers' }))
      assert.equal(page.url(), `${suite.baseUrl}/survey`)
      assert.equal(await page.title(), 'Error: Your experience of our service – Family Voice')
      assert.equal(
        await page.getByLabel('What went well while we were working with you?').inputValue(),
        'Always called back.',
      )
      if (javaScriptEnabled) {
        // GOV.UK's error summary takes focus, and its character count speaks up.
        await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'))
        assert.match(await page.locator('.govuk-character-count__status').first().innerText(), /remaining/)
      }
      await checkPage(page, `the error round, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`)

      await page.getByLabel('What could we have done better?').fill('Nothing.')
      // Back only once the thank-you page has loaded: going back at once failed in CI with
      // "Not attached to an active page" (Playwright's click does not wait for the page it loads).
      await clickAndLoad(page, page.getByRole('button', { name: 'Send your answers' }))
      assert.equal(page.url(), `${suite.baseUrl}/survey/thank-you`)
      assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)

      // Back: Chromium would show "Confirm Form Resubmission" (ERR_CACHE_MISS) for a POST's page.
      const back = await page.goBack()
      assert.equal(back?.status(), 200)
      assert.equal(page.url(), `${suite.baseUrl}/survey/thank-you`)
      assert.equal(await page.locator('h1').innerText(), 'Thank you')
      await page.goBack()
      assert.equal(page.url(), `${suite.baseUrl}/survey/thank-you`)
      assert.equal(await page.locator('h1').innerText(), 'Thank you')
      await page.reload()
      assert.equal(await page.locator('h1').innerText(), 'Thank you')
      assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
      await context.close()
    })
  }

  it('opens the survey from a code typed at the short address, and names the team on a cancelled link', async () => {
    const { token, invitationId } = await issueInvitation(suite.services, team)
    const { context, page } = await suite.open({ javaScriptEnabled: false })
    await page.goto(`${suite.baseUrl}/s`)
    await checkPage(page, 'the code page')
    await page.getByLabel('Survey code').fill('1234')
    await page.getByRole('button', { name: 'Continue' }).click()
    await checkPage(page, 'the code page with an error')
    await page.getByLabel('Survey code').fill(formatCode(token).toLowerCase())
    await page.getByRole('button', { name: 'Continue' }).click()
    assert.equal(page.url(), `${suite.baseUrl}/survey`)

    await InvitationModel.updateOne({ _id: invitationId }, { $set: { status: 'cancelled' } })
    await page.goto(`${suite.baseUrl}/s/${token}`)
    assert.equal(await page.locator('h1').innerText(), 'This survey link is no longer in use')
    assert.match(await page.locator('main').innerText(), /call Locality North on 0300 555 0123/)
    await checkPage(page, 'the cancelled-link page')
    await page.goto(`${suite.baseUrl}/survey/thank-you`)
    assert.equal(await page.locator('h1').innerText(), 'Open your survey link to answer')
    await checkPage(page, 'the thank-you address without answers')
    await context.close()
  })

  it('reads each question and its answers aloud in the page’s language, only with JavaScript', async () => {
    const { token } = await issueInvitation(suite.services, team, { surveyId: 'closure-young-person' })
    const { context, page } = await suite.open()
    // Record what would be spoken instead of speaking it.
    await page.addInitScript(() => {
      const spoken: Array<{ text: string; lang: string }> = []
      ;(window as unknown as { spoken: typeof spoken }).spoken = spoken
      window.speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => {
        spoken.push({ text: utterance.text, lang: utterance.lang })
        setTimeout(() => utterance.onend?.(new Event('end') as SpeechSynthesisEvent), 50)
      }
    })
    await page.goto(`${suite.baseUrl}/s/${token}`)
    const buttons = page.locator('button.app-listen')
    await buttons.first().waitFor()
    assert.equal(
      await buttons.count(),
      4,
      `one per question: ${await page.locator('form').evaluate((form) => form.outerHTML.slice(0, 1500))}`,
    )
    await checkPage(page, 'the survey page with Listen buttons')
    const first = buttons.first()
    assert.equal(await first.textContent(), 'Listen: Did your worker listen to you?')
    await first.focus()
    await page.keyboard.press('Enter')
    const spoken = await page.evaluate(
      () => (window as unknown as { spoken: Array<{ text: string; lang: string }> }).spoken,
    )
    assert.deepEqual(spoken, [
      { text: 'Did your worker listen to you? The answers are: Yes. Not sure. No.', lang: 'en' },
    ])
    await page.waitForFunction(() => !document.querySelector('.app-listen')?.textContent?.startsWith('Stop'))
    await context.close()

    const without = await suite.open({ javaScriptEnabled: false })
    const second = await issueInvitation(suite.services, team, { surveyId: 'closure-young-person' })
    await without.page.goto(`${suite.baseUrl}/s/${second.token}`)
    assert.equal(await without.page.getByRole('button', { name: /Listen/ }).count(), 0)
    await without.context.close()
  })

  it('saw no script errors and no CSP violations on any page', () => {
    assert.deepEqual(suite.problems, [])
  })
})
