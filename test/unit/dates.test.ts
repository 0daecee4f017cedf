import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  formatDate,
  formatDateTime,
  formatDayAndMonth,
  formatLongDate,
  londonDay,
  londonDayStart,
} from '../../server/dates'

describe('one way to write a date and to read London days', () => {
  it('writes "1 December 2026" and 24-hour London times', () => {
    assert.equal(formatDate(new Date('2026-12-01T12:00:00Z')), '1 December 2026')
    assert.equal(formatDateTime(new Date('2026-12-01T14:05:00Z')), '1 December 2026 at 14:05')
    // British Summer Time: 23:30 UTC on 31 March is 00:30 on 1 April in London.
    assert.equal(formatDateTime(new Date('2021-03-31T23:30:00Z')), '1 April 2021 at 00:30')
    assert.equal(formatDate(undefined), '')
  })

  it('writes the summer time the same way, and the dates in emails and text messages', () => {
    const at = new Date('2026-07-02T13:05:00Z')
    assert.equal(formatDateTime(at), '2 July 2026 at 14:05')
    assert.equal(formatDate(at), '2 July 2026')
    assert.equal(formatLongDate(at), 'Thursday 2 July 2026')
    assert.equal(formatDayAndMonth(at), '2 July')
  })

  it('knows which London day an instant falls in, and where a London day starts', () => {
    assert.equal(londonDay(new Date('2021-03-31T23:30:00Z')), '2021-04-01')
    assert.equal(londonDay(new Date('2021-12-31T23:30:00Z')), '2021-12-31')
    assert.equal(londonDayStart('2021-04-01')?.toISOString(), '2021-03-31T23:00:00.000Z')
    assert.equal(londonDayStart('2021-02-30'), undefined)
    assert.equal(londonDayStart('1 April'), undefined)
  })
})
