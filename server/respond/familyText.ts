/**
 * Which words the family's pages that the routes choose (rather than the templates) are made of:
 * pages for a link that cannot be answered, the code-entry page and the read-aloud button. The
 * words themselves are in server/i18n/locales (one source for every language); this module picks
 * the keys and the status of each page.
 */
import type { Translate } from '../i18n/pageText'

/** The team that sent a link: named on pages about that link, so the family knows whom to ask. */
export interface TeamContact {
  name: string
  phone?: string
}

/** "call Locality North on 0300 123 4567", or "contact Locality North at children's services". */
export function reachTeam(t: Translate, team: TeamContact): string {
  return team.phone
    ? t('unavailable.reachPhone', { team: team.name, phone: team.phone })
    : t('unavailable.reachTeam', { team: team.name })
}

export interface FamilyPage {
  status: number
  title: string
  paragraphs: string[]
}

/** A link that was answered, has expired or was cancelled: says which, and whom to call. */
export function closedLinkPage(
  t: Translate,
  state: 'completed' | 'expired' | 'cancelled',
  team: TeamContact,
): FamilyPage {
  const reach = reachTeam(t, team)
  return {
    // A cancelled link answers with the unknown link's status (404), so a status alone never tells
    // a stranger that a link existed; its words still name the team, so the family knows whom to call.
    status: state === 'cancelled' ? 404 : 410,
    title: t(`unavailable.${state}.title`),
    paragraphs: [t(`unavailable.${state}.p1`), t(`unavailable.${state}.p2`, { reach })],
  }
}

/** Pages that know nothing about a link or a family, by their key in unavailable.*. */
const FAMILY_PAGE_KEYS = { unknown: 'unknown', 'no-session': 'noSession', 'no-answers': 'noAnswers' } as const

export function familyPage(t: Translate, page: keyof typeof FAMILY_PAGE_KEYS): FamilyPage {
  const key = FAMILY_PAGE_KEYS[page]
  return {
    status: 404,
    title: t(`unavailable.${key}.title`),
    paragraphs: [t(`unavailable.${key}.p1`), t(`unavailable.${key}.p2`)],
  }
}

/** The page at the short address on the letter, where a family types their code. */
export function codePage(t: Translate) {
  return {
    title: t('code.title'),
    intro: t('code.intro'),
    hint: t('code.hint'),
    button: t('code.button'),
    missing: t('code.missing'),
    malformed: t('code.malformed'),
    notFound: t('code.notFound'),
  }
}

/** The read-aloud button that JavaScript adds to each question (never shown without it). */
export function listenWords(t: Translate) {
  return {
    listen: t('listen.listen'),
    stop: t('listen.stop'),
    /** Read before the answers, e.g. "Yes. Partly. No." */
    answersIntro: t('listen.answersIntro'),
  }
}
