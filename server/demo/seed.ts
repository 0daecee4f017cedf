/**
 * Demo data for a first look at Family Voice: on the first start of an EMPTY embedded database
 * (no teams yet), demo teams, staff accounts, open survey links and two years of synthetic
 * responses so that reports have something to show. It runs once: any team in the database means
 * someone is already using it, and nothing is added.
 */
import type { Types } from 'mongoose'
import type { Services } from '../services'
import { createInvitation } from '../invitations/service'
import { lastQuarters } from '../periods/period'
import { recordResponse } from '../responses/recordResponse'
import { MODES, type Mode } from '../responses/response'
import { hashPassword } from '../staff/passwords'
import { UserModel, type Role } from '../staff/user'
import type { TextAnswer } from '../surveys/answers'
import { isChoiceQuestion, type TRespondentType, type TSurveyDefinition } from '../surveys/definition'
import { TeamModel, type Service, type Team } from '../teams/team'
import { DemoLinkModel, demoLinkPath } from './demoLink'
import { seededRandom } from './seededRandom'

export const DEMO_PASSWORD = 'family-voice-demo-2026'

// Each has a duty address, so the demo's flagged comment alerts a person (in the local outbox).
export const DEMO_TEAMS: Array<{ name: string; service: Service; dutyEmail: string }> = [
  { name: 'Locality North', service: 'Locality', dutyEmail: 'duty.locality-north@demo.family-voice' },
  { name: 'Family Front Door', service: 'Family Front Door', dutyEmail: 'duty.ffd@demo.family-voice' },
  { name: 'Through Care', service: 'Through Care', dutyEmail: 'duty.through-care@demo.family-voice' },
  { name: 'IRO Service', service: 'IRO and Conference Service', dutyEmail: 'duty.iro@demo.family-voice' },
]

export const DEMO_USERS: Array<{ email: string; name: string; role: Role; teams: string[] }> = [
  { email: 'admin@demo.family-voice', name: 'Alex Admin', role: 'admin', teams: [] },
  { email: 'qa@demo.family-voice', name: 'Quinn Quality', role: 'qa', teams: [] },
  { email: 'manager@demo.family-voice', name: 'Morgan Manager', role: 'manager', teams: ['Locality North'] },
  {
    email: 'practitioner@demo.family-voice',
    name: 'Priya Practitioner',
    role: 'practitioner',
    teams: ['Locality North'],
  },
]

const DEMO_LINKS: Array<{
  label: string
  surveyId: string
  team: string
  respondent?: TRespondentType
  caseRef?: string
}> = [
  { label: 'Case closure: a parent or carer', surveyId: 'closure-family', team: 'Locality North' },
  {
    label: 'Case closure: a parent or carer (linked to a case record)',
    surveyId: 'closure-family',
    team: 'Family Front Door',
    caseRef: 'DEMO-1042',
  },
  {
    label: 'Case closure: a child or young person',
    surveyId: 'closure-young-person',
    team: 'Locality North',
  },
  {
    label: 'Child protection conference: a parent or carer',
    surveyId: 'cp-conference-family',
    team: 'IRO Service',
  },
  {
    label: 'Looked-after child review: a young person',
    surveyId: 'cla-review-young-person',
    team: 'Through Care',
  },
  {
    label: 'Looked-after child review: a parent or carer',
    surveyId: 'cla-review-family',
    team: 'Through Care',
  },
]

/** Which surveys get historic responses, how many, from which teams. */
const HISTORY: Array<{ surveyId: string; count: number; teams: string[] }> = [
  { surveyId: 'closure-family', count: 200, teams: ['Locality North', 'Family Front Door', 'Through Care'] },
  { surveyId: 'cp-conference-family', count: 100, teams: ['Locality North', 'IRO Service'] },
]

/**
 * Share of positive answers at the start and the end of the two years, so that trends show: most
 * questions steady around target, a copy of the plan improving, the CP plan's difference falling.
 */
