/**
 * The embedded database: with no MONGODB_URI the app starts its own MongoDB-protocol server
 * (FerretDB v1 on SQLite, or a `mongod` found on the PATH), on loopback only, and stops it on exit.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { EmbeddedDurability } from './embeddedDurability'
import { cachedFerretDbBinary, installFerretDb, mongodOnPath } from './ferretdbInstall'
import { log as logger } from '../log'

export interface EmbeddedDatabase {
  uri: string
  engine: 'ferretdb' | 'mongod'
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Directory for the data files; ignored when inMemory. */
  dataDir?: string
  /** Tests: SQLite in memory, nothing left on disk. */
  inMemory?: boolean
  log?: (line: string) => void
  /** FerretDB's SQLite commits: see sqlitePragmas (EMBEDDED_DURABILITY). */
  durability?: EmbeddedDurability
}

/**
 * SQLite settings added to FerretDB's own (busy_timeout 10 s, WAL journal, auto_vacuum none).
 * - synchronous: 'full' (SQLite's default) syncs the write-ahead log to disk at every commit;
 *   'normal' only at checkpoints. Each commit holds SQLite's single write lock, so with 'full' a
 *   burst of submissions queues behind one disk sync each. With 'normal' a crash of FerretDB or of
 *   the app loses nothing and the file cannot be corrupted, but a power cut or operating-system
 *   crash can undo the last commits before the checkpoint (seconds of work: a family's answers
 *   could be lost after they saw "Thank you"). See README "Performance".
 * - cache_size: 64 MiB of pages per connection (SQLite's default is 2 MiB), so index pages of a
 *   million documents and index builds' sorting stay in memory; temp_store keeps sorts off disk.
 */
function sqlitePragmas(durability: EmbeddedDurability): string {
  return [`synchronous(${durability})`, 'cache_size(-65536)', 'temp_store(memory)']
    .map((pragma) => `_pragma=${pragma}`)
    .join('&')
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `The embedded database exited at start (code ${child.exitCode}): ${output().trim().slice(-500)}`,
      )
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`The embedded database did not start listening within ${timeoutMs / 1000} s.`)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(killer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export async function startEmbeddedDatabase(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line: string) => logger.info(line))
  const port = await freePort()
  let binary = cachedFerretDbBinary()
  const mongod = binary ? undefined : mongodOnPath()
  let scratchDir: string | undefined
  let child: ChildProcess
  let engine: EmbeddedDatabase['engine']

  if (mongod) {
    engine = 'mongod'
    const dbPath = options.inMemory
      ? (scratchDir = mkdtempSync(path.join(tmpdir(), 'family-voice-mongod-')))
      : path.resolve(options.dataDir ?? 'data', 'mongod')
    mkdirSync(dbPath, { recursive: true })
    child = spawn(mongod, ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port), '--quiet'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
  } else {
    binary ??= installFerretDb(log)
    engine = 'ferretdb'
    // FerretDB's SQLite URL must name an existing directory, even for in-memory databases.
    const sqliteDir = options.inMemory
      ? (scratchDir = mkdtempSync(
          path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'family-voice-ferretdb-'),
        ))
      : path.resolve(options.dataDir ?? 'data', 'ferretdb')
    mkdirSync(sqliteDir, { recursive: true })
    // Throwaway databases are SQLite files in a scratch directory (removed on stop), not
    // `?mode=memory`: FerretDB v1 limits an in-memory pool to one connection, and an update that
    // matches a document then waits forever for a second one (updateOne/updateMany hang).
    const sqliteUrl = `file:${sqliteDir}/?${sqlitePragmas(options.durability ?? 'normal')}`
    child = spawn(
      binary,
      [
        '--handler=sqlite',
        `--sqlite-url=${sqliteUrl}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--state-dir=-',
        '--log-level=warn',
        // Documents per SQLite transaction in an insertMany (FerretDB's default is 100): fewer,
        // larger commits when the bench seeds or the CLI imports.
        '--test-batch-size=1000',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
  }

  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  })
  // If this process dies without stopping us, take the database down with it.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  try {
    await waitForPort(port, child, () => output)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    engine,
    async stop() {
      process.removeListener('exit', killOnExit)
      await stopChild(child)
      if (scratchDir) rmSync(scratchDir, { recursive: true, force: true })
    },
  }
}
