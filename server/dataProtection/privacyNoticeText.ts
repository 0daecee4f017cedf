/**
 * Every word of the privacy notice, once per family language, with the same keys in each. Names
 * and contacts come in as arguments; periods come in as numbers of days and each language says
 * them with its own plural forms. The English wording is the original; the others say the same,
 * simply. Names (the ICO, the council, the Family Front Door) stay as they are so families can
 * find them.
 */
import { DEFAULT_HELP_CONTACT, DEFAULT_LAWFUL_BASIS, defaultDpoContact } from '../config'
import { durationWords, type RetentionKind, type ScheduleEntry } from './schedule'

/** The family languages (server/i18n/languages.ts names the same codes as `Language`). */
export type NoticeLanguage = 'en' | 'cy' | 'pl' | 'ro' | 'ur' | 'ar'
export const NOTICE_LANGUAGES: readonly NoticeLanguage[] = ['en', 'cy', 'pl', 'ro', 'ur', 'ar']
export const RTL_NOTICE_LANGUAGES: readonly NoticeLanguage[] = ['ur', 'ar']

export interface NoticeWords {
  title: string
  intro: string
  headings: {
    responsible: string
    choice: string
    whatWeKeep: string
    lawfulBasis: string
    whoReads: string
    whatYouWrite: string
    howLong: string
    rights: string
    complain: string
    safety: string
  }
  runsSurvey: (councilName: string, dataController: string) => string
  choice: string
  whatWeKeep: [string, string, string, string]
  noName: string
  whoReads: string
  reportsShowNumbers: (threshold: number) => string
  personReads: string
  worriedAboutSafety: string
  howLongIntro: string
  /** "2 years", "90 days", in the language's own plural forms. */
  duration: (days: number) => string
  /** One retention list item per schedule entry, with its period worded by `duration`. */
  retention: Record<RetentionKind, (entry: ScheduleEntry, duration: string) => string>
  rights: string
  contactDpo: (dpoContact: string) => string
  complainRight: string
  icoHelpline: (number: string) => string
  icoLink: string
  /** The default settings, said in this language (a council's own setting stays as written). */
  defaultDpoContact: (councilName: string) => string
  defaultLawfulBasis: string
  defaultHelpContact: string
}

/** Whole years when the days are a whole number of years, else days (as durationWords does). */
function yearsOrDays(days: number, years: (n: number) => string, inDays: (n: number) => string): string {
  return days % 365 === 0 ? years(days / 365) : inDays(days)
}

/** A count with the noun form Intl.PluralRules picks for the language. */
function counted(language: string, forms: Partial<Record<Intl.LDMLPluralRule, (n: number) => string>>) {
  const rules = new Intl.PluralRules(language)
  return (n: number) => {
    const form = forms[rules.select(n)] ?? forms.other
    if (!form) throw new Error(`no ${rules.select(n)} plural form for ${language}`)
    return form(n)
  }
}

/** The English notice words each entry from the schedule itself, so they can never disagree. */
const englishItem = (entry: ScheduleEntry) => `${capitalise(entry.forFamilies)}: ${entry.keptFor}.`

const en: NoticeWords = {
  title: 'How we use your answers',
  intro:
    "Children's services ask children, young people, families and the professionals they work with what it was like to get help from us. This page explains what happens to your answers.",
  headings: {
    responsible: 'Who is responsible for your information',
    choice: 'Answering is up to you',
    whatWeKeep: 'What we keep',
    lawfulBasis: 'Why we are allowed to use it',
    whoReads: 'Who reads your answers',
    whatYouWrite: 'What you write',
    howLong: 'How long we keep it',
    rights: 'Your rights',
    complain: 'If you are unhappy with how we used your information',
    safety: "If you are worried about a child's safety",
  },
  runsSurvey: (council, controller) =>
    `${council} runs this survey. The data controller, who decides how your information is used and is responsible for keeping it safe, is ${controller}.`,
  choice:
    'You do not have to answer, and you can skip any question. Whether you answer or not will not change the help you or your family get.',
  whatWeKeep: [
    'the answers you choose and anything you write',
    'the date you answered',
    'which team and service the survey was about, and whether you answered as a parent or carer, a child or young person, or a professional',
    'the email address or mobile number we sent your survey link to, and your first name if we used it to greet you',
  ],
  noName:
    "We do not ask for your name in the survey. Some survey links are linked to your family's case record using a reference number from our case-management system; the first page of the survey tells you plainly whether yours is.",
  whoReads:
    'The team who worked with you, their managers and our quality assurance team. Every three months we put everyone’s answers together to see what is working well and what we need to change, and report this to the board that checks the quality of our work.',
  reportsShowNumbers: (threshold) =>
    `Reports show numbers, such as "9 out of 10 families said they could share their views". When fewer than ${threshold} people answered a question, we do not show the number, so that nobody can be recognised.`,
  personReads:
    'A person reads every comment before it is used. We may quote what you write in a report, but only after removing names and anything else that could identify you or your family.',
  worriedAboutSafety:
    "If you write something that makes us worried about a child's safety, we will pass it quickly to someone who can help, as we would if you told us in person.",
  howLongIntro:
    'We keep your information only as long as we need it; a job that runs every day then removes it:',
  duration: durationWords,
  retention: {
    answers: englishItem,
    caseRefs: englishItem,
    freeText: englishItem,
    invitationContacts: englishItem,
    outbox: englishItem,
    bulkUploads: englishItem,
    audit: englishItem,
    sessions: englishItem,
  },
  rights:
    'You can ask to see the information we hold about you and your family, ask us to correct it, ask us to delete it, or object to how we use it. We will answer within one month.',
  contactDpo: (dpo) =>
    `To do this, or to ask any question about how your information is used, contact ${dpo}. You can also ask the team who worked with you.`,
  complainRight:
    "You have the right to complain to the Information Commissioner's Office (ICO), the UK's independent regulator for data protection.",
  icoHelpline: (number) => `You can call the ICO's helpline on ${number}.`,
  icoLink: 'Make a complaint on the ICO website (ico.org.uk)',
  // English shows the settings exactly as configured; the defaults themselves live in config.ts.
  defaultDpoContact,
  defaultLawfulBasis: DEFAULT_LAWFUL_BASIS,
  defaultHelpContact: DEFAULT_HELP_CONTACT,
}

