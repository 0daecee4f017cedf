/**
 * The real process, as `npm start` runs it: embedded database on disk, health check, and a clean
 * stop on SIGTERM (HTTP first, then the database, which must not outlive us).
 */
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'

const ROOT = path.resolve(__dirname, '..', '..')

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function startApp(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output }
}

function ferretDbProcessesUsing(dataDir: string): number {
  const result = spawnSync('pgrep', ['-f', `sqlite-url=file:${dataDir}`], { encoding: 'utf8' })
  return result.stdout.trim() === '' ? 0 : result.stdout.trim().split('\n').length
}

describe('the app process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'family-voice-process-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('starts the embedded database, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort()
    const { child, output } = startApp({ PORT: String(port), DATA_DIR: dataDir, DEMO_DATA: 'off' })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      let healthy = false
      for (let attempt = 0; attempt < 150 && !healthy; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`)
          .then((response) => response.ok)
          .catch(() => false)
      }
      assert.ok(healthy, `the app did not become healthy:\n${output()}`)
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
    const { child, output } = startApp({ PORT: 'eighty', DATA_DIR: dataDir })
    const code = await new Promise<number | null>((resolve) =>
      child.on('exit', (exitCode) => resolve(exitCode)),
    )
    assert.equal(code, 1)
    assert.equal(
      output().trim(),
      'Configuration error: PORT must be a port number between 0 and 65535, not "eighty".',
    )
  })
})
