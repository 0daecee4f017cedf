/**
 * The one logger: pino, JSON lines in production, a readable line each in development, silent in
 * tests unless LOG_LEVEL says otherwise. Every line logged while a request is handled carries that
 * request's id (`reqId`, also sent back as `X-Request-Id`), however deep the code that logs it.
 *
 * Family Voice holds safeguarding data about children, so no line may carry personal data: request
 * lines name the method, a masked path and the status only (no query string, headers or body),
 * errors keep their type and a scrubbed message, and fields that could hold personal data are
 * redacted wherever they appear.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import pino, { type DestinationStream, type Logger } from 'pino'
import { pinoHttp } from 'pino-http'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const requestContext = new AsyncLocalStorage<{ reqId: string }>()

/** Keys whose values are personal data or secrets, wherever they appear in a logged object. */
const PERSONAL_KEYS = [
  'email',
  'name',
  'firstName',
  'mobile',
  'caseRef',
  'text',
  'comment',
  'password',
  'token',
]

/** Removes what an error message can carry about a person: addresses, and a duplicate key's value. */
export function scrubMessage(message: string): string {
  return message
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+/g, '[email]')
    .replace(/dup key: .*/s, 'dup key: [redacted]')
    .replace(/\/s\/[^\s/?#"']+/g, '/s/[token]')
    .slice(0, 300)
}

/**
 * A request path safe to log: route words and ids stay; any other segment (a survey link token, a
 * reset token, a code typed from a letter) becomes `:value`. The query string is dropped.
 */
export function maskedPath(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  return path
    .split('/')
    .map((segment) =>
      segment === '' || /^[a-z][a-z-]*$/.test(segment) || /^[0-9a-f]{24}$/.test(segment) ? segment : ':value',
    )
    .join('/')
}

function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error }
  const frames = (error.stack ?? '').split('\n').filter((line) => line.startsWith('    at '))
  return {
    type: error.name,
    ...((error as { code?: unknown }).code !== undefined ? { code: (error as { code?: unknown }).code } : {}),
    message: scrubMessage(error.message),
    stack: frames.slice(0, 8).join('\n'),
  }
}

function defaultLevel(): LogLevel {
  const wanted = process.env.LOG_LEVEL
  if ((LOG_LEVELS as readonly string[]).includes(wanted ?? '')) return wanted as LogLevel
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info'
}

/** Readable lines outside production, when pino-pretty (a development dependency) is installed. */
function destination(): DestinationStream | undefined {
  if (process.env.NODE_ENV === 'production' || process.env.LOG_FORMAT === 'json') return undefined
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream
    return pretty({
      sync: true,
      colorize: Boolean(process.stdout.isTTY),
      ignore: 'pid,hostname',
      singleLine: true,
    })
  } catch {
    return undefined
  }
}

const options: pino.LoggerOptions = {
  level: defaultLevel(),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: { paths: PERSONAL_KEYS.flatMap((key) => [key, `*.${key}`]), censor: '[redacted]' },
  serializers: { err: serializeError, error: serializeError },
  mixin: () => {
    const context = requestContext.getStore()
    return context ? { reqId: context.reqId } : {}
  },
}
const stream = destination()

export const log: Logger = stream ? pino(options, stream) : pino(options)

/** Sets the level from the validated configuration (main.ts); tests keep theirs. */
export function setLogLevel(level: LogLevel): void {
  log.level = level
}

/** The address as requested: Express shortens req.url inside a mounted router or static folder. */
function fullUrl(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? ''
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

/**
 * Gives each request an id (a well-formed `X-Request-Id` from the council's proxy is kept, so one
 * id follows a request through both), runs the rest of the request inside it, and logs one line
 * when the response is finished.
 */
export function requestLogging(): RequestHandler[] {
  const assignId: RequestHandler = (req, res, next) => {
    const incoming = req.get('x-request-id')
    const reqId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    ;(req as { id?: string }).id = reqId
    res.setHeader('X-Request-Id', reqId)
    requestContext.run({ reqId }, next)
  }
  const logRequest = pinoHttp({
    logger: log,
    genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') || req.url === '/healthz' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${maskedPath(fullUrl(req))} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${maskedPath(fullUrl(req))} ${res.statusCode}`,
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({
        id: req.id,
        method: req.method,
        path: maskedPath(fullUrl(req)),
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      err: serializeError,
    },
    wrapSerializers: false,
  })
  return [assignId, logRequest as unknown as RequestHandler]
}