/** Welsh numerals mutate the noun after them, so years are a small table rather than plural rules. */
const welshYears: Record<number, string> = {
  1: '1 flwyddyn',
  2: '2 flynedd',
  3: '3 blynedd',
  4: '4 blynedd',
  5: '5 mlynedd',
  6: '6 blynedd',
  7: '7 mlynedd',
  8: '8 mlynedd',
  9: '9 mlynedd',
  10: '10 mlynedd',
}

const cy: NoticeWords = {
  title: "Sut rydyn ni'n defnyddio eich atebion",
  intro:
    "Mae gwasanaethau plant yn gofyn i blant, pobl ifanc, teuluoedd a'r gweithwyr proffesiynol sy'n gweithio gyda nhw sut brofiad oedd cael help gennym ni. Mae'r dudalen hon yn esbonio beth sy'n digwydd i'ch atebion.",
  headings: {
    responsible: "Pwy sy'n gyfrifol am eich gwybodaeth",
    choice: "Chi sy'n dewis a ydych chi'n ateb",
    whatWeKeep: "Beth rydyn ni'n ei gadw",
    lawfulBasis: "Pam mae hawl gennym ni i'w defnyddio",
    whoReads: "Pwy sy'n darllen eich atebion",
    whatYouWrite: "Beth rydych chi'n ei ysgrifennu",
    howLong: "Am faint rydyn ni'n ei chadw",
    rights: 'Eich hawliau',
    complain: "Os nad ydych chi'n hapus â sut y gwnaethon ni ddefnyddio eich gwybodaeth",
    safety: "Os ydych chi'n poeni am ddiogelwch plentyn",
  },
  runsSurvey: (council, controller) =>
    `${council} sy'n cynnal yr arolwg hwn. Y rheolydd data, sy'n penderfynu sut mae eich gwybodaeth yn cael ei defnyddio ac sy'n gyfrifol am ei chadw'n ddiogel, yw ${controller}.`,
  choice:
    'Does dim rhaid i chi ateb, a gallwch chi hepgor unrhyw gwestiwn. Fydd ateb neu beidio ddim yn newid yr help rydych chi neu eich teulu yn ei gael.',
  whatWeKeep: [
    "yr atebion rydych chi'n eu dewis ac unrhyw beth rydych chi'n ei ysgrifennu",
    'y dyddiad y gwnaethoch chi ateb',
    'pa dîm a gwasanaeth oedd dan sylw yn yr arolwg, ac a wnaethoch chi ateb fel rhiant neu ofalwr, plentyn neu berson ifanc, neu weithiwr proffesiynol',
    "y cyfeiriad e-bost neu'r rhif ffôn symudol y gwnaethon ni anfon dolen eich arolwg ato, a'ch enw cyntaf os gwnaethon ni ei ddefnyddio i'ch cyfarch",
  ],
  noName:
    "Dydyn ni ddim yn gofyn am eich enw yn yr arolwg. Mae rhai dolenni arolwg wedi'u cysylltu â chofnod achos eich teulu drwy gyfeirnod o'n system rheoli achosion; mae tudalen gyntaf yr arolwg yn dweud yn glir wrthych chi a yw eich un chi wedi'i gysylltu.",
  whoReads:
    "Y tîm a weithiodd gyda chi, eu rheolwyr a'n tîm sicrhau ansawdd. Bob tri mis, rydyn ni'n rhoi atebion pawb at ei gilydd i weld beth sy'n gweithio'n dda a beth sydd angen i ni ei newid, ac rydyn ni'n adrodd ar hyn i'r bwrdd sy'n gwirio ansawdd ein gwaith.",
  reportsShowNumbers: (threshold) =>
    `Mae adroddiadau'n dangos rhifau, fel "dywedodd 9 o bob 10 teulu eu bod yn gallu rhannu eu barn". Pan fydd llai na ${threshold} o bobl wedi ateb cwestiwn, dydyn ni ddim yn dangos y rhif, fel na all neb gael ei adnabod.`,
  personReads:
    "Mae person yn darllen pob sylw cyn iddo gael ei ddefnyddio. Efallai y byddwn ni'n dyfynnu'r hyn rydych chi'n ei ysgrifennu mewn adroddiad, ond dim ond ar ôl tynnu enwau ac unrhyw beth arall a allai eich adnabod chi neu eich teulu.",
  worriedAboutSafety:
    "Os byddwch chi'n ysgrifennu rhywbeth sy'n gwneud i ni boeni am ddiogelwch plentyn, byddwn ni'n ei drosglwyddo'n gyflym i rywun sy'n gallu helpu, fel y bydden ni'n ei wneud pe baech chi'n dweud wrthon ni wyneb yn wyneb.",
  howLongIntro:
    "Rydyn ni'n cadw eich gwybodaeth dim ond cyhyd ag y mae ei hangen arnon ni; yna mae proses sy'n rhedeg bob dydd yn ei dileu:",
  duration: (days) =>
    yearsOrDays(
      days,
      (n) => welshYears[n] ?? `${n} o flynyddoedd`,
      (n) => (n === 2 ? '2 ddiwrnod' : `${n} diwrnod`),
    ),
  retention: {
    answers: () =>
      "Yr atebion rydych chi'n eu dewis, y dyddiad, a pha dîm a gwasanaeth oedd dan sylw yn yr arolwg: fel cyfrifon dienw, cyhyd ag y mae eu hangen ar yr adroddiadau (does dim byd yn eu cysylltu â chi ar ôl i'r cyfeirnod achos gael ei dynnu).",
    caseRefs: (_, d) =>
      `Y cyfeirnod sy'n cysylltu eich atebion â chofnod achos eich teulu, os oes un gennych chi: ${d} ar ôl i'r ymateb neu'r gwahoddiad gael ei wneud.`,
    freeText: (_, d) =>
      `Unrhyw beth rydych chi'n ei ysgrifennu yn eich geiriau eich hun: ${d} ar ôl iddo gael ei roi, a byth tra bo pryder diogelu amdano yn dal ar agor.`,
    invitationContacts: (_, d) =>
      `Y cyfeiriad e-bost neu'r rhif ffôn symudol y gwnaethon ni anfon dolen eich arolwg ato, a'ch enw cyntaf: ${d} ar ôl i'r arolwg gael ei ateb, dod i ben neu gael ei ganslo.`,
    outbox: (_, d) =>
      `Copïau o'r negeseuon e-bost rydyn ni'n eu hanfon atoch chi: ${d} ar ôl iddyn nhw gael eu rhoi yn y ciw, unwaith y byddan nhw wedi'u hanfon neu wedi i ni roi'r gorau iddi.`,
    bulkUploads: (_, d) =>
      `Y rhestr y daeth eich cyfeiriad e-bost atom ni ynddi, os cafodd ei anfon gydag eraill: ${d} ar ôl iddi gael ei hanfon (rhagolwg na chafodd ei gadarnhau: 1 diwrnod).`,
    audit: (_, d) =>
      `Cofnod o ba staff a anfonodd eich arolwg neu a ddarllenodd eich sylwadau, a phryd: ${d}.`,
    sessions: () =>
      "Cwci sy'n cadw eich lle tra byddwch chi'n ateb: nes iddo ddod i ben, ar ôl 30 munud heb ddim yn digwydd neu 12 awr ar y mwyaf.",
  },
  rights:
    "Gallwch chi ofyn am weld yr wybodaeth sydd gennym ni amdanoch chi a'ch teulu, gofyn i ni ei chywiro, gofyn i ni ei dileu, neu wrthwynebu sut rydyn ni'n ei defnyddio. Byddwn ni'n ateb o fewn mis.",
  contactDpo: (dpo) =>
    `I wneud hyn, neu i ofyn unrhyw gwestiwn am sut mae eich gwybodaeth yn cael ei defnyddio, cysylltwch â ${dpo}. Gallwch chi hefyd ofyn i'r tîm a weithiodd gyda chi.`,
  complainRight:
    "Mae gennych chi hawl i gwyno i Swyddfa'r Comisiynydd Gwybodaeth (Information Commissioner's Office, ICO), rheoleiddiwr annibynnol y DU ar gyfer diogelu data.",
  icoHelpline: (number) => `Gallwch chi ffonio llinell gymorth yr ICO ar ${number}.`,
  icoLink: 'Gwneud cwyn ar wefan yr ICO (ico.org.uk)',
  defaultDpoContact: (council) => `swyddog diogelu data ${council}, drwy ei wefan neu ei switsfwrdd`,
  defaultLawfulBasis:
    "Tasg gyhoeddus (Erthygl 6(1)(e) GDPR y DU): mae dyletswyddau'r cyngor tuag at blant mewn angen, plant mewn gofal a'u teuluoedd o dan Ddeddf Plant 1989 a 2004 yn cynnwys dysgu o'r hyn mae teuluoedd yn ei ddweud wrthon ni. Mae unrhyw beth rydych chi'n ei ddweud wrthon ni am iechyd neu ddiogelwch yn ddata categori arbennig, ac rydyn ni'n ei ddefnyddio am resymau o fudd sylweddol i'r cyhoedd (Erthygl 9(2)(g) a Deddf Diogelu Data 2018, Atodlen 1: dibenion statudol a diogelu plant).",
  defaultHelpContact:
    "Os ydych chi'n poeni am ddiogelwch plentyn ar hyn o bryd, ffoniwch 999. I siarad â gwasanaethau plant, ffoniwch y Family Front Door ar 0300 123 4567 (y tu allan i oriau swyddfa: 0300 123 4568).",
}

