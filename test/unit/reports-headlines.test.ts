import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parsePeriod } from '../../server/periods/period'
import {
  answerRows,
  headlineFor,
  headlineSentence,
  percentHalfUp,
  resultFrom,
} from '../../server/reports/headlines'
import { leadSentence } from '../../server/reports/sentences'
import type { TCaseEvent, TChoiceQuestion, TRespondentType } from '../../server/surveys/definition'

const childListened: TChoiceQuestion = {
  id: 'child-listened',
  type: 'single-choice',
  text: 'Did your worker speak to your child and listen to what they had to say?',
  required: false,
  answers: [
    { id: 'yes', label: 'Yes' },
    { id: 'partly', label: 'Partly' },
    { id: 'no', label: 'No' },
    { id: 'not-applicable', label: 'Not applicable' },
  ],
  positive: ['yes'],
  notCounted: ['not-applicable'],
  statement: 'the practitioner spoke to their child and listened to their views',
  target: 90,
}

describe('percentages rounded half up', () => {
  it('rounds exact halves up, in integers', () => {
    assert.equal(percentHalfUp(1, 8), 13) // 12.5
    assert.equal(percentHalfUp(5, 8), 63) // 62.5
    assert.equal(percentHalfUp(3, 8), 38) // 37.5
    assert.equal(percentHalfUp(187, 200), 94) // 93.5
    assert.equal(percentHalfUp(1, 200), 1) // 0.5
  })

  it('rounds everything else to the nearest whole percent', () => {
    assert.equal(percentHalfUp(113, 114), 99) // 99.12
    assert.equal(percentHalfUp(100, 114), 88) // 87.72
    assert.equal(percentHalfUp(1, 3), 33)
    assert.equal(percentHalfUp(2, 3), 67)
    assert.equal(percentHalfUp(0, 7), 0)
    assert.equal(percentHalfUp(7, 7), 100)
  })

  it('refuses a denominator of nothing', () => {
    assert.throws(() => percentHalfUp(0, 0), RangeError)
    assert.throws(() => percentHalfUp(1.5, 3), RangeError)
  })

  it('gives no percentage when nobody answered, and suppresses it', () => {
    assert.deepEqual(resultFrom(0, 0, 5), { answered: 0, positive: 0, percent: null, suppressed: true })
    assert.deepEqual(resultFrom(4, 4, 5), { answered: 4, positive: 4, percent: null, suppressed: true })
    assert.deepEqual(resultFrom(5, 4, 5), { answered: 5, positive: 4, percent: 80, suppressed: false })
  })
})

describe('a headline', () => {
  it('leaves "not counted" answers and unknown answer ids out of the denominator', () => {
    const counts = new Map([
      ['yes', 103],
      ['partly', 3],
      ['no', 2],
      ['not-applicable', 6],
      ['retired-answer', 9],
    ])
    // 108 answered: the 9 answers to a retired answer id and the 6 "not applicable" are not counted.
    assert.deepEqual(headlineFor(childListened, counts, 5), {
      answered: 108,
      positive: 103,
      percent: 95,
      suppressed: false,
      question: 'child-listened',
      statement: 'the practitioner spoke to their child and listened to their views',
    })
  })

  it('treats a question nobody answered as suppressed with no percentage', () => {
    assert.deepEqual(headlineFor(childListened, undefined, 5), {
      question: 'child-listened',
      statement: 'the practitioner spoke to their child and listened to their views',
      answered: 0,
      positive: 0,
      percent: null,
      suppressed: true,
    })
  })

  it('makes the published sentence', () => {
    assert.equal(
      headlineSentence(99, 'the practitioner gave them opportunities to share their views and opinions'),
      '99% told us that the practitioner gave them opportunities to share their views and opinions',
    )
  })

  it('lists every answer with its count and percent, "not counted" ones without a percent', () => {
    const rows = answerRows(
      childListened,
      new Map([
        ['yes', 1],
        ['no', 7],
        ['not-applicable', 2],
      ]),
      5,
    )
    assert.deepEqual(
      rows.map((row) => [row.label, row.count, row.percent]),
      [
        ['Yes', 1, 13],
        ['Partly', 0, 0],
        ['No', 7, 88],
        ['Not applicable', 2, null],
      ],
    )
    const hidden = answerRows(childListened, new Map([['yes', 3]]), 5)
    assert.deepEqual(
      hidden.map((row) => row.percent),
      [null, null, null, null],
    )
  })
})

describe('the lead sentence', () => {
  it('names the people, the moment and the period', () => {
    const cases: [number, TRespondentType, TCaseEvent, string, string][] = [
      [
        114,
        'parent-carer',
        'closure',
        '2020-21-Q4',
        '114 families gave us feedback following closure in 2020/21 Q4',
      ],
      [
        1,
        'parent-carer',
        'closure',
        '2020-21-Q4',
        '1 family gave us feedback following closure in 2020/21 Q4',
      ],
      [
        30,
        'child-young-person',
        'cla-review',
        '2019-04-01..2019-09-30',
        '30 children and young people gave us feedback after a looked-after child review from 1 Apr 2019 to 30 Sep 2019',
      ],
      [
        25,
        'professional',
        'cp-conference',
        '2018-06',
        '25 professionals gave us feedback after a child protection conference in June 2018',
      ],
      [
        12,
        'carer',
        'assessment',
        '2021-22',
        '12 carers gave us feedback at the end of their assessment in 2021/22',
      ],
      [
        7,
        'child-young-person',
        'iro-midway',
        '2021-22-Q1',
        '7 children and young people gave us feedback at an IRO mid-way visit in 2021/22 Q1',
      ],
    ]
    for (const [responses, respondent, event, period, sentence] of cases) {
      assert.equal(leadSentence(responses, respondent, event, parsePeriod(period)!), sentence)
    }
  })
})
