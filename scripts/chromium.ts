/**
 * The browser tests need Chromium (Debian's, driven by playwright-core: browser downloads do not
 * work here). `npm test` sets it up as `npm start` sets up FerretDB: found on the PATH or at
 * CHROMIUM_PATH; else installed with apt-get when running as root; else it stops with one sentence
 * naming the fix. planChromium decides and touches nothing, so it can be tested with a fake PATH.
 */
import { accessSync, constants, statSync } from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome']
export const APT_PACKAGES = ['chromium', 'fonts-dejavu-core']

export const CHROMIUM_MISSING =
  'Chromium is missing: run `apt-get install chromium` as root, or set CHROMIUM_PATH to a Chromium binary.'
export const CHROMIUM_NOT_INSTALLED =
  'Chromium could not be installed with apt-get (its output is above): install it with `apt-get install chromium`, or set CHROMIUM_PATH to a Chromium binary.'

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first executable called `name` in the directories of PATH. */
export function findOnPath(name: string, PATH: string | undefined): string | undefined {
  for (const dir of (PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, name)
    if (isExecutableFile(candidate)) return candidate
  }
  return undefined
}

export interface ChromiumEnvironment {
  env: { PATH?: string | undefined; CHROMIUM_PATH?: string | undefined }
  /** Whether this process runs as root (it may install packages). */
  isRoot: boolean
}

/** CHROMIUM_PATH when set, else the first Chromium on the PATH (Debian's is /usr/bin/chromium). */
export function findChromium({ env }: Pick<ChromiumEnvironment, 'env'>): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH
  for (const name of CHROMIUM_NAMES) {
    const found = findOnPath(name, env.PATH)
    if (found) return found
  }
  return undefined
}

export type ChromiumPlan =
  { kind: 'ready'; path: string } | { kind: 'install'; aptGet: string } | { kind: 'stop'; message: string }

export function planChromium(environment: ChromiumEnvironment): ChromiumPlan {
  const { CHROMIUM_PATH } = environment.env
  if (CHROMIUM_PATH) {
    return isExecutableFile(CHROMIUM_PATH)
      ? { kind: 'ready', path: CHROMIUM_PATH }
      : {
          kind: 'stop',
          message: `CHROMIUM_PATH is set to ${CHROMIUM_PATH}, which is not an executable file: point it at Chromium, or unset it.`,
        }
  }
  const found = findChromium(environment)
  if (found) return { kind: 'ready', path: found }
  const aptGet = findOnPath('apt-get', environment.env.PATH)
  if (environment.isRoot && aptGet) return { kind: 'install', aptGet }
  return { kind: 'stop', message: CHROMIUM_MISSING }
}

/** Returns Chromium's path, installing Debian's package first if it must; throws the one sentence otherwise. */
export function ensureChromium(log: (line: string) => void = console.log): string {
  const environment: ChromiumEnvironment = { env: process.env, isRoot: process.getuid?.() === 0 }
  const plan = planChromium(environment)
  if (plan.kind === 'ready') return plan.path
  if (plan.kind === 'stop') throw new Error(plan.message)

  log(`Installing Debian's ${APT_PACKAGES.join(' and ')} for the browser tests (first run only)…`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...APT_PACKAGES],
  ]) {
    const result = spawnSync(plan.aptGet, args, { stdio: ['ignore', 'ignore', 'inherit'], env })
    if (result.status !== 0) throw new Error(CHROMIUM_NOT_INSTALLED)
  }
  const installed = findChromium(environment)
  if (!installed) throw new Error(CHROMIUM_NOT_INSTALLED)
  log(`Chromium installed at ${installed}.`)
  return installed
}
