import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkIsoPastDate, checkPastDate } from '../../server/invitations/dateInput'
import { checkEmail, checkFirstName } from '../../server/invitations/sendForm'
import { backoffMinutes } from '../../server/mail/outboxWorker'
import { classifyDeliveryError } from '../../server/mail/transport'

const NOW = new Date('2026-11-23T10:00:00Z')

describe('dates typed into a GOV.UK date input', () => {
  it('accepts today and past days in Europe/London', () => {
    const today = checkPastDate({ day: '23', month: '11', year: '2026' }, 'the date', NOW)
    assert.equal(today.ok && today.date.toISODate(), '2026-11-23')
    const named = checkPastDate({ day: '1', month: 'March', year: '2025' }, 'the date', NOW)
    assert.equal(named.ok && named.date.toISODate(), '2025-03-01')
    // 23:30 UTC on 31 March 2026 is already 1 April in London (BST): 1 April is "today".
    const bst = checkPastDate(
      { day: '1', month: '4', year: '2026' },
      'the date',
      new Date('2026-03-31T23:30:00Z'),
    )
    assert.equal(bst.ok, true)
  })

  it('explains what is wrong, naming the first field to fix', () => {
    assert.deepEqual(checkPastDate({ day: '', month: '', year: '' }, 'the date the case closed', NOW), {
      ok: false,
      message: 'Enter the date the case closed',
      parts: { day: '', month: '', year: '' },
      field: 'day',
    })
    const missing = checkPastDate({ day: '3', month: '', year: '' }, 'the date', NOW)
    assert.equal(!missing.ok && missing.message, 'The date must include a month and a year')
    assert.equal(!missing.ok && missing.field, 'month')
    const unreal = checkPastDate({ day: '30', month: '2', year: '2026' }, 'the date', NOW)
    assert.equal(!unreal.ok && unreal.message, 'The date must be a real date')
    const future = checkPastDate({ day: '24', month: '11', year: '2026' }, 'the date', NOW)
    assert.equal(!future.ok && future.message, 'The date must be today or in the past')
    const iso = checkIsoPastDate('27/03/2026', 'event_date', NOW)
    assert.equal(!iso.ok && iso.message, 'Event_date must be a date like 2026-03-27')
  })
})

describe('recipients', () => {
  it('checks email addresses loosely but refuses obvious mistakes', () => {
    assert.equal(checkEmail('sam.o’brien+survey@family.example.co.uk'), undefined)
    for (const bad of ['sam', 'sam@', 'sam@example', 'sam @example.com', 'a@b.c', 'x<y>@example.com']) {
      assert.ok(checkEmail(bad), bad)
    }
  })

  it('keeps greetings to a first name', () => {
    assert.equal(checkFirstName(''), undefined)
    assert.equal(checkFirstName('Siân-Marie O’Neil'), undefined)
    assert.match(checkFirstName('Sam, click http://evil.example') ?? '', /only include letters/)
    assert.match(checkFirstName('x'.repeat(51)) ?? '', /50 characters or fewer/)
  })
})

describe('mail delivery', () => {
  it('waits 1, 2, 4, 8 … minutes between attempts', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(backoffMinutes), [1, 2, 4, 8, 16, 32, 64])
  })

  it('treats 5xx replies as permanent (except 503) and everything else as temporary', () => {
    assert.equal(
      classifyDeliveryError({ responseCode: 550, response: '550 Mailbox unavailable' }).permanent,
      true,
    )
    assert.equal(classifyDeliveryError({ responseCode: 503, response: '503 Bad sequence' }).permanent, false)
    assert.equal(classifyDeliveryError({ responseCode: 421, response: '421 Try later' }).permanent, false)
    assert.equal(classifyDeliveryError({ responseCode: 452, permanent: false }).permanent, false)
    const refused = classifyDeliveryError({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25' })
    assert.equal(refused.permanent, false)
    assert.match(refused.message, /could not be reached/)
    assert.match(classifyDeliveryError({ code: 'ETIMEDOUT', message: 'Timeout' }).message, /timed out/)
  })
})
