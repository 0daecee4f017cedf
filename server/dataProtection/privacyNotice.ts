/**
 * The privacy notice families read at /privacy, in any family language: the words are in
 * privacyNoticeText.ts, one set per language (the view only lays them out). Who is responsible, the lawful basis and the DPO come
 * from the settings; how long each thing is kept comes from the retention schedule the daily job
 * applies (schedule.ts), so the notice cannot promise something the job does not do.
 */
import { DEFAULT_HELP_CONTACT, DEFAULT_LAWFUL_BASIS, defaultDpoContact, type Config } from '../config'
import { NOTICE_WORDS, RTL_NOTICE_LANGUAGES, type NoticeLanguage } from './privacyNoticeText'
import { retentionSchedule, type ScheduleConfig } from './schedule'

export type { NoticeLanguage } from './privacyNoticeText'

export const ICO_COMPLAINT_URL = 'https://ico.org.uk/make-a-complaint/'
export const ICO_HELPLINE = '0303 123 1113'

/**
 * A council's own setting (its lawful basis, its safety contact) is shown as written, in English;
 * in a notice in another language it carries lang="en" so screen readers say it right.
 */
export interface EnglishText {
  text: string
  lang: 'en'
}
export type NoticeText = string | EnglishText

export interface NoticeSection {
  heading: string
  paragraphs: NoticeText[]
  list?: string[]
  link?: { text: string; href: string }
  /** Shown as inset text (the safety contact). */
  inset?: NoticeText
}

export interface PrivacyNotice {
  language: NoticeLanguage
  dir: 'ltr' | 'rtl'
  title: string
  intro: string
  sections: NoticeSection[]
}

export type NoticeConfig = ScheduleConfig &
  Pick<
    Config,
    'councilName' | 'dataController' | 'dpoContact' | 'lawfulBasis' | 'helpContact' | 'smallNumberThreshold'
  >

export function privacyNotice(config: NoticeConfig, language: NoticeLanguage = 'en'): PrivacyNotice {
  const words = NOTICE_WORDS[language]
  const h = words.headings
  /** A setting in the notice's language: its default translated, a council's own text as written. */
  const setting = (value: string, defaultValue: string, translated: string): NoticeText => {
    if (language === 'en') return value
    return value === defaultValue ? translated : { text: value, lang: 'en' }
  }
  const dpoContact =
    language !== 'en' && config.dpoContact === defaultDpoContact(config.councilName)
      ? words.defaultDpoContact(config.councilName)
      : config.dpoContact
  return {
    language,
    dir: RTL_NOTICE_LANGUAGES.includes(language) ? 'rtl' : 'ltr',
    title: words.title,
    intro: words.intro,
    sections: [
      { heading: h.responsible, paragraphs: [words.runsSurvey(config.councilName, config.dataController)] },
      { heading: h.choice, paragraphs: [words.choice] },
      { heading: h.whatWeKeep, paragraphs: [], list: [...words.whatWeKeep] },
      {
        heading: h.lawfulBasis,
        paragraphs: [
          setting(config.lawfulBasis, DEFAULT_LAWFUL_BASIS, words.defaultLawfulBasis),
          words.noName,
        ],
      },
      {
        heading: h.whoReads,
        paragraphs: [words.whoReads, words.reportsShowNumbers(config.smallNumberThreshold)],
      },
      { heading: h.whatYouWrite, paragraphs: [words.personReads, words.worriedAboutSafety] },
      {
        heading: h.howLong,
        paragraphs: [words.howLongIntro],
        list: retentionSchedule(config).map((entry) =>
          words.retention[entry.kind](entry, entry.days === undefined ? '' : words.duration(entry.days)),
        ),
      },
      { heading: h.rights, paragraphs: [words.rights, words.contactDpo(dpoContact)] },
      {
        heading: h.complain,
        paragraphs: [words.complainRight, words.icoHelpline(ICO_HELPLINE)],
        link: { text: words.icoLink, href: ICO_COMPLAINT_URL },
      },
      {
        heading: h.safety,
        paragraphs: [],
        inset: setting(config.helpContact, DEFAULT_HELP_CONTACT, words.defaultHelpContact),
      },
    ],
  }
}
