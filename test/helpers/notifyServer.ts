/**
 * A local HTTP server that answers as GOV.UK Notify's API does (docs.notifications.service.gov.uk,
 * "REST API"), for the delivery tests. POST /v2/notifications/email and /sms only:
 *
 * - Authorization: Bearer JWT, HS256 signed with the secret part of the API key, `iss` the service
 *   id, `iat` within 30 seconds of now: else 401 / 403 AuthError with Notify's messages.
 * - The body checked as Notify checks it (template id, address or UK mobile, personalisation the
 *   template needs): else 400 BadRequestError.
 * - 201 with Notify's response shape (id, reference, content, uri, template).
 * - Errors always `{"status_code": N, "errors": [{"error": "...", "message": "..."}]}`.
 *
 * It can be stopped (connection refused) and started again on the same port, told to answer the
 * next requests with 500 or 429 (RateLimitError or TooManyRequestsError), and to refuse chosen
 * recipients with 400 as a team-only key does.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface NotifyRequest {
  type: 'email' | 'sms'
  to: string
  templateId: string
  personalisation: Record<string, string>
  reference?: string
  id: string
}

export type NotifyFailure = 500 | 'rate-limit' | 'daily-limit'

export interface TestNotifyServer {
  url: string
  serviceId: string
  apiKey: string
  emailTemplateId: string
  smsTemplateId: string
  /** The app's settings for this server. */
  env: Record<string, string>
  /** Notifications accepted (201), in order. */
  accepted: NotifyRequest[]
  /** Every request answered, with its status, in order. */
  answered: Array<{ path: string; status: number }>
  /** The next `count` sends are answered with this failure. */
  failNext(count: number, failure: NotifyFailure): void
  /** Sends to this address or number answer 400, as for a team-only key. */
  refuseRecipient(to: string): void
  stop(): Promise<void>
  restart(): Promise<void>
}

const b64url = (buffer: Buffer) => buffer.toString('base64url')

/** A Notify API key: name, service id, secret (the last two UUIDs). */
export function notifyApiKey(name: string, serviceId: string, secret: string): string {
  return `${name}-${serviceId}-${secret}`
}

/** A JWT as Notify's clients make one, for testing this server's checks. */
export function notifyToken(serviceId: string, secret: string, iat = Math.round(Date.now() / 1000)): string {
  const header = b64url(Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'HS256' })))
  const payload = b64url(Buffer.from(JSON.stringify({ iss: serviceId, iat })))
  const signature = b64url(createHmac('sha256', secret).update(`${header}.${payload}`).digest())
  return `${header}.${payload}.${signature}`
}

function errorBody(status: number, error: string, message: string) {
  return { status_code: status, errors: [{ error, message }] }
}

