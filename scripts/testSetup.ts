/**
 * What `npm test` sets up before it runs anything, as `npm start` does: FerretDB (built once with
 * Go) and, when browser tests are among the files, Chromium (see chromium.ts). What it cannot set
 * up is a SetupError: one sentence naming the fix, printed alone.
 */
import path from 'node:path'
import {
  cachedFerretDbBinary,
  goAvailable,
  installFerretDb,
  mongodOnPath,
  PROJECT_ROOT,
} from '../server/db/ferretdbInstall'
import { ensureChromium } from './chromium'

/** What the tests cannot run without, said in one sentence that names the fix. */
export class SetupError extends Error {}

export const GO_MISSING =
  'Go is missing, so the embedded database for the tests (FerretDB) cannot be built: install Go (https://go.dev/dl/) or put a mongod on the PATH.'

/** Browser tests live under test/e2e. */
export function needsBrowser(files: string[]): boolean {
  return files.some((file) => path.relative(PROJECT_ROOT, file).split(path.sep).includes('e2e'))
}

/** The machine as setUpForTests sees it; tests give their own. */
export interface TestMachine {
  ensureChromium(log: (line: string) => void): string
  /** A FerretDB already built, or a mongod on the PATH. */
  databaseReady(): boolean
  goAvailable(): boolean
  installFerretDb(log: (line: string) => void): string
}

const thisMachine: TestMachine = {
  ensureChromium,
  databaseReady: () => Boolean(cachedFerretDbBinary() ?? mongodOnPath()),
  goAvailable,
  installFerretDb,
}

export function setUpForTests(
  files: string[],
  machine: TestMachine = thisMachine,
  log: (line: string) => void = console.log,
): void {
  if (needsBrowser(files)) {
    try {
      machine.ensureChromium(log)
    } catch (error) {
      throw new SetupError((error as Error).message)
    }
  }
  if (machine.databaseReady()) return
  if (!machine.goAvailable()) throw new SetupError(GO_MISSING)
  try {
    machine.installFerretDb(log)
  } catch (error) {
    throw new SetupError((error as Error).message)
  }
}
