/**
 * Configuration from the environment, validated once at start. A wrong value stops the app
 * with one sentence naming the variable, never a stack trace (see main.ts).
 */
import { accessSync, constants, statSync } from 'node:fs'
import net from 'node:net'
import { z } from 'zod'
import { isEmailAddress } from './staff/emailAddress'
import { databaseNameFor, parseConnectionString } from './db/databaseName'
import { LOG_LEVELS, type LogLevel } from './log'
import { parseOidcSettings, type OidcSettings } from './staff/ssoSettings'
import { FAMILY_LANGUAGE_CODES, isFamilyLanguage, type FamilyLanguage } from './i18n/languages'
import { EMBEDDED_DURABILITIES, type EmbeddedDurability } from './db/embeddedDurability'

export class ConfigError extends Error {}

function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

const positiveInt = (name: string, fallback: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback
      const parsed = Number(value)
      if (!Number.isInteger(parsed) || parsed < min) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`,
        })
        return z.NEVER
      }
      return parsed
    })

/** Names proxy-addr (Express's 'trust proxy') understands for address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal']

function isProxyAddress(text: string): boolean {
  if (PROXY_RANGE_NAMES.includes(text) || net.isIP(text)) return true
  const [address, bits, extra] = text.split('/')
  if (extra !== undefined || !address || !bits || !/^\d{1,3}$/.test(bits)) return false
  const family = net.isIP(address)
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128)
}

/**
 * Which proxies to believe about the client's address: none, a number of hops in front of the
 * app, or the proxies' own addresses. Never "every hop" (`true`), which would make the client's
 * own X-Forwarded-For the address that rate limits and the audit trail use.
 */
export type TrustProxy = false | number | string[]

const trustProxySetting = z
  .string()
  .optional()
  .transform((value, ctx): TrustProxy => {
    const text = (value ?? '').trim()
    if (text === '' || ['false', 'off', 'no', '0'].includes(text.toLowerCase())) return false
    if (/^\d+$/.test(text)) {
      const hops = Number(text)
      if (hops <= 10) return hops
    } else if (text.toLowerCase() !== 'true') {
      const addresses = text.split(',').map((part) => part.trim())
      if (addresses.every(isProxyAddress)) return addresses
    }
    ctx.addIssue({
      code: 'custom',
      message:
        text.toLowerCase() === 'true'
          ? 'TRUST_PROXY=true would believe any X-Forwarded-For a client sends: set the number of proxies in front of the app (usually 1) or their addresses (e.g. 10.0.0.5 or 10.0.0.0/8)'
          : `TRUST_PROXY must be a number of proxies (1 to 10) or a comma-separated list of proxy addresses or ranges (e.g. 10.0.0.5, 10.0.0.0/8, loopback), not "${text}"`,
    })
    return z.NEVER
  })

/** An optional setting: unset or "" gives `fallback`; otherwise `read` gives its value or the problem to report. */
function optionalSetting<T, F>(fallback: F, read: (value: string) => { value: T } | { problem: string }) {
  return z
    .string()
    .optional()
    .transform((value, ctx): T | F => {
      if (value === undefined || value === '') return fallback
      const result = read(value)
      if ('value' in result) return result.value
      ctx.addIssue({ code: 'custom', message: result.problem })
      return z.NEVER
    })
}

/** An optional text setting that, when set, must pass `check` (on its trimmed value). */
const checkedText = (check: (value: string) => boolean, message: string) =>
  z
    .string()
    .optional()
    .refine((value) => !value || check(value.trim()), { message })

const urlWithScheme = (name: string, schemes: string[]) =>
  optionalSetting(undefined, (value) => {
    if (!URL.canParse(value)) return { problem: `${name} is not a valid URL` }
    if (!schemes.includes(new URL(value).protocol)) {
      return { problem: `${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')}` }
    }
    return { value }
  })

/** A GOV.UK Notify API key ends in two UUIDs: the service id, then the secret it signs with. */
const NOTIFY_KEY_PATTERN =
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const notifyTemplateId = (name: string) =>
  checkedText(
    (value) => UUID_PATTERN.test(value),
    `${name} must be a template id from GOV.UK Notify (a UUID, on the template's page)`,
  )

const ZEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: optionalSetting<number, number>(3000, (value) => {
    const port = Number(value)
    if (Number.isInteger(port) && port >= 0 && port <= 65535) return { value: port }
    return { problem: `PORT must be a port number between 0 and 65535, not "${value}"` }
  }),
  BASE_URL: urlWithScheme('BASE_URL', ['http:', 'https:']),
  MONGODB_URI: optionalSetting(undefined, (value) => {
    const parsed = parseConnectionString(value)
    return 'problem' in parsed ? { problem: parsed.problem } : { value }
  }),
  SMTP_URL: urlWithScheme('SMTP_URL', ['smtp:', 'smtps:']),
  NOTIFY_API_KEY: checkedText(
    (value) => NOTIFY_KEY_PATTERN.test(value),
    'NOTIFY_API_KEY must be an API key from GOV.UK Notify (name-serviceid-secret)',
  ),
  NOTIFY_EMAIL_TEMPLATE_ID: notifyTemplateId('NOTIFY_EMAIL_TEMPLATE_ID'),
  NOTIFY_SMS_TEMPLATE_ID: notifyTemplateId('NOTIFY_SMS_TEMPLATE_ID'),
  NOTIFY_BASE_URL: urlWithScheme('NOTIFY_BASE_URL', ['https:', 'http:']),
  SESSION_SECRET: z.string().optional(),
  MAIL_FROM: z.string().optional(),
  DATA_DIR: z.string().optional(),
  EMBEDDED_DURABILITY: z.enum(EMBEDDED_DURABILITIES).default('normal'),
  INVITATION_EXPIRY_DAYS: positiveInt('INVITATION_EXPIRY_DAYS', 28),
  REMINDER_AFTER_DAYS: positiveInt('REMINDER_AFTER_DAYS', 7),
  SMALL_NUMBER_THRESHOLD: positiveInt('SMALL_NUMBER_THRESHOLD', 5),
  WORRY_FALL_POINTS: positiveInt('WORRY_FALL_POINTS', 5),
  OUTBOX_RETENTION_DAYS: positiveInt('OUTBOX_RETENTION_DAYS', 30, 1),
  BULK_UPLOAD_RETENTION_DAYS: positiveInt('BULK_UPLOAD_RETENTION_DAYS', 30, 1),
  // Data protection: the retention schedule (server/dataProtection/schedule.ts) and the privacy notice.
  CASE_REF_RETENTION_DAYS: positiveInt('CASE_REF_RETENTION_DAYS', 730, 1),
  FREE_TEXT_RETENTION_DAYS: positiveInt('FREE_TEXT_RETENTION_DAYS', 730, 1),
  INVITATION_CONTACT_RETENTION_DAYS: positiveInt('INVITATION_CONTACT_RETENTION_DAYS', 90, 1),
  AUDIT_RETENTION_DAYS: positiveInt('AUDIT_RETENTION_DAYS', 2190, 1),
  DATA_CONTROLLER: z.string().optional(),
  DPO_CONTACT: z.string().optional(),
  LAWFUL_BASIS: z.string().optional(),
  HELP_CONTACT: z.string().optional(),
  COUNCIL_LOGO_FILE: checkedText(
    (value) => /\.(png|jpe?g|svg)$/i.test(value),
    'COUNCIL_LOGO_FILE must be the path of a PNG, JPEG or SVG file',
  ).refine((value) => !value || isReadableFile(value.trim()), {
    message: 'COUNCIL_LOGO_FILE must name a file that exists and can be read',
  }),
  COUNCIL_NAME: z
    .string()
    .optional()
    // Blank means unset (the default name), like the other privacy notice settings.
    .refine((value) => value === undefined || value.trim().length <= 100, {
      message: 'COUNCIL_NAME must be the council name, at most 100 characters',
    }),
  WORRY_WORDS: z.string().optional(),
  SAFEGUARDING_EMAIL: checkedText(isEmailAddress, 'SAFEGUARDING_EMAIL must be an email address'),
  TRUST_PROXY: trustProxySetting,
  HOST: z.string().optional(),
  DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  REPORT_DEFAULT_PERIOD: z
    .enum(['last-complete-quarter', 'current-quarter'])
    .default('last-complete-quarter'),
  BACKGROUND_INTERVAL_MS: positiveInt('BACKGROUND_INTERVAL_MS', 0),
  // Single sign-on: checked together in loadConfig (all three or none).
  OIDC_ISSUER_URL: z.string().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_CREATE_USERS: z.string().optional(),
  OIDC_ROLE_GROUPS: z.string().optional(),
  OIDC_SIGN_IN_LABEL: z.string().optional(),
  FAMILY_LANGUAGES: z
    .string()
    .optional()
    .transform((value, ctx): FamilyLanguage[] => {
      const codes = (value ?? '')
        .split(',')
        .map((code) => code.trim().toLowerCase())
        .filter(Boolean)
      const unknown = codes.find((code) => !isFamilyLanguage(code))
      if (unknown !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `FAMILY_LANGUAGES must list languages from ${FAMILY_LANGUAGE_CODES.join(', ')}, separated by commas, not "${unknown}"`,
        })
        return z.NEVER
      }
      return [...new Set(codes)] as FamilyLanguage[]
    }),
})

