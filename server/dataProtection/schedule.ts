/**
 * The retention schedule: what personal data Family Voice keeps, for how long, and why, from the
 * settings. The daily job (applySchedule.ts), the admin page and the privacy notice all read this
 * one list, so what families are told can never disagree with what the job does.
 */
import type { Config } from '../config'
import { outboxRetentionDays } from '../retention'

/** The kinds of removal a retention day counts (its `removed` counts), each with its label. */
export const REMOVAL_LABELS = {
  responseCaseRefs: 'Case references removed from responses',
  invitationCaseRefs: 'Case references removed from invitations',
  invitationContacts: 'Invitations whose email, mobile and name were removed',
  freeText: 'Free-text answers deleted',
  outboxMessages: 'Outbox emails deleted',
  bulkPreviews: 'Unconfirmed bulk previews deleted',
  bulkUploads: 'Sent bulk uploads deleted',
  auditEvents: 'Audit events deleted',
  sessions: 'Expired sessions deleted',
  sessionActivity: 'Session activity records deleted',
  rateLimitWindows: 'Ended rate-limit windows deleted',
} as const satisfies Record<string, string>
export type RemovalKind = keyof typeof REMOVAL_LABELS
export const REMOVAL_KINDS = Object.keys(REMOVAL_LABELS) as RemovalKind[]

/**
 * Every field of an invitation that says how to reach the family (or who they are). A new contact
 * field (a mobile number, say) must be added here, and retention and erasure then remove it too.
 */
export const INVITATION_CONTACT_FIELDS = ['recipientEmail', 'recipientName', 'recipientMobile'] as const

/** Which entry this is, so the privacy notice can say it in each family language. */
export type RetentionKind =
  'answers' | 'caseRefs' | 'freeText' | 'invitationContacts' | 'outbox' | 'bulkUploads' | 'audit' | 'sessions'

export interface ScheduleEntry {
  kind: RetentionKind
  /** The period in days, when the entry has one set by the settings (the notice words it). */
  days?: number
  /** What is kept, for staff (the admin page). */
  what: string
  /** The same, in plain words for families (the privacy notice). */
  forFamilies: string
  /** How long, in words: "2 years after the answer was given". */
  keptFor: string
  /** The setting that changes it, when there is one. */
  setting?: string
  /** Why the default is what it is. */
  why: string
}

/** Whole years when the days are a whole number of years, else days: "2 years", "90 days". */
export function durationWords(days: number): string {
  if (days % 365 === 0) {
    const years = days / 365
    return years === 1 ? '1 year' : `${years} years`
  }
  return days === 1 ? '1 day' : `${days} days`
}

export type ScheduleConfig = Pick<
  Config,
  | 'caseRefRetentionDays'
  | 'freeTextRetentionDays'
  | 'invitationContactRetentionDays'
  | 'auditRetentionDays'
  | 'outboxRetentionDays'
  | 'invitationExpiryDays'
  | 'bulkUploadRetentionDays'
>

export function retentionSchedule(config: ScheduleConfig): ScheduleEntry[] {
  return [
    {
      kind: 'answers',
      what: 'Answers to the questions (no name, no case reference once that is removed)',
      forFamilies: 'the answers you choose, the date, and which team and service the survey was about',
      keptFor:
        'as anonymous counts, for as long as the reports need them (nothing links them to you once the case reference is removed)',
      why: 'Once the case reference is gone nobody can tell whose answers they are: they are counts, not personal data.',
    },
    {
      kind: 'caseRefs',
      days: config.caseRefRetentionDays,
      what: 'Case references on responses and invitations',
      forFamilies:
        "the reference number that links your answers to your family's case record, if yours has one",
      keptFor: `${durationWords(config.caseRefRetentionDays)} after the response or invitation was made`,
      setting: 'CASE_REF_RETENTION_DAYS',
      why: "Two years covers the year's quality assurance cycle and the next, when a case-file audit may look at a family's feedback beside their case; after that the counts are enough.",
    },
    {
      kind: 'freeText',
      days: config.freeTextRetentionDays,
      what: 'Free-text answers (comments), their reviews and any safeguarding flag notes',
      forFamilies: 'anything you write in your own words',
      keptFor: `${durationWords(config.freeTextRetentionDays)} after they were given, and never while a safeguarding concern about them is still open`,
      setting: 'FREE_TEXT_RETENTION_DAYS',
      why: 'Quotes are used in the quarterly reports for the year and compared with the year before; a comment under an open safeguarding flag is kept until a person has closed it.',
    },
    {
      kind: 'invitationContacts',
      days: config.invitationContactRetentionDays,
      what: 'Email addresses, mobile numbers and first names on invitations',
      forFamilies: 'the email address or mobile number we sent your survey link to, and your first name',
      keptFor: `${durationWords(config.invitationContactRetentionDays)} after the survey was answered, expired or was cancelled`,
      setting: 'INVITATION_CONTACT_RETENTION_DAYS',
      why: 'Long enough to resend a link after a bounce and to answer a family who asks about a message; the invitation itself stays, without them, for response rates.',
    },
    {
      kind: 'outbox',
      days: outboxRetentionDays(config),
      what: 'Emails in the outbox (they hold the personal link)',
      forFamilies: 'copies of the emails we send you',
      keptFor: `${durationWords(outboxRetentionDays(config))} after they were queued, once sent or given up`,
      setting: 'OUTBOX_RETENTION_DAYS',
      why: 'Enough to see that mail went out; never before its link has expired, since a kept email is the only copy of its link.',
    },
    {
      kind: 'bulkUploads',
      days: config.bulkUploadRetentionDays,
      what: "Bulk uploads (the CSV rows behind a bulk send, with each family's email)",
      forFamilies: 'the list your email address came to us in, if it was sent with others',
      keptFor: `${durationWords(config.bulkUploadRetentionDays)} after they were sent (a preview never confirmed: 1 day)`,
      setting: 'BULK_UPLOAD_RETENTION_DAYS',
      why: 'The "surveys sent" page is only needed while the sender checks the send.',
    },
    {
      kind: 'audit',
      days: config.auditRetentionDays,
      what: 'Audit trail (who signed in, sent, viewed or exported what) and these retention records',
      forFamilies: 'a record of which staff sent your survey or read your comments, and when',
      keptFor: `${durationWords(config.auditRetentionDays)}`,
      setting: 'AUDIT_RETENTION_DAYS',
      why: 'Six years, the time within which a claim or complaint about how the data was handled can be brought (Limitation Act 1980).',
    },
    {
      kind: 'sessions',
      what: 'Sessions (staff sign-ins and a survey in progress)',
      forFamilies: 'a cookie that keeps your place while you answer',
      keptFor: 'until they end: 30 minutes idle or 12 hours at most',
      why: 'Only needed while someone is using the service.',
    },
  ]
}
