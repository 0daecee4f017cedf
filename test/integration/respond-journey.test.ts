import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { CommentModel } from '../../server/comments/comment'
import { InvitationModel } from '../../server/invitations/invitation'
import { ResponseModel } from '../../server/responses/response'
import type { Team } from '../../server/teams/team'
import { createTeam, issueInvitation } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey, postSurveyWithProblems } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { assertBackAndResendThankYou } from '../helpers/surveyAnswered'

describe('answering a survey through a personal link', () => {
  const t = useTestApp({ now: '2026-11-23T10:00:00Z' })
  let locality: Team, frontDoor: Team, throughCare: Team
  before(async () => {
    locality = await createTeam('Locality North', 'Locality')
    frontDoor = await createTeam('Family Front Door', 'Family Front Door')
    throughCare = await createTeam('Through Care', 'Through Care')
  })

  it('moves the token out of the address into a new session, and marks the link opened', async () => {
    const { token, invitationId } = await issueInvitation(t.services, locality)
    t.clock.set('2026-11-23T10:05:00Z')
    const { visit, page } = await openSurveyLink(t.app, token)

    assert.equal(visit.headers.location, '/survey')
    assert.equal(visit.headers['referrer-policy'], 'no-referrer')
    assert.equal(visit.headers['cache-control'], 'no-store')
    assert.match(String(visit.headers['set-cookie']), /^fv\.survey=/)
    assert.doesNotMatch(page.text, new RegExp(token))
    assert.equal(page.headers['cache-control'], 'no-store')

    const invitation = await InvitationModel.findById(invitationId).lean()
    assert.equal(invitation?.status, 'opened')
    assert.equal(invitation?.openedAt?.toISOString(), '2026-11-23T10:05:00.000Z')

    // A second visit (another device) still works, and keeps the first opening time.
    t.clock.set('2026-11-24T09:00:00Z')
    await openSurveyLink(t.app, token)
    const again = await InvitationModel.findById(invitationId).lean()
    assert.equal(again?.status, 'opened')
    assert.equal(again?.openedAt?.toISOString(), '2026-11-23T10:05:00.000Z')
    t.clock.set('2026-11-23T10:00:00Z')
  })

  it('starts by saying who is asking, why, that it is voluntary, how answers are used and whether they are linked to the case', async () => {
    const { token } = await issueInvitation(t.services, locality)
    const { page } = await openSurveyLink(t.app, token)
    const text = visibleText(page)

    assert.match(page.text, /<title>Your experience of our service – Family Voice<\/title>/)
    // The team by its own name, never "Locality North (Locality)"; "You can skip any question" once.
    assert.match(text, /From Locality North Your experience of our service/)
    assert.doesNotMatch(text, /\(Locality\)/)
    assert.match(text, /Your work with us has now ended\. We would like to hear what it was like for you/)
    assert.equal(text.match(/You can skip any question/g)?.length, 1)
    assert.match(
      page.text,
      /<details class="govuk-details">\s*<summary class="govuk-details__summary">\s*<span class="govuk-details__summary-text">How we use your answers<\/span>/,
    )
    assert.match(text, /Answering is up to you\./)
    assert.match(text, /We may quote what you write in reports, but never with names/)
    assert.match(
      text,
      /Your answers will not be linked to your family's case record, and we do not ask for your name\./,
    )
    assert.match(page.text, /<a class="govuk-link" href="\/privacy">How we use and keep your answers<\/a>/)

    // All eight questions on one page, as GOV.UK radios and textareas.
    for (const question of t.services.surveys.latest('closure-family')!.questions) {
      assert.ok(text.includes(question.text), `the page asks "${question.text}"`)
    }
    assert.match(
      page.text,
      /<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">\s*<h2 class="govuk-fieldset__heading">Did your worker give you chances to share your views and opinions\?<\/h2>/,
    )
    assert.match(
      page.text,
      /<input class="govuk-radios__input" id="q-share-views" name="q-share-views" type="radio" value="yes">/,
    )
    assert.match(page.text, /id="q-share-views-partly" name="q-share-views" type="radio" value="partly"/)
    assert.match(
      page.text,
      /<div id="q-child-listened-hint" class="govuk-hint">Choose &#34;Not applicable&#34; if your child/,
    )
    assert.match(
      page.text,
      /<textarea class="govuk-textarea govuk-js-character-count" id="q-went-well" name="q-went-well" rows="5" maxlength="2000" aria-describedby="q-went-well-hint q-went-well-info"><\/textarea>/,
    )
    assert.match(text, /You can enter up to 2,000 characters\./)
    assert.match(page.text, /<input type="hidden" name="_csrf" value="[^"]+">/)
    assert.doesNotMatch(page.text, /app-child-friendly/)
    // Scripts only enhance (read aloud, GOV.UK components): our own files, deferred, never inline.
    const scripts = page.text.match(/<script\b[^>]*>/g) ?? []
    assert.ok(scripts.length > 0)
    for (const script of scripts)
      assert.match(script, /^<script (type="module" )?src="\/(public|assets)\/[^"]+\.m?js"( defer)?>$/)
  })

  it('says plainly when the answers are linked to the case record', async () => {
    const { token } = await issueInvitation(t.services, frontDoor, { caseRef: 'LCS-778812' })
    const { page } = await openSurveyLink(t.app, token)
    const text = visibleText(page)
    // The team is the service: named once.
    assert.match(text, /From Family Front Door Your experience/)
    assert.match(text, /Your answers will be linked to your family's case record/)
    assert.doesNotMatch(text, /LCS-778812/)
  })

  it('stores one online response with the survey version, team, service, respondent, period and answers', async () => {
    const { token, invitationId } = await issueInvitation(t.services, locality, { caseRef: 'LCS-1001' })
    const { agent, csrf } = await openSurveyLink(t.app, token)
    t.clock.set('2026-11-23T10:20:00Z')

    const sent = await postSurvey(
      agent,
      formBody({
        _csrf: csrf,
        'q-share-views': 'yes',
        'q-child-listened': 'not-applicable',
        'q-right-people': 'partly',
        'q-copy-of-plan': 'no',
        'q-reach-worker': '',
        'q-positive-difference': 'yes',
        'q-went-well': '  Our worker always\r\ncalled back.  ',
        'q-do-better': '',
      }),
    ).expect(303)
    assert.equal(sent.headers.location, '/survey/thank-you')

    const responses = await ResponseModel.find({ invitationId }).lean()
    assert.equal(responses.length, 1)
    const response = responses[0]!
    assert.equal(response.claimKey, `invitation:${invitationId}`)
    assert.equal(response.surveyId, 'closure-family')
    assert.equal(response.surveyVersion, t.services.surveys.latest('closure-family')!.version)
    assert.equal(String(response.teamId), String(locality._id))
    assert.equal(response.teamName, 'Locality North')
    assert.equal(response.service, 'Locality')
    assert.equal(response.respondent, 'parent-carer')
    assert.equal(response.mode, 'online')
    assert.equal(response.source, 'online')
    assert.equal(response.caseRef, 'LCS-1001')
    assert.equal(response.submittedAt.toISOString(), '2026-11-23T10:20:00.000Z')
    assert.deepEqual(response.period, { year: '2026-27', quarter: '2026-27-Q3', month: '2026-11' })
    assert.deepEqual(response.answers, [
      { question: 'share-views', answer: 'yes' },
      { question: 'child-listened', answer: 'not-applicable' },
      { question: 'right-people', answer: 'partly' },
      { question: 'copy-of-plan', answer: 'no' },
      { question: 'positive-difference', answer: 'yes' },
    ])

    const comments = await CommentModel.find({ responseId: response._id }).lean()
    assert.equal(comments.length, 1)
    assert.equal(comments[0]!.question, 'went-well')
    assert.equal(comments[0]!.text, 'Our worker always\ncalled back.')
    assert.equal(comments[0]!.review.status, 'pending')
    assert.equal(comments[0]!.flag, undefined)

    const invitation = await InvitationModel.findById(invitationId).lean()
    assert.equal(invitation?.status, 'completed')
    assert.equal(invitation?.completedAt?.toISOString(), '2026-11-23T10:20:00.000Z')

    const thanks = await agent.get('/survey/thank-you').expect(200)
    const text = visibleText(thanks)
    assert.match(text, /Thank you Your answers have been sent/)
    assert.match(text, /What happens next/)
    assert.match(
      text,
      /If you are worried about a child's safety If you are worried about a child's safety right now, call 999\./,
    )
    assert.match(text, /Family Front Door on 0300 123 4567/)
    assert.doesNotMatch(text, /Childline/)

    // The session has forgotten the invitation: the survey page now leads to the thank-you page.
    // The back button and "send" again: the same thank-you page, nothing more stored.
    await assertBackAndResendThankYou(agent, csrf, invitationId)
    assert.equal((await ResponseModel.findOne({ invitationId }).lean())?.answers[0]?.answer, 'yes')
    t.clock.set('2026-11-23T10:00:00Z')
  })

  it('flags a comment with worry words when it is stored', async () => {
    const { token, invitationId } = await issueInvitation(t.services, locality)
    const { agent, csrf } = await openSurveyLink(t.app, token)
    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-do-better': 'My dad hits me when nobody is there' }),
    ).expect(303)
    const response = await ResponseModel.findOne({ invitationId }).lean()
    const comment = await CommentModel.findOne({ responseId: response!._id }).lean()
    assert.deepEqual(comment?.flag?.matched, ['hits me'])
  })

  it('shows errors in a GOV.UK error summary and keeps every answer', async () => {
    const { token, invitationId } = await issueInvitation(t.services, locality)
    const { agent, csrf } = await openSurveyLink(t.app, token)
    const longText = 'x'.repeat(2001)

    const page = await postSurveyWithProblems(
      agent,
      formBody({
        _csrf: csrf,
        'q-share-views': 'partly',
        'q-child-listened': 'maybe',
        'q-went-well': 'The family time was well organised.',
        'q-do-better': longText,
      }),
    )

    assert.match(page.text, /<title>Error: Your experience of our service – Family Voice<\/title>/)
    assert.match(page.text, /<h2 class="govuk-error-summary__title">There is a problem<\/h2>/)
    assert.match(
      page.text,
      /<li><a href="#q-child-listened">Select one of the answers for “Did your worker speak to your child and listen to what they had to say\?”<\/a><\/li>/,
    )
    assert.match(
      page.text,
      /<li><a href="#q-do-better">Your answer must be 2000 characters or fewer\. You have used 2001\.<\/a><\/li>/,
    )
    assert.match(
      page.text,
      /<div class="govuk-form-group govuk-form-group--error">\s*<fieldset class="govuk-fieldset" aria-describedby="q-child-listened-hint q-child-listened-error">/,
    )
    assert.match(
      page.text,
      /<p id="q-child-listened-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Select one of the answers/,
    )
    // Every answer is kept.
    assert.match(
      page.text,
      /id="q-share-views-partly" name="q-share-views" type="radio" value="partly" checked>/,
    )
    assert.equal((page.text.match(/ checked>/g) ?? []).length, 1)
    assert.match(page.text, />The family time was well organised\.<\/textarea>/)
    assert.ok(
      page.text.includes(
        `govuk-textarea--error" id="q-do-better" name="q-do-better" rows="5" maxlength="2000" aria-describedby="q-do-better-hint q-do-better-info q-do-better-error">${longText}</textarea>`,
      ),
    )

    assert.equal(await ResponseModel.countDocuments({ invitationId }), 0)
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'opened')

    // Corrected, it is stored.
    await postSurvey(
      agent,
      formBody({
        _csrf: csrf,
        'q-share-views': 'partly',
        'q-child-listened': 'yes',
        'q-do-better': 'x'.repeat(2000),
      }),
    ).expect(303)
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 1)
  })

  it('asks for at least one answer rather than using up the link on an empty form', async () => {
    const { token, invitationId } = await issueInvitation(t.services, locality)
    const { agent, csrf } = await openSurveyLink(t.app, token)
    const page = await postSurveyWithProblems(
      agent,
      formBody({ _csrf: csrf, 'q-went-well': '   ', 'q-do-better': '' }),
    )
    assert.match(
      page.text,
      /<a href="#q-share-views">Answer at least one question before you send your answers<\/a>/,
    )
    assert.equal(await ResponseModel.countDocuments({ invitationId }), 0)
    assert.equal((await InvitationModel.findById(invitationId).lean())?.status, 'opened')
  })

  it('shows faces with words and bigger text for a child-friendly survey', async () => {
    const { token, invitationId } = await issueInvitation(t.services, locality, {
      surveyId: 'closure-young-person',
    })
    const { agent, page, csrf } = await openSurveyLink(t.app, token)
    const text = visibleText(page)

    assert.match(page.text, /<body class="govuk-template__body app-child-friendly">/)
    // A child's page names no team or service: the intro says who is asking.
    assert.doesNotMatch(text, /Locality/)
    assert.match(text, /We are the people who have been helping your family\./)
    assert.equal(text.match(/You can skip any question/g)?.length, 1)
    assert.match(page.text, /<div class="govuk-radios app-faces" data-module="govuk-radios">/)
    assert.match(
      page.text,
      /<label class="govuk-label govuk-radios__label" for="q-listened"><img class="app-face" src="\/public\/images\/face-happy\.svg" alt="" aria-hidden="true" width="40" height="40">Yes<\/label>/,
    )
    assert.match(
      page.text,
      /for="q-listened-not-sure"><img class="app-face" src="\/public\/images\/face-neutral\.svg" alt="" aria-hidden="true" width="40" height="40">Not sure<\/label>/,
    )
    assert.match(page.text, /for="q-listened-no"><img class="app-face" src="\/public\/images\/face-sad\.svg"/)
    assert.match(page.text, /govuk-fieldset__legend--l/)
    assert.match(page.text, /maxlength="1000"/)

    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-listened': 'yes', 'q-understood': 'not-sure', 'q-helped': 'no' }),
    ).expect(303)
    const response = await ResponseModel.findOne({ invitationId }).lean()
    assert.equal(response?.respondent, 'child-young-person')
    assert.deepEqual(response?.answers, [
      { question: 'listened', answer: 'yes' },
      { question: 'understood', answer: 'not-sure' },
      { question: 'helped', answer: 'no' },
    ])
    const thanks = await agent.get('/survey/thank-you').expect(200)
    assert.match(thanks.text, /app-child-friendly/)
    assert.match(visibleText(thanks), /Childline for free, any time, on 0800 1111/)

    const face = await agent.get('/public/images/face-happy.svg').expect(200)
    assert.match(String(face.headers['content-type']), /image\/svg\+xml/)
  })

  it('shows questions that depend on an earlier answer with a hint, and keeps what is written there whatever the earlier answer', async () => {
    const first = await issueInvitation(t.services, throughCare, { surveyId: 'cla-review-family' })
    const { agent, page, csrf } = await openSurveyLink(t.app, first.token)
    assert.match(
      visibleText(page),
      /What would have helped you feel more listened to\? Please don't include anyone's full name\. Only answer this if you answered “Partly” or “No” to the question above\./,
    )
    assert.match(
      page.text,
      /<div class="govuk-form-group govuk-character-count" data-module="govuk-character-count" data-maxlength="2000" data-show-if-question="q-views-heard" data-show-if-answers="partly no">/,
    )
    assert.match(page.text, /<script src="\/public\/js\/show-if\.js" defer><\/script>/)

    await postSurvey(
      agent,
      formBody({ _csrf: csrf, 'q-views-heard': 'yes', 'q-why-not-heard': 'More time to speak' }),
    ).expect(303)
    // Every word kept: "does not apply" is a hint, not a reason to throw the family's words away.
    const keptAnyway = await ResponseModel.findOne({ invitationId: first.invitationId }).lean()
    assert.deepEqual(keptAnyway?.answers, [{ question: 'views-heard', answer: 'yes' }])
    assert.deepEqual(
      (await CommentModel.find({ responseId: keptAnyway!._id }).lean()).map((c) => [c.question, c.text]),
      [['why-not-heard', 'More time to speak']],
    )

    const second = await issueInvitation(t.services, throughCare, { surveyId: 'cla-review-family' })
    const next = await openSurveyLink(t.app, second.token)
    await postSurvey(
      next.agent,
      formBody({ _csrf: next.csrf, 'q-views-heard': 'no', 'q-why-not-heard': 'More time to speak' }),
    ).expect(303)
    const kept = await ResponseModel.findOne({ invitationId: second.invitationId }).lean()
    const comments = await CommentModel.find({ responseId: kept!._id }).lean()
    assert.deepEqual(
      comments.map((comment) => [comment.question, comment.text]),
      [['why-not-heard', 'More time to speak']],
    )

    const script = await agent.get('/public/js/show-if.js').expect(200)
    assert.match(script.text, /data-show-if-question/)
  })

  it('serves a plain-English privacy page', async () => {
    const { default: request } = await import('supertest')
    const page = await request(t.app).get('/privacy').expect(200)
    const text = visibleText(page)
    assert.match(text, /How we use your answers/)
    assert.match(text, /You do not have to answer, and you can skip any question\./)
    assert.match(text, /When fewer than 5 people answered a question, we do not show the number/)
    assert.match(text, /A person reads every comment before it is used\./)
    assert.match(text, /call 999/)
  })
})
