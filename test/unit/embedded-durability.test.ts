import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../server/config'

describe('EMBEDDED_DURABILITY, the embedded engine’s disk syncs', () => {
  it('is normal unless set, and full when asked', () => {
    assert.equal(loadConfig({}).embeddedDurability, 'normal')
    assert.equal(loadConfig({ EMBEDDED_DURABILITY: 'full' }).embeddedDurability, 'full')
    assert.equal(loadConfig({ EMBEDDED_DURABILITY: 'normal' }).embeddedDurability, 'normal')
  })

  it('refuses anything else, naming the setting', () => {
    assert.throws(() => loadConfig({ EMBEDDED_DURABILITY: 'off' }), /EMBEDDED_DURABILITY/)
  })
})