const polishYears = counted('pl', { one: () => '1 rok', few: (n) => `${n} lata`, many: (n) => `${n} lat` })
const polishDays = counted('pl', { one: () => '1 dzień', few: (n) => `${n} dni`, many: (n) => `${n} dni` })

const pl: NoticeWords = {
  title: 'Jak wykorzystujemy Twoje odpowiedzi',
  intro:
    'Służby ds. dzieci pytają dzieci, młodzież, rodziny i specjalistów, z którymi pracują, jak wyglądała pomoc, którą od nas otrzymali. Ta strona wyjaśnia, co dzieje się z Twoimi odpowiedziami.',
  headings: {
    responsible: 'Kto odpowiada za Twoje dane',
    choice: 'Odpowiedź zależy od Ciebie',
    whatWeKeep: 'Co przechowujemy',
    lawfulBasis: 'Dlaczego możemy z nich korzystać',
    whoReads: 'Kto czyta Twoje odpowiedzi',
    whatYouWrite: 'To, co piszesz',
    howLong: 'Jak długo je przechowujemy',
    rights: 'Twoje prawa',
    complain: 'Jeśli nie podoba Ci się, jak wykorzystaliśmy Twoje dane',
    safety: 'Jeśli martwisz się o bezpieczeństwo dziecka',
  },
  runsSurvey: (council, controller) =>
    `${council} prowadzi tę ankietę. Administratorem danych, który decyduje, jak wykorzystywane są Twoje dane, i odpowiada za ich bezpieczeństwo, jest ${controller}.`,
  choice:
    'Nie musisz odpowiadać i możesz pominąć każde pytanie. To, czy odpowiesz, czy nie, nie zmieni pomocy, którą otrzymujesz Ty lub Twoja rodzina.',
  whatWeKeep: [
    'wybrane przez Ciebie odpowiedzi i wszystko, co napiszesz',
    'datę udzielenia odpowiedzi',
    'którego zespołu i której usługi dotyczyła ankieta oraz czy odpowiadasz jako rodzic lub opiekun, dziecko lub młoda osoba, czy specjalista',
    'adres e-mail lub numer telefonu komórkowego, na który wysłaliśmy link do ankiety, oraz Twoje imię, jeśli użyliśmy go w powitaniu',
  ],
  noName:
    'Nie pytamy w ankiecie o Twoje imię i nazwisko. Niektóre linki do ankiety są powiązane z aktami sprawy Twojej rodziny za pomocą numeru referencyjnego z naszego systemu prowadzenia spraw; pierwsza strona ankiety jasno mówi, czy tak jest w Twoim przypadku.',
  whoReads:
    'Zespół, który z Tobą pracował, jego kierownicy i nasz zespół ds. jakości. Co trzy miesiące zbieramy odpowiedzi wszystkich osób, aby zobaczyć, co działa dobrze, a co musimy zmienić, i przedstawiamy to radzie, która sprawdza jakość naszej pracy.',
  reportsShowNumbers: (threshold) =>
    `Raporty pokazują liczby, na przykład „9 na 10 rodzin powiedziało, że mogło wyrazić swoje zdanie”. Gdy na pytanie odpowiedziało mniej niż ${threshold} osób, nie pokazujemy liczby, aby nikogo nie można było rozpoznać.`,
  personReads:
    'Każdy komentarz czyta człowiek, zanim zostanie wykorzystany. Możemy zacytować w raporcie to, co napiszesz, ale dopiero po usunięciu imion i nazwisk oraz wszystkiego, po czym można by rozpoznać Ciebie lub Twoją rodzinę.',
  worriedAboutSafety:
    'Jeśli napiszesz coś, co sprawi, że zaczniemy się martwić o bezpieczeństwo dziecka, szybko przekażemy to komuś, kto może pomóc, tak samo jak wtedy, gdybyśmy usłyszeli to od Ciebie osobiście.',
  howLongIntro:
    'Przechowujemy Twoje dane tylko tak długo, jak są nam potrzebne; potem usuwa je proces uruchamiany codziennie:',
  duration: (days) => yearsOrDays(days, polishYears, polishDays),
  retention: {
    answers: () =>
      'Wybrane przez Ciebie odpowiedzi, data oraz zespół i usługa, których dotyczyła ankieta: jako anonimowe zestawienia liczbowe, tak długo, jak są potrzebne do raportów (po usunięciu numeru sprawy nic nie łączy ich z Tobą).',
    caseRefs: (_, d) =>
      `Numer referencyjny, który łączy Twoje odpowiedzi z aktami sprawy Twojej rodziny, jeśli taki istnieje: ${d} od udzielenia odpowiedzi lub wysłania zaproszenia.`,
    freeText: (_, d) =>
      `Wszystko, co piszesz własnymi słowami: ${d} od napisania, a jeśli wciąż wyjaśniamy związaną z tym obawę o bezpieczeństwo dziecka, to aż do jej zamknięcia.`,
    invitationContacts: (_, d) =>
      `Adres e-mail lub numer telefonu komórkowego, na który wysłaliśmy link do ankiety, oraz Twoje imię: ${d} od udzielenia odpowiedzi, wygaśnięcia lub anulowania ankiety.`,
    outbox: (_, d) =>
      `Kopie e-maili, które do Ciebie wysyłamy: ${d} od przygotowania ich do wysyłki, gdy zostaną wysłane lub gdy przestaniemy próbować.`,
    bulkUploads: (_, d) =>
      `Lista, w której otrzymaliśmy Twój adres e-mail, jeśli ankieta została wysłana razem z innymi: ${d} od wysyłki (niezatwierdzony podgląd: 1 dzień).`,
    audit: (_, d) =>
      `Zapis tego, którzy pracownicy wysłali Twoją ankietę lub czytali Twoje komentarze, i kiedy: ${d}.`,
    sessions: () =>
      'Plik cookie, który zapamiętuje, w którym miejscu jesteś, gdy odpowiadasz: do końca sesji, czyli po 30 minutach bezczynności lub najwyżej po 12 godzinach.',
  },
  rights:
    'Możesz poprosić o wgląd w dane, które mamy o Tobie i Twojej rodzinie, poprosić o ich poprawienie lub usunięcie albo sprzeciwić się temu, jak je wykorzystujemy. Odpowiemy w ciągu miesiąca.',
  contactDpo: (dpo) =>
    `Aby to zrobić lub zadać dowolne pytanie o to, jak wykorzystywane są Twoje dane, skontaktuj się z: ${dpo}. Możesz też zapytać zespół, który z Tobą pracował.`,
  complainRight:
    "Masz prawo złożyć skargę do Biura Komisarza ds. Informacji (Information Commissioner's Office, ICO), niezależnego brytyjskiego organu ochrony danych.",
  icoHelpline: (number) => `Możesz zadzwonić na infolinię ICO pod numer ${number}.`,
  icoLink: 'Złóż skargę na stronie internetowej ICO (ico.org.uk)',
  defaultDpoContact: (council) =>
    `inspektor ochrony danych (${council}), przez stronę internetową lub centralę telefoniczną`,
  defaultLawfulBasis:
    'Zadanie realizowane w interesie publicznym (art. 6 ust. 1 lit. e brytyjskiego RODO): obowiązki rady wobec dzieci potrzebujących pomocy, dzieci w pieczy zastępczej i ich rodzin, wynikające z ustaw o dzieciach z 1989 i 2004 roku (Children Act), obejmują uczenie się z tego, co mówią nam rodziny. Wszystko, co mówisz nam o zdrowiu lub bezpieczeństwie, należy do szczególnych kategorii danych, które wykorzystujemy ze względu na ważny interes publiczny (art. 9 ust. 2 lit. g oraz ustawa o ochronie danych z 2018 roku, załącznik 1: cele ustawowe i ochrona dzieci).',
  defaultHelpContact:
    'Jeśli teraz martwisz się o bezpieczeństwo dziecka, zadzwoń pod numer 999. Aby porozmawiać ze służbami ds. dzieci, zadzwoń do Family Front Door pod numer 0300 123 4567 (poza godzinami pracy: 0300 123 4568).',
}

