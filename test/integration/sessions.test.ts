import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { createTeam, issueInvitation } from '../helpers/factories'
import { useTestApp } from '../helpers/hooks'

describe('sessions are made only when needed', () => {
  const t = useTestApp()

  it('sets no cookie for pages without a form, such as a guessed link', async () => {
    for (const path of ['/', '/privacy', '/no-such-page', '/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const response = await request(t.app).get(path)
      assert.equal(response.headers['set-cookie'], undefined, `${path} set a cookie`)
    }
  })

  it('sets a session cookie for a page with a form, and its token is accepted', async () => {
    const agent = request.agent(t.app)
    const page = await agent.get('/sign-in').expect(200)
    assert.match(String(page.headers['set-cookie']), /fv\.sid=/)
    assert.match(page.text, /name="_csrf" value="[^"]{20,}"/)
  })
})

describe('a family answering through a link', () => {
  const t = useTestApp()

  it('keeps their session for three hours, not the 30 minutes staff get', async () => {
    const team = await createTeam('Locality North')
    const { token } = await issueInvitation(t.services, team)
    const response = await request(t.app).get(`/s/${token}`).expect(303)
    const expires = /Expires=([^;]+)/.exec(String(response.headers['set-cookie']))?.[1]
    const hours = (new Date(expires ?? 0).getTime() - Date.now()) / 3_600_000
    assert.ok(hours > 2.9 && hours <= 3, `session lasts ${hours.toFixed(2)} hours`)
  })
})

describe('the favicon', () => {
  const t = useTestApp()

  it('is answered before sessions: no cookie, no session, cached', async () => {
    const response = await request(t.app).get('/favicon.ico').expect(204)
    assert.equal(response.headers['set-cookie'], undefined)
    assert.match(response.headers['cache-control'] ?? '', /max-age=604800/)
  })
})
