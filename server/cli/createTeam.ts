/**
 * `npm run cli -- create-team --name NAME --service SERVICE [--duty-email EMAIL]`: so a council can
 * set up its teams from the command line. The same rules as Admin > Teams (admin/teams.ts): names
 * unique whatever their case, a service from the list, a well-formed duty address; audited.
 * Bad input or a name already taken: one sentence and exit code 2, nothing made.
 */
import { ValidationError } from '../http/input'
import { addTeam, DUPLICATE_TEAM_MESSAGE } from '../admin/teams'
import { SERVICES } from '../teams/team'
import { requiredOption, type CliCommand } from './command'

export const createTeamCommand: CliCommand = {
  name: 'create-team',
  usage: 'create-team --name NAME --service SERVICE [--duty-email EMAIL] [--phone NUMBER]',
  options: {
    name: { type: 'string' },
    service: { type: 'string' },
    'duty-email': { type: 'string' },
    phone: { type: 'string' },
  },
  async run(context) {
    const name = requiredOption(context, 'name')
    const service = requiredOption(context, 'service')
    if (!name || !service) return 2
    const dutyEmail = context.values['duty-email']
    const phone = context.values.phone
    try {
      const team = await addTeam(
        context.services.clock,
        { label: 'command line' },
        {
          name,
          service,
          dutyEmail: typeof dutyEmail === 'string' ? dutyEmail : '',
          phone: typeof phone === 'string' ? phone : '',
        },
      )
      context.out(
        `Created the team "${team.name}" (${team.service})${team.dutyEmail ? `, safeguarding alerts to ${team.dutyEmail}` : ''}.`,
      )
      return 0
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      // One sentence: the first problem, in the command line's own words.
      const [problem] = error.errors
      if (problem?.href === 'name' && problem.text === DUPLICATE_TEAM_MESSAGE) {
        context.err(`There is already a team called "${name.replace(/\s+/g, ' ')}".`)
      } else if (problem?.href === 'service') {
        context.err(`--service must be one of: ${SERVICES.join(', ')}.`)
      } else if (problem?.href === 'dutyEmail') {
        context.err('--duty-email must be an email address, like duty@council.example.')
      } else {
        context.err(`--name: ${problem?.text ?? 'not valid'}.`)
      }
      return 2
    }
  },
}