const POSITIVE_TREND: Record<string, [number, number]> = {
  'closure-family/share-views': [0.92, 0.96],
  'closure-family/child-listened': [0.9, 0.93],
  'closure-family/right-people': [0.9, 0.94],
  'closure-family/copy-of-plan': [0.66, 0.82],
  'closure-family/reach-worker': [0.8, 0.86],
  'closure-family/positive-difference': [0.86, 0.9],
  'cp-conference-family/explained-worries': [0.76, 0.93],
  'cp-conference-family/views-heard': [0.85, 0.88],
  'cp-conference-family/understand-plan': [0.82, 0.86],
  'cp-conference-family/plan-difference': [0.6, 0.35],
}

const COMMENTS: Record<string, string[]> = {
  'went-well': [
    "Thank you to you all for helping me through the rough times and being there when I've needed help.",
    'Our worker always called back when she said she would.',
    'They listened to my son and took his worries seriously.',
    'Everything was explained clearly and I knew what was happening at each meeting.',
    'I felt treated with respect, not judged.',
  ],
  'do-better': [
    'It took a long time to get a copy of the plan.',
    'We had three different workers in six months, which was hard for the children.',
    'Meetings after school hours would help working parents.',
  ],
  'anything-else': [
    'The chair made sure I could say what I wanted to say.',
    'I did not understand all the words in the report.',
  ],
}

/** One comment that matches the worry list, so "Needs attention" has something to show. */
const FLAGGED_COMMENT = {
  question: 'do-better',
  text: 'I was scared at first because nobody explained what would happen.',
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function weighted<T>(random: () => number, choices: Array<[T, number]>): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = random() * total
  for (const [choice, weight] of choices) {
    roll -= weight
    if (roll < 0) return choice
  }
  return choices[choices.length - 1]![0]
}

export interface DemoSeedResult {
  seeded: boolean
  links: Array<{ label: string; url: string }>
  responses: number
}

async function seedHistory(
  services: Services,
  teams: Map<string, Team>,
  random: () => number,
): Promise<number> {
  const now = services.clock.now()
  const from = new Date(`${lastQuarters(8, now)[0]!.from}T12:00:00Z`).getTime()
  const span = now.getTime() - from
  const modes: Array<[Mode, number]> = MODES.map((mode) => [
    mode,
    { online: 55, telephone: 30, 'face-to-face': 10, paper: 5 }[mode],
  ])
  let counter = 0

  for (const plan of HISTORY) {
    const survey = services.surveys.latest(plan.surveyId)
    if (!survey) continue
    for (let i = 0; i < plan.count; i++) {
      counter += 1
      const n = counter
      const submittedAt = new Date(from + Math.floor(random() * span))
      const progress = (submittedAt.getTime() - from) / span
      const team = teams.get(pick(random, plan.teams))!
      const respondent: TRespondentType =
        survey.audience === 'parent-carer' && random() < 0.15 ? 'carer' : survey.audience
      const { answers, texts } = syntheticAnswers(survey, progress, random)
      if (n === 7) {
        const others = texts.filter((text) => text.question !== FLAGGED_COMMENT.question)
        texts.splice(0, texts.length, ...others, FLAGGED_COMMENT)
      }
      // One at a time: on the embedded database (SQLite underneath) parallel writes only queue.
      await recordResponse(
        {
          survey,
          claimKey: `demo:${n}`,
          team: { id: team._id, name: team.name },
          service: team.service,
          respondent,
          mode: weighted(random, modes),
          source: 'import',
          submittedAt,
          answers,
          texts,
        },
        services.config.worryWords,
        services.responseHooks,
      )
    }
  }
  return counter
}

