/**
 * The privacy notice families read at /privacy: every word of it is here (the view only lays it
 * out), so it can be translated in one place. Who is responsible, the lawful basis and the DPO come
 * from the settings; how long each thing is kept comes from the retention schedule the daily job
 * applies (schedule.ts), so the notice cannot promise something the job does not do.
 */
import type { Config } from '../config'
import { retentionSchedule, type ScheduleConfig } from './schedule'

export const ICO_COMPLAINT_URL = 'https://ico.org.uk/make-a-complaint/'
export const ICO_HELPLINE = '0303 123 1113'

export interface NoticeSection {
  heading: string
  paragraphs: string[]
  list?: string[]
  link?: { text: string; href: string }
  /** Shown as inset text (the safety contact). */
  inset?: string
}

export interface PrivacyNotice {
  title: string
  intro: string
  sections: NoticeSection[]
}

export type NoticeConfig = ScheduleConfig &
  Pick<
    Config,
    'councilName' | 'dataController' | 'dpoContact' | 'lawfulBasis' | 'helpContact' | 'smallNumberThreshold'
  >

export function privacyNotice(config: NoticeConfig): PrivacyNotice {
  return {
    title: 'How we use your answers',
    intro:
      "Children's services ask children, young people, families and the professionals they work with what it was like to get help from us. This page explains what happens to your answers.",
    sections: [
      {
        heading: 'Who is responsible for your information',
        paragraphs: [
          `${config.councilName} runs this survey. The data controller, who decides how your information is used and is responsible for keeping it safe, is ${config.dataController}.`,
        ],
      },
      {
        heading: 'Answering is up to you',
        paragraphs: [
          'You do not have to answer, and you can skip any question. Whether you answer or not will not change the help you or your family get.',
        ],
      },
      {
        heading: 'What we keep',
        paragraphs: [],
        list: [
          'the answers you choose and anything you write',
          'the date you answered',
          'which team and service the survey was about, and whether you answered as a parent or carer, a child or young person, or a professional',
          'the email address or mobile number we sent your survey link to, and your first name if we used it to greet you',
        ],
      },
      {
        heading: 'Why we are allowed to use it',
        paragraphs: [
          config.lawfulBasis,
          "We do not ask for your name in the survey. Some survey links are linked to your family's case record using a reference number from our case-management system; the first page of the survey tells you plainly whether yours is.",
        ],
      },
      {
        heading: 'Who reads your answers',
        paragraphs: [
          'The team who worked with you, their managers and our quality assurance team. Every three months we put everyone’s answers together to see what is working well and what we need to change, and report this to the board that checks the quality of our work.',
          `Reports show numbers, such as "9 out of 10 families said they could share their views". When fewer than ${config.smallNumberThreshold} people answered a question, we do not show the number, so that nobody can be recognised.`,
        ],
      },
      {
        heading: 'What you write',
        paragraphs: [
          'A person reads every comment before it is used. We may quote what you write in a report, but only after removing names and anything else that could identify you or your family.',
          "If you write something that makes us worried about a child's safety, we will pass it quickly to someone who can help, as we would if you told us in person.",
        ],
      },
      {
        heading: 'How long we keep it',
        paragraphs: [
          'We keep your information only as long as we need it; a job that runs every day then removes it:',
        ],
        list: retentionSchedule(config).map((entry) => `${capitalise(entry.forFamilies)}: ${entry.keptFor}.`),
      },
      {
        heading: 'Your rights',
        paragraphs: [
          'You can ask to see the information we hold about you and your family, ask us to correct it, ask us to delete it, or object to how we use it. We will answer within one month.',
          `To do this, or to ask any question about how your information is used, contact ${config.dpoContact}. You can also ask the team who worked with you.`,
        ],
      },
      {
        heading: 'If you are unhappy with how we used your information',
        paragraphs: [
          "You have the right to complain to the Information Commissioner's Office (ICO), the UK's independent regulator for data protection.",
          `You can call the ICO's helpline on ${ICO_HELPLINE}.`,
        ],
        link: { text: 'Make a complaint on the ICO website (ico.org.uk)', href: ICO_COMPLAINT_URL },
      },
      {
        heading: "If you are worried about a child's safety",
        paragraphs: [],
        inset: config.helpContact,
      },
    ],
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
