/**
 * A real SMTP server on loopback for tests (smtp-server): collects what the app sends, can be
 * stopped and started again on the same port (SMTP down, then up), and can refuse chosen
 * recipients with 550 (a permanent failure).
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

export interface ReceivedEmail {
  from: string
  to: string[]
  subject: string
  text: string
  html: string
  raw: string
}

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> for SMTP_URL. */
  url: string
  port: number
  received: ReceivedEmail[]
  /** Recipients refused at RCPT TO with "550 Mailbox unavailable". */
  rejectRecipient(address: string): void
  stop(): Promise<void>
  /** Starts again on the same port. */
  restart(): Promise<void>
  /** The personal survey links (/s/<token>) in an email's text. */
  linksIn(email: ReceivedEmail): string[]
  /** Waits until n emails have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedEmail[]>
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = []
  const soft = text.replace(/=\r?\n/g, '')
  for (let i = 0; i < soft.length; i++) {
    const char = soft[i]!
    const hex = soft.slice(i + 1, i + 3)
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(char, 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '').toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body)
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    default:
      return body
  }
}

/** =?UTF-8?Q?...?= and =?UTF-8?B?...?= words in a header. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    )
}

interface Part {
  headers: Map<string, string>
  body: string
}

function splitPart(raw: string): Part {
  const index = raw.search(/\r?\n\r?\n/)
  const head = index === -1 ? raw : raw.slice(0, index)
  const body = index === -1 ? '' : raw.slice(index).replace(/^\r?\n\r?\n/, '')
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

function leafParts(part: Part): Part[] {
  const type = part.headers.get('content-type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (!/^multipart\//i.test(type) || !boundary) return [part]
  const sections = part.body.split(`--${boundary}`).slice(1)
  return sections
    .filter((section) => !section.startsWith('--'))
    .flatMap((section) => leafParts(splitPart(section.replace(/^\r?\n/, ''))))
}

export function parseEmail(raw: string, envelopeFrom: string, envelopeTo: string[]): ReceivedEmail {
  const message = splitPart(raw)
  let text = ''
  let html = ''
  for (const part of leafParts(message)) {
    const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase()
    const decoded = decodeBody(part.body, part.headers.get('content-transfer-encoding'))
    if (type.startsWith('text/html')) html += decoded
    else if (type.startsWith('text/plain')) text += decoded
  }
  return {
    from: envelopeFrom,
    to: envelopeTo,
    subject: decodeHeader(message.headers.get('subject') ?? ''),
    text: text.replace(/\r\n/g, '\n'),
    html,
    raw,
  }
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = []
  const rejected = new Set<string>()
  let server: SMTPServer | undefined
  let port = 0

  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        const error = new Error('Mailbox unavailable') as Error & { responseCode: number }
        error.responseCode = 550
        callback(error)
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address)
        received.push(parseEmail(Buffer.concat(chunks).toString('utf8'), envelopeFrom, envelopeTo))
        callback()
      })
    },
  }

  async function listen(): Promise<void> {
    server = new SMTPServer(options)
    server.on('error', () => undefined)
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject)
      server!.listen(port, '127.0.0.1', () => resolve())
    })
    port = (server.server.address() as AddressInfo).port
  }

  await listen()
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    received,
    rejectRecipient(address) {
      rejected.add(address.toLowerCase())
    },
    async stop() {
      const current = server
      server = undefined
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()))
    },
    async restart() {
      if (server) return
      await listen()
    },
    linksIn(email) {
      return [...email.text.matchAll(/https?:\/\/[^\s]+\/s\/[0-9A-Z]{28}/g)].map((match) => match[0])
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} emails, received ${received.length}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return received
    },
  }
}
