/**
 * The invitation housekeeping that runs in the background: expiring links past their date and
 * sending the one automatic reminder. Tests call runInvitationJobs directly with a ManualClock.
 */
import type { Services } from '../services'
import { expireInvitations, sendDueReminders } from './sending'
import { runEvery } from '../runEvery'

export interface InvitationJobResult {
  expired: number
  reminded: number
}

export async function runInvitationJobs(services: Services): Promise<InvitationJobResult> {
  // Expire first, so an invitation past its date is never reminded.
  const expired = await expireInvitations(services)
  const reminded = await sendDueReminders(services)
  return { expired, reminded }
}

/** Runs the jobs every intervalMs; the returned function stops them and waits for a run. */
export function startInvitationJobs(services: Services, intervalMs: number): () => Promise<void> {
  return runEvery('invitations', intervalMs, () => runInvitationJobs(services))
}
