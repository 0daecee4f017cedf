/**
 * `npm test` (scripts/test.ts) as a real process on a "fresh machine": a PATH without Chromium.
 * It stops with one sentence naming the fix, or, as root with apt-get, installs Debian's chromium
 * first. apt-get here is a stand-in on the fake PATH that records how it was called: nothing is
 * installed on this machine.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { CHROMIUM_MISSING } from '../../scripts/chromium'
import { cachedFerretDbBinary, mongodOnPath, PROJECT_ROOT } from '../../server/db/ferretdbInstall'

interface Run {
  code: number | null
  output: string
}

function npmTest(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'test.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { HOME: process.env.HOME ?? '', SKIP_CHECKS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe('npm test on a machine without Chromium', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'fv-fresh-machine-'))
  after(() => rmSync(root, { recursive: true, force: true }))
  const browserTest = path.join(PROJECT_ROOT, 'test', 'e2e', 'respond.test.ts')

  /** A PATH holding only node (and the embedded database's mongod, if that is what this machine uses). */
  function barePath(): string {
    const bin = mkdtempSync(path.join(root, 'bin-'))
    symlinkSync(process.execPath, path.join(bin, 'node'))
    const mongod = cachedFerretDbBinary() ? undefined : mongodOnPath()
    if (mongod) symlinkSync(mongod, path.join(bin, 'mongod'))
    return bin
  }

  it('stops before running anything with one sentence naming the fix', async () => {
    const run = await npmTest([browserTest], { PATH: barePath() })
    assert.equal(run.code, 1)
    assert.equal(run.output.trim(), CHROMIUM_MISSING)
  })

  it('says so in one sentence when CHROMIUM_PATH points at nothing', async () => {
    const run = await npmTest([browserTest], { PATH: barePath(), CHROMIUM_PATH: path.join(root, 'none') })
    assert.equal(run.code, 1)
    assert.equal(
      run.output.trim(),
      `CHROMIUM_PATH is set to ${path.join(root, 'none')}, which is not an executable file: point it at Chromium, or unset it.`,
    )
  })

  it(
    'as root with apt-get, installs chromium and fonts-dejavu-core, then runs the tests',
    { skip: process.getuid?.() !== 0 && 'only root may install packages' },
    async () => {
      const bin = barePath()
      const log = path.join(bin, 'apt-get.log')
      // Records each call; "install" leaves an executable `chromium` beside it, as the package would.
      writeFileSync(
        path.join(bin, 'apt-get'),
        [
          `#!${process.execPath}`,
          "const fs = require('node:fs'), path = require('node:path')",
          `fs.appendFileSync(${JSON.stringify(log)}, process.env.DEBIAN_FRONTEND + ' ' + process.argv.slice(2).join(' ') + '\\n')`,
          "if (process.argv[2] === 'install') fs.writeFileSync(path.join(__dirname, 'chromium'), '#!/bin/sh\\n', { mode: 0o755 })",
        ].join('\n'),
        { mode: 0o755 },
      )
      // A stand-in browser test (under an e2e folder), since the stand-in chromium cannot browse.
      const e2e = path.join(root, 'e2e')
      mkdirSync(e2e, { recursive: true })
      const test = path.join(e2e, 'stand-in.test.ts')
      writeFileSync(test, "import { it } from 'node:test'\nit('runs after the set-up', () => undefined)\n")

      const run = await npmTest([test], { PATH: bin })
      assert.equal(run.code, 0, run.output)
      assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
        'noninteractive update -qq',
        'noninteractive install -y -qq chromium fonts-dejavu-core',
      ])
      assert.match(run.output, new RegExp(`Chromium installed at ${path.join(bin, 'chromium')}\\.`))
      assert.match(run.output, /\n1 passed, 0 failed\n?$/)
    },
  )
})
