import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resultFrom } from '../../server/reports/headlines'
import {
  answeredText,
  cellJson,
  derivableCounts,
  percentText,
  primaryStatus,
  protectComplements,
  protectDerivable,
  protectSmallNumbers,
  type CellStatus,
} from '../../server/reports/suppression'

const statuses = (cells: { status: CellStatus }[]) => cells.map((cell) => cell.status)

describe('small-number suppression', () => {
  it('hides a percentage over fewer than the threshold as "fewer than 5"', () => {
    const [cell] = protectSmallNumbers([resultFrom(4, 3, 5)], [])
    assert.equal(percentText(cell!, 5), 'fewer than 5')
    assert.equal(answeredText(cell!, 5), 'fewer than 5')
    assert.deepEqual(cellJson(cell!), { answered: null, positive: null, percent: null, suppressed: true })
  })

  it('uses the configured threshold', () => {
    const [shown, hidden] = protectSmallNumbers([resultFrom(10, 9, 10), resultFrom(9, 9, 10)], [])
    assert.equal(percentText(shown!, 10), '90%')
    assert.equal(percentText(hidden!, 10), 'fewer than 10')
  })

  it('hides the next-smallest cell so a hidden one cannot be worked out from the total', () => {
    // Teams A 40/50, B 3/3 (small), C 18/20, D 25/30; the total 86/103 is shown.
    // Without protection, B = total minus A, C and D: 86 - 40 - 18 - 25 = 3 of 103 - 100 = 3.
    const results = [resultFrom(50, 40, 5), resultFrom(3, 3, 5), resultFrom(20, 18, 5), resultFrom(30, 25, 5)]
    const cells = protectSmallNumbers(results, [[0, 1, 2, 3]])
    assert.deepEqual(statuses(cells), ['shown', 'small', 'protecting', 'shown'])
    assert.equal(percentText(cells[2]!, 5), 'hidden')
    assert.equal(answeredText(cells[2]!, 5), 'hidden')
    assert.deepEqual(cellJson(cells[2]!), { answered: null, positive: null, percent: null, suppressed: true })

    // What a reader can now subtract gives only B and C together, never B alone.
    const shownAnswered = cells.filter((c) => c.status === 'shown').reduce((sum, c) => sum + c.answered, 0)
    assert.equal(103 - shownAnswered, 23)
  })

  it('leaves a group alone when two or more cells are already hidden, or none', () => {
    const two = protectSmallNumbers(
      [resultFrom(2, 1, 5), resultFrom(3, 3, 5), resultFrom(20, 18, 5)],
      [[0, 1, 2]],
    )
    assert.deepEqual(statuses(two), ['small', 'small', 'shown'])
    const none = protectSmallNumbers([resultFrom(20, 18, 5), resultFrom(30, 3, 5)], [[0, 1]])
    assert.deepEqual(statuses(none), ['shown', 'shown'])
  })

  it('does not count a cell nobody answered as hiding anything', () => {
    const cells = protectSmallNumbers(
      [resultFrom(0, 0, 5), resultFrom(2, 2, 5), resultFrom(9, 4, 5), resultFrom(7, 7, 5)],
      [[0, 1, 2, 3]],
    )
    assert.deepEqual(statuses(cells), ['empty', 'small', 'shown', 'protecting'])
    assert.equal(percentText(cells[0]!, 5), 'no answers')
  })

  it('picks the first of equally small cells', () => {
    const cells = protectSmallNumbers(
      [resultFrom(12, 6, 5), resultFrom(1, 1, 5), resultFrom(12, 9, 5)],
      [[0, 1, 2]],
    )
    assert.deepEqual(statuses(cells), ['protecting', 'small', 'shown'])
  })

  it('repeats across overlapping groups until no group has a single hidden cell', () => {
    // A 2x2 table whose rows and columns both add up to shown totals:
    //   [0] 3   [1] 10
    //   [2] 12  [3] 20
    // Hiding [0] forces [1] (row) and [2] (column); then [3] is hidden in column 2 / row 2
    // alongside them, so every row and column has two hidden cells.
    const cells = protectSmallNumbers(
      [resultFrom(3, 1, 5), resultFrom(10, 5, 5), resultFrom(12, 6, 5), resultFrom(20, 10, 5)],
      [
        [0, 1],
        [2, 3],
        [0, 2],
        [1, 3],
      ],
    )
    assert.deepEqual(statuses(cells), ['small', 'protecting', 'protecting', 'protecting'])
  })

  it('keeps going, pass after pass, along a chain a single pass would leave half done', () => {
    // Groups listed so that each protection exposes the group checked before it:
    // hiding [0] forces [1] (group 0-1), which forces [2] (1-2), which forces [3] (2-3).
    const chain = [
      [2, 3],
      [1, 2],
      [0, 1],
    ]
    const results = [resultFrom(2, 1, 5), resultFrom(10, 5, 5), resultFrom(11, 6, 5), resultFrom(12, 7, 5)]
    const cells = protectSmallNumbers(results, chain)
    assert.deepEqual(statuses(cells), ['small', 'protecting', 'protecting', 'protecting'])
    // And no group is left with exactly one hidden cell, so none can be worked out.
    for (const group of chain) {
      assert.notEqual(group.filter((i) => cells[i]!.status !== 'shown').length, 1)
    }
  })

  it('hides a filtered result whose complement within a wider total is small (the complement rule)', () => {
    const riverside = resultFrom(37, 34, 5)
    const hidden = protectComplements([riverside], [[resultFrom(40, 35, 5)]], 5)
    assert.deepEqual(hidden[0], {
      answered: 37,
      positive: 34,
      percent: null,
      suppressed: true,
      protecting: true,
    })
    assert.equal(primaryStatus(hidden[0]!), 'protecting')
    // The whole total (complement 0) or a big enough complement leaves it shown.
    assert.equal(protectComplements([riverside], [[resultFrom(37, 34, 5)]], 5)[0]!.percent, 92)
    assert.equal(protectComplements([riverside], [[resultFrom(42, 36, 5)]], 5)[0]!.percent, 92)
    assert.equal(protectComplements([riverside], [[resultFrom(40, 35, 5)]], 3)[0]!.percent, 92)
    // Any one wider total is enough to hide it; an already small result stays "small".
    assert.equal(
      protectComplements([riverside], [[resultFrom(50, 40, 5), resultFrom(38, 35, 5)]], 5)[0]!.protecting,
      true,
    )
    const small = protectComplements([resultFrom(3, 1, 5)], [[resultFrom(4, 2, 5)]], 5)[0]!
    assert.equal(primaryStatus(small), 'small')
  })

  it('works out by inclusion and exclusion what reports with fewer filters give away', () => {
    // Team and respondent: [both, team only (respondent removed), respondent only, neither].
    // Riverside parents 13, Riverside 30, parents 30, everyone 50: other teams' other
    // respondents are 50 - 30 - 30 + 13 = 3.
    assert.deepEqual(derivableCounts([13, 30, 30, 50]), [17, 17, 3])
    // Three filters: the cell with all three negated is the alternating sum of all eight.
    const counts = derivableCounts([2, 5, 6, 12, 7, 15, 16, 40])
    assert.equal(counts.length, 7)
    assert.equal(counts[6], 40 - 16 - 15 - 12 + 7 + 6 + 5 - 2)
  })

  it('hides a result with two filters when a cell three reports away is small, though every one difference is big', () => {
    const both = resultFrom(13, 12, 5)
    // Each single subtraction leaves 17, 17 or 37: the one-filter rule lets it through.
    const pairwise = protectComplements(
      [both],
      [[resultFrom(30, 25, 5), resultFrom(30, 26, 5), resultFrom(50, 40, 5)]],
      5,
    )
    assert.equal(pairwise[0]!.percent, 92)
    const hidden = protectDerivable(pairwise, [[30, 30, 50]], 5)[0]!
    assert.deepEqual([hidden.percent, hidden.suppressed, hidden.protecting], [null, true, true])
    assert.equal(protectDerivable(pairwise, [[30, 30, 52]], 5)[0]!.percent, 92, '5 others: big enough')
    assert.equal(
      protectDerivable(pairwise, [[30, 30, 47]], 5)[0]!.percent,
      92,
      'nobody else: nothing to give away',
    )
    assert.equal(
      protectDerivable(pairwise, [[30, 30, 50]], 5, [3])[0]!.percent,
      92,
      'an ignored set is not checked',
    )
  })
})
