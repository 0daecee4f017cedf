/**
 * The privacy notice (/privacy) names the data controller, the DPO's contact, the lawful basis,
 * what is kept and for how long (from the same retention settings the daily job applies) and the
 * right to complain to the ICO, all from configuration, with defaults that make sense unset.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import request from 'supertest'
import { loadConfig } from '../../server/config'
import { retentionSchedule } from '../../server/dataProtection/schedule'
import { visibleText } from '../helpers/http'
import { startTestApp, type TestApp } from '../helpers/testApp'

async function noticeOf(t: TestApp) {
  const page = await request(t.app).get('/privacy').expect(200)
  return { html: page.text, text: visibleText(page).replace(/\s+/g, ' ') }
}

describe('the privacy notice, from configuration', () => {
  let t: TestApp | undefined
  after(() => t?.close())

  it('names the council, controller, DPO and lawful basis it is given, and the retention it is set to', async () => {
    t = await startTestApp({
      env: {
        COUNCIL_NAME: 'Northshire County Council',
        DATA_CONTROLLER: "Northshire Children's Services Ltd, on behalf of Northshire County Council",
        DPO_CONTACT: 'dpo@northshire.example or 01234 567890',
        LAWFUL_BASIS: 'Public task under the Children Act 1989, section 17.',
        CASE_REF_RETENTION_DAYS: '365',
        FREE_TEXT_RETENTION_DAYS: '1095',
        INVITATION_CONTACT_RETENTION_DAYS: '60',
        AUDIT_RETENTION_DAYS: '2555',
      },
    })
    const { text, html } = await noticeOf(t)
    assert.match(text, /Northshire County Council runs this survey\./)
    assert.match(
      text,
      /The data controller, .* is Northshire Children's Services Ltd, on behalf of Northshire County Council\./,
    )
    assert.match(text, /contact dpo@northshire\.example or 01234 567890\./)
    assert.match(text, /Public task under the Children Act 1989, section 17\./)
    assert.match(
      text,
      /The reference number that links your answers to your family's case record, if yours has one: 1 year after/,
    )
    assert.match(
      text,
      /Anything you write in your own words: 3 years after they were given, and never while a safeguarding concern/,
    )
    assert.match(
      text,
      /The email address or mobile number we sent your survey link to, and your first name: 60 days after/,
    )
    assert.match(text, /staff sent your survey or read your comments, and when: 7 years\./)
    // Every entry the daily job applies is on the page, word for word: they cannot disagree.
    for (const entry of retentionSchedule(t.services.config))
      assert.ok(text.includes(entry.keptFor), entry.keptFor)
    assert.match(text, /complain to the Information Commissioner's Office \(ICO\)/)
    assert.match(text, /helpline on 0303 123 1113\./)
    assert.match(
      html,
      /<a class="govuk-link" href="https:\/\/ico\.org\.uk\/make-a-complaint\/">Make a complaint on the ICO website \(ico\.org\.uk\)<\/a>/,
    )
    await t.close()
    t = undefined
  })

  it('reads sensibly with nothing set: the council as controller, its DPO, public task, the default periods', async () => {
    t = await startTestApp()
    const { text } = await noticeOf(t)
    assert.match(text, /The council runs this survey\. The data controller, .* is The council\./)
    assert.match(
      text,
      /contact the data protection officer of The council, through its website or switchboard\./,
    )
    assert.match(text, /Public task \(UK GDPR Article 6\(1\)\(e\)\)/)
    assert.match(text, /Article 9\(2\)\(g\)/)
    assert.match(text, /if yours has one: 2 years after/)
    assert.match(text, /Anything you write in your own words: 2 years after/)
    assert.match(text, /your first name: 90 days after the survey was answered, expired or was cancelled\./)
    assert.match(text, /and when: 6 years\./)
    assert.match(text, /0303 123 1113/)
  })

  it('treats a blank setting as unset, so the notice never names nobody', () => {
    const config = loadConfig({ COUNCIL_NAME: '  ', DATA_CONTROLLER: '', DPO_CONTACT: ' ' })
    assert.equal(config.councilName, 'The council')
    assert.equal(config.dataController, 'The council')
    assert.match(config.dpoContact, /^the data protection officer of The council/)
  })
})
