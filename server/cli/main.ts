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
import { HttpError } from '../http/errors'
import { createServices } from '../services'
import type { CliCommand } from './command'
import { applyRetentionCommand } from './applyRetention'
import { createApiTokenCommand } from './createApiToken'
import { createInvitationCommand } from './createInvitation'
import { createTeamCommand } from './createTeam'
import { createUserCommand } from './createUser'
import { eraseCaseCommand } from './eraseCase'
import { importResponsesCommand } from './importResponses'
import { recountReportsCommand } from './recountReports'

/** A command's output is for the person who ran it, not a log line. */
const printLine = (line: string): void => void process.stdout.write(`${line}\n`)
const printError = (line: string): void => void process.stderr.write(`${line}\n`)

const COMMANDS: CliCommand[] = [
  createInvitationCommand,
  createApiTokenCommand,
  importResponsesCommand,
  createUserCommand,
  createTeamCommand,
  recountReportsCommand,
  eraseCaseCommand,
  applyRetentionCommand,
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
    printError(name ? `Unknown command "${name}".\n\n${usage()}` : usage())
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
    printError(`${(error as Error).message}\nUsage: npm run cli -- ${command.usage}`)
    return 2
  }

  let embedded: EmbeddedDatabase | undefined
  try {
    const config = loadConfig()
    if (!config.mongodbUri) {
      embedded = await startEmbeddedDatabase({
        dataDir: path.resolve(PROJECT_ROOT, config.dataDir),
        durability: config.embeddedDurability,
        log: (line) => printError(line),
      })
    }
    await connectDatabase(config.mongodbUri ?? embedded!.uri, config.databaseName)
    const services = createServices(config)
    return await command.run({
      services,
      values,
      positionals,
      stdin: process.stdin,
      out: (line) => printLine(line),
      err: (line) => printError(line),
    })
  } catch (error) {
    // The services refuse bad input with the message they would show on a form.
    if (error instanceof HttpError && error.status < 500) {
      printError(error.message)
      return command.refusedInputExitCode ?? 1
    }
    if (error instanceof ConfigError || error instanceof CliError) {
      printError(error.message)
      return 1
    }
    printError(`Failed: ${(error as Error).message}`)
    return 1
  } finally {
    await mongoose.disconnect().catch(() => undefined)
    await embedded?.stop()
  }
}

main().then((code) => process.exit(code))