/** Why Notify would refuse this token, or undefined. */
function authProblem(
  header: string | undefined,
  serviceId: string,
  secret: string,
): { status: number; message: string } | undefined {
  const match = /^Bearer (.+)$/.exec(header ?? '')
  if (!match) return { status: 401, message: 'Unauthorized: authentication token must be provided' }
  const parts = match[1]!.split('.')
  if (parts.length !== 3) return { status: 403, message: 'Invalid token: signature, api token not found' }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  let head: { alg?: string }
  let claims: { iss?: string; iat?: number }
  try {
    head = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { alg?: string }
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as typeof claims
  } catch {
    return { status: 403, message: 'Invalid token: signature, api token not found' }
  }
  if (head.alg !== 'HS256') return { status: 403, message: 'Invalid token: algorithm used is not HS256' }
  if (claims.iss !== serviceId) return { status: 403, message: 'Invalid token: service not found' }
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest()
  const given = Buffer.from(signaturePart, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { status: 403, message: 'Invalid token: signature, api token not found' }
  }
  if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 30) {
    return { status: 403, message: 'Error: Your system clock must be accurate to within 30 seconds' }
  }
  return undefined
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export async function startNotifyServer(): Promise<TestNotifyServer> {
  const serviceId = randomUUID()
  const secret = randomUUID()
  const apiKey = notifyApiKey('family_voice_test', serviceId, secret)
  const emailTemplateId = randomUUID()
  const smsTemplateId = randomUUID()
  const failures: NotifyFailure[] = []
  const refused = new Set<string>()
  const accepted: NotifyRequest[] = []
  const answered: Array<{ path: string; status: number }> = []
  let port = 0
  let url = ''

  const handle = (req: http.IncomingMessage, raw: string): { status: number; body: unknown } => {
    const path = req.url ?? ''
    const type =
      path === '/v2/notifications/email' ? 'email' : path === '/v2/notifications/sms' ? 'sms' : undefined
    if (req.method !== 'POST' || !type) {
      return { status: 404, body: errorBody(404, 'NoResultFound', 'No result found') }
    }
    const auth = authProblem(req.headers.authorization, serviceId, secret)
    if (auth) return { status: auth.status, body: errorBody(auth.status, 'AuthError', auth.message) }
    const failure = failures.shift()
    if (failure === 500) return { status: 500, body: errorBody(500, 'Exception', 'Internal server error') }
    if (failure === 'rate-limit') {
      return {
        status: 429,
        body: errorBody(
          429,
          'RateLimitError',
          'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
        ),
      }
    }
    if (failure === 'daily-limit') {
      return {
        status: 429,
        body: errorBody(429, 'TooManyRequestsError', 'Exceeded send limits (250000) for today'),
      }
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return { status: 400, body: errorBody(400, 'BadRequestError', 'Invalid JSON supplied in POST data') }
    }
    const templateId = body.template_id
    if (typeof templateId !== 'string' || !UUID.test(templateId)) {
      return { status: 400, body: errorBody(400, 'ValidationError', 'template_id is not a valid UUID') }
    }
    if (templateId !== (type === 'email' ? emailTemplateId : smsTemplateId)) {
      return { status: 400, body: errorBody(400, 'BadRequestError', 'Template not found') }
    }
    const to = type === 'email' ? body.email_address : body.phone_number
    if (typeof to !== 'string') {
      const field = type === 'email' ? 'email_address' : 'phone_number'
      return { status: 400, body: errorBody(400, 'ValidationError', `${field} is a required property`) }
    }
    if (type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) {
      return {
        status: 400,
        body: errorBody(400, 'ValidationError', 'email_address Not a valid email address'),
      }
    }
    if (type === 'sms' && !/^(\+44|0044|0)7\d{9}$/.test(to.replace(/[\s()-]/g, ''))) {
      return { status: 400, body: errorBody(400, 'ValidationError', 'phone_number Not a UK mobile number') }
    }
    const personalisation = (body.personalisation ?? {}) as Record<string, string>
    const needed = type === 'email' ? ['subject', 'body'] : ['body']
    const missing = needed.filter((name) => typeof personalisation[name] !== 'string')
    if (missing.length) {
      return {
        status: 400,
        body: errorBody(400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`),
      }
    }
    if (refused.has(to)) {
      return {
        status: 400,
        body: errorBody(400, 'BadRequestError', "Can't send to this recipient using a team-only API key"),
      }
    }
    const id = randomUUID()
    const reference = typeof body.reference === 'string' ? body.reference : undefined
    accepted.push({ type, to, templateId, personalisation, ...(reference ? { reference } : {}), id })
    return {
      status: 201,
      body: {
        id,
        reference: reference ?? null,
        content:
          type === 'email'
            ? {
                subject: personalisation.subject,
                body: personalisation.body,
                from_email: 'family.voice@notifications.service.gov.uk',
                one_click_unsubscribe_url: null,
              }
            : { body: personalisation.body, from_number: 'GOVUK' },
        uri: `${url}/v2/notifications/${id}`,
        template: { id: templateId, version: 1, uri: `${url}/v2/template/${templateId}` },
        ...(type === 'email' ? { scheduled_for: null } : {}),
      },
    }
  }

  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (raw += chunk))
    req.on('end', () => {
      const { status, body } = handle(req, raw)
      answered.push({ path: req.url ?? '', status })
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    })
  })

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        port = (server.address() as AddressInfo).port
        resolve()
      })
    })
  await listen()
  url = `http://127.0.0.1:${port}`

  return {
    url,
    serviceId,
    apiKey,
    emailTemplateId,
    smsTemplateId,
    env: {
      NOTIFY_API_KEY: apiKey,
      NOTIFY_EMAIL_TEMPLATE_ID: emailTemplateId,
      NOTIFY_SMS_TEMPLATE_ID: smsTemplateId,
      NOTIFY_BASE_URL: url,
    },
    accepted,
    answered,
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure)
    },
    refuseRecipient(to) {
      refused.add(to)
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
        // Kept-alive connections would keep answering: down means down.
        server.closeAllConnections()
      })
    },
    restart: listen,
  }
}
