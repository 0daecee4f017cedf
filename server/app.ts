/**
 * Builds the Express app from its services. Tests build it with a test clock, mail transport
 * and database; main.ts builds it for real. Each cross-cutting concern is one setUpX().
 */
import compression from 'compression'
import express, { type Express } from 'express'
import path from 'node:path'
import { PROJECT_ROOT } from './db/ferretdbInstall'
import { apiRoutes } from './api/routes'
import { assetRoutes } from './http/assets'
import { entryRoutes } from './entry/routes'
import { feedbackRoutes } from './feedback/routes'
import { errorHandler, notFound } from './http/errors'
import { translatorFor } from './i18n/pageText'
import { healthRoutes } from './http/health'
import { recordViewNames } from './http/viewNames'
import { homeRoutes } from './http/home'
import { parseBulkUpload } from './invitations/bulkRoutes'
import { invitationRoutes } from './invitations/routes'
import { outboxRoutes } from './mail/routes'
import { reportRoutes } from './reports/routes'
import { respondRoutes } from './respond/routes'
import { setUpBodyParsing } from './security/bodyParsing'
import { setUpCsrf } from './security/csrf'
import { setUpSession } from './security/session'
import { pagesAreNotStored, setUpWebSecurity } from './security/webSecurity'
import { loadStaffUser } from './staff/access'
import { staffRoutes } from './staff/routes'
import { ssoRoutes } from './staff/ssoRoutes'
import { adminRoutes } from './admin/routes'
import { dataProtectionRoutes } from './dataProtection/routes'
import { requestLogging } from './log'
import type { Services } from './services'

export function createApp(services: Services): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', services.config.trustProxy)
  app.set('view engine', 'ejs')
  app.set('views', path.join(PROJECT_ROOT, 'views'))
  // Templates are compiled once, not on every page: Express turns this on only when the process's
  // NODE_ENV is production, so the bench and the tests were recompiling every template each time.
  // Development keeps recompiling, so an edited template shows on reload.
  app.set('view cache', services.config.env !== 'development')
  // On app.locals, not only res.locals: error pages for requests refused before the locals
  // middleware runs (unreadable or oversized bodies, CSRF) render with it too.
  app.locals.serviceName = 'Family Voice'
  // The sign-in page's single sign-on button, when it is set up.
  app.locals.ssoSignInLabel = services.sso?.settings.signInLabel
  if (services.config.env === 'test') app.use(recordViewNames)
  // Page words (server/i18n): English unless a family's page chooses their language.
  app.locals.t = translatorFor('en')

  app.use(requestLogging())
  // Text is gzipped (pages, CSS, JS): a family on a slow phone connection gets a fifth of the bytes.
  app.use(compression())
  // Signing out of a single sign-on session goes on to the provider's own sign-out.
  app.use(setUpWebSecurity(services.sso ? [services.sso.origin] : []))
  const assets = assetRoutes()
  // Fingerprinted stylesheets and scripts for templates: <%= asset('family.css') %>.
  app.locals.asset = assets.asset
  app.use(assets.router)
  app.use(healthRoutes())
  app.use(pagesAreNotStored)
  app.use(setUpBodyParsing())
  app.use(setUpSession(services.config))
  // The bulk CSV upload is multipart: read it first so its _csrf field is checked like any form's.
  app.use(parseBulkUpload())
  app.use(setUpCsrf())
  app.use(loadStaffUser(services.clock))
  app.use((_req, res, next) => {
    res.locals.serviceName = 'Family Voice'
    next()
  })

  const features = [
    homeRoutes,
    respondRoutes,
    reportRoutes,
    apiRoutes,
    feedbackRoutes,
    ssoRoutes,
    staffRoutes,
    adminRoutes,
    dataProtectionRoutes,
    invitationRoutes,
    entryRoutes,
    outboxRoutes,
  ]
  for (const routes of features) app.use(routes(services))

  app.use(notFound)
  app.use(errorHandler)
  return app
}
