import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { CommentModel } from '../../server/comments/comment'
import { DemoLinkModel } from '../../server/demo/demoLink'
import { DEMO_PASSWORD, seedDemoData, type DemoSeedResult } from '../../server/demo/seed'
import { InvitationModel } from '../../server/invitations/invitation'
import { hashToken } from '../../server/invitations/token'
import { ResponseModel } from '../../server/responses/response'
import { verifyPassword } from '../../server/staff/passwords'
import { UserModel } from '../../server/staff/user'
import { TeamModel } from '../../server/teams/team'
import { visibleText } from '../helpers/http'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'

describe('demo data', () => {
  const t = useTestApp({ now: '2026-11-23T10:00:00Z' })
  let first: DemoSeedResult, printed: string[], seconds: number
  before(async () => {
    printed = []
    const started = Date.now()
    first = await seedDemoData(t.services, (line) => printed.push(line))
    seconds = (Date.now() - started) / 1000
  })

  it('fills an empty database with teams, staff, open links and two years of responses', async (context) => {
    assert.equal(first.seeded, true)
    // Reported, not asserted: speed belongs in benchmarks, and this machine's load varies.
    context.diagnostic(`demo seed took ${seconds.toFixed(2)} s`)
    assert.deepEqual(await TeamModel.find({}, { name: 1, service: 1, _id: 0 }).sort({ name: 1 }).lean(), [
      { name: 'Family Front Door', service: 'Family Front Door' },
      { name: 'IRO Service', service: 'IRO and Conference Service' },
      { name: 'Locality North', service: 'Locality' },
      { name: 'Through Care', service: 'Through Care' },
    ])
    const users = await UserModel.find().sort({ email: 1 }).lean()
    assert.deepEqual(
      users.map((user) => [user.email, user.role]),
      [
        ['admin@demo.family-voice', 'admin'],
        ['manager@demo.family-voice', 'manager'],
        ['practitioner@demo.family-voice', 'practitioner'],
        ['qa@demo.family-voice', 'qa'],
      ],
    )
    assert.equal(await verifyPassword(users[0]!.passwordHash, DEMO_PASSWORD), true)

    const links = await DemoLinkModel.find().sort({ position: 1 }).lean()
    assert.deepEqual(
      links.map((link) => link.surveyId),
      [
        'closure-family',
        'closure-family',
        'closure-young-person',
        'cp-conference-family',
        'cla-review-young-person',
        'cla-review-family',
      ],
    )
    assert.equal(await InvitationModel.countDocuments({ status: 'sent' }), 6)

    assert.equal(first.responses, 300)
    assert.equal(await ResponseModel.countDocuments({ surveyId: 'closure-family', source: 'import' }), 200)
    assert.equal(
      await ResponseModel.countDocuments({ surveyId: 'cp-conference-family', source: 'import' }),
      100,
    )
    const quarters = await ResponseModel.aggregate<{ _id: string; n: number }>([
      { $group: { _id: '$period.quarter', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ])
    assert.deepEqual(
      quarters.map((quarter) => quarter._id),
      [
        '2024-25-Q4',
        '2025-26-Q1',
        '2025-26-Q2',
        '2025-26-Q3',
        '2025-26-Q4',
        '2026-27-Q1',
        '2026-27-Q2',
        '2026-27-Q3',
      ],
    )
    const modes = await ResponseModel.aggregate<{ _id: string }>([
      { $group: { _id: '$mode', n: { $sum: 1 } } },
    ])
    assert.deepEqual(modes.map((mode) => mode._id).sort(), ['face-to-face', 'online', 'paper', 'telephone'])
    assert.ok((await CommentModel.countDocuments({})) >= 10, 'a few comments to review')
    assert.equal(await CommentModel.countDocuments({ 'flag.matched': 'scared' }), 1)

    assert.match(
      printed.join('\n'),
      /6 open survey links:\n {4}Case closure: a parent or carer: http:\/\/family-voice\.test\/demo\/links\/0\n/,
    )
    assert.match(
      printed.join('\n'),
      /Staff accounts \(password "family-voice-demo-2026"\):\n {4}admin@demo\.family-voice \(admin\)/,
    )
  })

  it('adds nothing on a second start, or to a database that already has teams', async () => {
    const counts = async () => [
      await TeamModel.countDocuments({}),
      await UserModel.countDocuments({}),
      await InvitationModel.countDocuments({}),
      await DemoLinkModel.countDocuments({}),
      await ResponseModel.countDocuments({}),
      await CommentModel.countDocuments({}),
    ]
    const before = await counts()
    const lines: string[] = []
    const second = await seedDemoData(t.services, (line) => lines.push(line))
    assert.deepEqual(second, { seeded: false, links: [], responses: 0 })
    assert.deepEqual(await counts(), before)
    assert.deepEqual(lines, [])
  })

  it('lists the demo links and accounts on the home page, and a demo link works once', async () => {
    const home = await request(t.app).get('/').expect(200)
    const text = visibleText(home)
    assert.match(text, /Try the demo/)
    assert.match(text, /Case closure: a parent or carer Locality North: Not answered yet/)
    assert.match(text, /Every demo account has the password family-voice-demo-2026/)
    assert.match(text, /qa@demo\.family-voice \(Quality assurance\)/)

    const link = (await DemoLinkModel.findOne({ surveyId: 'closure-young-person' }).lean())!
    // Only hashes are kept: the home page links to an address that makes a fresh token.
    assert.equal('token' in link, false)
    const tryIt = `/demo/links/${link.position}`
    assert.ok(
      home.text.includes(`<a class="govuk-link" href="${tryIt}">Case closure: a child or young person</a>`),
    )
    const first = await request(t.app).get(tryIt).expect(303)
    const second = await request(t.app).get(tryIt).expect(303)
    const tokenOf = (location: string) => /^\/s\/([0-9A-Z]{28})$/.exec(location)![1]!
    const [firstToken, secondToken] = [tokenOf(first.headers.location!), tokenOf(second.headers.location!)]
    const invitation = await InvitationModel.findById(link.invitationId).lean()
    assert.equal(invitation!.tokenHash, hashToken(secondToken), 'only the newest token’s hash is stored')
    await request(t.app).get(`/s/${firstToken}`).expect(404)
    const { agent, csrf } = await openSurveyLink(t.app, secondToken)
    await postSurvey(agent, formBody({ _csrf: csrf, 'q-listened': 'yes' })).expect(303)

    const after = await request(t.app).get('/').expect(200)
    assert.match(visibleText(after), /Case closure: a child or young person Locality North: Answered/)
    assert.equal(after.text.includes(`href="${tryIt}"`), false)
    await request(t.app).get(tryIt).expect(404)
  })

  it('never shows demo links or accounts in production', async () => {
    const config = t.services.config
    config.env = 'production'
    try {
      const home = await request(t.app).get('/').expect(200)
      assert.doesNotMatch(home.text, /Try the demo|demo\.family-voice|family-voice-demo-2026|\/s\//)
      await request(t.app).get('/demo/links/0').expect(404)
    } finally {
      config.env = 'test'
    }
  })
})