function syntheticAnswers(
  survey: TSurveyDefinition,
  progress: number,
  random: () => number,
): { answers: Array<{ question: string; answer: string }>; texts: TextAnswer[] } {
  const answers: Array<{ question: string; answer: string }> = []
  const texts: TextAnswer[] = []
  for (const question of survey.questions) {
    if (isChoiceQuestion(question)) {
      if (random() < 0.04) continue // skipped
      const [start, end] = POSITIVE_TREND[`${survey.id}/${question.id}`] ?? [0.85, 0.88]
      const positive = start + (end - start) * progress
      const notCounted = question.answers.filter((answer) => question.notCounted.includes(answer.id))
      const negative = question.answers.filter(
        (answer) => !question.positive.includes(answer.id) && !question.notCounted.includes(answer.id),
      )
      const rest = Math.max(0, 1 - positive - 0.05 * notCounted.length)
      const answer = weighted(random, [
        ...question.answers
          .filter((candidate) => question.positive.includes(candidate.id))
          .map((candidate): [string, number] => [candidate.id, positive]),
        ...notCounted.map((candidate): [string, number] => [candidate.id, 0.05]),
        // The milder answer ("partly", "sometimes") is twice as likely as a plain "no".
        ...negative.map((candidate, index): [string, number] => [
          candidate.id,
          (rest * (negative.length - index)) / ((negative.length * (negative.length + 1)) / 2),
        ]),
      ])
      answers.push({ question: question.id, answer })
    } else if (COMMENTS[question.id] && random() < 0.12) {
      texts.push({ question: question.id, text: pick(random, COMMENTS[question.id]!) })
    }
  }
  return { answers, texts }
}

export async function seedDemoData(
  services: Services,
  // The demo banner (demo links and accounts) is for the person at the terminal, not a log line.
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<DemoSeedResult> {
  if (await TeamModel.findOne({}, { _id: 1 }).lean()) return { seeded: false, links: [], responses: 0 }
  const started = Date.now()
  const random = seededRandom(2026)

  // argon2 takes a moment: hash while the teams are written.
  const hashing = hashPassword(DEMO_PASSWORD)
  const teams = new Map<string, Team>()
  for (const team of DEMO_TEAMS) teams.set(team.name, (await TeamModel.create(team)).toObject())

  const passwordHash = await hashing
  await UserModel.insertMany(
    DEMO_USERS.map((user) => ({
      email: user.email,
      name: user.name,
      role: user.role,
      teamIds: user.teams.map((name) => teams.get(name)!._id),
      passwordHash,
    })),
  )

  const links: DemoSeedResult['links'] = []
  for (const [position, link] of DEMO_LINKS.entries()) {
    if (!services.surveys.has(link.surveyId)) continue
    // Its token is dropped: only the hash is kept, and the home page makes a fresh one to try it.
    const { invitation } = await createInvitation(services.surveys, services.clock, {
      surveyId: link.surveyId,
      team: teams.get(link.team)!,
      respondent: link.respondent,
      caseRef: link.caseRef,
      channel: 'link',
      expiresInDays: 365,
    })
    await DemoLinkModel.create({
      label: link.label,
      surveyId: link.surveyId,
      teamName: link.team,
      invitationId: invitation._id as Types.ObjectId,
      position,
    })
    // The try-it address, not the token: logs keep no live links.
    links.push({ label: link.label, url: `${services.config.baseUrl}${demoLinkPath(position)}` })
  }

  const responses = await seedHistory(services, teams, random)

  print(`Demo data added in ${((Date.now() - started) / 1000).toFixed(1)} s (the database was empty):`)
  print(`  ${teams.size} teams, ${responses} past responses, ${links.length} open survey links:`)
  for (const link of links) print(`    ${link.label}: ${link.url}`)
  print(`  Staff accounts (password "${DEMO_PASSWORD}"):`)
  for (const user of DEMO_USERS) print(`    ${user.email} (${user.role})`)
  print('  The home page lists these too. Start with DEMO_DATA=off to skip demo data.')
  return { seeded: true, links, responses }
}
