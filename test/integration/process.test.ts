/**
 * The real process, as `npm start` runs it: embedded database on disk, health check, and a clean
 * stop on SIGTERM (HTTP first, then the database, which must not outlive us).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { startAppProcess, waitUntilHealthy } from '../helpers/appProcess'

function ferretDbProcessesUsing(dataDir: string): number {
  const result = spawnSync('pgrep', ['-f', `sqlite-url=file:${dataDir}`], { encoding: 'utf8' })
  return result.stdout.trim() === '' ? 0 : result.stdout.trim().split('\n').length
}

describe('the app process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'family-voice-process-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('starts the embedded database, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const { port, child, output, exited } = await startAppProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off' })
    try {
      assert.ok(await waitUntilHealthy(port), `the app did not become healthy:\n${output()}`)
      assert.match(output(), /Embedded database \(ferretdb\) started/)
      assert.equal(ferretDbProcessesUsing(path.join(dataDir, 'ferretdb')), 1)

      child.kill('SIGTERM')
      assert.equal(await exited, 0, output())
      assert.match(output(), /SIGTERM received: stopping\./)
      assert.equal(ferretDbProcessesUsing(path.join(dataDir, 'ferretdb')), 0, 'FerretDB outlived the app')
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('stops with one clear sentence, not a stack trace, on a wrong setting', async () => {
    const { output, exited } = await startAppProcess({ PORT: 'eighty', DATA_DIR: dataDir })
    assert.equal(await exited, 1)
    assert.equal(
      output().trim(),
      'Configuration error: PORT must be a port number between 0 and 65535, not "eighty".',
    )
  })
})
