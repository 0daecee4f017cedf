import { checkTallies, rebuildTallies } from '../tallies/recount'
import type { CliCommand } from './command'

/** How many differences --check prints before saying how many more there are. */
const SHOWN = 200

export const recountReportsCommand: CliCommand = {
  name: 'recount-reports',
  usage: 'recount-reports [--check]',
  options: { check: { type: 'boolean' } },
  async run(context) {
    if (context.values.check) {
      const { differences, waiting } = await checkTallies()
      for (const d of differences.slice(0, SHOWN))
        context.out(`${d.tallyId} ${d.cell}: tallies have ${d.stored}, the responses say ${d.expected}`)
      if (differences.length > SHOWN) context.out(`… and ${differences.length - SHOWN} more differences`)
      if (waiting > 0)
        context.out(`${waiting} responses or invitations are waiting to be counted (not a difference).`)
      context.out(
        differences.length === 0
          ? 'The report tallies match the responses and invitations.'
          : `${differences.length} differences between the report tallies and the responses.`,
      )
      return differences.length === 0 ? 0 : 1
    }
    const started = Date.now()
    const { tallies, marked } = await rebuildTallies()
    context.out(
      `Rebuilt ${tallies} report tallies from the responses and invitations (${marked} records marked counted) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    )
    return 0
  },
}
