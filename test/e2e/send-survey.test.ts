/**
 * A practitioner sends surveys in Chromium at 320px without JavaScript: sign in, choose the point
 * in the case, an error round, the confirmation, the invitations list, one invitation, a printed
 * letter, bulk upload and in-person entry; an admin reads the outbox. Every staff page visited
 * must pass axe (WCAG 2.2 AA rules), fit 320px without sideways scrolling and break no CSP rule.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { InvitationModel } from '../../server/invitations/invitation'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { ResponseModel } from '../../server/responses/response'
import type { User } from '../../server/staff/user'
import { checkPage, clickAndLoad } from '../helpers/browser'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, createUser } from '../helpers/factories'

describe('sending a survey in a browser at 320px, without JavaScript', () => {
  const suite = browserSuite()
  let practitioner: User
  let admin: User

  before(async () => {
    const team = await createTeam('Locality North', 'Locality')
    practitioner = await createUser({ role: 'practitioner', teams: [team], name: 'Pat Practitioner' })
    admin = await createUser({ role: 'admin', name: 'Ada Admin' })
  })

  const signedIn = (user: User) => suite.signedIn(user, { javaScriptEnabled: false })

  /** Types the send form's case reference and the day, month and year of the point in the case. */
  async function fillCase(page: Page, caseRef: string, day: string, month: string, year: string) {
    await page.getByLabel('Case reference').fill(caseRef)
    await page.getByLabel('Day').fill(day)
    await page.getByLabel('Month').fill(month)
    await page.getByLabel('Year').fill(year)
  }

  it('a practitioner sends a survey by email and follows it', async () => {
    const { context, page } = await signedIn(practitioner)
    await page.getByRole('link', { name: 'Send a survey' }).first().click()
    assert.equal(await page.title(), 'Send a survey – Family Voice')
    await checkPage(page, 'choosing the point in the case')
    await page.getByLabel('Case closure').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await checkPage(page, 'the send form')

    // An error round: nothing typed.
    await page.getByRole('button', { name: 'Send survey' }).click()
    assert.equal(await page.title(), 'Error: Send a survey – Family Voice')
    await checkPage(page, 'the send form with errors')
    await page.locator('.govuk-error-summary a', { hasText: 'Enter the case reference' }).click()
    assert.equal(await page.evaluate(() => location.hash), '#caseRef')

    await fillCase(page, 'LCS-448812', '20', '11', '2026')
    await page.getByLabel('By email').check()
    await page.locator('#email-1').fill('sam@family.example')
    await page.locator('#firstName-1').fill('Sam')
    await page.getByRole('button', { name: 'Send survey' }).click()
    assert.equal(new URL(page.url()).pathname, '/invitations/sent')
    assert.match(await page.locator('h1').innerText(), /Survey sent/)
    await checkPage(page, 'the confirmation page')

    await new OutboxWorker(suite.services).runOnce()
    await clickAndLoad(page, page.getByRole('link', { name: 'Invitations', exact: true }))
    assert.match(await page.locator('h1').innerText(), /My invitations/)
    await checkPage(page, 'the invitations list')
    await clickAndLoad(page, page.getByRole('link', { name: 'Sam, sam@family.example' }))
    assert.match(await page.locator('h1').innerText(), /Invitation: Sam/)
    await checkPage(page, 'the invitation page')
    assert.equal(await page.locator('.govuk-tag').first().innerText(), 'Sent')
    await context.close()
  })

  it('a practitioner prints a letter instead', async () => {
    const { context, page } = await signedIn(practitioner)
    await page.goto(`${suite.baseUrl}/invitations/new?event=cla-review`)
    await fillCase(page, 'LCS-77120', '23', '11', '2026')
    await page.getByLabel('Print a letter instead').check()
    await page.locator('#survey-1').selectOption('cla-review-young-person')
    await page.locator('#firstName-1').fill('Jordan')
    await clickAndLoad(page, page.getByRole('button', { name: 'Send survey' }))
    assert.match(await page.locator('h1').innerText(), /Letters ready to print/)
    await checkPage(page, 'the letters confirmation')
    await clickAndLoad(page, page.getByRole('link', { name: /Print the letter/ }))
    assert.match(await page.locator('main').innerText(), /Dear Jordan,/)
    assert.equal(await page.locator('.app-letter__qr img').count(), 1)
    await checkPage(page, 'the letter')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('.app-navigation').isVisible(), false, 'the menu is not printed')
    assert.equal(await page.locator('.app-no-print').isVisible(), false, 'staff notes are not printed')
    await page.emulateMedia({ media: 'screen' })
    await page.reload()
    await checkPage(page, 'print a new letter')
    const invitation = await InvitationModel.findOne({ channel: 'letter' }).lean()
    assert.ok(invitation)
    await context.close()
  })

  it('a practitioner uploads a bulk file and records an answer given by phone', async () => {
    const { context, page } = await signedIn(practitioner)
    await page.goto(`${suite.baseUrl}/invitations/bulk`)
    await checkPage(page, 'the bulk upload page')
    await page
      .getByLabel('Or paste the CSV')
      .fill(
        'case_ref,event,event_date,team,email\nLCS-1,closure,2026-11-02,Locality North,a@family.example\nLCS-2,closure,2026-13-02,Locality North,b@family.example',
      )
    await clickAndLoad(page, page.getByRole('button', { name: 'Check the file' }))
    assert.match(await page.locator('main').innerText(), /Line 3\s+event_date must be a real date/)
    await checkPage(page, 'the bulk upload page with problems')
    await page
      .getByLabel('Or paste the CSV')
      .fill('case_ref,event,event_date,team,email\nLCS-1,closure,2026-11-02,Locality North,a@family.example')
    await page.getByRole('button', { name: 'Check the file' }).click()
    await checkPage(page, 'the bulk preview')
    await clickAndLoad(page, page.getByRole('button', { name: 'Send 1 survey' }))
    assert.match(await page.locator('h1').innerText(), /^1 survey sent$/)
    await checkPage(page, 'the bulk result')

    await page.goto(`${suite.baseUrl}/responses/new`)
    await checkPage(page, 'choosing a survey to record')
    await page.getByRole('link', { name: 'Your experience of our service (Parent or carer)' }).click()
    await checkPage(page, 'the in-person entry form')
    await page.getByRole('button', { name: 'Save answers' }).click()
    await checkPage(page, 'the in-person entry form with errors')
    await page.getByLabel('Telephone').check()
    await page
      .getByRole('group', { name: 'Did your worker give you chances to share your views and opinions?' })
      .getByLabel('Yes')
      .check()
    await clickAndLoad(page, page.getByRole('button', { name: 'Save answers' }))
    assert.match(await page.locator('h1').innerText(), /Answers recorded/)
    await checkPage(page, 'answers recorded')
    assert.equal(await ResponseModel.countDocuments({ mode: 'telephone', source: 'staff' }), 1)
    await context.close()
  })

  it('an admin reads the local outbox', async () => {
    const { context, page } = await signedIn(admin)
    await page.goto(`${suite.baseUrl}/admin/outbox`)
    await checkPage(page, 'the outbox')
    await page.locator('.app-outbox-list a').first().click()
    await checkPage(page, 'an outbox message')
    await context.close()
  })

  it('broke no Content Security Policy rule', () => {
    assert.deepEqual(suite.problems, [])
  })
})
