/**
 * `npm run cli -- <command> [options]`: commands run against the same MONGODB_URI as the app
 * (or the embedded database's data in ./data when it is unset). Each command lives in its own file.
 */
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import mongoose from 'mongoose'
import { ConfigError, loadConfig } from '../config'
import { connectDatabase } from '../db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded'
import { PROJECT_ROOT } from '../db/ferretdbInstall'
import { createServices } from '../services'
import type { CliCommand } from './command'
import { createApiTokenCommand } from './createApiToken'
import { createInvitationCommand } from './createInvitation'
import { createUserCommand } from './createUser'
import { importResponsesCommand } from './importResponses'
import { recountReportsCommand } from './recountReports'

const COMMANDS: CliCommand[] = [
  createInvitationCommand,
  createApiTokenCommand,
  importResponsesCommand,
  createUserCommand,
  recountReportsCommand,
]

export class CliError extends Error {}

function usage(): string {
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage}`),
  ].join('\n')
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2)
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    console.error(name ? `Unknown command "${name}".\n\n${usage()}` : usage())
    return 2
  }
  let values: Record<string, string | boolean | undefined>
  let positionals: string[]
  try {
    const parsed = parseArgs({
      args: rest,
      options: command.options as ParseArgsConfig['options'],
      allowPositionals: true,
      strict: true,
    })
    values = parsed.values as Record<string, string | boolean | undefined>
    positionals = parsed.positionals
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run cli -- ${command.usage}`)
    return 2
  }

  let embedded: EmbeddedDatabase | undefined
  try {
    const config = loadConfig()
    if (!config.mongodbUri) {
      embedded = await startEmbeddedDatabase({
        dataDir: path.resolve(PROJECT_ROOT, config.dataDir),
        durability: config.embeddedDurability,
        log: (line) => console.error(line),
      })
    }
    await connectDatabase(config.mongodbUri ?? embedded!.uri, config.databaseName)
    const services = createServices(config)
    return await command.run({
      services,
      values,
      positionals,
      stdin: process.stdin,
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    })
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CliError) {
      console.error(error.message)
      return 1
    }
    console.error(`Failed: ${(error as Error).message}`)
    return 1
  } finally {
    await mongoose.disconnect().catch(() => undefined)
    await embedded?.stop()
  }
}

main().then((code) => process.exit(code))
