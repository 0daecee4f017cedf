import { RESPONDENT_TYPES, type TRespondentType } from '../surveys/definition'
import { createInvitation, findTeamByName, invitationLink } from '../invitations/service'
import { requiredOption, type CliCommand } from './command'

export const createInvitationCommand: CliCommand = {
  name: 'create-invitation',
  usage: 'create-invitation --survey ID --team NAME [--respondent R] [--case-ref REF]',
  options: {
    survey: { type: 'string' },
    team: { type: 'string' },
    respondent: { type: 'string' },
    'case-ref': { type: 'string' },
  },
  async run(context) {
    const { services, values } = context
    const surveyId = requiredOption(context, 'survey')
    const teamName = requiredOption(context, 'team')
    if (!surveyId || !teamName) return 2
    const respondent = values.respondent as string | undefined
    if (respondent !== undefined && !(RESPONDENT_TYPES as readonly string[]).includes(respondent)) {
      context.err(`--respondent must be one of: ${RESPONDENT_TYPES.join(', ')}.`)
      return 2
    }
    const team = await findTeamByName(teamName)
    if (!team) {
      context.err(`There is no team called "${teamName}".`)
      return 1
    }
    const { token } = await createInvitation(services.surveys, services.clock, {
      surveyId,
      team,
      respondent: respondent as TRespondentType | undefined,
      caseRef: values['case-ref'] as string | undefined,
      channel: 'link',
      expiresInDays: services.config.invitationExpiryDays,
    })
    // The link is printed once: only its hash is stored.
    context.out(invitationLink(services.config.baseUrl, token))
    return 0
  },
}
