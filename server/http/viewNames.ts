/**
 * For the browser tests only: each page names the template it was rendered from in a
 * `<meta name="fv-view">`, so test/e2e/views-covered.test.ts can prove that every template has
 * been rendered in Chromium and passed axe. Never installed outside NODE_ENV=test.
 */
import type { RequestHandler, Response } from 'express'

export const recordViewNames: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res) as (...args: unknown[]) => void
  res.render = ((view: string, ...rest: unknown[]) => {
    res.locals.renderedView = view
    render(view, ...rest)
  }) as Response['render']
  next()
}
