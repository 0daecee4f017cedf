/**
 * Builds the real app against a real database for one test file: a fresh database (unique name)
 * on the suite's FerretDB (TEST_MONGODB_URI, set by `npm test`), or on one started here when a
 * file is run on its own. Time comes from a ManualClock the test controls.
 */
import { randomBytes } from 'node:crypto'
import type { Express } from 'express'
import mongoose from 'mongoose'
import { createApp } from '../../server/app'
import type { Services } from '../../server/services'
import { ManualClock } from '../../server/clock'
import { loadConfig } from '../../server/config'
import { connectDatabase } from '../../server/db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { createServices } from '../../server/services'

export interface TestApp {
  app: Express
  services: Services
  clock: ManualClock
  close(): Promise<void>
}

export interface TestAppOptions {
  /** Extra environment, as the app would read it (e.g. SMTP_URL, SMALL_NUMBER_THRESHOLD). */
  env?: Record<string, string>
  /** Start time of the test clock. */
  now?: string
}

const servicesByApp = new WeakMap<Express, Services>()
let latestServices: Services | undefined

/** The services (clock, config) of an app this helper built: factories use it to sign in. */
export function testServicesOf(app: Express): Services | undefined {
  return servicesByApp.get(app)
}

/** The services of the test app started last in this process. */
export function latestTestServices(): Services | undefined {
  return latestServices
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  let embedded: EmbeddedDatabase | undefined
  let uri = process.env.TEST_MONGODB_URI
  if (!uri) {
    embedded = await startEmbeddedDatabase({ inMemory: true, log: () => undefined })
    uri = embedded.uri
  }
  await connectDatabase(uri, `test_${randomBytes(6).toString('hex')}`)
  const config = loadConfig({
    NODE_ENV: 'test',
    BASE_URL: 'http://family-voice.test',
    DEMO_DATA: 'off',
    ...options.env,
  })
  const clock = new ManualClock(new Date(options.now ?? '2026-11-23T10:00:00Z'))
  const services = createServices(config, { clock })
  const app = createApp(services)
  servicesByApp.set(app, services)
  latestServices = services
  return {
    app,
    services,
    clock,
    async close() {
      await mongoose.connection.dropDatabase().catch(() => undefined)
      await mongoose.disconnect()
      await embedded?.stop()
    },
  }
}
