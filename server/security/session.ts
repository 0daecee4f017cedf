import MongoStore from 'connect-mongo'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import session from 'express-session'
import mongoose from 'mongoose'
import type { Config } from '../config'

export const SESSION_COOKIE = 'fv.sid'
/** A family's survey session: its own cookie, so opening a link never touches a staff session. */
export const SURVEY_SESSION_COOKIE = 'fv.survey'
/** Staff are signed out after 30 minutes without a request… */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000
/** A family has three hours to answer after opening their link (the form is one page, but life interrupts). */
export const FAMILY_SESSION_MS = 3 * 60 * 60 * 1000
/** …and after 12 hours whatever they do. */
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000

declare module 'express-session' {
  interface SessionData {
    /** The signed-in staff member; `method` 'sso' when the identity provider signed them in (and did the second factor). */
    staff?: { userId: string; signedInAt: number; method?: 'password' | 'sso' }
    /** The invitation a family is answering, moved here from the URL on first visit. */
    invitationId?: string
  }
}

/**
 * Sessions live in the database so that signing out or disabling an account ends them
 * server-side. Expired sessions are never read (the store checks `expires`) and are deleted by
 * the hourly retention job (retention.ts), not a TTL index, which FerretDB does not support.
 */
/** The family's pages (a link, the survey, thank you), which use the survey session. */
export function isSurveyPath(path: string): boolean {
  return path === '/s' || path.startsWith('/s/') || path === '/survey' || path.startsWith('/survey/')
}

/**
 * Two sessions, one store: staff pages use the staff cookie, the family's pages their own, so a
 * practitioner who opens a family's link in their browser (to check it, or on a shared office
 * computer) stays signed in, and the family's answers never sit in a staff session.
 */
export function setUpSession(config: Config): RequestHandler {
  const storeFor = (touchAfterSeconds: number) =>
    MongoStore.create({
      client: mongoose.connection.getClient() as unknown as Parameters<typeof MongoStore.create>[0]['client'],
      // The app's own database (the client alone would pick the URI's default database).
      dbName: mongoose.connection.name,
      collectionName: 'sessions',
      ttl: IDLE_TIMEOUT_MS / 1000,
      // Swept by retention.ts with the other housekeeping, where it is tested and logged.
      autoRemove: 'disabled',
      stringify: false,
      touchAfter: touchAfterSeconds,
    })
  const options = (name: string, store: MongoStore, rolling: boolean): session.SessionOptions => ({
    name,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling,
    proxy: config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: IDLE_TIMEOUT_MS,
    },
  })
  // Staff sessions roll: each request moves the 30-minute idle limit on (one write a request).
  const staffSession = session(options(SESSION_COOKIE, storeFor(0), true))
  // A family's session lasts three hours from opening the link and is never moved on, so reading
  // the survey, sending it and the thank-you page write nothing to it (touchAfter longer than the
  // session lives): on the embedded engine every write waits for SQLite's single writer.
  const surveySession = session(options(SURVEY_SESSION_COOKIE, storeFor(FAMILY_SESSION_MS / 1000), false))
  return (req, res, next) =>
    (isSurveyPath(req.path) ? surveySession : staffSession)(req, res, (error?: unknown) => {
      if (!error) saveBeforeRedirecting(req, res, next)
      next(error)
    })
}

/**
 * express-session saves a changed session when the response ends, but it sends the headers (and
 * all but the last byte of the body) before the save is done, and a browser follows a redirect as
 * soon as it has the headers. So the page redirected to could read the session before what the
 * form put in it ("Your password has been changed", the answered invitation) was saved. Every
 * redirect from a request whose session changed therefore waits for the session to be saved.
 */
function saveBeforeRedirecting(req: Request, res: Response, next: NextFunction): void {
  const loaded = sessionData(req)
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
  res.redirect = ((...args: unknown[]) => {
    const now = sessionData(req)
    // Unchanged (or empty) sessions are not written: a family's session is written once, on opening.
    if (!req.session || now === loaded || now === '{}') return redirect(...args)
    req.session.save((error) => (error ? next(error) : redirect(...args)))
  }) as Response['redirect']
}

/** The session's data as express-session compares it (the cookie left out), or '' without one. */
function sessionData(req: Request): string {
  if (!req.session) return ''
  const { cookie: _cookie, ...data } = req.session
  return JSON.stringify(data)
}

/** Saves this request's session now (rather than when the response ends). */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())))
}

/** Gives this request's session a new id, emptied: at every change of who is signed in. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error) : resolve())),
  )
}
