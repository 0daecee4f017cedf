/**
 * A council's years of data for the bench: teams and staff, invitations and the responses given
 * through them (and by telephone, in person and on paper), the audit trail, and the report tallies
 * those make. Documents are shaped exactly as the app stores them (checked against the models
 * before seeding) and written with insertMany in large batches straight into the collections; the
 * indexes are built afterwards, as `connectDatabase` would build them, and the tallies are counted
 * in Node while seeding (what `recount-reports` would write, without reading everything back).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import mongoose, { Types, type Model } from 'mongoose'
import { AuditEventModel, type AuditAction } from '../../server/audit/auditEvent'
import { idAt } from '../../server/db/timeOrderedIds'
import { InvitationModel, type Invitation, type InvitationEvent } from '../../server/invitations/invitation'
import { hashToken } from '../../server/invitations/token'
import { periodKeysFor } from '../../server/periods/period'
import { ResponseModel, type Mode, type SurveyResponse } from '../../server/responses/response'
import { hashPassword } from '../../server/staff/passwords'
import { UserModel, type Role, type User } from '../../server/staff/user'
import { invitationIncrements, invitationSnapshot, responseIncrements } from '../../server/tallies/sources'
import { replaceTallies } from '../../server/tallies/recount'
import type { Increments } from '../../server/tallies/tally'
import { SERVICES, TeamModel, type Team } from '../../server/teams/team'
import { seededRandom } from '../../server/demo/seededRandom'

export const SEED_PASSWORD = 'bench password that is long enough'
const DAY_MS = 24 * 60 * 60 * 1000
const EXPIRY_DAYS = 28
const REMINDER_DAYS = 7

export interface CouncilSize {
  responses: number
  invitations: number
  auditEvents: number
  /** Documents per insertMany. */
  batch: number
}

/** A link the bench can open: its token, as a family has it in their email. */
export interface OpenLink {
  token: string
  invitationId: Types.ObjectId
}

export interface SeededCouncil {
  teams: Team[]
  /** Signed in by the bench: a practitioner in one team, a manager of two, QA and an admin. */
  staff: Record<'practitioner' | 'manager' | 'qa' | 'admin', User>
  /** Sent, unanswered and not expired at `now`, newest first. */
  openLinks: OpenLink[]
  seconds: { documents: number; indexes: number; tallies: number }
}

export function pick<T>(rand: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = rand() * total
  for (const [value, weight] of weighted) {
    roll -= weight
    if (roll <= 0) return value
  }
  return weighted[weighted.length - 1]![0]
}

