import type { RequestHandler } from 'express'
import helmet from 'helmet'

/** Browser features no page of ours uses: refused for our pages and anything they might embed. */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'usb',
]
  .map((feature) => `${feature}=()`)
  .join(', ')

const permissionsPolicy: RequestHandler = (_req, res, next) => {
  res.set('Permissions-Policy', PERMISSIONS_POLICY)
  next()
}

/**
 * Every page the app renders is kept out of browser and proxy caches: signed-in pages and survey
 * pages hold personal data (a safeguarding comment must not come back with Back after sign-out),
 * and the few public ones cost nothing to render again. Static assets, answered before this, keep
 * their own caching.
 */
export const pagesAreNotStored: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store')
  next()
}

/**
 * Strict CSP: our own scripts and styles only, no inline code, no framing; a Permissions-Policy.
 * `formOrigins`: other origins a form may lead to (browsers check form-action on redirects too),
 * i.e. the identity provider that signing out goes on to.
 */
export function setUpWebSecurity(formOrigins: string[] = []): RequestHandler[] {
  return [
    permissionsPolicy,
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'", ...formOrigins],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      // Survey links carry a token until the first redirect: never leak it in a Referer header.
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    }),
  ]
}
