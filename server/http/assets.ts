import express, { Router } from 'express'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../db/ferretdbInstall'

const GOVUK_DIST = path.join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

/**
 * GOV.UK Frontend's stylesheet without the GDS Transport font, which only GOV.UK services may
 * use; text falls back to Arial and no font requests are made on a slow connection.
 */
function govukStylesheet(): string {
  return readFileSync(path.join(GOVUK_DIST, 'govuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/GDS Transport,/g, '')
}

export function assetRoutes(): Router {
  const router = Router()
  const css = govukStylesheet()
  const cacheFor = { maxAge: '7d', immutable: false }
  router.get('/assets/govuk-frontend.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=604800').send(css)
  })
  router.use('/assets/images', express.static(path.join(GOVUK_DIST, 'assets', 'images'), cacheFor))
  router.get('/assets/vendor/chart.umd.min.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=604800')
    res.sendFile(path.join(PROJECT_ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'))
  })
  // Browsers ask for this beside every page; answering here, before sessions, keeps it cheap and
  // stops it racing the page's own request to save the session.
  router.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=604800').status(204).end()
  })
  router.use('/public', express.static(path.join(PROJECT_ROOT, 'public'), cacheFor))
  return router
}
