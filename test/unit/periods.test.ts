import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  lastQuarters,
  monthsIn,
  parsePeriod,
  periodBounds,
  periodKeysFor,
  previousPeriod,
} from '../../server/periods/period'

describe('period keys (Europe/London)', () => {
  it('puts January to March in Q4 of the year that began the April before', () => {
    assert.deepEqual(periodKeysFor(new Date('2021-02-15T12:00:00Z')), {
      year: '2020-21',
      quarter: '2020-21-Q4',
      month: '2021-02',
    })
  })

  it('counts 00:30 BST on 1 April as the new financial year', () => {
    // 00:30 BST on 1 April 2021 is 23:30 UTC on 31 March.
    assert.deepEqual(periodKeysFor(new Date('2021-03-31T23:30:00Z')), {
      year: '2021-22',
      quarter: '2021-22-Q1',
      month: '2021-04',
    })
    assert.equal(periodKeysFor(new Date('2021-03-31T22:59:59Z')).quarter, '2020-21-Q4')
  })

  it('puts 00:30 GMT on 1 January in Q4 (no summer time in winter)', () => {
    assert.equal(periodKeysFor(new Date('2021-01-01T00:30:00Z')).quarter, '2020-21-Q4')
    assert.equal(periodKeysFor(new Date('2020-12-31T23:59:59Z')).quarter, '2020-21-Q3')
  })

  it('moves into Q3 at London midnight on 1 October, still in summer time', () => {
    assert.equal(periodKeysFor(new Date('2020-09-30T23:00:00Z')).quarter, '2020-21-Q3')
    assert.equal(periodKeysFor(new Date('2020-09-30T22:59:59Z')).quarter, '2020-21-Q2')
  })
})

describe('period ids', () => {
  it('reads a quarter with its label and London dates', () => {
    assert.deepEqual(parsePeriod('2020-21-Q4'), {
      id: '2020-21-Q4',
      kind: 'quarter',
      label: '2020/21 Q4',
      from: '2021-01-01',
      to: '2021-03-31',
    })
    assert.deepEqual(parsePeriod('2019-20-Q1'), {
      id: '2019-20-Q1',
      kind: 'quarter',
      label: '2019/20 Q1',
      from: '2019-04-01',
      to: '2019-06-30',
    })
  })

  it('reads financial years, months and custom ranges', () => {
    assert.equal(parsePeriod('2020-21')?.kind, 'year')
    assert.equal(parsePeriod('2020-21')?.to, '2021-03-31')
    assert.deepEqual(parsePeriod('2021-04'), {
      id: '2021-04',
      kind: 'month',
      label: 'April 2021',
      from: '2021-04-01',
      to: '2021-04-30',
    })
    assert.equal(parsePeriod('2021-01-10..2021-02-09')?.kind, 'range')
  })

  it('rejects what is not a period', () => {
    for (const bad of [
      '2020-22',
      '2020-21-Q5',
      '2021-13',
      '2021-02-10..2021-01-01',
      'Q4',
      '',
      '2020-21-Q4; drop',
    ]) {
      assert.equal(parsePeriod(bad), undefined, bad)
    }
  })

  it('gives instants bounded by London midnight, across the clock change', () => {
    const { start, end } = periodBounds(parsePeriod('2021-22-Q1')!)
    assert.equal(start.toISOString(), '2021-03-31T23:00:00.000Z')
    assert.equal(end.toISOString(), '2021-06-30T23:00:00.000Z')
  })

  it('steps back one period of the same kind, and lists trends oldest first', () => {
    assert.equal(previousPeriod(parsePeriod('2021-22-Q1')!)?.id, '2020-21-Q4')
    assert.equal(previousPeriod(parsePeriod('2021-01')!)?.id, '2020-12')
    assert.equal(previousPeriod(parsePeriod('2020-21')!)?.id, '2019-20')
    assert.deepEqual(
      lastQuarters(3, new Date('2021-02-01T00:00:00Z')).map((p) => p.id),
      ['2020-21-Q2', '2020-21-Q3', '2020-21-Q4'],
    )
    assert.deepEqual(
      monthsIn(parsePeriod('2018-19-Q1')!).map((p) => p.id),
      ['2018-04', '2018-05', '2018-06'],
    )
  })
})
