/**
 * Every word a family gives is kept or they are asked again, never silently dropped; every POST
 * answers 303 so Back never asks to resend; no thank-you without answers; the response records
 * the survey version the page showed; and the session is saved before a redirect goes out.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import request from 'supertest'
import { CommentModel } from '../../server/comments/comment'
import { ResponseModel } from '../../server/responses/response'
import { SurveyRegistry } from '../../server/surveys/registry'
import type { TSurveyDefinition } from '../../server/surveys/definition'
import { issueInvitation } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { useTeam, useTestApp } from '../helpers/hooks'

describe('every word kept, and Back never resends', () => {
  const t = useTestApp({ now: '2026-11-23T10:00:00Z' })
  const team = useTeam('Through Care East', 'Through Care')

  it('keeps text typed into a follow-up whose earlier answer was not the one it asks after, or was not given', async () => {
    for (const earlier of ['yes', undefined]) {
      const { token, invitationId } = await issueInvitation(t.services, team, {
        surveyId: 'cla-review-family',
      })
      const { agent, csrf } = await openSurveyLink(t.app, token)
      const fields: Record<string, string> = { _csrf: csrf, 'q-why-not-heard': 'Nobody asked me first.' }
      if (earlier) fields['q-views-heard'] = earlier
      await postSurvey(agent, formBody(fields)).expect(303)
      const response = await ResponseModel.findOne({ invitationId }).lean()
      assert.ok(response, `stored with views-heard=${earlier}`)
      const comments = await CommentModel.find({ responseId: response._id }).lean()
      assert.deepEqual(
        comments.map((comment) => [comment.question, comment.text]),
        [['why-not-heard', 'Nobody asked me first.']],
      )
    }
  })

  it('answers answers with a problem with 303 to /survey, which shows them again (reload too) until they are sent', async () => {
    const { token, invitationId } = await issueInvitation(t.services, team)
    const { agent, csrf } = await openSurveyLink(t.app, token)
    const sent = await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-share-views': 'bogus', 'q-went-well': 'Kind and on time.' }),
    ).expect(303)
    assert.equal(sent.headers.location, '/survey')
    for (let reload = 0; reload < 2; reload++) {
      const page = await agent.get('/survey').expect(400)
      assert.match(page.text, /<a href="#q-share-views">Select one of the answers/)
      assert.match(page.text, />Kind and on time\.<\/textarea>/)
    }
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'yes' })).expect(303)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
    // Back to the form, or to the error page: both GETs, both lead to the thank-you page.
    const back = await agent.get('/survey').expect(303)
    assert.equal(back.headers.location, '/survey/thank-you')
    const again = await postSurvey(agent, formBody({ _csrf: csrf, 'q-share-views': 'no' })).expect(303)
    assert.equal(again.headers.location, '/survey/thank-you')
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
  })

  it('thanks nobody who has not sent answers from this session', async () => {
    const fresh = await request(t.app).get('/survey/thank-you').expect(404)
    assert.match(visibleText(fresh), /Open your survey link to answer/)
    assert.doesNotMatch(fresh.text, /Your answers have been sent/)
    // A session that opened a link but has not sent anything is not thanked either.
    const { token } = await issueInvitation(t.services, team)
    const { agent } = await openSurveyLink(t.app, token)
    const early = await agent.get('/survey/thank-you').expect(404)
    assert.doesNotMatch(early.text, /Your answers have been sent/)
    // Without any survey session the survey page says to open the link again.
    const stray = await request(t.app).get('/survey')
    assert.equal(stray.status, 404)
  })

  describe('the survey version the family was shown', () => {
    let original: SurveyRegistry
    before(() => {
      original = t.services.surveys
    })
    after(() => {
      t.services.surveys = original
    })

    /** Publishes closure-family v3 (without "went-well", with a new question) beside v2, the one shipped. */
    function publishVersion3(): TSurveyDefinition {
      const v2 = original.latest('closure-family')!
      assert.equal(v2.version, 2)
      const v3: TSurveyDefinition = {
        ...v2,
        version: 3,
        questions: [
          ...v2.questions.filter((question) => question.id !== 'went-well'),
          { id: 'anything-else', type: 'free-text', text: 'Anything else?', required: false, maxLength: 500 },
        ],
      }
      const all = original.all().filter((survey) => survey.id !== 'closure-family')
      t.services.surveys = new SurveyRegistry([...all, v2, v3])
      return v3
    }

    it('records the version in the form even when a newer one is published while the page is open', async () => {
      const { token, invitationId } = await issueInvitation(t.services, team)
      const { agent, page, csrf } = await openSurveyLink(t.app, token)
      assert.match(page.text, /<input type="hidden" name="version" value="2">/)
      publishVersion3()
      try {
        await postSurvey(
          agent,
          formBody({ _csrf: csrf, version: '2', 'q-share-views': 'yes', 'q-went-well': 'Listened well.' }),
        ).expect(303)
        const response = await ResponseModel.findOne({ invitationId }).lean()
        assert.equal(response?.surveyVersion, 2)
        const comment = await CommentModel.findOne({ responseId: response!._id }).lean()
        assert.equal(comment?.text, 'Listened well.', "v2's question is read from v2")

        // A new page shows v3, and an error round keeps v3.
        const second = await issueInvitation(t.services, team)
        const opened = await openSurveyLink(t.app, second.token)
        assert.match(opened.page.text, /name="version" value="3"/)
        await postSurvey(
          opened.agent,
          formBody({ _csrf: opened.csrf, version: '3', 'q-share-views': 'nope' }),
        ).expect(303)
        const errorPage = await opened.agent.get('/survey').expect(400)
        assert.match(errorPage.text, /name="version" value="3"/)
        assert.match(errorPage.text, /Anything else\?/)
        await postSurvey(
          opened.agent,
          formBody({ _csrf: csrfTokenFrom(errorPage.text), version: '3', 'q-anything-else': 'No.' }),
        ).expect(303)
        assert.equal(
          (await ResponseModel.findOne({ invitationId: second.invitationId }).lean())?.surveyVersion,
          3,
        )
      } finally {
        t.services.surveys = original
      }
    })

    it('refuses a version the survey does not have, or that is not a number, with 400 and stores nothing', async () => {
      const { token, invitationId } = await issueInvitation(t.services, team)
      const { agent, csrf } = await openSurveyLink(t.app, token)
      for (const version of ['9', '0', '1.0', 'latest', '']) {
        const refused = await postSurvey(
          agent,
          formBody({ _csrf: csrf, version, 'q-share-views': 'yes' }),
        ).expect(400)
        assert.match(visibleText(refused), /a version of this survey we do not have/)
      }
      assert.equal(await ResponseModel.countDocuments({ invitationId }), 0)
    })
  })

  it('saves the session before the redirect leaves: a request sent the moment the headers arrive sees it (20 times)', async () => {
    const server = t.app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      for (let round = 0; round < 20; round++) {
        const { token } = await issueInvitation(t.services, team, { surveyId: 'closure-young-person' })
        const { visit, csrf } = await openSurveyLink(t.app, token)
        const cookie = String(visit.headers['set-cookie']).split(';')[0]!
        const body = formBody({ _csrf: csrf, 'q-listened': 'yes' })
        // The thank-you page is asked for as soon as the POST's status line and headers arrive,
        // before its body ends: as a browser following a redirect does.
        const thanks = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const post = http.request(
            {
              port,
              host: '127.0.0.1',
              method: 'POST',
              path: '/survey',
              headers: {
                cookie,
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': Buffer.byteLength(body),
              },
            },
            (response) => {
              assert.equal(response.statusCode, 303)
              assert.equal(response.headers.location, '/survey/thank-you')
              http
                .get({ port, host: '127.0.0.1', path: '/survey/thank-you', headers: { cookie } }, (page) => {
                  let text = ''
                  page.setEncoding('utf8')
                  page.on('data', (chunk: string) => (text += chunk))
                  page.on('end', () => resolve({ status: page.statusCode ?? 0, text }))
                })
                .on('error', reject)
              response.resume()
            },
          )
          post.on('error', reject)
          post.end(body)
        })
        assert.equal(thanks.status, 200, `round ${round}`)
        assert.match(thanks.text, /app-child-friendly/, `round ${round}: the child's thank-you page`)
        assert.match(visibleText(thanks.text), /Childline for free, any time, on 0800 1111/)
      }
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
