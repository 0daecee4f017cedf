/**
 * `npm test`: type-check, lint, formatting and import-cycle checks, then every test file against one throwaway in-memory FerretDB
 * (each test file uses its own database in it). Ends with the line `N passed, N failed`.
 *
 *   npm test                  everything
 *   npm test -- test/unit     only files under a path (the checks still run)
 *   SKIP_CHECKS=1 npm test    skip the checks (quicker while working)
 *
 * First it sets up what the tests need, as `npm start` does: FerretDB (built once with Go) and,
 * for the browser tests, Chromium (installed with apt-get when run as root). What it cannot set
 * up stops it at once with one sentence naming the fix.
 */
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmbeddedDatabase } from '../server/db/embedded'
import { PROJECT_ROOT } from '../server/db/ferretdbInstall'
import { SetupError, setUpForTests } from './testSetup'

function testFiles(root: string): string[] {
  if (!existsSync(root))
    throw new SetupError(`There is no test file or folder at ${path.relative(PROJECT_ROOT, root)}.`)
  if (statSync(root).isFile()) return [root]
  return readdirSync(root, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(root, entry.name)
      if (entry.isDirectory()) return entry.name === 'helpers' ? [] : testFiles(full)
      return entry.name.endsWith('.test.ts') ? [full] : []
    })
    .sort()
}

function check(name: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n▶ ${name}\n`)
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit' })
  const ok = result.status === 0
  console.log(ok ? `✔ ${name} passed` : `✖ ${name} failed`)
  return ok
}

/** One run of node's test runner over some files; its counts, a failure if it died unreported. */
async function runTests(
  files: readonly string[],
  env: Record<string, string>,
): Promise<{ passed: number; failed: number; skipped: number }> {
  const countsFile = path.join(mkdtempSync(path.join(tmpdir(), 'family-voice-test-')), 'counts.json')
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(PROJECT_ROOT, 'scripts', 'countReporter.mjs')}`,
      `--test-reporter-destination=${countsFile}`,
      ...files,
    ],
    {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env, NODE_ENV: 'test' },
    },
  )
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
  let counts = { passed: 0, failed: 0, skipped: 0 }
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8')) as typeof counts
  } catch {
    counts.failed += 1 // the runner died before reporting
  }
  if (exitCode !== 0 && counts.failed === 0) counts.failed += 1
  return counts
}

async function main(): Promise<void> {
  const targets = process.argv.slice(2)
  const files = (targets.length ? targets : ['test']).flatMap((target) =>
    testFiles(path.resolve(PROJECT_ROOT, target)),
  )
  setUpForTests(files)

  let checksPassed = 0
  let checksFailed = 0
  if (!process.env.SKIP_CHECKS) {
    const bin = path.join(PROJECT_ROOT, 'node_modules', '.bin')
    for (const [name, command, args] of [
      ['type-check (tsc --noEmit)', path.join(bin, 'tsc'), ['--noEmit']],
      ['lint (eslint)', path.join(bin, 'eslint'), ['.', '--max-warnings=0']],
      ['format (prettier --check)', path.join(bin, 'prettier'), ['--check', '--log-level=warn', '.']],
      // Type-only imports count too: dependencies in server/ point one way.
      [
        'no import cycles (dpdm)',
        path.join(bin, 'dpdm'),
        ['--no-warning', '--no-tree', '--exit-code', 'circular:1', 'server/**/*.ts'],
      ],
    ] as const) {
      if (check(name, command, [...args])) checksPassed++
      else checksFailed++
    }
  }

  const database = await startEmbeddedDatabase({ inMemory: true, log: () => undefined })
  console.log(`\n▶ tests (database: in-memory ${database.engine})`)

  // The view-coverage check reads what the other browser tests saw, so it runs after them.
  const viewLogDir = mkdtempSync(path.join(tmpdir(), 'family-voice-views-'))
  const coverage = files.filter((file) => path.basename(file) === 'views-covered.test.ts')
  const others = files.filter((file) => !coverage.includes(file))
  const allBrowserTests = testFiles(path.join(PROJECT_ROOT, 'test', 'e2e')).filter(
    (file) => !coverage.includes(file),
  )
  const sawEveryBrowserTest = allBrowserTests.every((file) => others.includes(file))
  const counts = { passed: 0, failed: 0, skipped: 0 }
  for (const [batch, extraEnv] of [
    [others, {}],
    [coverage, sawEveryBrowserTest ? { VIEW_LOG_COMPLETE: '1' } : {}],
  ] as const) {
    if (batch.length === 0) continue
    const batchCounts = await runTests(batch, {
      TEST_MONGODB_URI: database.uri,
      VIEW_LOG_DIR: viewLogDir,
      ...extraEnv,
    })
    counts.passed += batchCounts.passed
    counts.failed += batchCounts.failed
    counts.skipped += batchCounts.skipped
  }
  await database.stop()

  const passed = counts.passed + checksPassed
  const failed = counts.failed + checksFailed
  console.log(`\n${passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`)
  process.exit(failed > 0 ? 1 : 0)
}

main().catch((error: unknown) => {
  if (error instanceof SetupError) {
    console.error(error.message)
    process.exit(1)
  }
  console.error(error)
  console.log('\n0 passed, 1 failed')
  process.exit(1)
})
