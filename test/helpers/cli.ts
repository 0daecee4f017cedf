/** Runs `npm run cli -- …` as a real process (as a person would), for the CLI tests. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import mongoose from 'mongoose'
import { PROJECT_ROOT } from '../../server/db/ferretdbInstall'

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** `env` is the whole environment besides PATH and HOME (e.g. MONGODB_URI); `stdin` is piped in when given. */
export function runCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join('server', 'cli', 'main.ts'), ...args],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    if (stdin !== undefined) child.stdin!.end(stdin)
  })
}

/** The test app's own database as a MONGODB_URI (`mongodb://host:port/NAME`): a CLI given it works on the app's data. */
export function appDatabaseUri(): string {
  const { host, port, name } = mongoose.connection
  return `mongodb://${host}:${port}/${name}`
}