/** closure-family's choice questions and how families tend to answer them. */
export const QUESTIONS: [string, [string, number][]][] = [
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

const FIRST_NAMES = [
  'Sam',
  'Alex',
  'Jo',
  'Chris',
  'Priya',
  'Tom',
  'Aisha',
  'Megan',
  'Liam',
  'Olu',
  'Zara',
  'Dan',
]

const AUDIT_MIX: [AuditAction, number][] = [
  ['session.signed-in', 25],
  ['api.reports.headlines', 20],
  ['invitation.sent', 20],
  ['free-text.viewed', 10],
  ['session.signed-out', 6],
  ['report.exported', 5],
  ['invitations.bulk-sent', 4],
  ['invitation.resent', 3],
  ['invitation.letter-printed', 3],
  ['invitation.cancelled', 2],
  ['session.sign-in-failed', 2],
]

/** The bench's links: 32 bytes from the invitation's number, base64url, as the app makes them. */
function tokenFor(n: number): string {
  return createHash('sha256').update(`bench-link-${n}`).digest('base64url')
}

/**
 * Fails unless the model, given the document, would store exactly it: no field missing (a
 * default the app would add), none extra, every value of the type the schema casts it to.
 */
function assertShapedLike<T>(model: Model<T>, doc: Record<string, unknown>): void {
  const modelled = new model(doc)
  const invalid = modelled.validateSync()
  assert.equal(invalid, undefined, `${model.modelName}: ${String(invalid)}`)
  const normal = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown
  assert.deepEqual(
    normal(doc),
    normal(modelled.toObject({ versionKey: true, depopulate: true })),
    `The bench's ${model.modelName} documents differ from the model's`,
  )
}

/** insertMany in batches, each batch written while the next is being made. */
class BatchWriter<T> {
  private docs: T[] = []
  private pending: Promise<unknown> = Promise.resolve()
  written = 0
  constructor(
    private readonly model: Model<never>,
    private readonly batch: number,
  ) {}
  async add(doc: T): Promise<void> {
    this.docs.push(doc)
    if (this.docs.length >= this.batch) await this.flush()
  }
  async flush(): Promise<void> {
    const docs = this.docs
    this.docs = []
    await this.pending
    this.written += docs.length
    if (docs.length) this.pending = this.model.collection.insertMany(docs as never[], { ordered: false })
  }
  async done(): Promise<void> {
    await this.flush()
    await this.pending
  }
}

async function seedStaff(teams: Team[], now: Date): Promise<{ all: User[]; byTeam: Map<string, User[]> }> {
  const passwordHash = await hashPassword(SEED_PASSWORD)
  const people: Array<{ email: string; name: string; role: Role; teamIds: Types.ObjectId[] }> = []
  teams.forEach((team, t) => {
    for (let p = 0; p < 20; p++)
      people.push({
        email: `practitioner.${t + 1}.${p + 1}@council.example`,
        name: `Practitioner ${t + 1}.${p + 1}`,
        role: 'practitioner',
        teamIds: [team._id],
      })
    people.push({
      email: `manager.${t + 1}@council.example`,
      name: `Manager ${t + 1}`,
      role: 'manager',
      // Each manager has their own team and the next one.
      teamIds: [team._id, teams[(t + 1) % teams.length]!._id],
    })
  })
  for (const role of ['qa', 'admin'] as const)
    for (let n = 1; n <= 3; n++)
      people.push({ email: `${role}.${n}@council.example`, name: `${role} ${n}`, role, teamIds: [] })
  const all = (
    await UserModel.insertMany(people.map((person) => ({ ...person, passwordHash, createdAt: now })))
  ).map((user) => user.toObject())
  const byTeam = new Map<string, User[]>()
  for (const user of all.filter((u) => u.role === 'practitioner')) {
    const key = String(user.teamIds[0])
    byTeam.set(key, [...(byTeam.get(key) ?? []), user])
  }
  return { all, byTeam }
}

/**
 * Seeds the council. `first` to `now` is the time the data spans (eight quarters in the bench).
 * Expects a connection with no indexes built yet; builds them at the end.
 */
export async function seedCouncil(
  size: CouncilSize,
  first: Date,
  now: Date,
  progress: (line: string) => void,
): Promise<SeededCouncil> {
  const started = performance.now()
  const span = now.getTime() - first.getTime()
  const rand = seededRandom(20201)
  const teams = (
    await TeamModel.insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        name: `Team ${String(i + 1).padStart(2, '0')}`,
        service: SERVICES[i % SERVICES.length],
        createdAt: first,
      })),
    )
  ).map((team) => team.toObject())
  const staff = await seedStaff(teams, first)

  const tallies: Increments = new Map()
  const invitations = new BatchWriter<Record<string, unknown>>(InvitationModel as never, size.batch)
  const responses = new BatchWriter<Record<string, unknown>>(ResponseModel as never, size.batch)
  const audit = new BatchWriter<Record<string, unknown>>(AuditEventModel as never, size.batch)
  // The first document of each kind is checked against its model.
  const unchecked = new Set(['invitation', 'response', 'audit'])
  const check = (kind: string, model: Model<never>, doc: Record<string, unknown>) => {
    if (unchecked.delete(kind)) assertShapedLike(model, doc)
  }

  const writeResponse = async (doc: Record<string, unknown>) => {
    check('response', ResponseModel as never, doc)
    responseIncrements(doc as unknown as SurveyResponse, tallies)
    await responses.add(doc)
  }
  const response = (
    n: number,
    team: Team,
    submittedAt: Date,
    how: { mode: Mode; source: SurveyResponse['source']; claimKey: string },
    extra: Record<string, unknown>,
  ) => ({
    _id: new Types.ObjectId(),
    claimKey: how.claimKey,
    surveyId: 'closure-family',
    surveyVersion: 1,
    teamId: team._id,
    teamName: team.name,
    service: team.service,
    respondent: 'parent-carer',
    mode: how.mode,
    caseRef: `LCS-${String(100000 + n)}`,
    submittedAt,
    period: periodKeysFor(submittedAt),
    answers: QUESTIONS.filter(() => rand() > 0.05).map(([question, weights]) => ({
      question,
      answer: pick(rand, weights),
    })),
    source: how.source,
    ...extra,
    // Seeded as counted: the tallies below are made from the same documents.
    tallyState: 'done',
    tallied: true,
    __v: 0,
  })

  // Invitations, oldest first (ids in time order, as the app makes them); about half are
  // answered online, each with its response. The other responses came another way.
  const answeredShare = Math.min(1, (size.responses * 0.5) / Math.max(1, size.invitations))
  let answered = 0
  const openLinks: OpenLink[] = []
  for (let n = 0; n < size.invitations; n++) {
    const createdAt = new Date(first.getTime() + Math.floor(((n + rand()) / size.invitations) * span))
    const age = now.getTime() - createdAt.getTime()
    const team = teams[Math.floor(rand() * teams.length)]!
    const byTeam = staff.byTeam.get(String(team._id))!
    const createdBy = byTeam[Math.floor(rand() * byTeam.length)]!
    const channel = pick<Invitation['channel']>(rand, [
      ['email', 80],
      ['letter', 15],
      ['link', 5],
    ])
    const _id = idAt(createdAt)
    const events: InvitationEvent[] = []
    const doc: Record<string, unknown> = {
      _id,
      tokenHash: '',
      surveyId: 'closure-family',
      teamId: team._id,
      teamName: team.name,
      service: team.service,
      respondent: 'parent-carer',
      caseRef: `LCS-${String(100000 + n)}`,
      eventDate: new Date(createdAt.getTime() - 3 * DAY_MS),
      channel,
      ...(channel === 'email'
        ? { recipientEmail: `family.${n}@example.org`, recipientName: FIRST_NAMES[n % FIRST_NAMES.length] }
        : {}),
      createdBy: createdBy._id,
      status: 'sent',
      expiresAt: new Date(createdAt.getTime() + EXPIRY_DAYS * DAY_MS),
      tokenRotations: 0,
      events,
      createdAt,
    }
    const sentAt = channel === 'email' ? new Date(createdAt.getTime() + 60_000) : createdAt
    const failed = channel === 'email' && rand() < 0.02
    if (failed) {
      Object.assign(doc, { status: 'failed', failedAt: sentAt, failureReason: '550 No such user here' })
      events.push({ at: sentAt, kind: 'delivery-failed', note: '550 No such user here' })
    } else if (age < 5 * 60_000 && channel === 'email') {
      doc.status = 'queued'
    } else {
      doc.sentAt = sentAt
      if (channel === 'email') events.push({ at: sentAt, kind: 'emailed', note: '250 Message accepted' })
      if (channel === 'letter') events.push({ at: sentAt, kind: 'letter-printed', byName: createdBy.name })
      const answerAfter = Math.floor(rand() * 20 * DAY_MS) + 60 * 60_000
      if (rand() < answeredShare && answerAfter < age && answered < size.responses) {
        const completedAt = new Date(sentAt.getTime() + answerAfter)
        Object.assign(doc, {
          status: 'completed',
          openedAt: new Date(completedAt.getTime() - 10 * 60_000),
          completedAt,
        })
        answered++
        await writeResponse(
          response(
            n,
            team,
            completedAt,
            { mode: 'online', source: 'online', claimKey: `invitation:${_id.toHexString()}` },
            { invitationId: _id },
          ),
        )
      } else {
        if (channel === 'email' && age > REMINDER_DAYS * DAY_MS) {
          const remindedAt = new Date(sentAt.getTime() + REMINDER_DAYS * DAY_MS)
          Object.assign(doc, { reminderSentAt: remindedAt, tokenRotations: 1 })
          events.push({ at: remindedAt, kind: 'reminded' })
        }
        if (rand() < 0.03) {
          const cancelledAt = new Date(sentAt.getTime() + DAY_MS)
          if (cancelledAt.getTime() < now.getTime()) {
            Object.assign(doc, { status: 'cancelled', cancelledAt })
            events.push({ at: cancelledAt, kind: 'cancelled', byName: createdBy.name })
          }
        }
        if (doc.status === 'sent' && age > EXPIRY_DAYS * DAY_MS) {
          Object.assign(doc, { status: 'expired', expiredAt: doc.expiresAt })
          events.push({ at: doc.expiresAt as Date, kind: 'expired' })
        } else if (doc.status === 'sent' && rand() < 0.2) {
          Object.assign(doc, { status: 'opened', openedAt: new Date(sentAt.getTime() + age / 2) })
        }
      }
    }
    const token = tokenFor(n)
    doc.tokenHash = hashToken(token)
    if (doc.status === 'sent') openLinks.push({ token, invitationId: _id })
    const snapshot = invitationSnapshot(doc as unknown as Invitation)
    Object.assign(doc, { tallyState: 'done', tallied: snapshot, __v: 0 })
    check('invitation', InvitationModel as never, doc)
    invitationIncrements(snapshot, tallies)
    await invitations.add(doc)
    if (n % 50_000 === 0 && n > 0) progress(`  ${n} invitations, ${responses.written} responses…`)
  }

  // Responses given by telephone, in person or on paper, spread over the whole time.
  for (let n = answered; n < size.responses; n++) {
    const team = teams[Math.floor(rand() * teams.length)]!
    const submittedAt = new Date(first.getTime() + Math.floor(rand() * span))
    const mode = pick<Mode>(rand, [
      ['telephone', 70],
      ['face-to-face', 20],
      ['paper', 10],
    ])
    const byTeam = staff.byTeam.get(String(team._id))!
    await writeResponse(
      mode === 'face-to-face'
        ? response(
            n,
            team,
            submittedAt,
            { mode, source: 'staff', claimKey: `entry:${new Types.ObjectId().toHexString()}` },
            { enteredBy: byTeam[n % byTeam.length]!._id },
          )
        : response(
            n,
            team,
            submittedAt,
            { mode, source: 'import', claimKey: `import:CALL-${n}` },
            { externalId: `CALL-${n}` },
          ),
    )
    if (n % 50_000 === 0) progress(`  ${responses.written} responses…`)
  }
  await Promise.all([invitations.done(), responses.done()])
  progress(`  ${invitations.written} invitations and ${responses.written} responses written`)

  // The audit trail: sign-ins, API calls, sends, free text viewed… oldest first.
  for (let n = 0; n < size.auditEvents; n++) {
    const at = new Date(first.getTime() + Math.floor(((n + rand()) / size.auditEvents) * span))
    const action = pick(rand, AUDIT_MIX)
    const actor = staff.all[Math.floor(rand() * staff.all.length)]!
    const doc = action.startsWith('api.')
      ? {
          _id: idAt(at),
          at,
          actorLabel: 'api token "Power BI"',
          action,
          target: 'closure-family 2026-27-Q2',
          ip: '10.0.0.5',
          __v: 0,
        }
      : {
          _id: idAt(at),
          at,
          userId: actor._id,
          actorLabel: actor.email,
          action,
          target: action.startsWith('invitation')
            ? `invitation ${new Types.ObjectId().toHexString()}`
            : 'session',
          ip: `10.1.${n % 200}.${n % 250}`,
          __v: 0,
        }
    check('audit', AuditEventModel as never, doc)
    await audit.add(doc)
    if (n % 100_000 === 0 && n > 0) progress(`  ${n} audit events…`)
  }
  await audit.done()
  const documents = (performance.now() - started) / 1000

  // The indexes, as connectDatabase builds them (server/db/connect.ts).
  const indexStart = performance.now()
  for (const model of Object.values(mongoose.models)) await model.createIndexes()
  const indexes = (performance.now() - indexStart) / 1000

  const tallyStart = performance.now()
  await replaceTallies(tallies)
  const tallySeconds = (performance.now() - tallyStart) / 1000

  const find = (email: string) => staff.all.find((user) => user.email === email)!
  return {
    teams,
    staff: {
      practitioner: find('practitioner.1.1@council.example'),
      manager: find('manager.1@council.example'),
      qa: find('qa.1@council.example'),
      admin: find('admin.1@council.example'),
    },
    openLinks: openLinks.reverse(),
    seconds: { documents, indexes, tallies: tallySeconds },
  }
}
