import { createApiToken } from '../apiTokens/service'
import { recordAudit } from '../audit/auditEvent'
import { findTeamByName } from '../invitations/service'
import type { Team } from '../teams/team'
import { requiredOption, type CliCommand } from './command'

export const createApiTokenCommand: CliCommand = {
  name: 'create-api-token',
  usage: 'create-api-token --name NAME --role qa|admin|manager [--team NAME …]',
  // A refused name or role is a wrong option, like a missing one.
  refusedInputExitCode: 2,
  options: {
    name: { type: 'string' },
    role: { type: 'string' },
    // A manager token sees only the teams named; --team may be given more than once.
    team: { type: 'string', multiple: true } as { type: 'string' },
  },
  async run(context) {
    const { services } = context
    const name = requiredOption(context, 'name')
    const role = requiredOption(context, 'role')
    if (!name || !role) return 2
    const raw: unknown = context.values.team
    const teamNames = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : []
    const teams: Team[] = []
    for (const teamName of teamNames) {
      const team = await findTeamByName(teamName)
      if (!team) {
        context.err(`There is no team called "${teamName}".`)
        return 1
      }
      teams.push(team)
    }
    const { token, apiToken } = await createApiToken(services.clock, { name, role, teams })
    await recordAudit(services.clock.now(), {
      actorLabel: 'command line',
      action: 'api-token.created',
      target: `api token ${apiToken.name}`,
      detail: `role ${apiToken.role}`,
    })
    // Printed once: only its hash is stored.
    context.out(token)
    return 0
  },
}
