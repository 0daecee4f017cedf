/**
 * The one access policy: may this person (a staff user or an API token) do this to this record?
 * Every query that loads team records takes its filter from `recordFilter`, and every check of a
 * record already in hand uses `may`, so a list, a detail page and an action can never disagree.
 * A record the viewer may not act on is answered as if it did not exist (404).
 *
 * Colleagues in one team may do everything with each other's invitations: a practitioner covering
 * an absent colleague's case must be able to see the link's status, reprint a lost letter, resend
 * to a corrected address, cancel, or record the answers a family gave in person. Who did what is
 * in the invitation's timeline and the audit trail. The team, not the sender, is the boundary:
 * nobody outside it sees or touches the team's families.
 */
import type { Types } from 'mongoose'
import type { Role } from './user'

/** Who is asking: a signed-in staff member or an API token. */
export interface Viewer {
  role: Role
  teamIds: Types.ObjectId[]
}

export type Action =
  // Invitations (and the families behind them).
  | 'see'
  | 'send'
  | 'reprint'
  | 'resend'
  | 'cancel'
  | 'record-answer'
  // Free text families wrote: flagged comments (Needs attention) and approved quotes.
  | 'read-free-text'
  // The review queue and the raw free-text export: deciding what may be quoted.
  | 'review-free-text'
  // Report numbers (pages, CSV, API); always small-number suppressed.
  | 'see-results'
  | 'export'

/** How far a role reaches for an action: nowhere, the teams the person belongs to, or every team. */
export type Reach = 'none' | 'own-teams' | 'all-teams'

const TEAM_WORK: Record<Role, Reach> = {
  practitioner: 'own-teams',
  manager: 'own-teams',
  qa: 'all-teams',
  admin: 'all-teams',
}

const RULES: Record<Action, Record<Role, Reach>> = {
  see: TEAM_WORK,
  send: TEAM_WORK,
  reprint: TEAM_WORK,
  resend: TEAM_WORK,
  cancel: TEAM_WORK,
  'record-answer': TEAM_WORK,
  // Practitioners never read free text: it can name colleagues and other families.
  'read-free-text': { practitioner: 'none', manager: 'own-teams', qa: 'all-teams', admin: 'all-teams' },
  'review-free-text': { practitioner: 'none', manager: 'none', qa: 'all-teams', admin: 'all-teams' },
  'see-results': TEAM_WORK,
  export: TEAM_WORK,
}

export function reach(viewer: Viewer, action: Action): Reach {
  return RULES[action][viewer.role] ?? 'none'
}

/** Whether the viewer may do this at all, to some record (for routes, menus and buttons). */
export function mayAtAll(viewer: Viewer, action: Action): boolean {
  return reach(viewer, action) !== 'none'
}

/** Whether the viewer may do this to a record of this team. */
export function may(viewer: Viewer, action: Action, record: { teamId: Types.ObjectId | string }): boolean {
  const how = reach(viewer, action)
  if (how === 'all-teams') return true
  if (how === 'none') return false
  return viewer.teamIds.some((id) => String(id) === String(record.teamId))
}

/**
 * The database filter for records the viewer may do this to; `{}` when every team, a filter that
 * matches nothing when none. Spread it into every query for team records:
 *
 *   InvitationModel.findOne({ _id: id, ...recordFilter(user, 'cancel') })
 */
export function recordFilter(viewer: Viewer, action: Action, field = 'teamId'): Record<string, unknown> {
  const how = reach(viewer, action)
  if (how === 'all-teams') return {}
  return { [field]: { $in: how === 'none' ? [] : viewer.teamIds } }
}

/** The team ids the viewer may do this for; undefined means every team. */
export function teamIdsFor(viewer: Viewer, action: Action): Types.ObjectId[] | undefined {
  const how = reach(viewer, action)
  if (how === 'all-teams') return undefined
  return how === 'none' ? [] : viewer.teamIds
}
