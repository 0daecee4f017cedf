/**
 * Walks the app's own route table (so a route added later is covered without editing this file):
 * every page is sent with Cache-Control: no-store and a Permissions-Policy, and every
 * state-changing route refuses a request without a CSRF token or with another session's token,
 * while the same request with the session's own token gets past the check.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { CommentModel } from '../../server/comments/comment'
import { isSurveyPath } from '../../server/security/session'
import { PERMISSIONS_POLICY } from '../../server/security/webSecurity'
import type { User } from '../../server/staff/user'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { csrfTokenFrom } from '../helpers/http'
import { openSurveyLink, type Agent } from '../helpers/respond'
import { routeTable } from '../helpers/routeTable'
import { useTestApp } from '../helpers/hooks'
import { giveResponse } from './feedback-fixtures'

/** Static files and the health check: cacheable on purpose, hold nothing personal. */
const NOT_PAGES = [
  '/assets/govuk-frontend.css',
  '/assets/vendor/chart.umd.min.js',
  '/favicon.ico',
  '/healthz',
]
const UNKNOWN_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa'

describe('every route in the route table', () => {
  const t = useTestApp()
  let team: Team, practitioner: User, admin: Agent, adminCsrf: string, otherCsrf: string
  let ids: Record<string, string>

  before(async () => {
    team = await createTeam('Locality North')
    practitioner = await createUser({ role: 'practitioner', teams: [team] })
    admin = await signIn(t.app, await createUser({ role: 'admin' }))
    adminCsrf = csrfTokenFrom((await admin.get('/admin/teams/new').expect(200)).text)
    const other = await signIn(t.app, await createUser({ role: 'admin' }))
    otherCsrf = csrfTokenFrom((await other.get('/admin/teams/new').expect(200)).text)
    const { invitationId } = await issueInvitation(t.services, team, {
      channel: 'email',
      recipientEmail: 'family@family.example',
      createdBy: practitioner._id,
    })
    const response = await giveResponse(t, team, { texts: { 'went-well': 'he said he would hurt me' } })
    const comment = await CommentModel.findOne({ responseId: response._id }).lean()
    ids = {
      '/invitations/': invitationId,
      '/feedback/review/': String(comment!._id),
      '/feedback/attention/': String(comment!._id),
      '/admin/users/': String(practitioner._id),
      '/admin/teams/': String(team._id),
    }
  })

  /** The route's path with its parameters filled in with records that exist where we have them. */
  const fill = (path: string) =>
    path
      .replace(/:token/, 'x'.repeat(43))
      .replace(/^(.*\/):id/, (_whole, prefix: string) => `${prefix}${ids[prefix] ?? UNKNOWN_ID}`)

  it('covers the app: pages, forms and the API are all in the table', () => {
    const table = routeTable(t.app)
    assert.ok(table.length > 50, `${table.length} routes`)
    for (const path of ['/invitations/:id/letter', '/survey', '/admin/users/:id/disable', '/sign-out']) {
      assert.ok(
        table.some((route) => route.path === path),
        path,
      )
    }
  })

  it('sends Cache-Control: no-store and a Permissions-Policy with every page, signed in', async () => {
    const pages = routeTable(t.app).filter(
      (route) => route.method === 'GET' && !NOT_PAGES.includes(route.path),
    )
    for (const route of pages) {
      const path = fill(route.path)
      const response = await admin.get(path)
      assert.ok(response.status < 500, `${path}: ${response.status}`)
      assert.equal(response.headers['cache-control'], 'no-store', path)
      assert.equal(response.headers['permissions-policy'], PERMISSIONS_POLICY, path)
    }
    // Static assets keep their caching.
    const css = await request(t.app).get('/public/css/app.css').expect(200)
    assert.match(String(css.headers['cache-control']), /max-age/)
  })

  it('sends no-store with the family’s survey pages too', async () => {
    const { token } = await issueInvitation(t.services, team)
    const family = await openSurveyLink(t.app, token)
    const page = await family.agent.get('/survey').expect(200)
    assert.equal(page.headers['cache-control'], 'no-store')
    assert.equal(page.headers['permissions-policy'], PERMISSIONS_POLICY)
  })

  it('refuses every state-changing route without a token or with another session’s, and lets its own through', async () => {
    const changing = routeTable(t.app)
      .filter((route) => route.method !== 'GET' && route.method !== 'HEAD' && route.method !== 'OPTIONS')
      // Signing out (with a good token) ends the session the other checks use: last.
      .sort((a, b) => Number(a.path === '/sign-out') - Number(b.path === '/sign-out'))
    assert.ok(changing.length >= 20, `${changing.length} state-changing routes`)
    // The family's pages have a session of their own: their own token is the survey page's.
    const { token } = await issueInvitation(t.services, team)
    const family = await openSurveyLink(t.app, token)
    for (const route of changing) {
      const path = fill(route.path)
      if (path.startsWith('/api/')) {
        // The API takes no cookies and so needs no CSRF token: a signed-in admin's session,
        // without a bearer token, is refused like anyone else.
        const cookieOnly = await admin[route.method.toLowerCase() as 'post'](path).send({})
        assert.equal(cookieOnly.status, 401, `${route.method} ${path} with a session but no bearer token`)
        continue
      }
      const [agent, ownCsrf, foreignCsrf] = isSurveyPath(path)
        ? [family.agent, family.csrf, adminCsrf]
        : [admin, adminCsrf, otherCsrf]
      const send = (body: Record<string, string>) =>
        agent[route.method.toLowerCase() as 'post'](path).type('form').send(body)
      const missing = await send({})
      assert.equal(missing.status, 403, `${route.method} ${path} without a token`)
      const foreign = await send({ _csrf: foreignCsrf })
      assert.equal(foreign.status, 403, `${route.method} ${path} with another session’s token`)
      const own = await send({ _csrf: ownCsrf })
      assert.notEqual(own.status, 403, `${route.method} ${path} with its own token`)
      assert.ok(own.status < 500, `${route.method} ${path}: ${own.status}`)
    }
  })
})
