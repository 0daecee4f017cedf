/**
 * The privacy notice in every family language says the same things as the English one: the same
 * keys, the same sections and list items, the council's name, the ICO's helpline and link, each
 * retention period in the language's own words, and no English left behind except a council's own
 * setting, which is marked lang="en".
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import ejs from 'ejs'
import { DEFAULT_LAWFUL_BASIS, loadConfig } from '../../server/config'
import {
  ICO_COMPLAINT_URL,
  ICO_HELPLINE,
  privacyNotice,
  type NoticeText,
  type PrivacyNotice,
} from '../../server/dataProtection/privacyNotice'
import {
  NOTICE_LANGUAGES,
  NOTICE_WORDS,
  type NoticeLanguage,
} from '../../server/dataProtection/privacyNoticeText'
import { retentionSchedule } from '../../server/dataProtection/schedule'

const OTHER_LANGUAGES = NOTICE_LANGUAGES.filter((l) => l !== 'en')

const custom = loadConfig({
  COUNCIL_NAME: 'Northshire County Council',
  DATA_CONTROLLER: 'Northshire Data Trust',
  DPO_CONTACT: 'dpo@northshire.example',
  LAWFUL_BASIS: 'Public task under the Children Act 1989, section 17.',
  HELP_CONTACT: 'Call Northshire Front Door on 01234 000000.',
  CASE_REF_RETENTION_DAYS: '365',
  FREE_TEXT_RETENTION_DAYS: '1095',
  INVITATION_CONTACT_RETENTION_DAYS: '60',
  AUDIT_RETENTION_DAYS: '2555',
})
const defaults = loadConfig({})

/** Every key path of an object, nested ("headings.rights"), for comparing shapes. */
function keyPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? keyPaths(inner as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  )
}

const textOf = (t: NoticeText) => (typeof t === 'string' ? t : t.text)

/** Every piece of text in the notice, in reading order. */
function pieces(notice: PrivacyNotice): string[] {
  return [
    notice.title,
    notice.intro,
    ...notice.sections.flatMap((s) => [
      s.heading,
      ...s.paragraphs.map(textOf),
      ...(s.list ?? []),
      ...(s.link ? [s.link.text] : []),
      ...(s.inset === undefined ? [] : [textOf(s.inset)]),
    ]),
  ]
}

/** The notice's shape without its words: what the view lays out. */
function shape(notice: PrivacyNotice) {
  return notice.sections.map((s) => ({
    paragraphs: s.paragraphs.length,
    list: s.list?.length,
    link: s.link?.href,
    inset: s.inset !== undefined,
  }))
}

function render(notice: PrivacyNotice): string {
  const file = path.resolve('views/home/privacy.ejs')
  // The layout partials need the whole app's locals; the notice's own markup is what is tested.
  return ejs.render(
    readFileSync(file, 'utf8'),
    { title: notice.title, notice },
    { filename: file, includer: () => ({ template: '' }) },
  )
}

