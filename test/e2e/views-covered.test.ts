/**
 * Every page template (views/**\/*.ejs, except views/partials and files starting with `_`) is
 * rendered in some Chromium test and passes axe there. In test mode each page names its template
 * in a `<meta name="fv-view">`, and checkPage (test/helpers/browser.ts) notes it in VIEW_LOG_DIR
 * after axe passes. `npm test` runs this file after the other browser tests with their notes
 * (VIEW_LOG_COMPLETE=1); run on its own, it runs the other browser tests itself first.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { PROJECT_ROOT } from '../../server/db/ferretdbInstall'

const VIEWS = path.join(PROJECT_ROOT, 'views')
const E2E = path.join(PROJECT_ROOT, 'test', 'e2e')

/** Page templates by name as res.render takes them ("respond/survey"). */
export function pageTemplates(directory = VIEWS): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ejs') && !entry.name.startsWith('_'))
    .map((entry) => path.relative(VIEWS, path.join(entry.parentPath, entry.name)).replace(/\.ejs$/, ''))
    .filter((name) => !name.startsWith(`partials${path.sep}`) && !name.startsWith('partials/'))
    .map((name) => name.split(path.sep).join('/'))
    .sort()
}

function checkedViews(directory: string): Set<string> {
  const seen = new Set<string>()
  for (const file of readdirSync(directory)) {
    for (const line of readFileSync(path.join(directory, file), 'utf8').split('\n')) if (line) seen.add(line)
  }
  return seen
}

/** Runs the other browser tests with a fresh log, when this file runs on its own. */
function runOtherBrowserTests(): { directory: string; status: number | null; output: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'family-voice-views-'))
  const files = readdirSync(E2E)
    .filter((name) => name.endsWith('.test.ts') && name !== 'views-covered.test.ts')
    .map((name) => path.join(E2E, name))
  // Without NODE_TEST_CONTEXT: a `node --test` that inherits it (this file runs under the test
  // runner) skips every file, warns and exits 0, and nothing would be checked.
  const { NODE_TEST_CONTEXT: _nested, ...env } = process.env
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=dot', ...files],
    {
      cwd: PROJECT_ROOT,
      env: { ...env, VIEW_LOG_DIR: directory },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  return { directory, status: run.status, output: `${run.stdout}\n${run.stderr}` }
}

describe('every view is rendered in a browser test with axe', () => {
  it('lists the page templates (and can see one is missing)', () => {
    const templates = pageTemplates()
    assert.ok(templates.includes('respond/survey'))
    assert.ok(templates.includes('errors/error'))
    assert.ok(templates.includes('feedback/comment'))
    assert.ok(!templates.some((name) => name.startsWith('partials/') || /(^|\/)_/.test(name)))
  })

  it('has seen every page template pass axe in Chromium', { timeout: 40 * 60 * 1000 }, () => {
    let directory = process.env.VIEW_LOG_DIR
    let context = ''
    if (!directory || process.env.VIEW_LOG_COMPLETE !== '1') {
      const run = runOtherBrowserTests()
      directory = run.directory
      if (run.status !== 0) context = `\n(the browser tests themselves failed:)\n${run.output.slice(-3000)}`
    }
    const seen = checkedViews(directory)
    const missing = pageTemplates().filter((name) => !seen.has(name))
    assert.deepEqual(missing, [], `templates never rendered and checked with axe in Chromium${context}`)
  })
})
