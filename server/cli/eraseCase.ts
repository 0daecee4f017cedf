import {
  CASE_COUNT_LABELS,
  checkCaseRef,
  countCaseRecords,
  findCaseRecords,
} from '../dataProtection/caseRecords'
import { eraseCase } from '../dataProtection/erasure'
import type { CliCommand } from './command'
import { requiredOption } from './command'

/**
 * `erase-case --case-ref REF [--yes]`: without --yes it only says what would be erased, so a
 * typing mistake erases nothing. Audited like the admin page (never with the reference itself).
 */
export const eraseCaseCommand: CliCommand = {
  name: 'erase-case',
  usage: 'erase-case --case-ref REF [--yes]',
  options: { 'case-ref': { type: 'string' }, yes: { type: 'boolean' } },
  async run(context) {
    const typed = requiredOption(context, 'case-ref')
    if (typed === undefined) return 2
    const checked = checkCaseRef(typed)
    if ('error' in checked) {
      context.err(`${checked.error}.`)
      return 2
    }
    const { caseRef } = checked
    const counts = countCaseRecords(await findCaseRecords(caseRef))
    for (const [key, label] of Object.entries(CASE_COUNT_LABELS))
      context.out(`${label}: ${counts[key as keyof typeof counts]}`)
    if (Object.values(counts).every((count) => count === 0)) {
      context.out('Nothing is held for this case reference.')
      return 0
    }
    if (!context.values.yes) {
      context.out('Nothing was erased. Run again with --yes to erase this personal data.')
      return 0
    }
    const outcome = await eraseCase(context.services, caseRef, { label: 'CLI erase-case' })
    if (!outcome.erased) {
      context.err(
        `Nothing was erased: ${outcome.counts.openFlags} comments have a safeguarding flag still open. Close each flag in Needs attention first.`,
      )
      return 1
    }
    context.out(
      `Erased: ${outcome.counts.invitations} invitations, ${outcome.counts.responses} responses unlinked (answers kept as counts), ${outcome.counts.comments} comments, ${outcome.counts.outboxMessages} outbox emails, ${outcome.counts.bulkUploadRows} bulk upload rows.`,
    )
    return 0
  },
}