describe('the privacy notice in every family language', () => {
  it('has every key the English words have, and no others', () => {
    const english = keyPaths(NOTICE_WORDS.en).sort()
    for (const language of OTHER_LANGUAGES) {
      assert.deepEqual(keyPaths(NOTICE_WORDS[language]).sort(), english, language)
      assert.equal(NOTICE_WORDS[language].whatWeKeep.length, NOTICE_WORDS.en.whatWeKeep.length)
    }
  })

  it('is English, unchanged, when no language is given', () => {
    assert.deepEqual(privacyNotice(custom), privacyNotice(custom, 'en'))
    assert.equal(privacyNotice(custom).title, 'How we use your answers')
  })

  for (const language of OTHER_LANGUAGES) {
    describe(language, () => {
      it('has the same sections, paragraphs and list items as English, with or without settings', () => {
        for (const config of [custom, defaults]) {
          const notice = privacyNotice(config, language)
          assert.equal(notice.language, language)
          assert.equal(notice.dir, language === 'ur' || language === 'ar' ? 'rtl' : 'ltr')
          assert.deepEqual(shape(notice), shape(privacyNotice(config)))
          for (const piece of pieces(notice)) assert.ok(piece.trim().length > 0, `empty text in ${language}`)
        }
      })

      it('names the council, controller and DPO, and gives the ICO helpline and link', () => {
        const text = pieces(privacyNotice(custom, language)).join('\n')
        for (const expected of [
          'Northshire County Council',
          'Northshire Data Trust',
          'dpo@northshire.example',
          ICO_HELPLINE,
          'ICO',
          'ico.org.uk',
        ])
          assert.ok(text.includes(expected), `${language} lacks ${expected}`)
        const complaint = privacyNotice(custom, language).sections.find((s) => s.link)
        assert.equal(complaint?.link?.href, ICO_COMPLAINT_URL)
      })

      it('leaves no English sentence behind when the settings are the defaults', () => {
        const notice = privacyNotice(defaults, language)
        const text = pieces(notice).join('\n')
        for (const english of pieces(privacyNotice(defaults)))
          assert.ok(!text.includes(english), `${language} still says "${english}"`)
        assert.ok(!text.includes(DEFAULT_LAWFUL_BASIS))
        assert.ok(!text.includes('data protection officer'))
        // The defaults are translated, so nothing needs marking as English.
        for (const section of notice.sections) {
          for (const paragraph of section.paragraphs) assert.equal(typeof paragraph, 'string')
          if (section.inset !== undefined) assert.equal(typeof section.inset, 'string')
        }
        assert.ok(text.includes('The council'), 'the council keeps its name')
      })

      it("shows a council's own lawful basis and safety contact as written, marked as English", () => {
        const notice = privacyNotice(custom, language)
        const basis = notice.sections.flatMap((s) => s.paragraphs).find((p) => typeof p !== 'string')
        assert.deepEqual(basis, { text: custom.lawfulBasis, lang: 'en' })
        assert.deepEqual(notice.sections.at(-1)?.inset, { text: custom.helpContact, lang: 'en' })
        const html = render(notice)
        assert.match(
          html,
          /<p class="govuk-body" lang="en">Public task under the Children Act 1989, section 17\.<\/p>/,
        )
        assert.match(
          html,
          /<div class="govuk-inset-text" lang="en">Call Northshire Front Door on 01234 000000\.<\/div>/,
        )
        assert.match(html, new RegExp(`<div class="govuk-grid-row" lang="${language}" dir="${notice.dir}">`))
      })

      it('says each retention period, in its own words, from the same schedule the daily job applies', () => {
        for (const config of [custom, defaults]) {
          const items = privacyNotice(config, language).sections.find(
            (s) => s.list && s.list.length > 4,
          )?.list
          const schedule = retentionSchedule(config)
          assert.equal(items?.length, schedule.length)
          schedule.forEach((entry, i) => {
            if (entry.days !== undefined) {
              const period = NOTICE_WORDS[language].duration(entry.days)
              assert.ok(items?.[i]?.includes(period), `${language} ${entry.kind}: ${period} in ${items?.[i]}`)
            }
          })
        }
      })

      it('renders through the view with every heading and item', () => {
        const notice = privacyNotice(custom, language)
        const html = render(notice)
        for (const section of notice.sections) assert.ok(html.includes(ejs.escapeXML(section.heading)))
        const items = notice.sections.reduce((n, s) => n + (s.list?.length ?? 0), 0)
        assert.equal(html.match(/<li>/g)?.length, items)
        assert.match(html, /href="https:\/\/ico\.org\.uk\/make-a-complaint\/"/)
      })
    })
  }

  it('words periods with each language’s plural forms', () => {
    const cases: Record<NoticeLanguage, Record<number, string>> = {
      en: { 365: '1 year', 730: '2 years', 90: '90 days', 1: '1 day' },
      cy: {
        365: '1 flwyddyn',
        730: '2 flynedd',
        1095: '3 blynedd',
        2190: '6 blynedd',
        2555: '7 mlynedd',
        2: '2 ddiwrnod',
        90: '90 diwrnod',
      },
      pl: { 365: '1 rok', 730: '2 lata', 1825: '5 lat', 8030: '22 lata', 1: '1 dzień', 60: '60 dni' },
      ro: { 365: '1 an', 730: '2 ani', 7300: '20 de ani', 1: '1 zi', 19: '19 zile', 90: '90 de zile' },
      ur: { 730: '2 سال', 90: '90 دن' },
      ar: {
        365: 'سنة واحدة',
        730: 'سنتان',
        2190: '6 سنوات',
        4015: '11 سنة',
        30: '30 يومًا',
        3: '3 أيام',
        1: 'يوم واحد',
      },
    }
    for (const language of NOTICE_LANGUAGES)
      for (const [days, words] of Object.entries(cases[language]))
        assert.equal(NOTICE_WORDS[language].duration(Number(days)), words, `${language} ${days} days`)
  })
})
