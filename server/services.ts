import type { Services } from './app'
import { systemClock, type Clock } from './clock'
import type { Config } from './config'
import { PROJECT_ROOT } from './db/ferretdbInstall'
import { notifySafeguardingFlag } from './feedback/safeguarding'
import { MailQueue } from './mail/mailQueue'
import { SingleSignOn } from './staff/sso'
import { loadSurveys } from './surveys/registry'
import { TallyWorker } from './tallies/worker'
import path from 'node:path'

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
    },
    mail: new MailQueue(clock),
    tallies: new TallyWorker(clock),
    sso: config.oidc ? new SingleSignOn(config.oidc, config.baseUrl) : undefined,
  }
  return services
}
