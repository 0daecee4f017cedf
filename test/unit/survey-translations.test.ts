/**
 * Translations of surveys sit beside the definitions and are checked by the definition's schema: a
 * language is offered for a survey version only when every question, hint and answer is
 * translated. Page words: every locale has every key English has.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FAMILY_LANGUAGE_CODES } from '../../server/i18n/languages'
import { keysOf, localeStrings } from '../../server/i18n/pageText'
import { SURVEYS_DIR } from '../../server/services'
import type { TSurveyTranslation } from '../../server/surveys/definition'
import { loadSurveys, parseTranslationFile, SurveyRegistry } from '../../server/surveys/registry'

describe('survey translations', () => {
  const registry = loadSurveys(SURVEYS_DIR)
  const closure = registry.latest('closure-family')!

  /** A complete Welsh translation of closure-family, built from the file beside it. */
  function welsh(): TSurveyTranslation {
    const survey = registry.inLanguage(closure, 'cy')
    return {
      id: closure.id,
      version: closure.version,
      language: 'cy',
      title: survey.title,
      intro: survey.intro,
      questions: survey.questions.map((q) => ({
        id: q.id,
        text: q.text,
        hint: q.hint,
        answers: q.type === 'free-text' ? undefined : q.answers.map((a) => ({ id: a.id, label: a.label })),
      })),
    }
  }

  it('offers every survey in all five languages, and refuses none of the files', () => {
    assert.deepEqual(registry.refusedTranslations, [])
    assert.equal(registry.all().length, 9)
    for (const id of registry.all().map((survey) => survey.id)) {
      assert.deepEqual(
        registry.languagesFor(registry.latest(id)!).sort(),
        [...FAMILY_LANGUAGE_CODES].sort(),
        id,
      )
    }
  })

  it('keeps ids, answers, positives and statements from the definition: only the words change', () => {
    const cy = registry.inLanguage(closure, 'cy')
    assert.equal(cy.version, closure.version)
    assert.equal(cy.title, "Eich profiad o'n gwasanaeth")
    assert.deepEqual(
      cy.questions.map((q) => [q.id, q.type, q.type === 'free-text' ? [] : q.answers.map((a) => a.id)]),
      closure.questions.map((q) => [q.id, q.type, q.type === 'free-text' ? [] : q.answers.map((a) => a.id)]),
    )
    const shareViews = cy.questions[0]!
    assert.ok(shareViews.type !== 'free-text')
    assert.equal(shareViews.statement, (closure.questions[0] as typeof shareViews).statement)
    assert.equal(shareViews.answers[0]!.label, 'Do')
    assert.equal(registry.inLanguage(closure, 'en'), closure)
  })

  it('refuses a translation that leaves out a question, a hint or an answer, and does not offer it', () => {
    const complete = welsh()
    assert.deepEqual(new SurveyRegistry([closure], [complete]).languagesFor(closure), ['cy'])

    const noAnswer = welsh()
    noAnswer.questions[1]!.answers = noAnswer.questions[1]!.answers!.filter((a) => a.id !== 'not-applicable')
    const noHint = welsh()
    delete noHint.questions[1]!.hint
    const noQuestion = welsh()
    noQuestion.questions = noQuestion.questions.filter((q) => q.id !== 'do-better')
    for (const [translation, missing] of [
      [noAnswer, 'answer not-applicable of child-listened'],
      [noHint, 'hint of child-listened'],
      [noQuestion, 'question do-better'],
    ] as const) {
      const partial = new SurveyRegistry([closure], [translation])
      assert.deepEqual(partial.languagesFor(closure), [], missing)
      assert.equal(partial.inLanguage(closure, 'cy'), closure, 'the English survey is shown instead')
      assert.deepEqual(partial.refusedTranslations, [
        { survey: 'closure-family', version: closure.version, language: 'cy', missing: [missing] },
      ])
    }
    // A translation of a version that does not exist is refused too.
    const orphan = { ...welsh(), version: 99 }
    assert.deepEqual(new SurveyRegistry([closure], [orphan]).refusedTranslations[0]?.missing, [
      'survey closure-family v99',
    ])
  })

  it('checks a translation file with the schema and its name', () => {
    const file = [
      'id: closure-family',
      'version: 2',
      'language: cy',
      'title: Teitl',
      'intro: Helo.',
      'questions:',
      '  - id: share-views',
      '    text: Cwestiwn?',
      "    answers: [{ id: 'yes', label: 'Do' }]",
    ].join('\n')
    assert.equal(parseTranslationFile('closure-family.v2.cy.yaml', file).language, 'cy')
    assert.throws(() => parseTranslationFile('closure-family.v2.pl.yaml', file), /must match the file name/)
    assert.throws(
      () => parseTranslationFile('closure-family.v2.cy.yaml', file.replace('language: cy', 'language: fr')),
      /language: Invalid option/,
    )
    assert.throws(
      () => parseTranslationFile('closure-family.v2.cy.yaml', `${file}\n    positive: ['yes']`),
      /Unrecognized key/,
    )
    assert.throws(
      () => parseTranslationFile('closure-family.v2.cy.yaml', file.replace('text: Cwestiwn?', "text: ''")),
      /questions\[0\] \(share-views\)\.text/,
    )
  })

  it('has every page word in every language', () => {
    const english = keysOf(localeStrings('en')).sort()
    for (const language of FAMILY_LANGUAGE_CODES) {
      assert.deepEqual(keysOf(localeStrings(language)).sort(), english, language)
    }
  })
})
