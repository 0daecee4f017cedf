/**
 * `npm run bench [-- --responses N --requests N --page-requests N --naive-requests N]`: how fast
 * are reports on a realistic volume?
 *
 * Starts its own FerretDB (SQLite files in a temporary directory, removed afterwards), seeds N
 * synthetic closure-family responses (100,000 by default) over eight quarters and twelve teams with
 * insertMany in batches, then measures over HTTP against the real app:
 *   - the headline API (GET /api/v1/reports/headlines) for the latest full quarter,
 *   - the dashboard page (GET /reports) for the same quarter, signed in as QA,
 * and, in process, the same headline query done in the database ($match/$unwind/$group) against
 * the naive way (every matching document read into Node and counted there), with the ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import mongoose, { type Types } from 'mongoose'
import { createApp } from '../server/app'
import { createApiToken } from '../server/apiTokens/service'
import { ManualClock } from '../server/clock'
import { loadConfig } from '../server/config'
import { connectDatabase } from '../server/db/connect'
import { startEmbeddedDatabase } from '../server/db/embedded'
import { installFerretDb, mongodOnPath } from '../server/db/ferretdbInstall'
import { lastQuarters, parsePeriod, periodBounds, periodKeysFor } from '../server/periods/period'
import { headlineFor } from '../server/reports/headlines'
import type { ReportFilter } from '../server/reports/filters'
import { TallyStore } from '../server/reports/aggregate'
import { rebuildTallies } from '../server/tallies/recount'
import { headlineSummary } from '../server/reports/service'
import { ResponseModel, type Mode } from '../server/responses/response'
import { createServices } from '../server/services'
import { hashPassword } from '../server/staff/passwords'
import { UserModel } from '../server/staff/user'
import { SERVICES, TeamModel } from '../server/teams/team'

const { values } = parseArgs({
  options: {
    // 100,000 responses by default (`--responses 1000000` for a million). FerretDB reads every
    // document of the collection for each query, so the default request counts are small enough
    // for a run of about 12 minutes; p95 over so few samples is rough. See README "Performance".
    responses: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '5' },
    'page-requests': { type: 'string', default: '2' },
    'naive-requests': { type: 'string', default: '3' },
    batch: { type: 'string', default: '5000' },
  },
})
const RESPONSES = Number(values.responses)
const REQUESTS = Number(values.requests)
const PAGE_REQUESTS = Number(values['page-requests'])
const NAIVE_REQUESTS = Number(values['naive-requests'])
const BATCH = Number(values.batch)
for (const [name, value] of Object.entries({ RESPONSES, REQUESTS, PAGE_REQUESTS, NAIVE_REQUESTS, BATCH })) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name.toLowerCase()} must be a whole number above 0`)
}

const NOW = new Date('2026-11-23T10:00:00Z')
const PASSWORD = 'bench password that is long enough'

/** A small deterministic random generator, so every run seeds the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(rand: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = rand() * total
  for (const [value, weight] of weighted) {
    roll -= weight
    if (roll <= 0) return value
  }
  return weighted[weighted.length - 1]![0]
}

const QUESTIONS: [string, [string, number][]][] = [
  [
    'share-views',
    [
      ['yes', 90],
      ['partly', 7],
      ['no', 3],
    ],
  ],
  [
    'child-listened',
    [
      ['yes', 80],
      ['partly', 8],
      ['no', 4],
      ['not-applicable', 8],
    ],
  ],
  [
    'right-people',
    [
      ['yes', 85],
      ['partly', 6],
      ['no', 3],
      ['dont-know', 6],
    ],
  ],
  [
    'copy-of-plan',
    [
      ['yes', 78],
      ['no', 15],
      ['dont-know', 7],
    ],
  ],
  [
    'reach-worker',
    [
      ['yes', 82],
      ['sometimes', 12],
      ['no', 6],
    ],
  ],
  [
    'positive-difference',
    [
      ['yes', 86],
      ['partly', 10],
      ['no', 4],
    ],
  ],
]

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function time<T>(run: () => Promise<T>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

async function measure(name: string, count: number, run: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(3, count); i++) await run() // warm-up
  const samples: number[] = []
  for (let i = 0; i < count; i++) samples.push(await time(run))
  const result = { name, count, p50: percentile(samples, 50), p95: percentile(samples, 95) }
  console.log(
    `${name.padEnd(44)} n=${String(count).padStart(3)}  p50 ${ms(result.p50)}  p95 ${ms(result.p95)}`,
  )
  return result
}

const ms = (value: number) => `${value.toFixed(1).padStart(8)} ms`

async function main(): Promise<void> {
  const started = performance.now()
  if (!mongodOnPath()) installFerretDb((line) => console.log(line))
  const dataDir = mkdtempSync(path.join(tmpdir(), 'family-voice-bench-'))
  const database = await startEmbeddedDatabase({ dataDir, log: () => undefined })
  console.log(`Database: ${database.engine} (SQLite files under ${dataDir})`)
  try {
    await connectDatabase(database.uri, 'bench')

    // Twelve teams across the services.
    const teams = await TeamModel.insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        name: `Team ${String(i + 1).padStart(2, '0')}`,
        service: SERVICES[i % SERVICES.length],
      })),
    )

    // Responses spread evenly over the eight quarters ending with the current one.
    const quarters = lastQuarters(8, NOW)
    const first = periodBounds(quarters[0]!).start.getTime()
    const span = NOW.getTime() - first
    const rand = random(20201)
    const modes: [Mode, number][] = [
      ['online', 50],
      ['telephone', 35],
      ['face-to-face', 10],
      ['paper', 5],
    ]
    const seedStart = performance.now()
    for (let done = 0; done < RESPONSES; done += BATCH) {
      const docs = []
      for (let i = done; i < Math.min(RESPONSES, done + BATCH); i++) {
        const team = teams[Math.floor(rand() * teams.length)]!
        const submittedAt = new Date(first + Math.floor(rand() * span))
        const answers = QUESTIONS.filter(() => rand() > 0.05).map(([question, weights]) => ({
          question,
          answer: pick(rand, weights),
        }))
        docs.push({
          claimKey: `import:bench-${i}`,
          surveyId: 'closure-family',
          surveyVersion: 1,
          teamId: team._id as Types.ObjectId,
          teamName: team.name,
          service: team.service,
          respondent: 'parent-carer',
          mode: pick(rand, modes),
          submittedAt,
          period: periodKeysFor(submittedAt),
          answers,
          source: 'import',
          // Seeded as counted; the rebuild below makes the report tallies from them.
          tallyState: 'done',
          tallied: true,
        })
      }
      await ResponseModel.insertMany(docs, { ordered: false, lean: true })
      if ((done / BATCH) % 5 === 0)
        process.stdout.write(`\rSeeded ${Math.min(RESPONSES, done + BATCH)} of ${RESPONSES}…`)
    }
    const seedSeconds = (performance.now() - seedStart) / 1000
    console.log(
      `\rSeeded ${RESPONSES} responses in ${seedSeconds.toFixed(1)} s (${Math.round(RESPONSES / seedSeconds)} a second, batches of ${BATCH})`,
    )

    const recountStart = performance.now()
    const rebuilt = await rebuildTallies()
    console.log(
      `Rebuilt ${rebuilt.tallies} report tallies from them (recount-reports) in ${((performance.now() - recountStart) / 1000).toFixed(1)} s`,
    )

    // The real app on a loopback port.
    const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'off', BASE_URL: 'http://127.0.0.1' })
    const services = createServices(config, { clock: new ManualClock(NOW) })
    const app = createApp(services)
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    const quarter = quarters[6]!
    const { token } = await createApiToken(services.clock, { name: 'bench', role: 'qa' })
    await UserModel.create({
      email: 'bench@council.example',
      name: 'Bench QA',
      role: 'qa',
      teamIds: [],
      passwordHash: await hashPassword(PASSWORD),
    })
    const cookie = await signIn(base)
    const matching = await ResponseModel.countDocuments({
      surveyId: 'closure-family',
      'period.quarter': quarter.id,
    })
    console.log(`Measuring ${quarter.label}: ${matching} of ${RESPONSES} responses match.\n`)

    const apiUrl = `${base}/api/v1/reports/headlines?survey=closure-family&period=${quarter.id}`
    const api = await measure('Headline API over HTTP', REQUESTS, async () => {
      const response = await fetch(apiUrl, { headers: { authorization: `Bearer ${token}` } })
      if (response.status !== 200) throw new Error(`headline API answered ${response.status}`)
      await response.arrayBuffer()
    })
    const pageUrl = `${base}/reports?survey=closure-family&period=${quarter.id}`
    const page = await measure('Dashboard page over HTTP (QA, all teams)', PAGE_REQUESTS, async () => {
      const response = await fetch(pageUrl, { headers: { cookie } })
      if (response.status !== 200) throw new Error(`dashboard answered ${response.status}`)
      await response.arrayBuffer()
    })

    // The same headline numbers in process: counted by the database, and counted in Node.
    const survey = services.surveys.latest('closure-family')!
    const filter: ReportFilter = { survey, period: parsePeriod(quarter.id)! }
    // A fresh store each time, as each request has: nothing is cached between measurements.
    const context = () => ({
      surveys: services.surveys,
      settings: config,
      viewer: { role: 'qa' as const, teamIds: [] },
      tallies: new TallyStore(services.tallies),
    })
    const inDatabase = await headlineSummary(context(), filter)
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
    const naiveResult = await naiveHeadlines()
    if (
      JSON.stringify(naiveResult.headlines) !== JSON.stringify(inDatabase.headlines) ||
      naiveResult.responses !== inDatabase.responses
    ) {
      throw new Error('The naive count and the database count disagree')
    }
    const db = await measure('Headline query in the database (in process)', REQUESTS, () =>
      headlineSummary(context(), filter),
    )
    const naive = await measure('Headline query done naively (in process)', NAIVE_REQUESTS, naiveHeadlines)
    console.log(`\nNaive ÷ database (p50): ${(naive.p50 / db.p50).toFixed(1)}×`)
    console.log(
      `Headlines: ${inDatabase.headlines.map((h) => `${h.question} ${h.percent}% of ${h.answered}`).join('; ')}`,
    )

    console.log('\n| measure | p50 | p95 |\n|---|---|---|')
    for (const row of [api, page, db, naive])
      console.log(`| ${row.name} | ${row.p50.toFixed(0)} ms | ${row.p95.toFixed(0)} ms |`)
    console.log(
      `\nSeeding ${RESPONSES} responses: ${seedSeconds.toFixed(1)} s. Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    )

    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  } finally {
    await mongoose.disconnect().catch(() => undefined)
    await database.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Signs in through the real form and returns the session cookie. */
async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`)
  const cookies = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  if (!csrf) throw new Error('No CSRF token on the sign-in page')
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: 'bench@council.example', password: PASSWORD }),
  })
  if (response.status !== 303) throw new Error(`Sign-in answered ${response.status}`)
  return (
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ') || cookies
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
