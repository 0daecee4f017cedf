/**
 * The report's own dates are typed in the GOV.UK date input (day, month and year boxes), like
 * every other date a person types; a bad date is a 400 with the message against that date's
 * field and a link from the error summary to the box to fix. Older links with from/to as
 * YYYY-MM-DD still work.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { createTeam, createUser, signIn } from '../helpers/factories'
import type { Agent } from '../helpers/respond'
import { addResponses, answerRows, plainText } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

const dates = (from: [string, string, string], to: [string, string, string]) =>
  `survey=closure-family&from-day=${from[0]}&from-month=${from[1]}&from-year=${from[2]}` +
  `&to-day=${to[0]}&to-month=${to[1]}&to-year=${to[2]}`

/** The error message inside a date's fieldset, if any. */
function fieldError(html: string, prefix: string): string | undefined {
  const start = html.indexOf(`id="${prefix}-hint"`)
  const end = html.indexOf('</fieldset>', start)
  const match = new RegExp(`id="${prefix}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html.slice(start, end))
  return match ? plainText(match[1]!) : undefined
}

describe('report dates typed in the GOV.UK date input', () => {
  const t = useTestApp({ now: '2019-11-01T10:00:00Z' })
  let qa: Agent

  before(async () => {
    const team = await createTeam('Riverside Locality', 'Locality')
    await addResponses(t.services, {
      survey: 'closure-family',
      team,
      at: ['2019-05-03T10:00:00Z', '2019-09-30T20:00:00Z'],
      rows: answerRows(12, { 'share-views': { yes: 12 } }),
    })
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  it('reports the range typed as day, month and year, and shows the dates again', async () => {
    const page = await qa.get(`/reports?${dates(['1', '4', '2019'], ['30', '9', '2019'])}`).expect(200)
    assert.match(
      plainText(page.text),
      /12 families gave us feedback following closure from 1 Apr 2019 to 30 Sep 2019/,
    )
    assert.match(page.text, /id="from-day" name="from-day" type="text" inputmode="numeric" value="1"/)
    assert.match(page.text, /id="to-year" name="to-year" type="text" inputmode="numeric" value="2019"/)
    assert.match(page.text, /<details class="govuk-details app-filters__dates" open>/)
    const months = await qa.get(`/reports?${dates(['1', 'apr', '2019'], ['30', 'Sept', '2019'])}`).expect(200)
    assert.match(plainText(months.text), /from 1 Apr 2019 to 30 Sep 2019/, 'month names are understood')
  })

  it('shows a bad date against its own field, linked from the error summary', async () => {
    const bad = await qa.get(`/reports?${dates(['31', '2', '2019'], ['30', '9', '2019'])}`).expect(400)
    assert.equal(fieldError(bad.text, 'from'), 'Error: The first date must be a real date')
    assert.equal(fieldError(bad.text, 'to'), undefined)
    assert.match(bad.text, /<a href="#from-day">The first date must be a real date<\/a>/)
    assert.match(bad.text, /id="from-day" name="from-day"/)
    assert.match(bad.text, /govuk-input--error" id="from-month"/)

    const noYear = await qa.get(`/reports?${dates(['1', '4', '2019'], ['30', '9', ''])}`).expect(400)
    assert.equal(fieldError(noYear.text, 'to'), 'Error: The last date must include a year')
    assert.match(noYear.text, /<a href="#to-year">The last date must include a year<\/a>/)

    const backwards = await qa.get(`/reports?${dates(['30', '9', '2019'], ['1', '4', '2019'])}`).expect(400)
    assert.equal(
      fieldError(backwards.text, 'to'),
      'Error: The last date must be the same as or after the first date',
    )

    const halfGiven = await qa.get(`/reports?${dates(['1', '4', '2019'], ['', '', ''])}`).expect(400)
    assert.equal(fieldError(halfGiven.text, 'to'), 'Error: Enter the last date')

    await qa.get(`/reports?${dates(['1', '4', '2019'], ['30', '9', '2019'])}&from-day=2`).expect(400)
  })

  it('still reads older links with from and to as year-month-day', async () => {
    const page = await qa.get('/reports?survey=closure-family&from=2019-04-01&to=2019-09-30').expect(200)
    assert.match(plainText(page.text), /from 1 Apr 2019 to 30 Sep 2019/)
    assert.match(page.text, /id="from-month" name="from-month" type="text" inputmode="numeric" value="4"/)
    await qa.get('/reports?survey=closure-family&from=2019-13-01&to=2019-09-30').expect(400)
  })
})
