import { applyScheduleNow } from '../dataProtection/applySchedule'
import { REMOVAL_KINDS, REMOVAL_LABELS } from '../dataProtection/schedule'
import type { CliCommand } from './command'

/** `apply-retention`: the retention schedule now (it also runs once a day in the app), recorded and audited. */
export const applyRetentionCommand: CliCommand = {
  name: 'apply-retention',
  usage: 'apply-retention',
  options: {},
  async run(context) {
    const counts = await applyScheduleNow(context.services, 'CLI apply-retention')
    const removed = REMOVAL_KINDS.filter((kind) => (counts[kind] ?? 0) > 0)
    for (const kind of removed) context.out(`${REMOVAL_LABELS[kind]}: ${counts[kind]}`)
    context.out(
      removed.length ? 'Retention schedule applied.' : 'Retention schedule applied: nothing was due.',
    )
    return 0
  },
}
