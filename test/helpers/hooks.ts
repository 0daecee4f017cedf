/**
 * The before/after pair most test files (or describes) open with, said once: start what the tests
 * need before them and stop it after. Each returns an object that is filled in when its before hook
 * runs, so the tests and any later hooks of the same describe read it as they would a variable set
 * in their own before hook. Call these where the describe declared its `let t: TestApp`: hooks run
 * in the order they are registered (after hooks too), so what is started first is stopped first.
 */
import { after, before } from 'node:test'
import type { Service, Team } from '../../server/teams/team'
import { createTeam } from './factories'
import { startNotifyServer, type TestNotifyServer } from './notifyServer'
import { startSmtpServer, type TestSmtpServer } from './smtp'
import { startTestApp, type TestApp, type TestAppOptions } from './testApp'

/** Starts something before the tests and stops it after; its properties are copied, getters as getters. */
function useStarted<T extends object>(start: () => Promise<T>, stop: (started: T) => Promise<void>): T {
  const started = {} as T
  let running = false
  before(async () => {
    Object.defineProperties(started, Object.getOwnPropertyDescriptors(await start()))
    running = true
  })
  after(async () => {
    if (running) await stop(started)
  })
  return started
}

/** Starts the app before the tests (options may be read then, e.g. a mail server's URL) and closes it after. */
export function useTestApp(options: TestAppOptions | (() => TestAppOptions) = {}): TestApp {
  return useStarted(
    () => startTestApp(typeof options === 'function' ? options() : options),
    (t) => t.close(),
  )
}

/** A mail server on loopback and an app that sends to it (SMTP_URL). */
export function useTestAppWithMail(options: TestAppOptions = {}): { t: TestApp; smtp: TestSmtpServer } {
  const smtp = useStarted(startSmtpServer, (server) => server.stop())
  const t = useTestApp(() => ({ ...options, env: { SMTP_URL: smtp.url, ...options.env } }))
  return { t, smtp }
}

/** A GOV.UK Notify stand-in on loopback and an app that sends through it. */
export function useTestAppWithNotify(options: TestAppOptions = {}): { t: TestApp; notify: TestNotifyServer } {
  const notify = useStarted(startNotifyServer, (server) => server.stop())
  const t = useTestApp(() => ({ ...options, env: { ...notify.env, ...options.env } }))
  return { t, notify }
}

/** A team made before the tests, for a describe that needs just one (call it after useTestApp). */
export function useTeam(name: string, service?: Service): Team {
  return useStarted(
    () => createTeam(name, service),
    async () => undefined,
  )
}
