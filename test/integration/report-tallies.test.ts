/**
 * The maintained report tallies: every way a response or invitation arrives or changes is counted
 * once, whatever runs concurrently or fails half way, and always equals a recount from the raw
 * records (recount-reports --check). Against the real embedded database.
 */
import assert from 'node:assert/strict'
import type { Server } from 'node:http'
import { after, before, beforeEach, describe, it } from 'node:test'
import mongoose from 'mongoose'
import request from 'supertest'
import { InvitationModel } from '../../server/invitations/invitation'
import { ResponseModel } from '../../server/responses/response'
import { checkTallies, rebuildTallies } from '../../server/tallies/recount'
import { ReportTallyModel } from '../../server/tallies/tally'
import { LEASE_MS, TallyBatchModel, TallyWorker } from '../../server/tallies/worker'
import type { Team } from '../../server/teams/team'
import { createApiToken } from '../../server/apiTokens/service'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { formBody, openSurveyLink } from '../helpers/respond'
import { addResponses, answerRows } from '../helpers/reportsFixtures'
import { startTestApp, type TestApp } from '../helpers/testApp'

async function storedTallies(): Promise<Record<string, string>> {
  const docs = await ReportTallyModel.find({}, { cells: 1 }).sort({ _id: 1 }).lean()
  return Object.fromEntries(docs.map((doc) => [doc._id, doc.cells]))
}

async function assertMatchesRecount(): Promise<void> {
  const { differences, waiting } = await checkTallies()
  assert.deepEqual(differences, [], 'the tallies equal what the responses and invitations say')
  assert.equal(waiting, 0, 'nothing is left waiting to be counted')
}

