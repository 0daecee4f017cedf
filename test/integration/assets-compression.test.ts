/**
 * Text assets are compressed and fingerprinted with a year's immutable caching; the family's
 * stylesheet keeps only what the family pages use; GOV.UK Frontend's scripts load as modules only
 * where a component needs them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { purgeCss, usedClassNames } from '../../server/http/purgeCss'
import { issueInvitation } from '../helpers/factories'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { useTeam, useTestApp } from '../helpers/hooks'

const assetUrls = (html: string) => [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)

describe('fast on a cheap phone: compressed, fingerprinted, only what is used', () => {
  const t = useTestApp()
  const team = useTeam('Locality North', 'Locality')

  it('links the family pages to one small fingerprinted stylesheet, cached for a year, gzipped or brotli', async () => {
    const { token } = await issueInvitation(t.services, team)
    const { page } = await openSurveyLink(t.app, token)
    const urls = assetUrls(page.text)
    const found = urls.find((url) => /^\/assets\/family\.[0-9a-f]{10}\.css$/.test(url))
    assert.ok(found, `family stylesheet in ${urls.join(', ')}`)
    const css: string = found
    assert.doesNotMatch(page.text, /govuk-frontend\.[0-9a-f]+\.css|\/public\/css\/app\.css/)

    for (const encoding of ['gzip', 'br']) {
      const response = await request(t.app).get(css).set('Accept-Encoding', encoding).expect(200)
      assert.equal(response.headers['content-encoding'], encoding)
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable')
      assert.match(String(response.headers['content-type']), /^text\/css/)
    }
    const plain = await request(t.app).get(css).set('Accept-Encoding', 'identity').expect(200)
    assert.equal(plain.headers['content-encoding'], undefined)
    const full = await request(t.app).get('/assets/govuk-frontend.css').set('Accept-Encoding', 'identity')
    assert.ok(plain.text.length < full.text.length / 2, `${plain.text.length} vs ${full.text.length}`)
    // The rules the page needs are there, and the app's own rules come after GOV.UK's.
    const has = (pattern: RegExp) => pattern.test(plain.text)
    assert.ok(has(/\.govuk-radios__input/) && has(/\.app-faces/), 'keeps the rules the page uses')
    assert.ok(!has(/\.govuk-table__cell\b|\.govuk-pagination|\.govuk-header__logo/), 'drops the others')
    assert.ok(!has(/@font-face/), 'no font to download (GDS Transport is for GOV.UK only)')

    // Pages too are compressed (and never cached).
    const survey = await request(t.app).get('/privacy').set('Accept-Encoding', 'gzip').expect(200)
    assert.equal(survey.headers['content-encoding'], 'gzip')
  })

  it('answers an old or made-up fingerprint with 404, and keeps the old stylesheet address for staff pages', async () => {
    await request(t.app).get('/assets/family.0000000000.css').expect(404)
    await request(t.app).get('/assets/govuk-frontend.css').expect(200)
    const home = await request(t.app).get('/').expect(200)
    assert.ok(assetUrls(home.text).some((url) => /^\/assets\/govuk-frontend\.[0-9a-f]{10}\.css$/.test(url)))
  })

  it('loads GOV.UK Frontend’s character count and error summary as a module where the page has them', async () => {
    const { token } = await issueInvitation(t.services, team, { surveyId: 'closure-family' })
    const { agent, page, csrf } = await openSurveyLink(t.app, token)
    const script =
      /<script type="module" src="(\/assets\/govuk-components\.[0-9a-f]{10}\.js)"><\/script>/.exec(
        page.text,
      )?.[1]
    assert.ok(script, 'a page with free text loads the character count')
    assert.match(page.text, /data-module="govuk-character-count" data-maxlength="2000"/)
    const js = await request(t.app).get(script).set('Accept-Encoding', 'gzip').expect(200)
    assert.equal(js.headers['content-encoding'], 'gzip')
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(js.text, /govuk-character-count/)
    assert.match(js.text, /govuk-error-summary/)

    // A survey of faces only has neither component: no GOV.UK script until there is an error.
    const young = await issueInvitation(t.services, team, { surveyId: 'cla-review-young-person' })
    const child = await openSurveyLink(t.app, young.token)
    const hasFreeText = /<textarea/.test(child.page.text)
    assert.equal(/govuk-components\./.test(child.page.text), hasFreeText)
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'bogus' })).expect(303)
    assert.match((await agent.get('/survey').expect(400)).text, /govuk-components\.[0-9a-f]{10}\.js/)
  })

  it('purges a selector only when it names a class no template uses', () => {
    const used = usedClassNames(
      '<p class="govuk-body app-x govuk-!-font-weight-bold govuk-tag--<%= size %>">',
    )
    const css =
      '@charset "UTF-8";:root{--a:1}html{color:red}.govuk-body,.govuk-table{margin:0}.govuk-table{x:1}' +
      '@media (min-width:40em){.govuk-body{y:1}.govuk-tag{z:1}}@media print{.govuk-tag{z:2}}' +
      '.govuk-\\!-font-weight-bold{font-weight:700}.govuk-body:not(.govuk-table){n:1}@keyframes k{0%{o:0}}' +
      '/* a comment */.govuk-tag--l{s:1}.govuk-tag--l .govuk-table{s:2}'
    assert.equal(
      purgeCss(css, used),
      '@charset "UTF-8";:root{--a:1}html{color:red}.govuk-body{margin:0}@media (min-width:40em){.govuk-body{y:1}}' +
        '.govuk-\\!-font-weight-bold{font-weight:700}.govuk-body:not(.govuk-table){n:1}@keyframes k{0%{o:0}}' +
        '.govuk-tag--l{s:1}',
    )
  })
})
