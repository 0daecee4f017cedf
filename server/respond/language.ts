/**
 * Which language a family's page is in: the one they chose with a language link (`?lang=cy`),
 * remembered for the visit in their survey session, else one their browser asks for, else English.
 * Only languages the council has turned on (FAMILY_LANGUAGES) and, on the survey page, that the
 * survey is completely translated into, are ever used.
 */
import type { Request, Response } from 'express'
import { z } from 'zod'
import { DEFAULT_HELP_CONTACT } from '../config'
import {
  FAMILY_LANGUAGE_CODES,
  isLanguage,
  LANGUAGES,
  type FamilyLanguage,
  type Language,
} from '../i18n/languages'
import { translatorFor, type Translate } from '../i18n/pageText'
import type { AnswerError } from '../surveys/answers'
import type { TSurveyDefinition } from '../surveys/definition'

declare module 'express-session' {
  interface SessionData {
    /** The language the family chose for this visit. */
    language?: Language
  }
}

export interface LanguageLink {
  code: Language
  name: string
  dir: 'ltr' | 'rtl'
  href: string
}

/**
 * `?lang=cy` from a language link, on any family page (and the privacy notice): a language we
 * have, else no choice at all, so a mangled address still shows the page.
 */
export const languageChoice = z
  .enum(['en', ...FAMILY_LANGUAGE_CODES])
  .optional()
  .catch(undefined)

/** The page's language among English and `offered`; a choice in the address is remembered. */
export function chooseLanguage(req: Request, offered: readonly FamilyLanguage[]): Language {
  const allowed = (code: unknown): code is Language =>
    code === 'en' || (isLanguage(code) && (offered as readonly string[]).includes(code))
  const asked = languageChoice.parse(req.query?.lang)
  if (allowed(asked)) {
    // Only a family that has a survey session keeps the choice: no session for a stranger's visit.
    if (req.session?.invitationId) req.session.language = asked
    return asked
  }
  const remembered = req.session?.language
  if (allowed(remembered)) return remembered
  // Only a browser that names languages: with no header, "accepts anything" would pick the first.
  const header = req.get('accept-language') ?? ''
  if (offered.length === 0 || header === '' || header.includes('*')) return 'en'
  const fromBrowser = req.acceptsLanguages('en', ...offered)
  return allowed(fromBrowser) ? fromBrowser : 'en'
}

/** Sets `lang`, `dir`, the page words and the language links for the views. */
export function useLanguage(
  res: Response,
  language: Language,
  offered: readonly FamilyLanguage[],
  linkPath: string | undefined,
): Translate {
  const t = translatorFor(language)
  res.locals.lang = language
  res.locals.dir = LANGUAGES[language].dir
  res.locals.t = t
  const links: LanguageLink[] =
    linkPath && offered.length > 0
      ? (['en', ...offered] as Language[])
          .filter((code) => code !== language)
          .map((code) => ({ code, ...LANGUAGES[code], href: `${linkPath}?lang=${code}` }))
      : []
  res.locals.languageLinks = links
  return t
}

/**
 * Who to call if a child is unsafe now. The built-in text is translated; a council's own
 * HELP_CONTACT is shown as written, marked as English on a page in another language.
 */
export function helpContactFor(
  helpContact: string,
  language: Language,
  t: Translate,
): { text: string; lang?: 'en' } {
  if (helpContact === DEFAULT_HELP_CONTACT) return { text: t('help.default') }
  return language === 'en' ? { text: helpContact } : { text: helpContact, lang: 'en' }
}

/** Answer errors in the page's language, naming questions as the family reads them. */
export function localiseErrors(
  errors: AnswerError[],
  shown: TSurveyDefinition,
  language: Language,
): AnswerError[] {
  const t = translatorFor(language)
  return errors.map((error) => {
    if (!error.kind) return error
    const question = shown.questions.find((q) => q.id === error.question)?.text ?? error.question
    const message = t(`answerErrors.${error.kind}`, {
      question,
      limit: formatNumber(error.limit ?? 0, language),
      used: formatNumber(error.used ?? 0, language),
    })
    return { ...error, message }
  })
}

/** Character counts as digits on a keyboard, the same in every language (as the form's limit). */
export function formatNumber(value: number, _language: Language): string {
  return String(value)
}
