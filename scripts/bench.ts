/**
 * `npm run bench [-- --responses N ...]`: how fast is Family Voice with a council's years of data
 * on the embedded engine (FerretDB with the Family Voice patch, SQLite)?
 *
 * Starts its own FerretDB (SQLite files in a temporary directory, removed afterwards), seeds eight
 * quarters of data (scripts/bench/seedCouncil.ts: 200,000 responses and as many invitations and
 * 1,000,000 audit events by default), then measures over HTTP against the real app:
 *   - opening a survey link (GET /s/<token>, then /survey), one family at a time,
 *   - submitting answers (POST /survey), 50 families at once,
 *   - "My invitations" (a practitioner), a manager's and QA's invitation lists, the audit page,
 *   - the headline API, the dashboard, the quarterly report and the CSV for the latest full quarter,
 * each beside a baseline measured in the same run on the same data: the same lookup without
 * pushdown (how FerretDB reads any filter it cannot push down to SQLite), the query the page made
 * before (sorted by date with a full count), or the naive count in Node. See README "Performance".
 *
 * Options (request counts are kept small so a default run takes about half an hour on a shared
 * 2-core machine; raise them for tighter percentiles):
 *   --responses N       responses (default 200000; 1000000 for a million)
 *   --invitations N     invitations (default: as many as responses)
 *   --audit N           audit events (default 1000000)
 *   --opens N           links opened (default 200)
 *   --submit-rounds N   rounds of --families submits (default 4 × 50), each within --submit-window
 *                       seconds (default 10), and as many rounds all at the same instant
 *   --list-requests N   requests of each staff list page (default 30)
 *   --requests N        headline API requests (default 20; the API allows 120 a minute)
 *   --page-requests N   dashboard requests (default 5)
 *   --naive-requests N  samples of each baseline (default 1; 0 skips them, they take minutes)
 *   --batch N           documents per insertMany (default 5000)
 *   --durability D      the embedded engine's SQLite syncs, as EMBEDDED_DURABILITY (normal or full)
 *   --cpu-profile FILE  write a V8 CPU profile of this process (the app and the bench's families)
 *                       during the same-instant submit rounds only, for Chrome's DevTools
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import type { MongoClient } from 'mongodb'
import mongoose, { type Types } from 'mongoose'
import { createApp } from '../server/app'
import { createApiToken } from '../server/apiTokens/service'
import { AuditEventModel } from '../server/audit/auditEvent'
import { ManualClock } from '../server/clock'
import { loadConfig } from '../server/config'
import { startEmbeddedDatabase } from '../server/db/embedded'
import { EMBEDDED_DURABILITIES } from '../server/db/embeddedDurability'
import { installFerretDb, mongodOnPath } from '../server/db/ferretdbInstall'
import { InvitationModel } from '../server/invitations/invitation'
import { hashToken } from '../server/invitations/token'
import { lastQuarters, parsePeriod, periodBounds } from '../server/periods/period'
import { TallyStore } from '../server/reports/aggregate'
import type { ReportFilter } from '../server/reports/filters'
import { headlineFor } from '../server/reports/headlines'
import { headlineSummary } from '../server/reports/service'
import { ResponseModel } from '../server/responses/response'
import { createServices } from '../server/services'
import { MfaEnrolmentModel } from '../server/staff/mfa/enrolment'
import { SecretBox } from '../server/staff/mfa/secretBox'
import { newTotpSecret, totpCode } from '../server/staff/mfa/totp'
import { csrfFrom, signedIn, Visitor } from './bench/browser'
import { CommandCounter } from './bench/commands'
import { StretchProfiler } from './bench/profiler'
import { seededRandom } from '../server/demo/seededRandom'
import { SEED_PASSWORD, seedCouncil } from './bench/seedCouncil'
import { cpuSeconds, load, measure, ms, summarise, time, type Timing } from './bench/stats'

const { values } = parseArgs({
  options: {
    responses: { type: 'string', default: '200000' },
    invitations: { type: 'string' },
    audit: { type: 'string', default: '1000000' },
    opens: { type: 'string', default: '200' },
    'submit-rounds': { type: 'string', default: '4' },
    families: { type: 'string', default: '50' },
    'submit-window': { type: 'string', default: '10' },
    'list-requests': { type: 'string', default: '30' },
    requests: { type: 'string', default: '20' },
    'page-requests': { type: 'string', default: '5' },
    'naive-requests': { type: 'string', default: '1' },
    batch: { type: 'string', default: '5000' },
    durability: { type: 'string', default: 'normal' },
    'cpu-profile': { type: 'string' },
  },
})
function count(name: keyof typeof values, minimum: number, fallback?: string): number {
  const value = Number(values[name] ?? fallback)
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`--${name} must be a whole number, at least ${minimum}`)
  return value
}
const RESPONSES = count('responses', 1)
const INVITATIONS = count('invitations', 1, String(RESPONSES))
const AUDIT_EVENTS = count('audit', 1)
const OPENS = count('opens', 0)
const SUBMIT_ROUNDS = count('submit-rounds', 0)
const FAMILIES = count('families', 1)
const SUBMIT_WINDOW_MS = count('submit-window', 0) * 1000
const LIST_REQUESTS = count('list-requests', 0)
const REQUESTS = count('requests', 0)
const PAGE_REQUESTS = count('page-requests', 0)
const NAIVE_REQUESTS = count('naive-requests', 0)
const BATCH = count('batch', 1)
const profiler = values['cpu-profile'] ? new StretchProfiler(values['cpu-profile']) : undefined
const DURABILITY = EMBEDDED_DURABILITIES.find((value) => value === values.durability)
if (!DURABILITY) throw new Error(`--durability must be one of ${EMBEDDED_DURABILITIES.join(', ')}`)

const NOW = new Date('2026-11-23T10:00:00Z')

interface Row {
  timing: Timing | undefined
  baseline?: { what: string; timing: Timing | undefined }
}

/** A free-text answer now and then, as families give them (it becomes a comment to review). */
function answersFor(i: number, csrf: string): Record<string, string> {
  return {
    _csrf: csrf,
    'q-share-views': 'yes',
    'q-child-listened': i % 3 ? 'yes' : 'partly',
    'q-right-people': 'yes',
    'q-copy-of-plan': i % 4 ? 'yes' : 'no',
    'q-reach-worker': 'sometimes',
    'q-positive-difference': 'yes',
    ...(i % 5 === 0 ? { 'q-went-well': 'Our worker listened and explained what would happen next.' } : {}),
  }
}

