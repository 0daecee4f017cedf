/**
 * The invitations list pages newest first with Previous and Next, across every team the user
 * may see, by the time each invitation was made (the services clock), and counts up to 500.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Types } from 'mongoose'
import { idAt } from '../../server/db/timeOrderedIds'
import { InvitationModel } from '../../server/invitations/invitation'
import { TeamModel, type Team } from '../../server/teams/team'
import type { User } from '../../server/staff/user'
import { createTeam, createUser, issueInvitation, signIn } from '../helpers/factories'
import { visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'

type Agent = Awaited<ReturnType<typeof signIn>>

/** The case references in the table, top to bottom. */
function caseRefs(html: string): string[] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map(
    (row) => /\b[A-Z]-\d{3}\b/.exec(visibleText(row[1]!))?.[0] ?? '?',
  )
}

function link(html: string, rel: 'next' | 'prev'): string | undefined {
  return new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replace(/&amp;/g, '&')
}

/** Every page from the first, following Next. */
async function allPages(agent: Agent, url: string): Promise<string[][]> {
  const pages: string[][] = []
  let next: string | undefined = url
  while (next) {
    const page = await agent.get(next).expect(200)
    pages.push(caseRefs(page.text))
    next = link(page.text, 'next')
  }
  return pages
}

describe('invitations list: newest first, a page at a time', () => {
  const t = useTestApp({ now: '2026-06-29T08:00:00Z' })
  let north: Team, south: Team, east: Team, pat: User, practitioner: Agent, manager: Agent, qa: Agent
  /** What each user should see, newest first. */
  const made: Array<{ caseRef: string; at: number; teamId: Types.ObjectId; byPat: boolean }> = []

  before(async () => {
    north = await createTeam('Locality North')
    south = await createTeam('Locality South')
    east = await createTeam('Locality East')
    pat = await createUser({ role: 'practitioner', teams: [north, south] })
    const sky = await createUser({ role: 'practitioner', teams: [north] })
    const base = Date.parse('2026-06-29T08:00:00Z')
    const make = async (caseRef: string, at: number, team: Team, by: User | undefined, surveyId?: string) => {
      t.clock.set(new Date(at))
      await issueInvitation(t.services, team, {
        caseRef,
        createdBy: by?._id,
        ...(surveyId ? { surveyId } : {}),
      })
      made.push({ caseRef, at, teamId: team._id, byPat: by === pat })
    }
    // Pat's 105, alternating between two teams, a minute apart; Sky's 5 in between.
    for (let i = 0; i < 105; i++) {
      await make(`P-${String(i).padStart(3, '0')}`, base + i * 60_000, i % 2 ? south : north, pat)
      if (i % 20 === 10) await make(`S-${String(i).padStart(3, '0')}`, base + i * 60_000 + 30_000, north, sky)
    }
    // Made last, but dated a day earlier by the clock: it lists by that date, as the oldest.
    await make('P-900', base - 24 * 60 * 60_000, north, pat)
    // Either side of midnight in the UK (BST) on 30 June, for another survey in another team.
    await make('E-001', Date.parse('2026-06-30T22:30:00Z'), east, undefined, 'closure-young-person')
    await make('E-002', Date.parse('2026-06-30T23:30:00Z'), east, undefined, 'closure-young-person')
    t.clock.set(new Date('2026-07-02T09:00:00Z'))
    practitioner = await signIn(t.app, pat)
    manager = await signIn(t.app, await createUser({ role: 'manager', teams: [north, south] }))
    qa = await signIn(t.app, await createUser({ role: 'qa' }))
  })

  const newestFirst = (keep: (m: (typeof made)[number]) => boolean) =>
    made
      .filter(keep)
      .sort((a, b) => b.at - a.at)
      .map((m) => m.caseRef)
  const inPages = (refs: string[]) =>
    Array.from({ length: Math.ceil(refs.length / 50) }, (_, i) => refs.slice(i * 50, i * 50 + 50))

  it('shows a practitioner their own across their teams, 50 a page, by the clock’s time', async () => {
    const first = await practitioner.get('/invitations').expect(200)
    assert.match(visibleText(first), /My invitations/)
    assert.match(visibleText(first), /More than 100 invitations/)
    assert.doesNotMatch(first.text, /rel="prev"/)
    const expected = newestFirst((m) => m.byPat)
    assert.equal(expected[0], 'P-104')
    assert.equal(expected[105], 'P-900')
    assert.deepEqual(await allPages(practitioner, '/invitations'), inPages(expected))
  })

  it('goes back with Previous to the same pages, and to a full first page', async () => {
    const first = await practitioner.get('/invitations').expect(200)
    const second = await practitioner.get(link(first.text, 'next')!).expect(200)
    const third = await practitioner.get(link(second.text, 'next')!).expect(200)
    assert.equal(caseRefs(third.text).length, 6)
    assert.doesNotMatch(third.text, /rel="next"/)
    const backToSecond = await practitioner.get(link(third.text, 'prev')!).expect(200)
    assert.deepEqual(caseRefs(backToSecond.text), caseRefs(second.text))
    const backToFirst = await practitioner.get(link(backToSecond.text, 'prev')!).expect(200)
    assert.deepEqual(caseRefs(backToFirst.text), caseRefs(first.text))
    assert.doesNotMatch(backToFirst.text, /rel="prev"/)
    // Filters stay in the links; a broken cursor shows the first page.
    const filtered = await practitioner.get(`/invitations?team=${String(south._id)}`).expect(200)
    assert.match(
      link(filtered.text, 'next')!,
      new RegExp(`^/invitations\\?team=${String(south._id)}&before=`),
    )
    const broken = await practitioner.get('/invitations?before=zzz').expect(200)
    assert.deepEqual(caseRefs(broken.text), caseRefs(first.text))
  })

  it('merges a manager’s teams in time order, and narrows to one team', async () => {
    const teams = [String(north._id), String(south._id)]
    const expected = newestFirst((m) => teams.includes(String(m.teamId)))
    assert.equal(expected.length, 111)
    const first = await manager.get('/invitations').expect(200)
    assert.match(visibleText(first), /More than 100 invitations/)
    assert.deepEqual(await allPages(manager, '/invitations'), inPages(expected))
    const southOnly = newestFirst((m) => String(m.teamId) === String(south._id))
    assert.deepEqual(await allPages(manager, `/invitations?team=${String(south._id)}`), inPages(southOnly))
    // A team the manager does not have shows nothing, even when asked for by id.
    const eastAsked = await manager.get(`/invitations?team=${String(east._id)}`).expect(400)
    assert.match(visibleText(eastAsked), /More than 100 invitations/)
  })

  it('filters by survey and by UK days, which are ranges of ids', async () => {
    const bySurvey = await qa.get('/invitations?survey=closure-young-person').expect(200)
    assert.deepEqual(caseRefs(bySurvey.text), ['E-002', 'E-001'])
    // 23:30 UTC on 30 June is 00:30 on 1 July in the UK.
    const july = await qa.get(`/invitations?team=${String(east._id)}&from=2026-07-01`).expect(200)
    assert.deepEqual(caseRefs(july.text), ['E-002'])
    const june = await qa.get(`/invitations?team=${String(east._id)}&to=2026-06-30`).expect(200)
    assert.deepEqual(caseRefs(june.text), ['E-001'])
    const dayBefore = await qa.get('/invitations?from=2026-06-28&to=2026-06-28').expect(200)
    assert.deepEqual(caseRefs(dayBefore.text), ['P-900'])
    assert.match(visibleText(dayBefore), /1 invitation\b/)
    const all = await qa.get('/invitations').expect(200)
    assert.match(visibleText(all), /More than 100 invitations/)
  })

  it('counts up to 100 across teams, then says "More than 100"', async () => {
    const template = await InvitationModel.findOne({ caseRef: 'P-000' }).lean()
    const copies = (team: Team, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...template!,
        _id: idAt(new Date(Date.parse('2026-06-01T08:00:00Z') + i * 1000)),
        tokenHash: new Types.ObjectId().toHexString(),
        teamId: team._id,
        caseRef: 'X-000',
      }))
    const manages = (teams: Team[]) => createUser({ role: 'manager', teams })
    const eastAndWest = await signIn(t.app, await manages([east, await createTeam('Locality West')]))
    // 2 in East, then 98 more in East and a new team: exactly 100, then one more.
    const west = (await TeamModel.findOne({ name: 'Locality West' }).lean())!
    await InvitationModel.insertMany([...copies(east, 50), ...copies(west, 48)])
    assert.match(visibleText(await eastAndWest.get('/invitations').expect(200)), /100 invitations/)
    assert.doesNotMatch(visibleText(await eastAndWest.get('/invitations').expect(200)), /More than/)
    await InvitationModel.insertMany(copies(west, 1))
    const many = await eastAndWest.get('/invitations').expect(200)
    assert.match(visibleText(many), /More than 100 invitations/)
    assert.equal(caseRefs(many.text).length, 50)
  })
})