const romanianYears = counted('ro', {
  one: () => '1 an',
  few: (n) => `${n} ani`,
  other: (n) => `${n} de ani`,
})
const romanianDays = counted('ro', {
  one: () => '1 zi',
  few: (n) => `${n} zile`,
  other: (n) => `${n} de zile`,
})
const romanianPeople = counted('ro', {
  one: () => 'o persoană',
  few: (n) => `${n} persoane`,
  other: (n) => `${n} de persoane`,
})

const ro: NoticeWords = {
  title: 'Cum folosim răspunsurile dumneavoastră',
  intro:
    'Serviciile pentru copii îi întreabă pe copii, pe tineri, pe familii și pe specialiștii cu care lucrează cum a fost să primească ajutor de la noi. Această pagină explică ce se întâmplă cu răspunsurile dumneavoastră.',
  headings: {
    responsible: 'Cine răspunde de informațiile dumneavoastră',
    choice: 'Dumneavoastră alegeți dacă răspundeți',
    whatWeKeep: 'Ce păstrăm',
    lawfulBasis: 'De ce avem voie să le folosim',
    whoReads: 'Cine citește răspunsurile dumneavoastră',
    whatYouWrite: 'Ce scrieți',
    howLong: 'Cât timp le păstrăm',
    rights: 'Drepturile dumneavoastră',
    complain: 'Dacă nu vă convine cum am folosit informațiile dumneavoastră',
    safety: 'Dacă vă îngrijorează siguranța unui copil',
  },
  runsSurvey: (council, controller) =>
    `${council} organizează acest sondaj. Operatorul de date, care decide cum sunt folosite informațiile dumneavoastră și răspunde de păstrarea lor în siguranță, este ${controller}.`,
  choice:
    'Nu trebuie să răspundeți și puteți sări peste orice întrebare. Faptul că răspundeți sau nu nu va schimba ajutorul pe care îl primiți dumneavoastră sau familia dumneavoastră.',
  whatWeKeep: [
    'răspunsurile pe care le alegeți și orice scrieți',
    'data la care ați răspuns',
    'echipa și serviciul la care s-a referit sondajul și dacă ați răspuns ca părinte sau îngrijitor, copil sau tânăr ori specialist',
    'adresa de e-mail sau numărul de telefon mobil la care v-am trimis linkul sondajului și prenumele dumneavoastră, dacă l-am folosit ca să vă salutăm',
  ],
  noName:
    'Nu vă cerem numele în sondaj. Unele linkuri de sondaj sunt legate de dosarul familiei dumneavoastră printr-un număr de referință din sistemul nostru de gestionare a cazurilor; prima pagină a sondajului vă spune clar dacă este și cazul dumneavoastră.',
  whoReads:
    'Echipa care a lucrat cu dumneavoastră, șefii ei și echipa noastră de asigurare a calității. La fiecare trei luni punem laolaltă răspunsurile tuturor ca să vedem ce merge bine și ce trebuie să schimbăm și prezentăm acest lucru consiliului care verifică calitatea muncii noastre.',
  reportsShowNumbers: (threshold) =>
    `Rapoartele arată cifre, de exemplu „9 din 10 familii au spus că și-au putut spune părerea”. Când la o întrebare au răspuns mai puțin de ${romanianPeople(threshold)}, nu arătăm cifra, pentru ca nimeni să nu poată fi recunoscut.`,
  personReads:
    'Un om citește fiecare comentariu înainte să fie folosit. Putem cita într-un raport ce scrieți, dar numai după ce eliminăm numele și orice altceva care v-ar putea identifica pe dumneavoastră sau familia dumneavoastră.',
  worriedAboutSafety:
    'Dacă scrieți ceva care ne face să ne îngrijorăm pentru siguranța unui copil, vom transmite repede informația cuiva care poate ajuta, așa cum am face dacă ne-ați spune personal.',
  howLongIntro:
    'Păstrăm informațiile dumneavoastră doar cât timp avem nevoie de ele; apoi un proces care rulează în fiecare zi le șterge:',
  duration: (days) => yearsOrDays(days, romanianYears, romanianDays),
  retention: {
    answers: () =>
      'Răspunsurile pe care le alegeți, data și echipa și serviciul la care s-a referit sondajul: ca totaluri anonime, cât timp sunt necesare pentru rapoarte (nimic nu le mai leagă de dumneavoastră după ce numărul de referință al dosarului este eliminat).',
    caseRefs: (_, d) =>
      `Numărul de referință care leagă răspunsurile dumneavoastră de dosarul familiei, dacă aveți unul: ${d} după ce a fost dat răspunsul sau a fost trimisă invitația.`,
    freeText: (_, d) =>
      `Orice scrieți cu propriile cuvinte: ${d} după ce a fost scris și niciodată cât timp o îngrijorare legată de siguranța unui copil este încă deschisă.`,
    invitationContacts: (_, d) =>
      `Adresa de e-mail sau numărul de telefon mobil la care v-am trimis linkul sondajului și prenumele dumneavoastră: ${d} după ce sondajul a primit răspuns, a expirat sau a fost anulat.`,
    outbox: (_, d) =>
      `Copiile e-mailurilor pe care vi le trimitem: ${d} după ce au fost puse în așteptare, odată trimise sau după ce am renunțat la trimitere.`,
    bulkUploads: (_, d) =>
      `Lista în care ne-a ajuns adresa dumneavoastră de e-mail, dacă sondajul a fost trimis împreună cu altele: ${d} după trimitere (o previzualizare neconfirmată: 1 zi).`,
    audit: (_, d) =>
      `O evidență a angajaților care v-au trimis sondajul sau v-au citit comentariile și a momentului în care au făcut-o: ${d}.`,
    sessions: () =>
      'Un cookie care vă păstrează locul cât timp răspundeți: până la încheierea sesiunii, după 30 de minute de inactivitate sau cel mult 12 ore.',
  },
  rights:
    'Puteți cere să vedeți informațiile pe care le avem despre dumneavoastră și familia dumneavoastră, să le corectăm, să le ștergem sau vă puteți opune felului în care le folosim. Vă vom răspunde în cel mult o lună.',
  contactDpo: (dpo) =>
    `Pentru aceasta sau pentru orice întrebare despre cum sunt folosite informațiile dumneavoastră, contactați ${dpo}. Puteți întreba și echipa care a lucrat cu dumneavoastră.`,
  complainRight:
    "Aveți dreptul să faceți o plângere la Biroul Comisarului pentru Informații (Information Commissioner's Office, ICO), autoritatea independentă a Regatului Unit pentru protecția datelor.",
  icoHelpline: (number) => `Puteți suna la linia de asistență a ICO la ${number}.`,
  icoLink: 'Faceți o plângere pe site-ul ICO (ico.org.uk)',
  defaultDpoContact: (council) =>
    `responsabilul cu protecția datelor (${council}), prin site-ul instituției sau prin centrala telefonică`,
  defaultLawfulBasis:
    'Sarcină de interes public (articolul 6 alineatul (1) litera (e) din GDPR-ul Regatului Unit): îndatoririle consiliului față de copiii aflați în nevoie, copiii din sistemul de protecție și familiile lor, conform legilor privind copiii din 1989 și 2004 (Children Act), includ să învățăm din ceea ce ne spun familiile. Orice ne spuneți despre sănătate sau siguranță face parte dintr-o categorie specială de date, pe care o folosim din motive de interes public important (articolul 9 alineatul (2) litera (g) și Legea privind protecția datelor din 2018, anexa 1: scopuri prevăzute de lege și protecția copiilor).',
  defaultHelpContact:
    'Dacă vă îngrijorează chiar acum siguranța unui copil, sunați la 999. Ca să vorbiți cu serviciile pentru copii, sunați la Family Front Door la 0300 123 4567 (în afara programului: 0300 123 4568).',
}

