/**
 * GOV.UK Notify as the way email and text messages leave, with the official client
 * (notifications-node-client). The words stay the product's own: the email template in Notify is
 * subject ((subject)) and body ((body)), the text message template is ((body)), so a family reads
 * the same message whichever way it goes. The outbox message's id is the Notify `reference`.
 *
 * Notify's answers are sorted as the outbox needs them: 429 (rate limit) and 5xx, a refused
 * connection or a timeout are temporary (tried again later); 400 (bad request: not a real
 * number, a team-only key …) and 403 (the key is refused) are permanent and shown on the invitation.
 */
import { NotifyClient } from 'notifications-node-client'
import type { NotifySettings } from '../config'
import { DeliveryError, type MailToSend, type MailTransport } from './transport'

/** A stuck connection must not hold the worker: the message is simply tried again. */
const NOTIFY_TIMEOUT_MS = 15_000

interface NotifyErrorBody {
  status_code?: number
  errors?: Array<{ error?: string; message?: string }>
}

interface HttpClientError {
  code?: string
  message?: string
  response?: { status?: number; data?: unknown }
}

export function classifyNotifyError(error: unknown): DeliveryError {
  const raw = (error ?? {}) as HttpClientError
  const status = raw.response?.status
  if (typeof status === 'number') {
    const body = (raw.response?.data ?? {}) as NotifyErrorBody
    const detail = (Array.isArray(body.errors) ? body.errors : [])
      .map((item) => [item.error, item.message].filter(Boolean).join(': '))
      .filter(Boolean)
      .join('; ')
      .replace(/\s+/g, ' ')
      .slice(0, 200)
    const said = `${status}${detail ? ` ${detail}` : ''}`
    if (status === 429 || status >= 500) {
      return new DeliveryError(`GOV.UK Notify asked us to try later (${said})`, false)
    }
    return new DeliveryError(`GOV.UK Notify refused the message (${said})`, true)
  }
  const what = /TIMEDOUT|ECONNABORTED/.test(raw.code ?? '') ? 'timed out' : 'could not be reached'
  return new DeliveryError(
    `GOV.UK Notify ${what} (${raw.code ?? 'error'}: ${(raw.message ?? '').slice(0, 150)})`,
    false,
  )
}

function notifyClient(settings: NotifySettings): NotifyClient {
  const client = new NotifyClient(settings.baseUrl, settings.apiKey)
  // The client sends with axios and no timeout; every request gets one.
  const api = client.apiClient as { restClient: (options: Record<string, unknown>) => Promise<unknown> }
  const send = api.restClient
  api.restClient = (options) => send({ ...options, timeout: NOTIFY_TIMEOUT_MS })
  return client
}

export interface NotifyTransports {
  email: MailTransport
  sms: MailTransport
}

export function createNotifyTransports(settings: NotifySettings): NotifyTransports {
  const client = notifyClient(settings)
  const attempt = async (call: () => Promise<unknown>) => {
    try {
      await call()
    } catch (error) {
      throw classifyNotifyError(error)
    }
  }
  return {
    email: {
      send: (mail: MailToSend) =>
        attempt(() =>
          client.sendEmail(settings.emailTemplateId, mail.to, {
            personalisation: { subject: mail.subject, body: mail.text },
            ...(mail.reference ? { reference: mail.reference } : {}),
          }),
        ),
      close: () => undefined,
    },
    sms: {
      send: (mail: MailToSend) =>
        attempt(() =>
          client.sendSms(settings.smsTemplateId, mail.to, {
            personalisation: { body: mail.text },
            ...(mail.reference ? { reference: mail.reference } : {}),
          }),
        ),
      close: () => undefined,
    },
  }
}
