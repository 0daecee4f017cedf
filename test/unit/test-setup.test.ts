/** What `npm test` does on a machine without Chromium or Go: decided from a fake PATH, nothing installed. */
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { CHROMIUM_MISSING, planChromium } from '../../scripts/chromium'
import {
  GO_MISSING,
  needsBrowser,
  SetupError,
  setUpForTests,
  type TestMachine,
} from '../../scripts/testSetup'
import { PROJECT_ROOT } from '../../server/db/ferretdbInstall'

describe('setting up Chromium for the browser tests', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'fv-chromium-plan-'))
  after(() => rmSync(root, { recursive: true, force: true }))

  /** A directory holding the named files; `executable: false` makes them plain files. */
  function dirWith(names: string[], executable = true): string {
    const dir = mkdtempSync(path.join(root, 'bin-'))
    for (const name of names) {
      const file = path.join(dir, name)
      writeFileSync(file, '#!/bin/sh\n')
      chmodSync(file, executable ? 0o755 : 0o644)
    }
    return dir
  }

  it('uses a Chromium on the PATH, under any of its usual names', () => {
    const empty = dirWith([])
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const dir = dirWith([name])
      assert.deepEqual(planChromium({ env: { PATH: [empty, dir].join(path.delimiter) }, isRoot: false }), {
        kind: 'ready',
        path: path.join(dir, name),
      })
    }
  })

  it('installs Debian’s package when it is missing and we are root with apt-get', () => {
    const tools = dirWith(['apt-get'])
    assert.deepEqual(planChromium({ env: { PATH: tools }, isRoot: true }), {
      kind: 'install',
      aptGet: path.join(tools, 'apt-get'),
    })
  })

  it('otherwise stops with one sentence naming the fix', () => {
    const tools = dirWith(['apt-get'])
    const notExecutable = dirWith(['chromium'], false)
    for (const [env, isRoot] of [
      [{ PATH: tools }, false], // apt-get, but not root
      [{ PATH: dirWith([]) }, true], // root, but no apt-get
      [{ PATH: notExecutable }, true], // a file called chromium that cannot run is not Chromium
      [{}, false],
    ] as const) {
      assert.deepEqual(planChromium({ env, isRoot }), { kind: 'stop', message: CHROMIUM_MISSING })
    }
    assert.equal(CHROMIUM_MISSING.match(/\.(\s|$)/g)?.length, 1, 'one sentence')
    assert.match(CHROMIUM_MISSING, /apt-get install chromium.*CHROMIUM_PATH/)
  })

  it('takes CHROMIUM_PATH over the PATH, and says so when it points at nothing', () => {
    const onPath = dirWith(['chromium'])
    const chosen = path.join(dirWith(['my-chromium']), 'my-chromium')
    assert.deepEqual(planChromium({ env: { PATH: onPath, CHROMIUM_PATH: chosen }, isRoot: false }), {
      kind: 'ready',
      path: chosen,
    })
    assert.deepEqual(
      planChromium({ env: { PATH: onPath, CHROMIUM_PATH: '/nowhere/chromium' }, isRoot: true }),
      {
        kind: 'stop',
        message:
          'CHROMIUM_PATH is set to /nowhere/chromium, which is not an executable file: point it at Chromium, or unset it.',
      },
    )
  })
})

describe('what npm test sets up before running anything', () => {
  const e2e = path.join(PROJECT_ROOT, 'test', 'e2e', 'respond.test.ts')
  const unit = path.join(PROJECT_ROOT, 'test', 'unit', 'periods.test.ts')

  function machine(state: { chromium?: boolean; database?: boolean; go?: boolean }) {
    const calls: string[] = []
    const fake: TestMachine = {
      ensureChromium: () => {
        calls.push('chromium')
        if (!state.chromium) throw new Error(CHROMIUM_MISSING)
        return '/usr/bin/chromium'
      },
      databaseReady: () => state.database ?? false,
      goAvailable: () => state.go ?? false,
      installFerretDb: () => {
        calls.push('ferretdb')
        return '/cache/ferretdb'
      },
    }
    return { fake, calls }
  }

  it('needs Chromium only for the browser tests', () => {
    assert.equal(needsBrowser([unit]), false)
    assert.equal(needsBrowser([unit, e2e]), true)
    const { fake, calls } = machine({ database: true })
    setUpForTests([unit], fake, () => undefined)
    assert.deepEqual(calls, [])
    assert.throws(
      () => setUpForTests([e2e], fake, () => undefined),
      (error: unknown) => error instanceof SetupError && error.message === CHROMIUM_MISSING,
    )
  })

  it('builds FerretDB with Go when it is not built yet, and stops with one sentence without Go', () => {
    const withGo = machine({ chromium: true, go: true })
    setUpForTests([e2e], withGo.fake, () => undefined)
    assert.deepEqual(withGo.calls, ['chromium', 'ferretdb'])

    const withoutGo = machine({ chromium: true, go: false })
    assert.throws(
      () => setUpForTests([unit], withoutGo.fake, () => undefined),
      (error: unknown) => error instanceof SetupError && error.message === GO_MISSING,
    )
    assert.deepEqual(withoutGo.calls, [])
    assert.equal(GO_MISSING.match(/\.(\s|$)/g)?.length, 1, 'one sentence')
    assert.match(GO_MISSING, /install Go/)
  })
})
