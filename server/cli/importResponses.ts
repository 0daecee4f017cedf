import { readFile } from 'node:fs/promises'
import { importResponses, summaryLine } from '../importing/importResponses'
import type { CliCommand } from './command'

export const importResponsesCommand: CliCommand = {
  name: 'import-responses',
  usage: 'import-responses FILE.csv [--create-teams] [--dry-run]',
  options: {
    'create-teams': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(context) {
    const { services, positionals } = context
    const [file, ...extra] = positionals
    if (!file || extra.length) {
      context.err('Give one CSV file: import-responses FILE.csv [--create-teams] [--dry-run]')
      return 2
    }
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      context.err(
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
      )
      return 1
    }
    const result = await importResponses(
      text,
      {
        surveys: services.surveys,
        clock: services.clock,
        worryWords: services.config.worryWords,
        hooks: services.responseHooks,
      },
      { createTeams: context.values['create-teams'] === true, dryRun: context.values['dry-run'] === true },
    )
    if (!result.ok) {
      for (const problem of result.problems) context.err(`Line ${problem.line}: ${problem.reason}`)
      const lines = new Set(result.problems.map((p) => p.line)).size
      context.err(
        `Nothing was imported: ${lines} ${lines === 1 ? 'line has a problem' : 'lines have problems'}. Fix ${lines === 1 ? 'it' : 'them'} and import the whole file again.`,
      )
      return 1
    }
    for (const team of result.teamsCreated) {
      context.out(
        `${result.dryRun ? 'Would create' : 'Created'} team "${team.name}" (service: ${team.service}).`,
      )
    }
    context.out(summaryLine(result))
    // Count them into the report tallies now rather than when the app next runs.
    if (!result.dryRun) await services.tallies.runOnce()
    return 0
  },
}
