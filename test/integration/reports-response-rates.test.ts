/**
 * Response rates: of the survey links sent in the period (sentAt inside it), how many were
 * answered, per team, with the same small-number rules as every other percentage.
 *
 * 2025/26 Q1, closure-family links:
 *   Ashford Locality   10 sent, 7 answered  70%
 *   Brook Early Help    3 sent, 1 answered  fewer than 5 (sent)
 *   Cedar Through Care  8 sent, 4 answered  50%, hidden so Brook cannot be worked out
 *   all teams          21 sent, 12 answered 57%
 * Links sent in 2024/25 Q4 do not count, even when answered in Q1.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Types } from 'mongoose'
import { recordResponse } from '../../server/responses/recordResponse'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { tableRows } from '../helpers/reportsFixtures'
import { useTestApp } from '../helpers/hooks'

describe('response rates', () => {
  const t = useTestApp()
  let qa: Awaited<ReturnType<typeof signIn>>

  before(async () => {
    const survey = t.services.surveys.latest('closure-family')!
    const send = async (team: Team, sent: number, answered: number, at: string) => {
      t.clock.set(at)
      for (let i = 0; i < sent; i++) {
        const { invitationId } = await issueInvitation(t.services, team)
        if (i >= answered) continue
        await recordResponse(
          {
            survey,
            claimKey: `invitation:${invitationId}`,
            invitationId: new Types.ObjectId(invitationId),
            team: { id: team._id, name: team.name },
            service: team.service,
            respondent: 'parent-carer',
            mode: 'online',
            source: 'online',
            submittedAt: new Date('2025-06-20T10:00:00Z'),
            answers: [{ question: 'share-views', answer: 'yes' }],
            texts: [],
          },
          [],
          t.services.responseHooks,
        )
      }
    }
    await send(await createTeam('Ashford Locality', 'Locality'), 10, 7, '2025-04-01T00:30:00+01:00')
    await send(await createTeam('Brook Early Help', 'Early Help'), 3, 1, '2025-05-10T10:00:00Z')
    const cedar = await createTeam('Cedar Through Care', 'Through Care')
    await send(cedar, 8, 4, '2025-06-30T22:59:00Z')
    await send(cedar, 5, 5, '2025-03-31T22:59:00Z') // 23:59 BST on 31 March: the previous year
    t.clock.set('2025-07-15T10:00:00Z')
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  const HEADER = ['Team', 'Links sent', 'Answered', 'Response rate']

  it('counts links sent in the period and how many were answered, hiding small numbers', async () => {
    const page = await qa.get('/reports?survey=closure-family&period=2025-26-Q1').expect(200)
    assert.deepEqual(tableRows(page.text, 'response-rates'), [
      HEADER,
      ['Ashford Locality', '10', '7', '70%'],
      ['Brook Early Help', 'fewer than 5', 'fewer than 5', 'fewer than 5'],
      ['Cedar Through Care', 'hidden', 'hidden', 'hidden'],
      ['All teams', '21', '12', '57%'],
    ])
    const quarterly = await qa.get('/reports/quarterly?survey=closure-family&period=2025-26-Q1').expect(200)
    assert.deepEqual(tableRows(quarterly.text, 'response-rates').at(-1), ['All teams', '21', '12', '57%'])
  })

  it('counts the previous quarter on its own', async () => {
    const page = await qa.get('/reports?survey=closure-family&period=2024-25-Q4').expect(200)
    const cedarOnly = [HEADER, ['Cedar Through Care', '5', '5', '100%'], ['All teams', '5', '5', '100%']]
    assert.deepEqual(tableRows(page.text, 'response-rates'), cedarOnly)
  })

  it('says so when no links were sent', async () => {
    const page = await qa.get('/reports?survey=closure-family&period=2023-24-Q1').expect(200)
    assert.deepEqual(tableRows(page.text, 'response-rates'), [])
    assert.match(page.text, /No survey links were sent in this period/)
  })

  it('says under the headline how many of those asked answered, from the same tallies', async () => {
    const sentence = (html: string) => /<p class="govuk-body" id="response-rate">([^<]*)<\/p>/.exec(html)?.[1]
    const page = await qa.get('/reports?survey=closure-family&period=2025-26-Q1').expect(200)
    assert.equal(sentence(page.text), 'Answered by 12 of 21 families asked (57%).')
    const quarterly = await qa.get('/reports/quarterly?survey=closure-family&period=2025-26-Q1').expect(200)
    assert.equal(sentence(quarterly.text), 'Answered by 12 of 21 families asked (57%).')
    const brook = await qa
      .get('/reports?survey=closure-family&period=2025-26-Q1&team=Brook%20Early%20Help')
      .expect(200)
    assert.equal(
      sentence(brook.text),
      'Fewer than 5 survey links were sent in this period, too few to give a response rate.',
    )
    const none = await qa.get('/reports?survey=closure-family&period=2023-24-Q1').expect(200)
    assert.equal(sentence(none.text), undefined)
  })
})
