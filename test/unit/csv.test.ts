import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeCell, toCsv } from '../../server/http/csv'

describe('CSV cells', () => {
  it('neutralises formula injection: = + - @ tab and carriage return', () => {
    for (const dangerous of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) {
      assert.equal(safeCell(dangerous), `'${dangerous}`)
    }
    assert.equal(safeCell('Thank you all'), 'Thank you all')
    assert.equal(safeCell(-5), -5)
  })

  it('quotes commas, quotes and newlines', () => {
    assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"\nthere']]), 'a,b\r\n"x,y","say ""hi""\nthere"\r\n')
  })
})
