import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatDate, formatDateTime } from '../../server/http/dates'
import { formatDateTime as invitationTime, formatDay } from '../../server/invitations/dateInput'
import { ukDateTime } from '../../server/admin/routes'
import { londonDateTime } from '../../server/feedback/format'

describe('one way to write a date on staff pages', () => {
  it('writes "1 December 2026" and 24-hour London times', () => {
    assert.equal(formatDate(new Date('2026-12-01T12:00:00Z')), '1 December 2026')
    assert.equal(formatDateTime(new Date('2026-12-01T14:05:00Z')), '1 December 2026 at 14:05')
    // British Summer Time: 23:30 UTC on 31 March is 00:30 on 1 April in London.
    assert.equal(formatDateTime(new Date('2021-03-31T23:30:00Z')), '1 April 2021 at 00:30')
    assert.equal(formatDate(undefined), '')
  })

  it('is the same through every older helper (invitations, admin, feedback)', () => {
    const at = new Date('2026-07-02T13:05:00Z')
    for (const text of [invitationTime(at), ukDateTime(at), londonDateTime(at)]) {
      assert.equal(text, '2 July 2026 at 14:05')
    }
    assert.equal(formatDay(at), '2 July 2026')
  })
})
