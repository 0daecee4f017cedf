/**
 * Stylesheets and scripts, built once when the app starts and served under fingerprinted names
 * (`/assets/family.3f9c2a1b.css`) with a year's immutable caching: a changed file gets a new name,
 * so a returning family's phone never asks again and never keeps a stale copy.
 *
 * - `govuk-frontend.css`: GOV.UK Frontend's stylesheet for staff pages, without the GDS Transport
 *   font (only GOV.UK services may use it; text falls back to Arial, no font requests).
 * - `family.css`: the family's pages' one stylesheet: GOV.UK Frontend's rules purged to the classes
 *   the family templates and scripts use (about a fifth of it), then the app's own rules.
 * - `govuk-components.js`: GOV.UK Frontend's character count and error summary, bundled by esbuild
 *   from the package's own modules; loaded as a module, so browsers too old for it skip it and
 *   keep the plain form.
 * - `listen.js`: reads a question aloud (respond/).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { buildSync } from 'esbuild'
import express, { Router } from 'express'
import { PROJECT_ROOT } from '../db/ferretdbInstall'
import { purgeCss, usedClassNames } from './purgeCss'

const GOVUK_DIST = path.join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const VIEWS = path.join(PROJECT_ROOT, 'views')
const PUBLIC = path.join(PROJECT_ROOT, 'public')

/** The templates a family's page is made of: their classes decide what family.css keeps. */
const FAMILY_TEMPLATES = [
  'respond/survey.ejs',
  'respond/_questions.ejs',
  'respond/thank-you.ejs',
  'respond/unavailable.ejs',
  'respond/code.ejs',
  'partials/top.ejs',
  'partials/bottom.ejs',
  'partials/errorSummary.ejs',
  'errors/error.ejs',
]

export const IMMUTABLE = 'public, max-age=31536000, immutable'
const WEEK = 'public, max-age=604800'

interface BuiltAsset {
  body: Buffer
  type: string
}

function govukStylesheet(): string {
  return readFileSync(path.join(GOVUK_DIST, 'govuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/GDS Transport,/g, '')
}

function govukComponentsScript(): string {
  const built = buildSync({
    stdin: {
      contents: [
        "import { createAll, CharacterCount, ErrorSummary } from 'govuk-frontend'",
        // What GOV.UK's page template does inline (the CSP allows no inline script).
        "document.body.classList.add('govuk-frontend-supported')",
        'createAll(CharacterCount)',
        'createAll(ErrorSummary)',
      ].join('\n'),
      resolveDir: PROJECT_ROOT,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  })
  return built.outputFiles[0]!.text
}

/** Builds every asset; returns the public name of each, by its plain name, and the files by URL. */
export function buildAssets(): { urls: Map<string, string>; files: Map<string, BuiltAsset> } {
  const appCss = readFileSync(path.join(PUBLIC, 'css', 'app.css'), 'utf8')
  const listen = readFileSync(path.join(PUBLIC, 'js', 'listen.js'), 'utf8')
  const components = govukComponentsScript()
  const govukCss = govukStylesheet()
  const familyText = [
    ...FAMILY_TEMPLATES.map((name) => readFileSync(path.join(VIEWS, name), 'utf8')),
    components,
    listen,
  ].join('\n')
  const familyCss = `${purgeCss(govukCss, usedClassNames(familyText))}\n${appCss}`

  const sources: Array<[string, string, string]> = [
    ['govuk-frontend.css', govukCss, 'text/css; charset=utf-8'],
    ['family.css', familyCss, 'text/css; charset=utf-8'],
    ['govuk-components.js', components, 'text/javascript; charset=utf-8'],
    ['listen.js', listen, 'text/javascript; charset=utf-8'],
  ]
  const urls = new Map<string, string>()
  const files = new Map<string, BuiltAsset>()
  for (const [name, text, type] of sources) {
    const body = Buffer.from(text, 'utf8')
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10)
    const url = `/assets/${name.replace(/\.(\w+)$/, `.${hash}.$1`)}`
    urls.set(name, url)
    files.set(url, { body, type })
  }
  return { urls, files }
}

/** The URL of a built asset by its plain name, for templates (`asset('family.css')`). */
export type AssetUrl = (name: string) => string

export function assetRoutes(): { router: Router; asset: AssetUrl } {
  const router = Router()
  const { urls, files } = buildAssets()
  const asset: AssetUrl = (name) => {
    const url = urls.get(name)
    if (!url) throw new Error(`No asset named ${name}`)
    return url
  }

  router.get('/assets/:file', (req, res, next) => {
    const file = files.get(req.path)
    if (!file) return next()
    res.type(file.type).set('Cache-Control', IMMUTABLE).send(file.body)
  })
  // The stylesheet's old unfingerprinted address, for pages cached before fingerprints.
  const govukCss = files.get(asset('govuk-frontend.css'))!
  router.get('/assets/govuk-frontend.css', (_req, res) => {
    res.type(govukCss.type).set('Cache-Control', WEEK).send(govukCss.body)
  })
  const cacheFor = { maxAge: '7d', immutable: false }
  router.use('/assets/images', express.static(path.join(GOVUK_DIST, 'assets', 'images'), cacheFor))
  router.get('/assets/vendor/chart.umd.min.js', (_req, res) => {
    res.set('Cache-Control', WEEK)
    res.sendFile(path.join(PROJECT_ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'))
  })
  // Browsers ask for this beside every page; answering here, before sessions, keeps it cheap and
  // stops it racing the page's own request to save the session.
  router.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', WEEK).status(204).end()
  })
  router.use('/public', express.static(PUBLIC, cacheFor))
  return { router, asset }
}