const ur: NoticeWords = {
  title: 'ہم آپ کے جوابات کیسے استعمال کرتے ہیں',
  intro:
    'بچوں کی خدمات بچوں، نوجوانوں، خاندانوں اور ان کے ساتھ کام کرنے والے ماہرین سے پوچھتی ہیں کہ ہم سے مدد لینے کا تجربہ کیسا رہا۔ یہ صفحہ بتاتا ہے کہ آپ کے جوابات کے ساتھ کیا ہوتا ہے۔',
  headings: {
    responsible: 'آپ کی معلومات کا ذمہ دار کون ہے',
    choice: 'جواب دینا آپ کی مرضی ہے',
    whatWeKeep: 'ہم کیا رکھتے ہیں',
    lawfulBasis: 'ہمیں اسے استعمال کرنے کی اجازت کیوں ہے',
    whoReads: 'آپ کے جوابات کون پڑھتا ہے',
    whatYouWrite: 'آپ جو لکھتے ہیں',
    howLong: 'ہم اسے کتنی دیر رکھتے ہیں',
    rights: 'آپ کے حقوق',
    complain: 'اگر آپ اس بات سے ناخوش ہیں کہ ہم نے آپ کی معلومات کیسے استعمال کیں',
    safety: 'اگر آپ کو کسی بچے کی حفاظت کی فکر ہے',
  },
  runsSurvey: (council, controller) =>
    `یہ سروے ${council} چلاتی ہے۔ ڈیٹا کنٹرولر، جو فیصلہ کرتا ہے کہ آپ کی معلومات کیسے استعمال ہوں گی اور انہیں محفوظ رکھنے کا ذمہ دار ہے، ${controller} ہے۔`,
  choice:
    'آپ کے لیے جواب دینا ضروری نہیں، اور آپ کوئی بھی سوال چھوڑ سکتے ہیں۔ آپ جواب دیں یا نہ دیں، اس سے آپ کو یا آپ کے خاندان کو ملنے والی مدد میں کوئی فرق نہیں پڑے گا۔',
  whatWeKeep: [
    'آپ کے چنے ہوئے جوابات اور جو کچھ بھی آپ لکھیں',
    'آپ نے کس تاریخ کو جواب دیا',
    'سروے کس ٹیم اور کس سروس کے بارے میں تھا، اور آپ نے والدین یا نگہداشت کرنے والے، بچے یا نوجوان، یا ماہر کے طور پر جواب دیا',
    'وہ ای میل پتہ یا موبائل نمبر جس پر ہم نے آپ کو سروے کا لنک بھیجا، اور آپ کا پہلا نام اگر ہم نے آپ کو مخاطب کرنے کے لیے اسے استعمال کیا',
  ],
  noName:
    'ہم سروے میں آپ کا نام نہیں پوچھتے۔ کچھ سروے لنک ہمارے کیس مینجمنٹ سسٹم کے ایک حوالہ نمبر کے ذریعے آپ کے خاندان کے کیس ریکارڈ سے جڑے ہوتے ہیں؛ سروے کا پہلا صفحہ آپ کو صاف بتاتا ہے کہ آیا آپ کا لنک جڑا ہوا ہے۔',
  whoReads:
    'وہ ٹیم جس نے آپ کے ساتھ کام کیا، ان کے مینیجر اور ہماری کوالٹی اشورنس ٹیم۔ ہر تین مہینے بعد ہم سب کے جوابات اکٹھے کرتے ہیں تاکہ دیکھ سکیں کہ کیا اچھا چل رہا ہے اور ہمیں کیا بدلنا ہے، اور اس کی رپورٹ اس بورڈ کو دیتے ہیں جو ہمارے کام کے معیار کی جانچ کرتا ہے۔',
  reportsShowNumbers: (threshold) =>
    `رپورٹوں میں اعداد دکھائے جاتے ہیں، جیسے "10 میں سے 9 خاندانوں نے کہا کہ وہ اپنی رائے دے سکے"۔ جب کسی سوال کا جواب ${threshold} سے کم لوگوں نے دیا ہو تو ہم وہ عدد نہیں دکھاتے، تاکہ کسی کو پہچانا نہ جا سکے۔`,
  personReads:
    'ہر تبصرہ استعمال ہونے سے پہلے ایک شخص پڑھتا ہے۔ ہم آپ کی لکھی ہوئی بات کسی رپورٹ میں نقل کر سکتے ہیں، لیکن صرف نام اور ہر وہ چیز ہٹانے کے بعد جس سے آپ یا آپ کا خاندان پہچانا جا سکے۔',
  worriedAboutSafety:
    'اگر آپ کوئی ایسی بات لکھیں جس سے ہمیں کسی بچے کی حفاظت کی فکر ہو، تو ہم اسے جلدی کسی ایسے شخص تک پہنچائیں گے جو مدد کر سکے، بالکل ویسے ہی جیسے آپ ہمیں خود بتاتے۔',
  howLongIntro:
    'ہم آپ کی معلومات صرف اتنی دیر رکھتے ہیں جتنی ہمیں ان کی ضرورت ہو؛ پھر روزانہ چلنے والا ایک عمل انہیں مٹا دیتا ہے:',
  // سال and دن keep one form after a number.
  duration: (days) =>
    yearsOrDays(
      days,
      (n) => `${n} سال`,
      (n) => `${n} دن`,
    ),
  retention: {
    answers: () =>
      'آپ کے چنے ہوئے جوابات، تاریخ، اور سروے کس ٹیم اور سروس کے بارے میں تھا: گمنام گنتی کی صورت میں، جب تک رپورٹوں کو ان کی ضرورت ہو (کیس کا حوالہ نمبر ہٹنے کے بعد کوئی چیز انہیں آپ سے نہیں جوڑتی)۔',
    caseRefs: (_, d) =>
      `وہ حوالہ نمبر جو آپ کے جوابات کو آپ کے خاندان کے کیس ریکارڈ سے جوڑتا ہے، اگر آپ کا ہو: جواب یا دعوت نامہ بننے کے ${d} بعد۔`,
    freeText: (_, d) =>
      `جو کچھ آپ اپنے الفاظ میں لکھیں: لکھے جانے کے ${d} بعد، اور جب تک اس سے متعلق بچے کی حفاظت کا کوئی خدشہ کھلا ہو، کبھی نہیں۔`,
    invitationContacts: (_, d) =>
      `وہ ای میل پتہ یا موبائل نمبر جس پر ہم نے آپ کو سروے کا لنک بھیجا، اور آپ کا پہلا نام: سروے کا جواب دیے جانے، اس کی میعاد ختم ہونے یا اسے منسوخ کیے جانے کے ${d} بعد۔`,
    outbox: (_, d) =>
      `ان ای میلز کی نقلیں جو ہم آپ کو بھیجتے ہیں: قطار میں لگنے کے ${d} بعد، جب وہ بھیج دی جائیں یا ہم کوشش چھوڑ دیں۔`,
    bulkUploads: (_, d) =>
      `وہ فہرست جس میں آپ کا ای میل پتہ ہمیں ملا، اگر سروے دوسروں کے ساتھ بھیجا گیا ہو: بھیجے جانے کے ${d} بعد (جس پیش نظارہ کی تصدیق نہ ہوئی ہو: 1 دن)۔`,
    audit: (_, d) =>
      `اس بات کا ریکارڈ کہ عملے میں سے کس نے آپ کا سروے بھیجا یا آپ کے تبصرے پڑھے، اور کب: ${d}۔`,
    sessions: () =>
      'ایک کوکی جو جواب دیتے وقت آپ کی جگہ یاد رکھتی ہے: سیشن ختم ہونے تک، یعنی 30 منٹ کچھ نہ کرنے پر یا زیادہ سے زیادہ 12 گھنٹے۔',
  },
  rights:
    'آپ ہم سے وہ معلومات دیکھنے کے لیے کہہ سکتے ہیں جو ہمارے پاس آپ اور آپ کے خاندان کے بارے میں ہیں، انہیں درست کرنے یا مٹانے کے لیے کہہ سکتے ہیں، یا ہمارے انہیں استعمال کرنے کے طریقے پر اعتراض کر سکتے ہیں۔ ہم ایک مہینے کے اندر جواب دیں گے۔',
  contactDpo: (dpo) =>
    `یہ کرنے کے لیے، یا اپنی معلومات کے استعمال کے بارے میں کوئی بھی سوال پوچھنے کے لیے، ${dpo} سے رابطہ کریں۔ آپ اس ٹیم سے بھی پوچھ سکتے ہیں جس نے آپ کے ساتھ کام کیا۔`,
  complainRight:
    "آپ کو انفارمیشن کمشنرز آفس (Information Commissioner's Office, ICO) سے شکایت کرنے کا حق ہے، جو ڈیٹا کے تحفظ کے لیے برطانیہ کا خود مختار نگران ادارہ ہے۔",
  icoHelpline: (number) => `آپ ICO کی ہیلپ لائن پر ${number} پر فون کر سکتے ہیں۔`,
  icoLink: 'ICO کی ویب سائٹ پر شکایت کریں (ico.org.uk)',
  defaultDpoContact: (council) => `${council} کے ڈیٹا پروٹیکشن آفیسر (ان کی ویب سائٹ یا سوئچ بورڈ کے ذریعے)`,
  defaultLawfulBasis:
    'عوامی فریضہ (برطانیہ کے GDPR کا آرٹیکل 6(1)(e)): چلڈرن ایکٹ 1989 اور 2004 کے تحت ضرورت مند بچوں، نگہداشت میں رہنے والے بچوں اور ان کے خاندانوں کے لیے کونسل کے فرائض میں یہ سیکھنا بھی شامل ہے کہ خاندان ہمیں کیا بتاتے ہیں۔ صحت یا حفاظت کے بارے میں آپ ہمیں جو کچھ بتاتے ہیں وہ خاص زمرے کا ڈیٹا ہے، جسے ہم اہم عوامی مفاد کی وجہ سے استعمال کرتے ہیں (آرٹیکل 9(2)(g) اور ڈیٹا پروٹیکشن ایکٹ 2018، شیڈول 1: قانونی مقاصد اور بچوں کا تحفظ)۔',
  defaultHelpContact:
    'اگر آپ کو ابھی کسی بچے کی حفاظت کی فکر ہے تو 999 پر کال کریں۔ بچوں کی خدمات سے بات کرنے کے لیے Family Front Door کو 0300 123 4567 پر کال کریں (دفتری اوقات کے بعد: 0300 123 4568)۔',
}

