/**
 * A family's pages in their language: offered only when a council turns the language on
 * (FAMILY_LANGUAGES) and the survey is completely translated; chosen with a language link,
 * remembered for the visit in the survey session; `lang` and `dir` on the page and on each link;
 * the response records its language, and reports count every language together by question id.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import request from 'supertest'
import { createApiToken } from '../../server/apiTokens/service'
import { loadConfig } from '../../server/config'
import { InvitationModel } from '../../server/invitations/invitation'
import { formatCode } from '../../server/invitations/token'
import { ResponseModel } from '../../server/responses/response'
import { TeamModel } from '../../server/teams/team'
import { createTeam, issueInvitation } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { useTeam, useTestApp } from '../helpers/hooks'

const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0] ?? ''

describe('family pages in their own language', () => {
  const t = useTestApp({
    now: '2026-11-23T10:00:00Z',
    env: { FAMILY_LANGUAGES: 'cy,pl,ar', SMALL_NUMBER_THRESHOLD: '1' },
  })
  const team = useTeam('Locality North', 'Locality')

  it('links to each language turned on from the first screen, each link in its own language', async () => {
    const { token } = await issueInvitation(t.services, team)
    const { page } = await openSurveyLink(t.app, token)
    assert.equal(htmlTag(page.text), '<html lang="en" dir="ltr" class="govuk-template">')
    assert.match(page.text, /<nav class="app-languages" aria-label="Choose a language">/)
    for (const [code, name, dir] of [
      ['cy', 'Cymraeg', 'ltr'],
      ['pl', 'Polski', 'ltr'],
      ['ar', 'العربية', 'rtl'],
    ]) {
      assert.match(
        page.text,
        new RegExp(
          `<a class="govuk-link" href="/survey\\?lang=${code}" hreflang="${code}" lang="${code}" dir="${dir}">${name}</a>`,
        ),
      )
    }
    // Romanian and Urdu are translated but not turned on.
    assert.doesNotMatch(page.text, /lang=ro|lang=ur|Română/)
    assert.doesNotMatch(page.text, /href="\/survey\?lang=en"/)
  })

  it('shows the survey in Welsh when chosen, remembers it for the visit, and records the response as Welsh', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { agent } = await openSurveyLink(t.app, token)
    const welsh = await agent.get('/survey?lang=cy').expect(200)
    assert.equal(htmlTag(welsh.text), '<html lang="cy" dir="ltr" class="govuk-template">')
    const text = visibleText(welsh)
    assert.match(text, /Eich profiad o'n gwasanaeth/)
    assert.match(text, /Oddi wrth Locality North/)
    assert.match(welsh.text, /<span lang="en" dir="ltr">Locality North<\/span>/)
    assert.match(text, /A roddodd eich gweithiwr gyfle i chi rannu eich barn\?/)
    assert.match(text, /Gallwch hepgor unrhyw gwestiwn\./)
    assert.match(text, /Anfon eich atebion/)
    assert.match(welsh.text, /href="\/survey\?lang=en" hreflang="en" lang="en" dir="ltr">English<\/a>/)
    // How answers are used, in Welsh too: the link carries the language (no session on that page).
    assert.match(
      welsh.text,
      /<a class="govuk-link" href="\/privacy\?lang=cy">Sut rydym yn defnyddio ac yn cadw eich atebion<\/a>/,
    )
    const privacy = await request(t.app).get('/privacy?lang=cy').expect(200)
    assert.equal(htmlTag(privacy.text), '<html lang="cy" dir="ltr" class="govuk-template">')
    assert.match(visibleText(privacy), /Sut rydym yn defnyddio eich atebion/)
    assert.match(visibleText(privacy), /Pan fydd llai na 1 o bobl wedi ateb cwestiwn/)
    assert.equal(privacy.headers['set-cookie'], undefined)

    // Remembered without the address saying so; an error round is in Welsh too.
    const again = await agent.get('/survey').expect(200)
    assert.match(htmlTag(again.text), /lang="cy"/)
    const csrf = csrfTokenFrom(again.text)
    // Answers with a problem go back to /survey (303), which shows them with the errors.
    await postSurvey(agent, formBody({ _csrf: csrf })).expect(303)
    const empty = await agent.get('/survey').expect(400)
    assert.match(htmlTag(empty.text), /lang="cy"/)
    assert.match(empty.text, /<title>Gwall: Eich profiad o&#39;n gwasanaeth – Family Voice<\/title>/)
    assert.match(visibleText(empty), /Mae problem Atebwch o leiaf un cwestiwn cyn anfon eich atebion/)
    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-share-views': 'maybe', 'q-do-better': 'x'.repeat(2001) }),
    ).expect(303)
    const tooLong = await agent.get('/survey').expect(400)
    assert.match(
      visibleText(tooLong),
      /Dewiswch un o'r atebion i “A roddodd eich gweithiwr gyfle i chi rannu eich barn\?”/,
    )
    assert.match(
      visibleText(tooLong),
      /Rhaid i'ch ateb fod yn 2000 o nodau neu lai\. Rydych wedi defnyddio 2001\./,
    )

    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-share-views': 'yes', 'q-reach-worker': 'sometimes' }),
    ).expect(303)
    const response = await ResponseModel.findOne({ invitationId }).lean()
    assert.equal(response?.language, 'cy')
    assert.deepEqual(response?.answers, [
      { question: 'share-views', answer: 'yes' },
      { question: 'reach-worker', answer: 'sometimes' },
    ])
    const thanks = await agent.get('/survey/thank-you').expect(200)
    assert.match(htmlTag(thanks.text), /lang="cy"/)
    assert.match(visibleText(thanks), /Diolch Mae eich atebion wedi cael eu hanfon/)
    assert.match(visibleText(thanks), /ffoniwch 999/)
  })

  it('puts an Arabic page right to left, and a council’s own help text stays marked as English', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    const visit = request.agent(t.app)
    // A language in the link itself (e.g. a letter in Arabic) is remembered from the start.
    const opened = await visit.get(`/s/${token}?lang=ar`).expect(303)
    assert.equal(opened.headers.location, '/survey')
    const page = await visit.get('/survey').expect(200)
    assert.equal(htmlTag(page.text), '<html lang="ar" dir="rtl" class="govuk-template">')
    assert.match(visibleText(page), /تجربتك مع خدمتنا/)
    assert.match(page.text, /href="\/survey\?lang=en" hreflang="en" lang="en" dir="ltr">English<\/a>/)
    await postSurvey(visit, formBody({ _csrf: csrfTokenFrom(page.text), 'q-share-views': 'no' })).expect(303)
    assert.equal((await ResponseModel.findOne({ invitationId }).lean())?.language, 'ar')
    const thanks = await visit.get('/survey/thank-you').expect(200)
    assert.match(htmlTag(thanks.text), /lang="ar" dir="rtl"/)
    assert.match(visibleText(thanks), /شكرًا لك/)
  })

  it('records English when no language is chosen, and ignores a language that is not turned on', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { agent, csrf } = await openSurveyLink(t.app, token)
    const romanian = await agent.get('/survey?lang=ro').expect(200)
    assert.match(htmlTag(romanian.text), /lang="en"/)
    const odd = await agent.get('/survey?lang=%3Cscript%3E').expect(200)
    assert.match(htmlTag(odd.text), /lang="en"/)
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'yes' })).expect(303)
    assert.equal((await ResponseModel.findOne({ invitationId }).lean())?.language, 'en')
  })

  it('counts a Welsh and an English answer to the same question together in reports', async () => {
    const qa = (await createApiToken(t.clock, { name: 'Languages', role: 'qa' })).token
    const headline = async () => {
      const res = await request(t.app)
        .get('/api/v1/reports/headlines?survey=closure-family&period=2026-27-Q3')
        .set('Authorization', `Bearer ${qa}`)
        .expect(200)
      const body = res.body as { headlines: Array<{ question: string; answered: number; positive: number }> }
      return body.headlines.find((h) => h.question === 'share-views')!
    }
    const before = await headline()
    for (const lang of ['cy', 'en']) {
      const { token } = await issueInvitation(t.services, team)
      const { agent } = await openSurveyLink(t.app, token)
      const page = await agent.get(`/survey?lang=${lang}`).expect(200)
      await postSurvey(agent, formBody({ _csrf: csrfTokenFrom(page.text), 'q-share-views': 'yes' })).expect(
        303,
      )
    }
    const after = await headline()
    assert.equal(after.answered, before.answered + 2)
    assert.equal(after.positive, before.positive + 2)
    assert.deepEqual((await ResponseModel.find({}, { language: 1 }).lean()).map((r) => r.language).sort(), [
      'ar',
      'cy',
      'cy',
      'en',
      'en',
    ])
  })

  it('puts the code page, a closed link, the no-answers page and the Listen button in the family’s language', async () => {
    // The code page in Welsh; the code typed there opens the survey in Welsh.
    const codePage = await request(t.app).get('/s?lang=cy').expect(200)
    assert.match(htmlTag(codePage.text), /lang="cy"/)
    assert.match(visibleText(codePage), /Rhowch god eich arolwg Mae eich cod yn eich llythyr neu'ch e-bost\./)
    assert.match(codePage.text, /<input type="hidden" name="lang" value="cy">/)
    assert.match(codePage.text, /href="\/s\?lang=pl" hreflang="pl"/)
    assert.equal(codePage.headers['set-cookie'], undefined, 'no session before a code opens one')
    const wrong = await request(t.app).get('/s?lang=cy&code=1234').expect(400)
    assert.match(visibleText(wrong), /Mae problem Gwiriwch eich cod: mae ganddo 28 o lythrennau a rhifau/)
    const { token } = await issueInvitation(t.services, team)
    const agent = request.agent(t.app)
    await agent
      .get('/s')
      .query({ lang: 'cy', code: formatCode(token).toLowerCase() })
      .expect(303)
    const survey = await agent.get('/survey').expect(200)
    assert.match(htmlTag(survey.text), /lang="cy"/)
    // The read-aloud button's words, which listen.js reads from the form.
    assert.match(
      survey.text,
      /data-listen="Gwrando" data-listen-stop="Stopio" data-listen-answers="Yr atebion yw:"/,
    )

    // A cancelled link, in Polish, names the team and its phone.
    await TeamModel.updateOne({ _id: team._id }, { $set: { phone: '0300 555 0199' } })
    const cancelled = await issueInvitation(t.services, team)
    await InvitationModel.updateOne({ _id: cancelled.invitationId }, { $set: { status: 'cancelled' } })
    const stopped = await request(t.app).get(`/s/${cancelled.token}`).set('Accept-Language', 'pl').expect(404)
    assert.match(htmlTag(stopped.text), /lang="pl"/)
    assert.match(
      visibleText(stopped),
      /Ten link do ankiety nie jest już używany .* zadzwoń do zespołu Locality North pod numer 0300 555 0199\./,
    )
    await TeamModel.updateOne({ _id: team._id }, { $unset: { phone: '' } })

    // Thanked for nothing: the no-answers page, in Arabic, right to left.
    const nothing = await request(t.app).get('/survey/thank-you?lang=ar').expect(404)
    assert.equal(htmlTag(nothing.text), '<html lang="ar" dir="rtl" class="govuk-template">')
    assert.match(visibleText(nothing), /افتح رابط الاستبيان لتجيب/)
  })

  it('shows a link that does not work, and an error page, in the language of the visit', async () => {
    const { token } = await issueInvitation(t.services, team)
    const { agent } = await openSurveyLink(t.app, token)
    await agent.get('/survey?lang=pl').expect(200)
    const missing = await agent.get('/survey/nothing-here').expect(404)
    assert.match(htmlTag(missing.text), /lang="pl"/)
    assert.match(visibleText(missing), /Nie znaleziono strony/)
    // A form left open too long (its CSRF token no longer matches): "That form has expired", in Polish.
    const expired = await postSurvey(agent, formBody({ _csrf: 'stale', 'q-share-views': 'yes' })).expect(403)
    assert.match(htmlTag(expired.text), /lang="pl"/)
    assert.match(visibleText(expired), /Ten formularz wygasł/)
    // A stranger's browser that asks for Polish first gets the unknown-link page in Polish.
    const unknown = await request(t.app)
      .get(`/s/${'A'.repeat(43)}`)
      .set('Accept-Language', 'pl, en;q=0.5')
      .expect(404)
    assert.match(htmlTag(unknown.text), /lang="pl"/)
    assert.match(visibleText(unknown), /Ten link do ankiety nie działa/)
    assert.equal(unknown.headers['set-cookie'], undefined, 'no session for a stranger')
  })
})

describe('family pages with no language turned on (the default)', () => {
  const t = useTestApp()

  it('offers no language links and stays in English, whatever is asked', async () => {
    const team = await createTeam('Locality South', 'Locality')
    const { token } = await issueInvitation(t.services, team)
    const { agent, page } = await openSurveyLink(t.app, token)
    assert.doesNotMatch(page.text, /app-languages|hreflang/)
    const welsh = await agent.get('/survey?lang=cy').set('Accept-Language', 'cy').expect(200)
    assert.equal(htmlTag(welsh.text), '<html lang="en" dir="ltr" class="govuk-template">')
    assert.match(visibleText(welsh), /Your experience of our service/)
  })

  it('refuses an unknown language in FAMILY_LANGUAGES with a sentence naming the setting', async () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'test', FAMILY_LANGUAGES: 'cy,fr' }),
      /FAMILY_LANGUAGES must list languages from cy, pl, ro, ur, ar, separated by commas, not "fr"/,
    )
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', FAMILY_LANGUAGES: ' CY, ar ' }).familyLanguages, [
      'cy',
      'ar',
    ])
    assert.deepEqual(loadConfig({ NODE_ENV: 'test' }).familyLanguages, [])
  })
})
