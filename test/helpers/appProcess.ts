/** The real app as `npm start` runs it, in a child process, for tests that kill or restart it. */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..', '..')

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface AppProcess {
  port: number
  child: ChildProcess
  output(): string
  exited: Promise<number | null>
}

/**
 * Starts `server/main.ts` with only the given environment (plus PATH and HOME), on `port` or a
 * free one.
 */
export async function startAppProcess(env: Record<string, string>, port?: number): Promise<AppProcess> {
  const listenOn = port ?? (await freePort())
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(listenOn), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { port: listenOn, child, output: () => output, exited }
}

/** Whether /healthz answers 200 now. */
export async function isHealthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`)
    .then((response) => response.ok)
    .catch(() => false)
}

/** Waits until /healthz answers 200 (up to 30 s); false if it never does. */
export async function waitUntilHealthy(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (await isHealthy(port)) return true
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return false
}