const arabicYears = counted('ar', {
  one: () => 'سنة واحدة',
  two: () => 'سنتان',
  few: (n) => `${n} سنوات`,
  many: (n) => `${n} سنة`,
  other: (n) => `${n} سنة`,
})
const arabicDays = counted('ar', {
  one: () => 'يوم واحد',
  two: () => 'يومان',
  few: (n) => `${n} أيام`,
  many: (n) => `${n} يومًا`,
  other: (n) => `${n} يوم`,
})
const arabicPeople = counted('ar', {
  one: () => 'شخص واحد',
  two: () => 'شخصين',
  few: (n) => `${n} أشخاص`,
  many: (n) => `${n} شخصًا`,
  other: (n) => `${n} شخص`,
})

const ar: NoticeWords = {
  title: 'كيف نستخدم إجاباتك',
  intro:
    'تسأل خدمات الأطفال الأطفالَ والشبابَ والعائلاتِ والمختصين الذين يعملون معهم عن تجربتهم في الحصول على المساعدة منا. تشرح هذه الصفحة ما يحدث لإجاباتك.',
  headings: {
    responsible: 'من المسؤول عن معلوماتك',
    choice: 'الإجابة اختيارك',
    whatWeKeep: 'ما الذي نحتفظ به',
    lawfulBasis: 'لماذا يحق لنا استخدامها',
    whoReads: 'من يقرأ إجاباتك',
    whatYouWrite: 'ما تكتبه',
    howLong: 'إلى متى نحتفظ بها',
    rights: 'حقوقك',
    complain: 'إذا لم تكن راضيًا عن طريقة استخدامنا لمعلوماتك',
    safety: 'إذا كنت قلقًا على سلامة طفل',
  },
  runsSurvey: (council, controller) =>
    `تدير ${council} هذا الاستبيان. والمتحكم في البيانات، الذي يقرر كيفية استخدام معلوماتك ويتحمل مسؤولية الحفاظ على أمانها، هو ${controller}.`,
  choice:
    'لست مضطرًا إلى الإجابة، ويمكنك تخطي أي سؤال. إجابتك أو عدم إجابتك لن تغيّر المساعدة التي تحصل عليها أنت أو عائلتك.',
  whatWeKeep: [
    'الإجابات التي تختارها وأي شيء تكتبه',
    'تاريخ إجابتك',
    'الفريق والخدمة اللذان كان الاستبيان عنهما، وهل أجبت بصفتك أحد الوالدين أو مقدّم رعاية، أو طفلًا أو شابًا، أو مختصًا',
    'عنوان البريد الإلكتروني أو رقم الهاتف المحمول الذي أرسلنا إليه رابط الاستبيان، واسمك الأول إذا استخدمناه في تحيتك',
  ],
  noName:
    'لا نسألك عن اسمك في الاستبيان. بعض روابط الاستبيان مرتبطة بسجل قضية عائلتك من خلال رقم مرجعي من نظام إدارة القضايا لدينا؛ وتخبرك الصفحة الأولى من الاستبيان بوضوح إن كان رابطك منها.',
  whoReads:
    'الفريق الذي عمل معك ومديروه وفريق ضمان الجودة لدينا. كل ثلاثة أشهر نجمع إجابات الجميع لنرى ما الذي ينجح وما الذي نحتاج إلى تغييره، ونرفع تقريرًا بذلك إلى المجلس الذي يراقب جودة عملنا.',
  reportsShowNumbers: (threshold) =>
    `تعرض التقارير أرقامًا، مثل "قالت 9 من كل 10 عائلات إنها استطاعت التعبير عن رأيها". وعندما يجيب عن سؤال أقل من ${arabicPeople(threshold)}، لا نعرض الرقم، حتى لا يمكن التعرف على أحد.`,
  personReads:
    'يقرأ شخصٌ كل تعليق قبل استخدامه. قد نقتبس ما تكتبه في تقرير، ولكن فقط بعد حذف الأسماء وأي شيء آخر قد يكشف هويتك أو هوية عائلتك.',
  worriedAboutSafety:
    'إذا كتبت شيئًا يجعلنا نقلق على سلامة طفل، فسننقله بسرعة إلى شخص يستطيع المساعدة، كما كنا سنفعل لو أخبرتنا بذلك وجهًا لوجه.',
  howLongIntro: 'نحتفظ بمعلوماتك فقط طوال المدة التي نحتاجها فيها؛ ثم تحذفها عملية تعمل كل يوم:',
  duration: (days) => yearsOrDays(days, arabicYears, arabicDays),
  retention: {
    answers: () =>
      'الإجابات التي تختارها والتاريخ والفريق والخدمة اللذان كان الاستبيان عنهما: كأعداد مجهولة الهوية، طوال المدة التي تحتاجها التقارير (لا شيء يربطها بك بعد حذف الرقم المرجعي للقضية).',
    caseRefs: (_, d) =>
      `الرقم المرجعي الذي يربط إجاباتك بسجل قضية عائلتك، إن وُجد: ${d} بعد تقديم الإجابة أو إرسال الدعوة.`,
    freeText: (_, d) =>
      `أي شيء تكتبه بكلماتك الخاصة: ${d} بعد كتابته، ولا يُحذف أبدًا ما دام هناك قلق بشأن سلامة طفل متعلق به لم يُغلق بعد.`,
    invitationContacts: (_, d) =>
      `عنوان البريد الإلكتروني أو رقم الهاتف المحمول الذي أرسلنا إليه رابط الاستبيان، واسمك الأول: ${d} بعد الإجابة عن الاستبيان أو انتهاء صلاحيته أو إلغائه.`,
    outbox: (_, d) =>
      `نسخ رسائل البريد الإلكتروني التي نرسلها إليك: ${d} بعد وضعها في قائمة الانتظار، بعد إرسالها أو التوقف عن محاولة إرسالها.`,
    bulkUploads: (_, d) =>
      `القائمة التي وصلنا فيها عنوان بريدك الإلكتروني، إذا أُرسل الاستبيان مع آخرين: ${d} بعد إرسالها (المعاينة التي لم تُؤكَّد: يوم واحد).`,
    audit: (_, d) => `سجلّ يبيّن أيّ الموظفين أرسلوا استبيانك أو قرأوا تعليقاتك، ومتى: ${d}.`,
    sessions: () =>
      'ملف تعريف ارتباط (كوكي) يحفظ مكانك أثناء الإجابة: حتى تنتهي الجلسة، بعد 30 دقيقة من عدم النشاط أو 12 ساعة على الأكثر.',
  },
  rights:
    'يمكنك أن تطلب الاطلاع على المعلومات التي نحتفظ بها عنك وعن عائلتك، أو أن تطلب منا تصحيحها أو حذفها، أو أن تعترض على طريقة استخدامنا لها. سنرد عليك خلال شهر واحد.',
  contactDpo: (dpo) =>
    `للقيام بذلك، أو لطرح أي سؤال عن طريقة استخدام معلوماتك، تواصل مع ${dpo}. ويمكنك أيضًا أن تسأل الفريق الذي عمل معك.`,
  complainRight:
    "يحق لك تقديم شكوى إلى مكتب مفوض المعلومات (Information Commissioner's Office, ICO)، وهو الجهة التنظيمية المستقلة لحماية البيانات في المملكة المتحدة.",
  icoHelpline: (number) => `يمكنك الاتصال بخط المساعدة التابع لمكتب ICO على الرقم ${number}.`,
  icoLink: 'تقديم شكوى على موقع ICO الإلكتروني (ico.org.uk)',
  defaultDpoContact: (council) =>
    `مسؤول حماية البيانات في ${council}، عبر موقعها الإلكتروني أو مقسمها الهاتفي`,
  defaultLawfulBasis:
    'المهمة العامة (المادة 6(1)(e) من اللائحة العامة لحماية البيانات في المملكة المتحدة): تشمل واجبات المجلس تجاه الأطفال المحتاجين والأطفال في الرعاية وعائلاتهم بموجب قانونَي الأطفال لعامَي 1989 و2004 التعلّمَ مما تخبرنا به العائلات. وأي شيء تخبرنا به عن الصحة أو السلامة هو بيانات من فئة خاصة، نستخدمها لأسباب تتعلق بمصلحة عامة جوهرية (المادة 9(2)(g) وقانون حماية البيانات لعام 2018، الجدول 1: الأغراض القانونية وحماية الأطفال).',
  defaultHelpContact:
    'إذا كنت قلقًا على سلامة طفل الآن، فاتصل بالرقم 999. للتحدث إلى خدمات الأطفال، اتصل بـ Family Front Door على الرقم 0300 123 4567 (خارج ساعات العمل: 0300 123 4568).',
}

export const NOTICE_WORDS: Record<NoticeLanguage, NoticeWords> = { en, cy, pl, ro, ur, ar }

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
