import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { changeText, verdictFor } from '../../server/reports/verdicts'

describe('working well or worried about', () => {
  const base = { suppressed: false, previousPercent: null, fallPoints: 5 }

  it('puts results at or over target under working well', () => {
    assert.deepEqual(verdictFor({ ...base, percent: 90, target: 90 }), {
      verdict: 'working-well',
      reasons: [],
      change: null,
    })
  })

  it('puts results under target under worries, with the reason', () => {
    assert.deepEqual(verdictFor({ ...base, percent: 79, target: 85 }), {
      verdict: 'worry',
      reasons: ['under the target of 85%'],
      change: null,
    })
  })

  it('puts a fall of the configured points or more under worries, even over target', () => {
    assert.deepEqual(
      verdictFor({ ...base, percent: 92, target: 90, previousPercent: 97, previousLabel: '2020/21 Q3' }),
      { verdict: 'worry', reasons: ['down 5 points since 2020/21 Q3'], change: -5 },
    )
    assert.deepEqual(verdictFor({ ...base, percent: 92, target: 90, previousPercent: 96 }), {
      verdict: 'working-well',
      reasons: [],
      change: -4,
    })
    assert.deepEqual(
      verdictFor({ ...base, percent: 28, target: 90, previousPercent: 40, previousLabel: 'May 2018' }),
      {
        verdict: 'worry',
        reasons: ['under the target of 90%', 'down 12 points since May 2018'],
        change: -12,
      },
    )
  })

  it('lists suppressed results under neither', () => {
    assert.deepEqual(
      verdictFor({ ...base, percent: null, suppressed: true, target: 90, previousPercent: 99 }),
      {
        verdict: 'too-few',
        reasons: [],
        change: null,
      },
    )
  })

  it('says the change in points', () => {
    assert.equal(changeText(4), 'up 4 points')
    assert.equal(changeText(-12), 'down 12 points')
    assert.equal(changeText(-1), 'down 1 point')
    assert.equal(changeText(0), 'no change')
    assert.equal(changeText(null), '')
  })
})