/** The "N invitations" line of a list page, for the log. */
function countLine(html: string): string {
  return /<p class="govuk-body"[^>]*>((?:More than )?\d+ (?:invitation|event)s?)/.exec(html)?.[1] ?? '?'
}

async function main(): Promise<void> {
  const started = performance.now()
  console.log(`Load average at start: ${load().toFixed(1)} (1 minute)`)
  if (!mongodOnPath()) installFerretDb((line) => console.log(line))
  const dataDir = mkdtempSync(path.join(tmpdir(), 'family-voice-bench-'))
  const database = await startEmbeddedDatabase({ dataDir, durability: DURABILITY, log: () => undefined })
  console.log(`Database: ${database.engine} (SQLite files under ${dataDir}, synchronous ${DURABILITY})`)
  let server: ReturnType<ReturnType<typeof createApp>['listen']> | undefined
  try {
    // As connectDatabase, but the indexes are built after seeding (seedCouncil does it).
    mongoose.set('strictQuery', true)
    await mongoose.connect(database.uri, { dbName: 'bench', autoIndex: false, monitorCommands: true })
    const commands = new CommandCounter(mongoose.connection.getClient() as unknown as MongoClient)

    const quarters = lastQuarters(8, NOW)
    console.log(
      `Seeding ${RESPONSES} responses, ${INVITATIONS} invitations and ${AUDIT_EVENTS} audit events over ${quarters[0]!.label} to ${quarters[7]!.label}…`,
    )
    const cpuBefore = cpuSeconds()
    const council = await seedCouncil(
      { responses: RESPONSES, invitations: INVITATIONS, auditEvents: AUDIT_EVENTS, batch: BATCH },
      periodBounds(quarters[0]!).start,
      NOW,
      (line) =>
        console.log(
          `${line} (${((performance.now() - started) / 1000).toFixed(0)} s, load ${load().toFixed(1)})`,
        ),
    )
    const { seconds } = council
    const cpuAfter = cpuSeconds()
    const documents = RESPONSES + INVITATIONS + AUDIT_EVENTS
    console.log(
      `Seeded ${documents} documents in ${seconds.documents.toFixed(0)} s (${Math.round(documents / seconds.documents)} a second, batches of ${BATCH}), built the indexes in ${seconds.indexes.toFixed(0)} s and the report tallies in ${seconds.tallies.toFixed(0)} s: ${(seconds.documents + seconds.indexes + seconds.tallies).toFixed(0)} s in all. Load average ${load().toFixed(1)}.`,
    )

    const databaseCpu =
      cpuAfter.database !== undefined && cpuBefore.database !== undefined
        ? `${(cpuAfter.database - cpuBefore.database).toFixed(0)} CPU seconds in FerretDB and `
        : ''
    console.log(
      `Seeding used ${databaseCpu}${(cpuAfter.node - cpuBefore.node).toFixed(0)} in Node: with the machine to itself, at least the larger of the two and at most their sum.\n`,
    )

    // The real app on a loopback port.
    const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'off', BASE_URL: 'http://127.0.0.1' })
    const services = createServices(config, { clock: new ManualClock(NOW) })
    server = createApp(services).listen(0, '127.0.0.1')
    await new Promise((resolve) => server!.once('listening', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const rows: Row[] = []

    // Families: each link once, the newest first.
    const links = [...council.openLinks]
    const needed = OPENS + Math.min(3, OPENS) + 2 * SUBMIT_ROUNDS * FAMILIES
    if (links.length < needed)
      throw new Error(
        `Only ${links.length} open links for ${needed} families: lower --opens or --submit-rounds`,
      )
    const openFamily = async () => {
      const link = links.shift()!
      const family = new Visitor(base)
      await family.expect(`/s/${link.token}`, 303, '/survey')
      const page = await family.expect('/survey', 200)
      return { family, link, csrf: csrfFrom(page.text) }
    }
    const firstLink = links[0]!
    const opening = await measure('Opening a survey link: GET /s/<token> then /survey', OPENS, openFamily)

    // Submitting: rounds of families who opened their links, answering within a window (a busy
    // moment), and rounds where they all press "Send" at the same instant (the worst case).
    const submitted: Types.ObjectId[] = []
    const offsets = seededRandom(7)
    const burstCpu = { node: 0, database: 0 }
    const submitRound = async (windowMs: number) => {
      const families: Awaited<ReturnType<typeof openFamily>>[] = []
      for (let i = 0; i < FAMILIES; i++) families.push(await openFamily())
      if (windowMs === 0) await profiler?.start()
      const before = cpuSeconds()
      const samples = await commands.during(() =>
        Promise.all(
          families.map(async ({ family, link, csrf }, i) => {
            await new Promise((resolve) => setTimeout(resolve, Math.floor(offsets() * windowMs)))
            return time(async () => {
              const answered = await family.request('/survey', { form: answersFor(i, csrf) })
              if (answered.status !== 303 || answered.location !== '/survey/thank-you')
                throw new Error(`Submitting answered ${answered.status}: ${answered.text.slice(0, 200)}`)
              submitted.push(link.invitationId)
            })
          }),
        ),
      )
      if (windowMs === 0) {
        await profiler?.stop()
        const after = cpuSeconds()
        burstCpu.node += after.node - before.node
        burstCpu.database += (after.database ?? 0) - (before.database ?? 0)
      }
      return samples
    }
    const submitSamples = { window: [] as number[], burst: [] as number[] }
    for (let round = 0; round < SUBMIT_ROUNDS; round++) {
      submitSamples.window.push(...(await submitRound(SUBMIT_WINDOW_MS)))
      submitSamples.burst.push(...(await submitRound(0)))
    }
    if (SUBMIT_ROUNDS) {
      const submissions = 2 * SUBMIT_ROUNDS * FAMILIES
      console.log(`Database commands a submission sends: ${commands.perItem(submissions)}.`)
      const burst = SUBMIT_ROUNDS * FAMILIES
      console.log(
        `CPU a submission at the same instant used: ${((burstCpu.node / burst) * 1000).toFixed(1)} ms in Node (the app and the bench's families) and ${((burstCpu.database / burst) * 1000).toFixed(1)} ms in FerretDB.`,
      )
    }
    // The floor under the same-instant row: the cheapest request the app answers (no session, one
    // database ping), as many at the same instant, in as many rounds. What this takes of a 100 ms budget
    // is spent before a submission does any of its own work.
    const floorSamples: number[] = []
    for (let round = 0; round < SUBMIT_ROUNDS; round++)
      floorSamples.push(
        ...(await Promise.all(
          Array.from({ length: FAMILIES }, () => time(() => new Visitor(base).expect('/healthz', 200))),
        )),
      )
    const floor = SUBMIT_ROUNDS
      ? summarise(
          `The floor: GET /healthz (no session; one database ping), ${FAMILIES} at the same instant`,
          floorSamples,
        )
      : undefined
    const submitting = SUBMIT_ROUNDS
      ? summarise(
          `Submitting: POST /survey, ${FAMILIES} families within ${SUBMIT_WINDOW_MS / 1000} s`,
          submitSamples.window,
        )
      : undefined
    const submittingAtOnce = SUBMIT_ROUNDS
      ? summarise(`Submitting: POST /survey, ${FAMILIES} families at the same instant`, submitSamples.burst)
      : undefined
    // Exactly once: one response per link answered.
    assert.equal(
      await ResponseModel.countDocuments({
        claimKey: { $in: submitted.map((id) => `invitation:${String(id)}`) },
      }),
      submitted.length,
    )

    // Staff pages.
    // Admin and QA must sign in with an authenticator app: set one up for each, as if confirmed.
    const box = new SecretBox(config.sessionSecret)
    const secrets = new Map<string, string>()
    for (const role of ['qa', 'admin'] as const) {
      const secret = newTotpSecret()
      secrets.set(role, secret)
      await MfaEnrolmentModel.create({
        _id: council.staff[role]._id,
        secret: box.seal(secret),
        enabledAt: NOW,
        lastUsedStep: -1,
        recoveryCodeHashes: [],
      })
    }
    const signIn = (role: keyof typeof council.staff) => {
      const secret = secrets.get(role)
      return signedIn(
        base,
        council.staff[role].email,
        SEED_PASSWORD,
        secret ? () => totpCode(secret, services.clock.now()) : undefined,
      )
    }
    const practitioner = await signIn('practitioner')
    const manager = await signIn('manager')
    const qa = await signIn('qa')
    const admin = await signIn('admin')
    const page = (visitor: Visitor, url: string) => async () => visitor.expect(url, 200)
    const firstPage = await practitioner.expect('/invitations', 200)
    const nextPage = /href="([^"]+)" rel="next"/.exec(firstPage.text)?.[1]?.replace(/&amp;/g, '&')
    console.log(
      `"My invitations" shows "${countLine(firstPage.text)}"; the manager's "${countLine((await manager.expect('/invitations', 200)).text)}"; the audit page "${countLine((await admin.expect('/admin/audit', 200)).text)}".`,
    )
    const auditDay = '2026-06-15'
    const auditFiltered = `/admin/audit?action=invitation.sent&from=${auditDay}&to=${auditDay}`
    const lists = {
      mine: await measure(
        '"My invitations" (practitioner): GET /invitations',
        LIST_REQUESTS,
        page(practitioner, '/invitations'),
      ),
      mineNext: nextPage
        ? await measure(
            '"My invitations", next page (?before=<id>)',
            LIST_REQUESTS,
            page(practitioner, nextPage),
          )
        : undefined,
      team: await measure(
        'Invitations of a manager’s 2 teams: GET /invitations',
        LIST_REQUESTS,
        page(manager, '/invitations'),
      ),
      expired: await measure(
        'All invitations, status expired (QA)',
        LIST_REQUESTS,
        page(qa, '/invitations?status=expired'),
      ),
      audit: await measure(
        'Audit page (admin): GET /admin/audit',
        LIST_REQUESTS,
        page(admin, '/admin/audit'),
      ),
      auditFiltered: await measure(
        'Audit page, one action on one day',
        LIST_REQUESTS,
        page(admin, auditFiltered),
      ),
    }

    // Reports, read from the tallies.
    const quarter = quarters[6]!
    const { token } = await createApiToken(services.clock, { name: 'bench', role: 'qa' })
    const apiVisitor = new Visitor(base)
    const apiUrl = `/api/v1/reports/headlines?survey=closure-family&period=${quarter.id}`
    const api = await measure('Headline API: GET /api/v1/reports/headlines', REQUESTS, async () => {
      const response = await apiVisitor.request(apiUrl, { bearer: token })
      if (response.status !== 200) throw new Error(`The headline API answered ${response.status}`)
    })
    const dashboard = await measure(
      'Dashboard (QA, all teams): GET /reports',
      PAGE_REQUESTS,
      page(qa, `/reports?survey=closure-family&period=${quarter.id}`),
      Math.min(1, PAGE_REQUESTS),
    )
    const quarterly = await measure(
      'Quarterly report for the Board (QA): GET /reports/quarterly',
      PAGE_REQUESTS,
      page(qa, `/reports/quarterly?survey=closure-family&period=${quarter.id}`),
      Math.min(1, PAGE_REQUESTS),
    )
    const csv = await measure(
      'Tables as CSV (QA): GET /reports/export.csv',
      PAGE_REQUESTS,
      page(qa, `/reports/export.csv?survey=closure-family&period=${quarter.id}`),
      Math.min(1, PAGE_REQUESTS),
    )
    const survey = services.surveys.latest('closure-family')!
    const filter: ReportFilter = { survey, period: parsePeriod(quarter.id)! }
    const context = () => ({
      surveys: services.surveys,
      settings: config,
      viewer: { role: 'qa' as const, teamIds: [] },
      tallies: new TallyStore(services.tallies),
    })
    const inDatabase = await headlineSummary(context(), filter)
    console.log(`${quarter.label}: ${inDatabase.responses} of ${RESPONSES} responses.`)
    const headlines = await measure('Headline query from the tallies (in process)', REQUESTS, () =>
      headlineSummary(context(), filter),
    )

    // Baselines, in process, on the same data. `$and: [...]` is the same filter in a shape the
    // patched engine does not push down: it reads and decodes every document, as FerretDB does
    // for any filter it cannot push down to SQLite.
    console.log(`\nBaselines (${NAIVE_REQUESTS} each):`)
    const naive = (name: string, run: () => Promise<unknown>) => measure(name, NAIVE_REQUESTS, run, 0)
    const openingTokenHash = hashToken(firstLink.token)
    const tokenScan = await naive('Token lookup without pushdown', () =>
      InvitationModel.collection.findOne({ $and: [{ tokenHash: openingTokenHash }] }),
    )
    await measure('Token lookup, indexed (in process)', 20, () =>
      InvitationModel.collection.findOne({ tokenHash: openingTokenHash }),
    )
    const idScan = await naive('Invitation by _id without pushdown', () =>
      InvitationModel.collection.findOne({ $and: [{ _id: firstLink.invitationId }] }),
    )
    /** What the invitations list did before: newest by createdAt with a skip, and a full count. */
    const previousList = (query: Record<string, unknown>) => () =>
      Promise.all([
        InvitationModel.find(query, { tokenHash: 0, events: 0 })
          .sort({ createdAt: -1, _id: -1 })
          .skip(0)
          .limit(50)
          .lean(),
        InvitationModel.countDocuments(query),
      ])
    const { practitioner: pat, manager: mo } = council.staff
    const previousMine = await naive(
      'Previous "My invitations" query (date sort, full count)',
      previousList({ createdBy: pat._id, teamId: { $in: pat.teamIds } }),
    )
    const previousTeam = await naive(
      'Previous team list query',
      previousList({ teamId: { $in: mo.teamIds } }),
    )
    const previousExpired = await naive(
      'Previous list query, status expired',
      previousList({ status: 'expired' }),
    )
    /** What the audit page did before: a full count, then newest by `at` with a skip. */
    const previousAudit = (query: Record<string, unknown>) => () =>
      Promise.all([
        AuditEventModel.countDocuments(query),
        AuditEventModel.find(query).sort({ at: -1, _id: -1 }).skip(0).limit(50).lean(),
      ])
    const previousAuditPage = await naive(
      'Previous audit page queries (full count, date sort)',
      previousAudit({}),
    )
    const dayStart = new Date(`${auditDay}T00:00:00+01:00`)
    const previousAuditFiltered = await naive(
      'Previous audit queries, one action on one day',
      previousAudit({
        action: 'invitation.sent',
        at: { $gte: dayStart, $lt: new Date(dayStart.getTime() + 24 * 60 * 60 * 1000) },
      }),
    )
    const naiveHeadlines = async () => {
      const docs = await ResponseModel.find({ surveyId: 'closure-family', 'period.quarter': quarter.id })
        .select({ answers: 1 })
        .lean()
      const counts = new Map<string, Map<string, number>>()
      for (const doc of docs) {
        for (const { question, answer } of doc.answers) {
          const byAnswer = counts.get(question) ?? new Map<string, number>()
          byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + 1)
          counts.set(question, byAnswer)
        }
      }
      return {
        responses: docs.length,
        headlines: services.surveys
          .choiceQuestions(survey.id)
          .map((q) => headlineFor(q, counts.get(q.id), config.smallNumberThreshold)),
      }
    }
    // The tallies must say what counting the responses says (checked on the first sample).
    let checked = false
    const naiveCount = await naive('Headlines counted naively in Node', async () => {
      const counted = await naiveHeadlines()
      if (checked) return
      assert.deepEqual(counted.headlines, inDatabase.headlines)
      assert.equal(counted.responses, inDatabase.responses)
      checked = true
    })

    rows.push(
      { timing: opening, baseline: { what: 'the token lookup without pushdown', timing: tokenScan } },
      { timing: submitting, baseline: { what: 'the invitation by _id without pushdown', timing: idScan } },
      {
        timing: submittingAtOnce,
        baseline: { what: 'the invitation by _id without pushdown', timing: idScan },
      },
      { timing: floor },
      {
        timing: lists.mine,
        baseline: { what: 'the previous query (date sort, full count)', timing: previousMine },
      },
      {
        timing: lists.mineNext,
        baseline: { what: 'the previous query (date sort, full count)', timing: previousMine },
      },
      { timing: lists.team, baseline: { what: 'the previous query', timing: previousTeam } },
      { timing: lists.expired, baseline: { what: 'the previous query', timing: previousExpired } },
      {
        timing: lists.audit,
        baseline: { what: 'the previous queries (full count, date sort)', timing: previousAuditPage },
      },
      {
        timing: lists.auditFiltered,
        baseline: { what: 'the previous queries', timing: previousAuditFiltered },
      },
      { timing: api, baseline: { what: 'the quarter counted naively in Node', timing: naiveCount } },
      { timing: dashboard, baseline: { what: 'the quarter counted naively in Node', timing: naiveCount } },
      { timing: quarterly, baseline: { what: 'the quarter counted naively in Node', timing: naiveCount } },
      { timing: csv, baseline: { what: 'the quarter counted naively in Node', timing: naiveCount } },
      { timing: headlines, baseline: { what: 'the quarter counted naively in Node', timing: naiveCount } },
    )

    console.log(
      `\n${RESPONSES} responses, ${INVITATIONS} invitations, ${AUDIT_EVENTS} audit events; FerretDB with the Family Voice patch on SQLite. Load average now ${load().toFixed(1)}.\n`,
    )
    console.log(
      '| measure | n | p50 | p95 | p99 | load | baseline (same run, same data) | baseline p50 | baseline ÷ p50 |',
    )
    console.log('|---|---|---|---|---|---|---|---|---|')
    for (const { timing, baseline } of rows) {
      if (!timing) continue
      const b = baseline?.timing
      console.log(
        `| ${timing.name} | ${timing.count} | ${ms(timing.p50)} | ${ms(timing.p95)} | ${ms(timing.p99)} | ${timing.load.toFixed(1)} | ${baseline?.what ?? ''} | ${baseline ? (b ? ms(b.p50) : 'not run') : ''} | ${b ? `${Math.round(b.p50 / timing.p50)}×` : ''} |`,
      )
    }
    console.log(
      `\nSeeding: ${seconds.documents.toFixed(0)} s documents + ${seconds.indexes.toFixed(0)} s indexes + ${seconds.tallies.toFixed(0)} s tallies. Whole run: ${((performance.now() - started) / 1000 / 60).toFixed(1)} min.`,
    )
  } finally {
    server?.closeAllConnections()
    if (server) await new Promise((resolve) => server!.close(resolve))
    await mongoose.disconnect().catch(() => undefined)
    await database.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
