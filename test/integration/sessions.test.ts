import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import request from 'supertest'
import { startTestApp, type TestApp } from '../helpers/testApp'

describe('sessions are made only when needed', () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp()
  })
  after(async () => t.close())

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