export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  /** The address to listen on; undefined: every interface (production only, unless HOST is set). */
  host: string | undefined
  baseUrl: string
  /** Unset: the embedded FerretDB starts under dataDir. */
  mongodbUri: string | undefined
  /** The database named in MONGODB_URI's path, else `family-voice` (app and CLI alike). */
  databaseName: string
  /** Unset: mail is kept in the local outbox that admins read in the app. */
  smtpUrl: string | undefined
  mailFrom: string
  /** Set: email and text messages go through GOV.UK Notify instead of SMTP (mail/notify.ts). */
  notify: NotifySettings | undefined
  sessionSecret: string
  dataDir: string
  /** The embedded engine's SQLite sync: 'normal' (at checkpoints) or 'full' (every commit). */
  embeddedDurability: EmbeddedDurability
  invitationExpiryDays: number
  reminderAfterDays: number
  smallNumberThreshold: number
  worryFallPoints: number
  /** Days settled outbox mail (sent, kept, cancelled, failed) is kept; see retention.ts. */
  outboxRetentionDays: number
  /** Days a sent bulk upload (its "surveys sent" page) is kept; unconfirmed previews go after a day. */
  bulkUploadRetentionDays: number
  /** Days case references stay on responses and invitations after they were made. */
  caseRefRetentionDays: number
  /** Days free-text answers are kept after they were given (longer while a safeguarding flag is open). */
  freeTextRetentionDays: number
  /** Days an invitation's email, mobile and first name are kept after it was answered, expired or cancelled. */
  invitationContactRetentionDays: number
  /** Days audit events (and the retention schedule's daily records) are kept. */
  auditRetentionDays: number
  /** Who runs the service: named in the privacy notice and on every page of the Board report. */
  councilName: string
  /** The council's logo (PNG, JPEG or SVG) for the top of every page of the Board report. */
  councilLogoFile: string | undefined
  /** The privacy notice: who decides what is done with the data, and why. */
  dataController: string
  dpoContact: string
  lawfulBasis: string
  /** Shown on the thank-you page: who to contact if a child is unsafe now. */
  helpContact: string
  worryWords: string[]
  /** Where safeguarding flags go for a team without its own duty address. */
  safeguardingEmail: string | undefined
  trustProxy: TrustProxy
  /** Cookies are Secure in production and whenever the public address is https (TLS at a proxy). */
  secureCookies: boolean
  demoData: 'auto' | 'on' | 'off'
  /** How much the app logs; never personal data at any level. */
  logLevel: LogLevel
  /** The period the reports dashboard opens on when none is chosen. */
  reportDefaultPeriod: 'last-complete-quarter' | 'current-quarter'
  /** Tests: the outbox, reminders and expiry all run this often. Unset: every 15 s and 5 minutes. */
  backgroundIntervalMs: number | undefined
  /** Single sign-on with the council's OpenID provider; undefined: password sign-in only. */
  oidc: OidcSettings | undefined
  /** Languages besides English that families may choose, once a fluent speaker has reviewed them. */
  familyLanguages: FamilyLanguage[]
}

export interface NotifySettings {
  apiKey: string
  /** An email template whose subject is ((subject)) and whose body is ((body)). */
  emailTemplateId: string
  /** A text message template whose body is ((body)). */
  smsTemplateId: string
  /** GOV.UK Notify's API; tests point it at a server on loopback. */
  baseUrl: string
}

export const NOTIFY_PRODUCTION_URL = 'https://api.notifications.service.gov.uk'

/**
 * How text messages go: through Notify; kept in the local outbox like the demo's mail when no
 * delivery at all is set up; or not at all (SMTP without Notify cannot send a text message).
 */
export function textMessageDelivery(config: Pick<Config, 'notify' | 'smtpUrl'>): 'notify' | 'local' | 'none' {
  if (config.notify) return 'notify'
  return config.smtpUrl ? 'none' : 'local'
}

export const DEFAULT_HELP_CONTACT =
  "If you are worried about a child's safety right now, call 999. " +
  "To talk to children's services, call the Family Front Door on 0300 123 4567 (out of hours: 0300 123 4568)."

export const DEFAULT_WORRY_WORDS = [
  'hurt me',
  'hurts me',
  'hit me',
  'hits me',
  'hitting me',
  'scared',
  'frightened',
  'unsafe',
  'not safe',
  'kill myself',
  'suicide',
  'self harm',
  'self-harm',
  'abuse',
  'touched me',
  'run away',
]

export const DEFAULT_COUNCIL_NAME = 'The council'
export const DEFAULT_LAWFUL_BASIS =
  "Public task (UK GDPR Article 6(1)(e)): the council's duties to children in need, children in care " +
  'and their families under the Children Act 1989 and 2004 include learning from what families tell us. ' +
  'Anything you tell us about health or safety is special category data, which we use for reasons of ' +
  'substantial public interest (Article 9(2)(g) and the Data Protection Act 2018, Schedule 1: statutory ' +
  'purposes and safeguarding of children).'

