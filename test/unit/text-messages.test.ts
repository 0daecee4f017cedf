import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { normaliseUkMobile } from '../../server/invitations/mobileNumber'
import { invitationText, reminderText, TEXT_MESSAGE_MAX } from '../../server/mail/textMessages'

const link = `https://familyvoice.example-council.gov.uk/s/${'a'.repeat(43)}`
const expiresAt = new Date('2026-12-21T12:00:00Z')
// GSM 03.38 basic characters that the texts may use: anything else would halve a fragment.
const GSM_PLAIN = /^[A-Za-z0-9 '&().,:/_?-]*$/

describe('text message words', () => {
  for (const write of [invitationText, reminderText]) {
    it(`${write.name}: two fragments at most, plain characters, the team named and the link last`, () => {
      for (const teamName of [
        'Locality North',
        'Children’s Disabilities Team',
        'Ω'.repeat(5) + ' East',
        'X'.repeat(100),
      ]) {
        const text = write({ teamName, link, expiresAt })
        assert.ok(text.length <= TEXT_MESSAGE_MAX, `${teamName}: ${text.length}`)
        assert.match(text, GSM_PLAIN, teamName)
        assert.ok(text.endsWith(link))
        assert.match(text, /21 December/)
        assert.doesNotMatch(text, /team team/i)
      }
      assert.match(
        write({ teamName: 'Locality North', link, expiresAt }),
        /Locality North team, children's services/,
      )
    })
  }
})

describe('UK mobile numbers', () => {
  it('keeps every usual way of writing one as +447…', () => {
    for (const typed of [
      '07400 123456',
      '07400123456',
      '+44 7400 123456',
      '+44 (0)7400 123456',
      '0044-7400-123456',
      '447400123456',
    ]) {
      assert.equal(normaliseUkMobile(typed), '+447400123456', typed)
    }
  })
  it('refuses landlines, other countries, short numbers, pagers and anything that is not a number', () => {
    for (const typed of [
      '020 7946 0000',
      '+33 6 12 34 56 78',
      '07400 12345',
      '07000 123456',
      'call me',
      '',
      '07400 123456 ext 2',
    ]) {
      assert.equal(normaliseUkMobile(typed), undefined, typed)
    }
  })
})
