/**
 * The first visit to a survey link fits a cheap phone's budget: at most 30 KB over the network in
 * Chromium (the redirect, the page, its stylesheet, scripts and images, headers included), every
 * text file compressed. Bytes do not depend on timing; largest contentful paint does, so it is
 * measured by scripts/bench/familyPage.ts instead.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Team } from '../../server/teams/team'
import { browserSuite } from '../helpers/browserSuite'
import { createTeam, issueInvitation } from '../helpers/factories'
import { measureFirstVisit } from '../helpers/pageWeight'

const BUDGET_BYTES = 30 * 1024

describe('a survey link’s first visit on a cheap phone', () => {
  const suite = browserSuite()
  let team: Team

  before(async () => {
    team = await createTeam('Locality North', 'Locality')
  })

  for (const surveyId of ['closure-family', 'closure-young-person', 'cla-review-family']) {
    it(`${surveyId}: at most 30 KB transferred, text compressed`, async () => {
      const { token } = await issueInvitation(suite.services, team, { surveyId })
      const weight = await measureFirstVisit(suite.browser, `${suite.baseUrl}/s/${token}`)
      const listing = weight.responses.map((r) => `${r.path} ${r.bytes} B ${r.encoding}`).join('\n')
      assert.ok(weight.bytes <= BUDGET_BYTES, `${weight.bytes} bytes transferred:\n${listing}`)
      const paths = weight.responses.map((r) => r.path)
      assert.ok(paths.includes('/survey'), listing)
      assert.ok(
        paths.some((path) => /^\/assets\/family\.[0-9a-f]{10}\.css$/.test(path)),
        `the family stylesheet:\n${listing}`,
      )
      for (const response of weight.responses) {
        if (/\.(css|js)$/.test(response.path) || response.path === '/survey') {
          assert.match(response.encoding, /^(br|gzip)$/, `${response.path} is compressed`)
        }
      }
    })
  }
})
