/**
 * The words of the family's pages (survey, thank-you, unavailable and error pages), one locale file
 * per language in ./locales, read with i18next. Survey wording itself sits beside the survey
 * definitions (surveys/<id>.v<N>.<lang>.yaml).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import i18next, { type TFunction } from 'i18next'
import { LANGUAGES, type Language } from './languages'

const LOCALES_DIR = path.join(__dirname, 'locales')

export type PageStrings = { [key: string]: string | PageStrings }

export function localeStrings(language: Language): PageStrings {
  return JSON.parse(readFileSync(path.join(LOCALES_DIR, `${language}.json`), 'utf8')) as PageStrings
}

const pageText = i18next.createInstance()
void pageText.init({
  initAsync: false,
  resources: Object.fromEntries(
    (Object.keys(LANGUAGES) as Language[]).map((language) => [
      language,
      { translation: localeStrings(language) },
    ]),
  ),
  lng: 'en',
  fallbackLng: 'en',
  // EJS escapes what it prints; escaping here too would show "&amp;" to families.
  interpolation: { escapeValue: false },
  returnNull: false,
})

export type Translate = TFunction

/** The page words in one language; a key missing there falls back to English. */
export function translatorFor(language: Language): Translate {
  return pageText.getFixedT(language)
}

/** Every key of a locale, dotted ("survey.send"): tests check each language has all of English's. */
export function keysOf(strings: PageStrings, prefix = ''): string[] {
  return Object.entries(strings).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  )
}
