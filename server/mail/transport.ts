/**
 * The SMTP connection mail leaves by. Built from SMTP_URL with nodemailer; without SMTP_URL
 * there is no transport and the outbox worker keeps messages for admins to read in the app.
 * Delivery errors are sorted into temporary (try again later) and permanent (give up now).
 */
import nodemailer from 'nodemailer'

export interface MailToSend {
  from: string
  to: string
  subject: string
  text: string
  html?: string
  /** Our id for the message (the outbox message's), for a provider that keeps one (Notify). */
  reference?: string
}

export interface MailTransport {
  send(mail: MailToSend): Promise<void>
  close(): void
}

/** A failed delivery: `permanent` when retrying the same message would be refused again. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message)
  }
}

interface SmtpErrorFields {
  code?: string
  responseCode?: number
  response?: string
  permanent?: boolean
  message?: string
}

/**
 * 5xx replies (e.g. 550 mailbox unavailable) are permanent, except 503 which is a session-state
 * error; connection refused, timeouts and 4xx replies are temporary.
 */
export function classifyDeliveryError(error: unknown): DeliveryError {
  const raw = (error ?? {}) as SmtpErrorFields
  const code = raw.responseCode
  if (typeof code === 'number') {
    const permanent = raw.permanent ?? (code >= 500 && code < 600 && code !== 503)
    const reply = (raw.response ?? raw.message ?? '').replace(/\s+/g, ' ').slice(0, 200)
    return new DeliveryError(
      permanent
        ? `The mail server refused the message: ${reply}`
        : `The mail server asked us to try later: ${reply}`,
      permanent,
    )
  }
  const what =
    raw.code === 'ETIMEDOUT'
      ? 'timed out'
      : raw.code === 'ECONNECTION' || raw.code === 'ESOCKET' || raw.code === 'ECONNREFUSED'
        ? 'could not be reached'
        : 'failed'
  return new DeliveryError(
    `The mail server ${what} (${raw.code ?? 'error'}: ${(raw.message ?? '').slice(0, 150)})`,
    false,
  )
}

/** A transport for SMTP_URL, or undefined when mail is only kept in the local outbox. */
export function createMailTransport(smtpUrl: string | undefined): MailTransport | undefined {
  if (!smtpUrl) return undefined
  // Short timeouts: a stuck server must not hold the worker; the message is simply retried.
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  })
  return {
    async send(mail) {
      try {
        await transporter.sendMail(mail)
      } catch (error) {
        throw classifyDeliveryError(error)
      }
    },
    close() {
      transporter.close()
    },
  }
}
