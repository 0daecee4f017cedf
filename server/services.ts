import { systemClock, type Clock } from './clock'
import type { Config } from './config'
import { PROJECT_ROOT } from './db/ferretdbInstall'
import { notifySafeguardingFlag } from './feedback/safeguarding'
import { invitationOutboxHooks, markAnswered } from './invitations/lifecycle'
import { MailQueue } from './mail/mailQueue'
import type { OutboxHooks } from './mail/outboxWorker'
import type { ResponseHooks } from './responses/recordResponse'
import { SingleSignOn } from './staff/sso'
import { loadSurveys, type SurveyRegistry } from './surveys/registry'
import { TallyWorker } from './tallies/worker'
import path from 'node:path'

/** What every route, job and command is given: settings, the clock and the app's long-lived parts. */
export interface Services {
  config: Config
  clock: Clock
  surveys: SurveyRegistry
  /** Side effects of a stored response, such as safeguarding alerts. */
  responseHooks: ResponseHooks
  /** Outgoing mail goes through the database outbox. */
  mail: MailQueue
  /** What the outbox worker tells about the messages it settles (the invitations' status). */
  outboxHooks: OutboxHooks
  /** Keeps the report tallies up to date with responses and invitations. */
  tallies: TallyWorker
  /** Single sign-on with the council's identity provider, when OIDC_* is set. */
  sso: SingleSignOn | undefined
}

export const SURVEYS_DIR = path.join(PROJECT_ROOT, 'surveys')

/** The real services; tests pass their own clock (and mail transport). */
export function createServices(config: Config, overrides: { clock?: Clock } = {}): Services {
  const clock = overrides.clock ?? systemClock
  const services: Services = {
    config,
    clock,
    surveys: loadSurveys(SURVEYS_DIR),
    responseHooks: {
      // Reads services at call time, so a test that swaps services.mail is honoured.
      commentFlagged: (comment) => notifySafeguardingFlag(services, comment),
      invitationAnswered: async (invitationId, at) => {
        await markAnswered(invitationId, at)
      },
    },
    mail: new MailQueue(clock),
    outboxHooks: invitationOutboxHooks,
    tallies: new TallyWorker(clock),
    sso: config.oidc ? new SingleSignOn(config.oidc, config.baseUrl) : undefined,
  }
  return services
}
