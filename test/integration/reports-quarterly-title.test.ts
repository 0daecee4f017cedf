/** The Board report is titled with the survey's report name and the period, not the family-facing title. */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { createUser, signIn } from '../helpers/factories'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

describe('the quarterly report title', () => {
  const t = useTestApp({ now: '2021-05-01T10:00:00Z' })
  let qa: Agent
  before(async () => {
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  const title = async (survey: string) => {
    const page = await qa.get(`/reports/quarterly?survey=${survey}&period=2020-21-Q4`).expect(200)
    return /<h1[^>]*id="report-title"[^>]*>([^<]*)<\/h1>/.exec(page.text)?.[1]
  }

  it('names each survey for a Board, with the period', async () => {
    assert.equal(await title('closure-family'), 'Case closure: parents and carers, 2020/21 Q4')
    assert.equal(await title('closure-young-person'), 'Case closure: children and young people, 2020/21 Q4')
    assert.equal(
      await title('cp-conference-professional'),
      'Child protection conference (initial or review): partner professionals, 2020/21 Q4',
    )
    // Every built-in survey gets a name that is not its family-facing title.
    for (const survey of t.services.surveys.all()) {
      const shown = await title(survey.id)
      assert.ok(shown && !shown.includes(survey.title), survey.id)
    }
  })
})
