/**
 * Starts Family Voice: configuration, database (embedded FerretDB when MONGODB_URI is unset),
 * app and background workers. SIGTERM/SIGINT close HTTP first, then the workers, then the database.
 */
import type { Server } from 'node:http'
import path from 'node:path'
import { createServices } from './services'
import { createApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { connectDatabase, disconnectDatabase } from './db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded'
import { PROJECT_ROOT } from './db/ferretdbInstall'
import { startBackgroundWork } from './background'
import { seedDemoData } from './demo/seed'
import { log, setLogLevel } from './log'

/** A start-up failure: one sentence for the person starting the app, not a log line. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
  setLogLevel(config.logLevel)

  let embedded: EmbeddedDatabase | undefined
  if (!config.mongodbUri) {
    try {
      embedded = await startEmbeddedDatabase({
        dataDir: path.resolve(PROJECT_ROOT, config.dataDir),
        durability: config.embeddedDurability,
      })
      log.info(`Embedded database (${embedded.engine}) started; data is kept in ${config.dataDir}/.`)
    } catch (error) {
      fail(`The embedded database could not start: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  const uri = config.mongodbUri ?? embedded!.uri
  try {
    await connectDatabase(uri, config.databaseName)
  } catch (error) {
    await embedded?.stop()
    fail(
      `Could not connect to the database at ${config.mongodbUri ? 'MONGODB_URI' : 'the embedded server'}: ${(error as Error).message}`,
    )
  }
  log.info(`Using the database "${config.databaseName}".`)

  const services = createServices(config)
  if (embedded && config.env !== 'production' && config.demoData !== 'off') await seedDemoData(services)
  const app = createApp(services)
  const background = startBackgroundWork(services)

  const onListening = () => {
    const where = config.host ? `${config.host} port ${config.port}` : `port ${config.port}`
    log.info(`Family Voice is running at ${config.baseUrl} (${where}).`)
  }
  const server: Server = config.host
    ? app.listen(config.port, config.host, onListening)
    : app.listen(config.port, onListening)
  server.on('error', async (error: NodeJS.ErrnoException) => {
    await background.stop()
    await disconnectDatabase()
    await embedded?.stop()
    fail(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use; set PORT to another port.`
        : error.message,
    )
  })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info(`${signal} received: stopping.`)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await background.stop()
    await disconnectDatabase()
    await embedded?.stop()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((error: unknown) => fail(`Family Voice could not start: ${(error as Error).message}`))