describe('report tallies', () => {
  let t: TestApp, server: Server, north: Team, south: Team, token: string

  before(async () => {
    t = await startTestApp({ now: '2021-03-15T12:00:00Z' })
    server = t.app.listen(0, '127.0.0.1')
    north = await createTeam('Locality North', 'Locality')
    south = await createTeam('Through Care South', 'Through Care')
    token = (await createApiToken(t.services.clock, { name: 'BI', role: 'qa', teams: [] })).token
  })
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await t.close()
  })
  beforeEach(async () => {
    await t.services.tallies.runOnce()
    await Promise.all([
      ResponseModel.deleteMany({}),
      InvitationModel.deleteMany({}),
      ReportTallyModel.deleteMany({}),
      TallyBatchModel.deleteMany({}),
    ])
  })

  const headlines = (query: string) =>
    request(server)
      .get(`/api/v1/reports/headlines?${query}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200)
      .then(
        (res) =>
          res.body as {
            responses: number
            headlines: { question: string; answered: number; positive: number }[]
          },
      )

  /** Closure responses that answer share-views only, given at these instants in turn. */
  const answeringShareViews = (team: Team, at: string[], n: number, counts: Record<string, number>) => {
    const rows = answerRows(n, { 'share-views': counts })
    return addResponses(t.services, { survey: 'closure-family', team, at, rows })
  }

  it('counts responses into month and day tallies in London time, and reports read them', async () => {
    // 23:30 BST on 31 March is still 2020/21; 00:30 BST on 1 April is the new year.
    await answeringShareViews(
      north,
      ['2021-03-31T22:30:00Z', '2021-03-31T23:30:00Z', '2021-02-10T10:00:00Z'],
      3,
      {
        yes: 2,
        no: 1,
      },
    )
    await t.services.tallies.runOnce()
    const ids = Object.keys(await storedTallies()).sort()
    assert.deepEqual(ids, [
      'closure-family|d|2021-02-10',
      'closure-family|d|2021-03-31',
      'closure-family|d|2021-04-01',
      'closure-family|m|2021-02',
      'closure-family|m|2021-03',
      'closure-family|m|2021-04',
    ])
    const q4 = await headlines('survey=closure-family&period=2020-21-Q4')
    assert.equal(q4.responses, 2)
    const range = await headlines('survey=closure-family&period=2021-03-31..2021-04-01')
    assert.equal(range.responses, 2, 'a custom range reads the days of partial months')
    await assertMatchesRecount()
  })

  it('a report counts responses stored a moment before, without waiting for the background worker', async () => {
    await answeringShareViews(south, ['2021-03-01T10:00:00Z'], 7, { yes: 6, partly: 1 })
    assert.equal(await ResponseModel.countDocuments({ tallyState: 'pending' }), 7)
    const body = await headlines('survey=closure-family&period=2021-03')
    assert.equal(body.responses, 7)
    const shareViews = body.headlines.find((h) => h.question === 'share-views')!
    assert.deepEqual([shareViews.answered, shareViews.positive], [7, 6])
    assert.equal(await ResponseModel.countDocuments({ tallyState: 'done' }), 7)
  })

  it('counts 50 concurrent submissions through the app once each, with several workers running at once', async () => {
    const links = await Promise.all(
      Array.from({ length: 50 }, (_, i) => issueInvitation(t.services, i % 2 ? north : south)),
    )
    // Opened ten at a time: the link limiter counts requests in flight until they succeed.
    const opened: Awaited<ReturnType<typeof openSurveyLink>>[] = []
    for (let i = 0; i < links.length; i += 10)
      opened.push(
        ...(await Promise.all(links.slice(i, i + 10).map(({ token: link }) => openSurveyLink(server, link)))),
      )
    // Four workers (as four app processes would) apply while the families send.
    const workers = Array.from({ length: 4 }, () => new TallyWorker(t.services.clock))
    let sending = true
    const working = Promise.all(
      workers.map(async (worker) => {
        while (sending) await worker.runOnce()
      }),
    )
    const replies = await Promise.all(
      opened.map(({ agent, csrf }, i) =>
        agent
          .post('/survey')
          .type('form')
          .send(
            formBody({ _csrf: csrf, 'q-share-views': i % 5 === 0 ? 'no' : 'yes', 'q-reach-worker': 'yes' }),
          ),
      ),
    )
    sending = false
    await working
    assert.ok(
      replies.every((reply) => reply.status === 303),
      'every family was thanked',
    )
    const body = await headlines('survey=closure-family&period=2021-03')
    assert.equal(body.responses, 50)
    const shareViews = body.headlines.find((h) => h.question === 'share-views')!
    assert.equal(shareViews.answered, 50)
    assert.equal(shareViews.positive, 40)
    await assertMatchesRecount()
  })

  it('counts invitations sent and answered for response rates, following each change', async () => {
    const first = await issueInvitation(t.services, north)
    await issueInvitation(t.services, north)
    await t.services.tallies.runOnce()
    const { agent, csrf } = await openSurveyLink(server, first.token)
    await agent
      .post('/survey')
      .type('form')
      .send(formBody({ _csrf: csrf, 'q-share-views': 'yes' }))
      .expect(303)
    await t.services.tallies.runOnce()
    const month = JSON.parse((await ReportTallyModel.findById('closure-family|m|2021-03').lean())!.cells) as {
      mode: string
      sent: number
      answered: number
      n: number
    }[]
    const invitations = month.find((cell) => cell.mode === '')!
    assert.deepEqual([invitations.sent, invitations.answered], [2, 1])
    assert.equal(month.find((cell) => cell.mode === 'online')!.n, 1)
    await assertMatchesRecount()
  })

  it('finishes a batch left half way by a process that died, counting nothing twice', async () => {
    await answeringShareViews(
      north,
      ['2021-01-05T10:00:00Z', '2021-02-05T10:00:00Z', '2021-03-05T10:00:00Z'],
      30,
      {
        yes: 20,
        no: 10,
      },
    )
    // The database stops answering writes to the tallies after the first two documents.
    const original = ReportTallyModel.updateOne.bind(ReportTallyModel)
    const originalCreate = ReportTallyModel.create.bind(ReportTallyModel)
    let writes = 0
    const failAfterTwo = () => {
      if (++writes > 2) throw new Error('connection lost')
    }
    ReportTallyModel.updateOne = ((...args: Parameters<typeof original>) => {
      failAfterTwo()
      return original(...args)
    }) as typeof original
    ReportTallyModel.create = ((...args: Parameters<typeof originalCreate>) => {
      failAfterTwo()
      return originalCreate(...args)
    }) as typeof originalCreate
    const dying = new TallyWorker(t.services.clock)
    await assert.rejects(dying.runOnce(), /connection lost/)
    ReportTallyModel.updateOne = original
    ReportTallyModel.create = originalCreate
    assert.equal(await TallyBatchModel.countDocuments({}), 1, 'the batch is left for another run')
    assert.equal(await ResponseModel.countDocuments({ tallyState: 'claimed' }), 30)

    // Another process: it leaves the batch alone while its lease runs, then finishes it.
    const other = new TallyWorker(t.services.clock)
    await other.runOnce()
    assert.equal(await TallyBatchModel.countDocuments({}), 1)
    t.clock.set(new Date(t.clock.now().getTime() + LEASE_MS + 1000))
    await other.runOnce()
    assert.equal(await TallyBatchModel.countDocuments({}), 0)
    const body = await headlines('survey=closure-family&period=2020-21-Q4')
    assert.equal(body.responses, 30)
    assert.equal(body.headlines.find((h) => h.question === 'share-views')!.positive, 20)
    await assertMatchesRecount()
  })

  it('recount-reports rebuilds exactly what was maintained, and --check finds a tampered cell', async () => {
    await addResponses(t.services, {
      survey: 'closure-family',
      team: north,
      at: ['2021-01-05T10:00:00Z', '2021-03-31T23:59:00Z'],
      mode: 'telephone',
      rows: answerRows(12, {
        'share-views': { yes: 10, partly: 2 },
        'child-listened': { 'not-applicable': 3 },
      }),
    })
    await issueInvitation(t.services, south)
    await t.services.tallies.runOnce()
    const maintained = await storedTallies()
    await rebuildTallies()
    assert.deepEqual(await storedTallies(), maintained)
    await assertMatchesRecount()

    await ReportTallyModel.updateOne(
      { _id: 'closure-family|m|2021-01' },
      {
        $set: {
          cells: (await ReportTallyModel.findById('closure-family|m|2021-01').lean())!.cells.replace(
            '"n":6',
            '"n":7',
          ),
        },
      },
    )
    const { differences } = await checkTallies()
    assert.equal(differences.length, 1)
    assert.equal(differences[0]!.tallyId, 'closure-family|m|2021-01')
  })

  it('reads the tallies once per page and never the responses: dashboard, quarterly report and CSV', async () => {
    await answeringShareViews(north, ['2021-01-05T10:00:00Z', '2021-02-05T10:00:00Z'], 10, { yes: 9, no: 1 })
    await t.services.tallies.runOnce()
    const qa = await signIn(t.app, await createUser({ role: 'qa' }))
    const reads: string[] = []
    mongoose.set('debug', (collection: string, method: string, query: unknown) => {
      if (!['find', 'findOne', 'aggregate', 'countDocuments'].includes(method)) return
      // The catch-up before reading looks for pending work only, through the tallyState index.
      const pendingWork = typeof query === 'object' && query !== null && 'tallyState' in query
      reads.push(`${collection}.${method}${pendingWork ? '(pending work)' : ''}`)
    })
    try {
      for (const path of ['/reports', '/reports/quarterly', '/reports/export.csv']) {
        reads.length = 0
        await qa.get(`${path}?survey=closure-family&period=2020-21-Q4`).expect(200)
        assert.deepEqual(
          reads.filter((read) => read.startsWith('reporttallies.')),
          ['reporttallies.find'],
          `${path} reads the tallies in one query`,
        )
        assert.ok(
          !reads.some((read) => /^(responses|invitations)\.\w+$/.test(read)),
          `${path} reads no response or invitation: ${reads.join(', ')}`,
        )
      }
    } finally {
      mongoose.set('debug', false)
    }
  })
})
