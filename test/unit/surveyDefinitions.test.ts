import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isChoiceQuestion } from '../../server/surveys/definition'
import { loadSurveys, parseSurveyFile, SurveyRegistry } from '../../server/surveys/registry'
import { SURVEYS_DIR } from '../../server/services'

const BUILT_IN = [
  'assessment-family',
  'cla-review-family',
  'cla-review-young-person',
  'closure-family',
  'closure-young-person',
  'cp-conference-family',
  'cp-conference-professional',
  'cp-conference-young-person',
  'iro-midway-young-person',
]

describe('survey definitions in surveys/', () => {
  const registry = loadSurveys(SURVEYS_DIR)

  it('loads all nine built-in surveys, each valid against the schema', () => {
    assert.deepEqual(
      registry.all().map((survey) => survey.id),
      BUILT_IN,
    )
  })

  it('keeps closure-family exactly as contracts.md specifies', () => {
    const survey = registry.latest('closure-family')!
    const contract: Record<string, [string[], string[], string[]]> = {
      'share-views': [['yes', 'partly', 'no'], ['yes'], []],
      'child-listened': [['yes', 'partly', 'no', 'not-applicable'], ['yes'], ['not-applicable']],
      'right-people': [['yes', 'partly', 'no', 'dont-know'], ['yes'], ['dont-know']],
      'copy-of-plan': [['yes', 'no', 'dont-know'], ['yes'], ['dont-know']],
      'reach-worker': [['yes', 'sometimes', 'no'], ['yes'], []],
      'positive-difference': [['yes', 'partly', 'no'], ['yes'], []],
    }
    assert.deepEqual(
      survey.questions.map((q) => q.id),
      [...Object.keys(contract), 'went-well', 'do-better'],
    )
    for (const question of survey.questions.filter(isChoiceQuestion)) {
      const [answers, positive, notCounted] = contract[question.id]!
      assert.deepEqual(
        question.answers.map((a) => a.id),
        answers,
        question.id,
      )
      assert.deepEqual(question.positive, positive, question.id)
      assert.deepEqual(question.notCounted, notCounted, question.id)
    }
    assert.equal(survey.questions.find((q) => q.id === 'went-well')?.type, 'free-text')
  })

  it('gives children faces with words on every choice question', () => {
    for (const id of ['closure-young-person', 'cla-review-young-person', 'iro-midway-young-person']) {
      const survey = registry.latest(id)!
      assert.equal(survey.childFriendly, true, id)
      assert.ok(survey.questions.length <= 6, `${id} has few questions`)
      for (const question of survey.questions.filter(isChoiceQuestion)) {
        assert.equal(question.type, 'faces', `${id}/${question.id}`)
        assert.ok(
          question.answers.every((a) => a.face && a.label),
          `${id}/${question.id}`,
        )
      }
    }
  })

  it('names the file, the field and the problem when a definition is wrong', () => {
    const broken = `id: broken\nversion: 1\ntitle: T\nevent: closure\naudience: parent-carer\nintro: Hi\nquestions:\n  - id: q1\n    type: single-choice\n    text: Q?\n    answers: [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }]\n    positive: ["maybe"]\n    statement: s\n`
    assert.throws(
      () => parseSurveyFile('broken.v1.yaml', broken),
      /surveys\/broken\.v1\.yaml: questions\[0\] \(q1\)\.positive: "maybe" is not one of this question's answer ids/,
    )
    const valid = broken.replace('positive: ["maybe"]', 'positive: ["yes"]')
    assert.equal(parseSurveyFile('broken.v1.yaml', valid).id, 'broken')
    assert.throws(() => parseSurveyFile('broken.v2.yaml', valid), /must match the file name/)
    assert.throws(() => parseSurveyFile('broken.yaml', broken), /file name must be/)
    assert.throws(
      () => parseSurveyFile('broken.v1.yaml', broken.replace('event: closure', 'event: party')),
      /event: Invalid option/,
    )
  })

  it('keeps older versions readable after a definition changes', () => {
    const v1 = registry.latest('closure-family')!
    const next = v1.version + 1
    const v2 = { ...v1, version: next, questions: v1.questions.filter((q) => q.id !== 'reach-worker') }
    const both = new SurveyRegistry([v1, v2])
    assert.equal(both.latest('closure-family')?.version, next)
    assert.equal(
      both.version('closure-family', v1.version)?.questions.some((q) => q.id === 'reach-worker'),
      true,
    )
    // Reports still know the removed question, from the older version.
    assert.ok(both.choiceQuestions('closure-family').some((q) => q.id === 'reach-worker'))
  })
})
