/**
 * The tallies survive the app being killed: 50 families send their answers to a real app process,
 * which is killed with SIGKILL half way and started again; the families who got no answer press
 * Send again. Afterwards `recount-reports --check` (a real CLI process) finds no difference and
 * the report counts every stored response once.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mongoose from 'mongoose'
import { ManualClock } from '../../server/clock'
import { connectDatabase } from '../../server/db/connect'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { createInvitation } from '../../server/invitations/service'
import { ResponseModel } from '../../server/responses/response'
import { loadSurveys } from '../../server/surveys/registry'
import { decodeCells, ReportTallyModel, tallyIdsFor } from '../../server/tallies/tally'
import { TallyBatchModel } from '../../server/tallies/worker'
import { SURVEYS_DIR } from '../../server/services'
import { freePort, startAppProcess, waitUntilHealthy, type AppProcess } from '../helpers/appProcess'
import { runCli } from '../helpers/cli'
import { createTeam } from '../helpers/factories'
import { csrfTokenFrom } from '../helpers/http'

const FAMILIES = 50

/** One family: opens the link, then sends the form until the app answers (it may be down). */
async function family(base: () => string, token: string, answer: string): Promise<'sent' | 'already'> {
  let last = ''
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const visit = await fetch(`${base()}/s/${token}`, { redirect: 'manual' })
      if (visit.status === 410) return 'already'
      const cookie = (visit.headers.get('set-cookie') ?? '').split(';')[0]!
      const page = await fetch(`${base()}/survey`, { headers: { cookie } })
      const html = await page.text()
      if (/Your answers have been sent/.test(html)) return 'already'
      // Not the form (the app is starting again, say): try again.
      if (!/name="_csrf"/.test(html))
        throw new Error(`visit ${visit.status}, form ${page.status} without a form`)
      const csrf = csrfTokenFrom(html)
      const sent = await fetch(`${base()}/survey`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: csrf,
          'q-share-views': answer,
          'q-reach-worker': 'yes',
        }).toString(),
      })
      if (sent.status === 303) return 'sent'
      // Sent before the kill, though the reply was lost: the thank-you page again.
      if (sent.status === 200 && /Your answers have been sent/.test(await sent.clone().text()))
        return 'already'
      last = `visit ${visit.status}, form ${page.status}, send ${sent.status}: ${(await sent.text())
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 600)}`
    } catch (error) {
      last = (error as Error).message
      // The app is down: try again, as a family would press Send again.
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the app never took the answers: ${last}`)
}

describe('report tallies when the app is killed during a load', () => {
  let database: EmbeddedDatabase, app: AppProcess | undefined
  before(async () => {
    database = await startEmbeddedDatabase({ inMemory: true, log: () => undefined })
    await connectDatabase(database.uri, 'family-voice')
  })
  after(async () => {
    app?.child.kill('SIGKILL')
    await mongoose.disconnect()
    await database.stop()
  })

  it('recount-reports --check finds no difference after SIGKILL and restart', async () => {
    const team = await createTeam('Locality North', 'Locality')
    const surveys = loadSurveys(SURVEYS_DIR)
    const clock = new ManualClock(new Date())
    const tokens: string[] = []
    for (let i = 0; i < FAMILIES; i++) {
      const { token } = await createInvitation(surveys, clock, {
        surveyId: 'closure-family',
        channel: 'link',
        expiresInDays: 28,
        team,
      })
      tokens.push(token)
    }
    const port = await freePort()
    const env = { MONGODB_URI: database.uri, NODE_ENV: 'test', DEMO_DATA: 'off' }
    const base = () => `http://127.0.0.1:${port}`
    app = await startAppProcess(env, port)
    assert.ok(await waitUntilHealthy(port), app.output())

    const families = Promise.all(tokens.map((token, i) => family(base, token, i % 4 === 0 ? 'no' : 'yes')))
    // Kill the app once some answers are in (and its tally worker is busy with them).
    for (let wait = 0; wait < 300 && (await ResponseModel.countDocuments({})) < FAMILIES / 3; wait++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    app.child.kill('SIGKILL')
    await app.exited
    const atKill = await ResponseModel.countDocuments({})
    app = await startAppProcess(env, port)
    assert.ok(await waitUntilHealthy(port), app.output())
    const outcomes = await families
    assert.ok(atKill > 0 && atKill < FAMILIES, `killed with ${atKill} of ${FAMILIES} answers in`)
    assert.equal(
      outcomes.filter((outcome) => outcome === 'sent').length +
        outcomes.filter((o) => o === 'already').length,
      FAMILIES,
    )
    assert.equal(await ResponseModel.countDocuments({}), FAMILIES, 'one response per family')

    // Even with batches still in flight, the check is exact.
    const check = await runCli(['recount-reports', '--check'], { MONGODB_URI: database.uri })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.match(check.stdout, /The report tallies match the responses and invitations\./)

    // The restarted app's worker finishes everything, including a batch the kill left behind
    // (resumed once its lease of a minute has run out).
    for (let wait = 0; wait < 200; wait++) {
      const left =
        (await ResponseModel.countDocuments({ tallyState: { $ne: 'done' } })) +
        (await TallyBatchModel.countDocuments({}))
      if (left === 0) break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    const final = await runCli(['recount-reports', '--check'], { MONGODB_URI: database.uri })
    assert.equal(final.code, 0, final.stdout + final.stderr)
    assert.doesNotMatch(final.stdout, /waiting to be counted/)
    const { submittedAt } = (await ResponseModel.findOne({}).lean())!
    const month = await ReportTallyModel.findById(tallyIdsFor('closure-family', submittedAt)[0]).lean()
    const cells = decodeCells(month!.cells)
    const counted = [...cells.values()].reduce((sum, cell) => sum + cell.n, 0)
    const no = [...cells.values()].reduce((sum, cell) => sum + (cell.a['share-views']?.no ?? 0), 0)
    assert.deepEqual([counted, no], [FAMILIES, Math.ceil(FAMILIES / 4)])
    app.child.kill('SIGTERM')
    await app.exited
    app = undefined
  })
})
