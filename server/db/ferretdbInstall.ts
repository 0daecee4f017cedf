/**
 * Finds or builds the pinned FerretDB v1 binary, cached in `.cache/ferretdb/<version>-<patch>/`.
 *
 * Why not a plain `go install …/cmd/ferretdb@v1.24.x`: FerretDB's release version lives in a
 * generated file (build/version/version.txt) that is not in the published module, so the
 * binary `go install` builds panics at start. We download the exact module version, add that
 * one file, apply our reviewed patch (ferretdb-v1.24.patch: a per-collection write lock and
 * index pushdown; its header says why) and build `./cmd/ferretdb` with `go build`. The cache
 * directory names the patch's hash, so changing the patch rebuilds the binary.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sha256Hex } from '../security/sha256'

/** A command's output is for the person who ran it, not a log line. */
const printLine = (line: string): void => void process.stdout.write(`${line}\n`)

/** Tried in this order; the first that the Go module proxy serves is used. */
export const FERRETDB_VERSIONS = ['v1.24.1', 'v1.24.2', 'v1.24.0', 'v1.23.1'] as const
const MODULE = 'github.com/FerretDB/FerretDB'

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..')
const CACHE_DIR = path.join(PROJECT_ROOT, '.cache', 'ferretdb')
export const FERRETDB_PATCH = path.join(__dirname, 'ferretdb-v1.24.patch')

function binaryPath(version: string): string {
  const patchHash = sha256Hex(readFileSync(FERRETDB_PATCH, 'utf8')).slice(0, 12)
  return path.join(CACHE_DIR, `${version}-${patchHash}`, 'ferretdb')
}

export function cachedFerretDbBinary(): string | undefined {
  if (process.env.FERRETDB_BIN && existsSync(process.env.FERRETDB_BIN)) return process.env.FERRETDB_BIN
  for (const version of FERRETDB_VERSIONS) {
    const binary = binaryPath(version)
    if (existsSync(binary)) return binary
  }
  return undefined
}

/** Applies our patch to an unpacked FerretDB module; git apply works outside a repository too. */
function applyPatch(source: string): void {
  execFileSync('git', ['apply', '--whitespace=nowarn', FERRETDB_PATCH], { cwd: source, stdio: 'pipe' })
}

export function mongodOnPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v mongod'], { encoding: 'utf8' })
  const binary = found.stdout.trim()
  return found.status === 0 && binary ? binary : undefined
}

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0
}

interface DownloadResult {
  dir?: string
  error?: string
}

function downloadModule(version: string, env: NodeJS.ProcessEnv): DownloadResult {
  const result = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], {
    encoding: 'utf8',
    env,
    cwd: tmpdir(),
  })
  try {
    const info = JSON.parse(result.stdout) as { Dir?: string; Error?: string }
    if (info.Dir && !info.Error) return { dir: info.Dir }
    return { error: info.Error ?? result.stderr.trim() }
  } catch {
    return { error: (result.stderr || result.stdout).trim() }
  }
}

/** Builds FerretDB into the cache and returns the binary's path. Throws with the Go output if no version can be had. */
export function installFerretDb(log: (line: string) => void = printLine): string {
  const existing = cachedFerretDbBinary()
  if (existing) return existing
  if (!goAvailable()) {
    throw new Error(
      'Go is not installed, so the embedded database (FerretDB) cannot be built; set MONGODB_URI to a MongoDB server instead.',
    )
  }
  const failures: string[] = []
  for (const version of FERRETDB_VERSIONS) {
    log(`Building FerretDB ${version} with the Family Voice patch (first run only, about two minutes)…`)
    let download = downloadModule(version, process.env)
    if (!download.dir && /sum\.golang\.org|checksum database|verifying module/i.test(download.error ?? '')) {
      // The checksum database is unreachable: verification is turned off for this one pinned module only.
      log(
        `The Go checksum database could not be reached; fetching ${MODULE}@${version} without checksum verification.`,
      )
      download = downloadModule(version, {
        ...process.env,
        GONOSUMDB: MODULE,
        GONOSUMCHECK: '1',
        GOFLAGS: '-mod=mod',
      })
    }
    if (!download.dir) {
      failures.push(`${version}: ${download.error}`)
      continue
    }
    const source = mkdtempSync(path.join(tmpdir(), 'ferretdb-src-'))
    try {
      cpSync(download.dir, source, { recursive: true })
      execFileSync('chmod', ['-R', 'u+w', source])
      writeFileSync(path.join(source, 'build', 'version', 'version.txt'), `${version}\n`)
      applyPatch(source)
      const target = binaryPath(version)
      mkdirSync(path.dirname(target), { recursive: true })
      execFileSync('go', ['build', '-trimpath', '-o', target, './cmd/ferretdb'], {
        cwd: source,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' },
      })
      log(`FerretDB ${version} installed at ${path.relative(PROJECT_ROOT, target)}.`)
      return target
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
      failures.push(`${version}: build failed: ${stderr || (error as Error).message}`)
    } finally {
      rmSync(source, { recursive: true, force: true })
    }
  }
  throw new Error(
    `No FerretDB version could be installed; set MONGODB_URI to a MongoDB server instead.\n${failures.join('\n')}`,
  )
}
