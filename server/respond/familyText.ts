/**
 * The words of the family's pages that the routes choose (rather than the templates): pages for a
 * link that cannot be answered, the code-entry page and the read-aloud button. Kept in one place
 * so they can be put into other languages together.
 */

/** The team that sent a link: named on pages about that link, so the family knows whom to ask. */
export interface TeamContact {
  name: string
  phone?: string
}

/** "call Locality North on 0300 123 4567", or "contact Locality North at children's services". */
export function reachTeam(team: TeamContact): string {
  return team.phone ? `call ${team.name} on ${team.phone}` : `contact ${team.name} at children's services`
}

export interface FamilyPage {
  status: number
  title: string
  paragraphs: string[]
}

/** A link that was answered, has expired or was cancelled: says which, and whom to call. */
export function closedLinkPage(state: 'completed' | 'expired' | 'cancelled', team: TeamContact): FamilyPage {
  const reach = reachTeam(team)
  switch (state) {
    case 'completed':
      return {
        status: 410,
        title: 'This survey has already been answered',
        paragraphs: [
          'Each survey link can only be used once, and this one has been used. Thank you if it was you who answered.',
          `If you think someone else has used your link, or you want to add something, ${reach}.`,
        ],
      }
    case 'expired':
      return {
        status: 410,
        title: 'This survey link has expired',
        paragraphs: [
          'Survey links only work for a few weeks, and this one has now closed.',
          `If you would still like to tell us about your experience, ${reach}.`,
        ],
      }
    case 'cancelled':
      return {
        status: 410,
        title: 'This survey link is no longer in use',
        paragraphs: [
          'The team who sent it has stopped this link. This can happen when a new link is sent instead.',
          `If you would like to answer, or have a question about the survey, ${reach}.`,
        ],
      }
  }
}

/** Pages that know nothing about a link or a family. */
export const FAMILY_PAGES = {
  unknown: {
    status: 404,
    title: 'This survey link does not work',
    paragraphs: [
      'Check that you have copied the whole link from your email or letter.',
      'If it still does not work, contact the person who sent it to you.',
    ],
  },
  'no-session': {
    status: 404,
    title: 'Open your survey link again',
    paragraphs: [
      'We could not find the survey you were answering. This can happen if the page was left open for a long time.',
      'Open the personal link from your email or letter again to carry on. If you have already sent your answers, you do not need to do anything else.',
    ],
  },
  'no-answers': {
    status: 404,
    title: 'Open your survey link to answer',
    paragraphs: [
      'No answers have been sent from this browser.',
      'If you sent your answers on another phone or computer, you do not need to do anything else. To answer now, open the personal link from your email or letter.',
    ],
  },
} satisfies Record<string, FamilyPage>

/** The page at the short address on the letter, where a family types their code. */
export const CODE_PAGE = {
  title: 'Enter your survey code',
  intro: 'Your code is in your letter or email. It has 28 letters and numbers, in groups of 4.',
  label: 'Survey code',
  hint: 'For example, 7K3M-9QXA-…. You can use small or capital letters, with or without the dashes.',
  button: 'Continue',
  missing: 'Enter the code from your letter or email',
  malformed: 'Check your code: it has 28 letters and numbers, like 7K3M-9QXA-…',
  notFound: 'We could not find a survey with that code. Check it against your letter or email and try again.',
} as const

/** The read-aloud button that JavaScript adds to each question (never shown without it). */
export const LISTEN = {
  listen: 'Listen',
  stop: 'Stop',
  /** Read before the answers, e.g. "Yes. Partly. No." */
  answersIntro: 'The answers are:',
} as const
