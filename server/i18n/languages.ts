/**
 * The languages a family's pages and surveys can be shown in. English is always on; each other
 * language is off until a council turns it on (FAMILY_LANGUAGES), after a fluent speaker has
 * reviewed its translations.
 */
export const FAMILY_LANGUAGE_CODES = ['cy', 'pl', 'ro', 'ur', 'ar'] as const
export type FamilyLanguage = (typeof FAMILY_LANGUAGE_CODES)[number]
export type Language = 'en' | FamilyLanguage

export interface LanguageInfo {
  /** The language's name in itself, as a link to it reads. */
  name: string
  dir: 'ltr' | 'rtl'
}

export const LANGUAGES: Record<Language, LanguageInfo> = {
  en: { name: 'English', dir: 'ltr' },
  cy: { name: 'Cymraeg', dir: 'ltr' },
  pl: { name: 'Polski', dir: 'ltr' },
  ro: { name: 'Română', dir: 'ltr' },
  ur: { name: 'اردو', dir: 'rtl' },
  ar: { name: 'العربية', dir: 'rtl' },
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value)
}

export function isFamilyLanguage(value: unknown): value is FamilyLanguage {
  return (FAMILY_LANGUAGE_CODES as readonly unknown[]).includes(value)
}