/** The DPO contact when none is set; the privacy notice translates it when it is this one. */
export function defaultDpoContact(councilName: string): string {
  return `the data protection officer of ${councilName}, through its website or switchboard`
}

/** Blank settings fall back too: a notice that names nobody would be worse than the defaults. */
function privacySettings(env: {
  COUNCIL_NAME?: string
  DATA_CONTROLLER?: string
  DPO_CONTACT?: string
  LAWFUL_BASIS?: string
}) {
  const councilName = env.COUNCIL_NAME?.trim() || DEFAULT_COUNCIL_NAME
  return {
    councilName,
    dataController: env.DATA_CONTROLLER?.trim() || councilName,
    dpoContact: env.DPO_CONTACT?.trim() || defaultDpoContact(councilName),
    lawfulBasis: env.LAWFUL_BASIS?.trim() || DEFAULT_LAWFUL_BASIS,
  }
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnvironment.safeParse(environment)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const message =
      issue?.code === 'custom'
        ? issue.message
        : `${String(issue?.path[0] ?? 'a setting')} is not valid: ${issue?.message}`
    throw new ConfigError(`Configuration error: ${message}.`)
  }
  const env = parsed.data
  if (env.NODE_ENV === 'production' && (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)) {
    throw new ConfigError(
      'Configuration error: SESSION_SECRET must be set to at least 32 random characters when NODE_ENV=production.',
    )
  }
  let notify: NotifySettings | undefined
  if (env.NOTIFY_API_KEY) {
    for (const name of ['NOTIFY_EMAIL_TEMPLATE_ID', 'NOTIFY_SMS_TEMPLATE_ID'] as const) {
      if (!env[name])
        throw new ConfigError(`Configuration error: ${name} must be set when NOTIFY_API_KEY is.`)
    }
    notify = {
      apiKey: env.NOTIFY_API_KEY.trim(),
      emailTemplateId: env.NOTIFY_EMAIL_TEMPLATE_ID!.trim(),
      smsTemplateId: env.NOTIFY_SMS_TEMPLATE_ID!.trim(),
      baseUrl: (env.NOTIFY_BASE_URL ?? NOTIFY_PRODUCTION_URL).replace(/\/+$/, ''),
    }
  }
  const baseUrl = (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '')
  const oidc = parseOidcSettings(env, env.NODE_ENV === 'production')
  if (typeof oidc === 'string') throw new ConfigError(`Configuration error: ${oidc}.`)
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    // Outside production only this machine can reach the app (demo accounts are on its home page).
    host: env.HOST?.trim() || (env.NODE_ENV === 'production' ? undefined : '127.0.0.1'),
    baseUrl,
    mongodbUri: env.MONGODB_URI,
    databaseName: databaseNameFor(env.MONGODB_URI),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? 'Family Voice <no-reply@family-voice.local>',
    notify,
    // Outside production a fixed development secret keeps local sessions across restarts.
    sessionSecret: env.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
    dataDir: env.DATA_DIR ?? 'data',
    embeddedDurability: env.EMBEDDED_DURABILITY,
    invitationExpiryDays: env.INVITATION_EXPIRY_DAYS,
    reminderAfterDays: env.REMINDER_AFTER_DAYS,
    smallNumberThreshold: env.SMALL_NUMBER_THRESHOLD,
    worryFallPoints: env.WORRY_FALL_POINTS,
    outboxRetentionDays: env.OUTBOX_RETENTION_DAYS,
    bulkUploadRetentionDays: env.BULK_UPLOAD_RETENTION_DAYS,
    caseRefRetentionDays: env.CASE_REF_RETENTION_DAYS,
    freeTextRetentionDays: env.FREE_TEXT_RETENTION_DAYS,
    invitationContactRetentionDays: env.INVITATION_CONTACT_RETENTION_DAYS,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    ...privacySettings(env),
    councilLogoFile: env.COUNCIL_LOGO_FILE?.trim() || undefined,
    helpContact: env.HELP_CONTACT ?? DEFAULT_HELP_CONTACT,
    worryWords: env.WORRY_WORDS
      ? env.WORRY_WORDS.split(',')
          .map((word) => word.trim().toLowerCase())
          .filter(Boolean)
      : DEFAULT_WORRY_WORDS,
    safeguardingEmail: env.SAFEGUARDING_EMAIL?.trim() || undefined,
    trustProxy: env.TRUST_PROXY,
    secureCookies: env.NODE_ENV === 'production' || baseUrl.startsWith('https://'),
    demoData: env.DEMO_DATA,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    reportDefaultPeriod: env.REPORT_DEFAULT_PERIOD,
    backgroundIntervalMs: env.BACKGROUND_INTERVAL_MS || undefined,
    oidc,
    familyLanguages: env.FAMILY_LANGUAGES,
  }
}
