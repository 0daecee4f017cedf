/**
 * Every survey a family can be shown is easy to read. The measure is the Flesch–Kincaid grade
 * level (the `flesch-kincaid` library, syllables counted by `syllable`) of the words a family
 * reads: the intro, each question and each hint. Reading age = Flesch–Kincaid grade + 5 (a US grade
 * 1 reader is about six). Children's versions (`*-young-person*`) must be at most reading age 8,
 * every other survey at most 11.
 *
 * The formula is for English, so it checks the English files; translations are checked for
 * completeness instead (survey-translations.test.ts) and reviewed by a fluent speaker.
 * Older versions of a survey stay in surveys/ unchanged, as the record of what families were shown
 * then; the check is on the latest version of each survey, which is the one families are shown.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fleschKincaid } from 'flesch-kincaid'
import { syllable } from 'syllable'
import type { TSurveyDefinition } from '../../server/surveys/definition'
import { loadSurveys } from '../../server/surveys/registry'
import { SURVEYS_DIR } from '../../server/services'

const WORD = /[\p{L}\p{N}'’]+/gu

/** What a family reads before and while answering, as sentences. */
function familyText(survey: TSurveyDefinition): string[] {
  return [survey.intro, ...survey.questions.flatMap((q) => (q.hint ? [q.text, q.hint] : [q.text]))]
}

function readingAge(passages: string[]): number {
  const sentences = passages
    .flatMap((passage) => passage.split(/[.!?]+(?=\s|$)/))
    .filter((part) => /\p{L}/u.test(part)).length
  const words = passages.flatMap((passage) => passage.match(WORD) ?? [])
  const syllables = words.reduce((total, word) => total + syllable(word), 0)
  return fleschKincaid({ sentence: sentences, word: words.length, syllable: syllables }) + 5
}

const isChildrensVersion = (id: string) => id.includes('-young-person')

/** Service words a child should never meet on their pages. */
const CHILD_JARGON =
  /family front door|independent reviewing officer|\bIRO\b|conference|assessment|looked[- ]after|\bCLA\b|locality|targeted family support/i

describe('reading level of every survey families are shown', () => {
  const registry = loadSurveys(SURVEYS_DIR)
  const files = readdirSync(SURVEYS_DIR).filter((name) => /^[a-z0-9-]+\.v\d+\.yaml$/.test(name))

  it('finds every survey file, and checks the latest version of each survey', () => {
    assert.ok(files.length >= 9)
    assert.equal(registry.all().length, 9)
  })

  for (const survey of registry.all()) {
    const limit = isChildrensVersion(survey.id) ? 8 : 11
    it(`${survey.id} v${survey.version} reads at a reading age of ${limit} or under`, () => {
      const age = readingAge(familyText(survey))
      assert.ok(age <= limit, `${survey.id} v${survey.version} has a reading age of ${age.toFixed(1)}`)
    })

    it(`${survey.id}: the intro is short and says once that any question can be skipped`, () => {
      const words = survey.intro.match(WORD) ?? []
      assert.ok(words.length <= 45, `${survey.id} intro has ${words.length} words`)
      assert.equal(survey.intro.match(/You can skip any question/g)?.length, 1, survey.id)
    })
  }

  it('uses no service jargon in children’s versions', () => {
    for (const survey of registry.all().filter((s) => isChildrensVersion(s.id))) {
      for (const passage of [survey.title, ...familyText(survey)]) {
        assert.doesNotMatch(passage, CHILD_JARGON, `${survey.id}: "${passage}"`)
      }
    }
  })

  it('can fail: long words in long sentences read above the limits', () => {
    const hard =
      'Practitioners systematically incorporated multidisciplinary perspectives into comprehensive assessments, facilitating collaborative decision-making regarding safeguarding interventions.'
    assert.ok(readingAge([hard]) > 11)
    assert.ok(readingAge(['Did your worker listen to you?']) <= 8)
    assert.match('Your Independent Reviewing Officer would like to know', CHILD_JARGON)
  })
})
