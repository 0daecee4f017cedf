import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import request from 'supertest'
import { AuditEventModel, recordAudit } from '../../server/audit/auditEvent'
import type { User } from '../../server/staff/user'
import { createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import { useTestApp } from '../helpers/hooks'

type Agent = ReturnType<typeof request.agent>

function rows(html: string): string[] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((match) =>
    visibleText(match[1]!),
  )
}

describe('admin: audit trail', () => {
  const t = useTestApp({ now: '2026-07-02T09:00:00Z' })
  let admin: Agent, adminUser: User, pat: User
  before(async () => {
    adminUser = await createUser({ role: 'admin', email: 'admin@council.example', name: 'Ada Admin' })
    pat = await createUser({ role: 'practitioner', email: 'pat@council.example', name: 'Pat Practitioner' })
    // Late on 30 June in UTC is already 1 July in the UK (BST).
    await recordAudit(new Date('2026-06-30T23:30:00Z'), {
      userId: pat._id,
      actorLabel: 'pat@council.example',
      action: 'invitation.sent',
      target: 'invitation 1',
    })
    await recordAudit(new Date('2026-06-30T22:00:00Z'), {
      userId: pat._id,
      actorLabel: 'pat@council.example',
      action: 'invitation.cancelled',
      target: 'invitation 0',
      detail: '<script>alert(1)</script>',
    })
    await recordAudit(new Date('2026-06-15T12:00:00Z'), {
      actorLabel: 'command line',
      action: 'api-token.created',
      target: 'api token BI',
    })
    admin = await signIn(t.app, adminUser)
  })

  it('shows events newest first, including sign-ins, with text escaped', async () => {
    const page = await admin.get('/admin/audit').expect(200)
    const list = rows(page.text)
    assert.equal(list.length, 4)
    assert.equal(list[0], '2 July 2026 at 10:00 admin@council.example session.signed-in')
    assert.equal(list[1], '1 July 2026 at 00:30 pat@council.example invitation.sent invitation 1')
    assert.equal(
      list[2],
      '30 June 2026 at 23:00 pat@council.example invitation.cancelled invitation 0 <script>alert(1)</script>',
    )
    assert.equal(list[3], '15 June 2026 at 13:00 command line api-token.created api token BI')
    assert.doesNotMatch(page.text, /<script>alert/)
    assert.match(
      page.text,
      /<caption class="govuk-table__caption govuk-table__caption--m" id="audit-caption">Audit events, newest first<\/caption>/,
    )
    assert.match(visibleText(page), /4 events in all\. Audit events, newest first/)
    assert.match(page.text, /class="app-table-wrapper" tabindex="0"/)
    for (const action of [
      'invitation.sent',
      'invitation.cancelled',
      'api-token.created',
      'session.signed-in',
    ]) {
      assert.match(page.text, new RegExp(`<option value="${action}"`))
    }
  })

  it('filters by user, action and UK dates', async () => {
    const byUser = rows((await admin.get(`/admin/audit?user=${String(pat._id)}`).expect(200)).text)
    assert.deepEqual(byUser, [
      '1 July 2026 at 00:30 pat@council.example invitation.sent invitation 1',
      '30 June 2026 at 23:00 pat@council.example invitation.cancelled invitation 0 <script>alert(1)</script>',
    ])

    const byAction = rows((await admin.get('/admin/audit?action=api-token.created').expect(200)).text)
    assert.deepEqual(byAction, ['15 June 2026 at 13:00 command line api-token.created api token BI'])

    // 1 July in the UK runs from 23:00 UTC on 30 June: 00:30 BST is in July.
    const july = rows((await admin.get('/admin/audit?from=1/7/2026&to=2026-07-01').expect(200)).text)
    assert.deepEqual(july, ['1 July 2026 at 00:30 pat@council.example invitation.sent invitation 1'])
    const june = rows((await admin.get('/admin/audit?from=2026-06-15&to=2026-06-30').expect(200)).text)
    assert.equal(june.length, 2)
    assert.match(june[0]!, /invitation\.cancelled/)
    assert.match(june[1]!, /api-token\.created/)

    const combined = await admin.get(
      `/admin/audit?user=${String(pat._id)}&action=invitation.sent&from=2026-06-01`,
    )
    assert.equal(rows(combined.text).length, 1)
    assert.match(combined.text, /<option value="invitation.sent" selected>/)
    assert.match(combined.text, /value="2026-06-01"/)
  })

  it('explains bad filters instead of failing', async () => {
    const page = await admin
      .get('/admin/audit?from=30/02/2026&to=yesterday&user=nobody&action=%24ne')
      .expect(400)
    const text = visibleText(page)
    assert.match(
      text,
      /There is a problem Select a user from the list Select an action from the list From must be a real date, like 23\/11\/2026 To must be a real date, like 23\/11\/2026/,
    )
    const backwards = await admin.get('/admin/audit?from=2026-07-02&to=2026-07-01').expect(400)
    assert.match(visibleText(backwards), /To must be the same as or after From/)
    await admin.get('/admin/audit?user=a&user=b').expect(200)
  })

  it('pages through long trails, 50 at a time, with Previous and Next', async () => {
    const base = new Date('2026-05-01T08:00:00Z').getTime()
    await AuditEventModel.insertMany(
      Array.from({ length: 120 }, (_, i) => ({
        at: new Date(base + i * 60_000),
        actorLabel: 'bulk@council.example',
        action: 'report.exported',
        target: `report ${String(i).padStart(3, '0')}`,
      })),
    )
    const link = (html: string, rel: 'next' | 'prev') =>
      new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replace(/&amp;/g, '&')

    const first = await admin.get('/admin/audit?action=report.exported').expect(200)
    assert.equal(rows(first.text).length, 50)
    assert.match(rows(first.text)[0]!, /report 119$/)
    assert.match(rows(first.text)[49]!, /report 070$/)
    // Cursor links, not page numbers: a page is read from the index at any size of trail.
    assert.match(link(first.text, 'next')!, /^\/admin\/audit\?action=report\.exported&before=[0-9a-f]{24}$/)
    assert.doesNotMatch(first.text, /rel="prev"/)
    assert.match(visibleText(first), /More than 100 events\./)

    const second = await admin.get(link(first.text, 'next')!).expect(200)
    assert.equal(rows(second.text).length, 50)
    assert.match(rows(second.text)[0]!, /report 069$/)
    assert.match(rows(second.text)[49]!, /report 020$/)
    assert.ok(link(second.text, 'prev'))

    const third = await admin.get(link(second.text, 'next')!).expect(200)
    assert.equal(rows(third.text).length, 20)
    assert.match(rows(third.text)[19]!, /report 000$/)
    assert.match(visibleText(third), /More than 100 events\./)
    assert.doesNotMatch(third.text, /rel="next"/)

    // Previous goes back the same way, to a full first page with no Previous link.
    const backToSecond = await admin.get(link(third.text, 'prev')!).expect(200)
    assert.deepEqual(rows(backToSecond.text), rows(second.text))
    const backToFirst = await admin.get(link(backToSecond.text, 'prev')!).expect(200)
    assert.deepEqual(rows(backToFirst.text), rows(first.text))
    assert.doesNotMatch(backToFirst.text, /rel="prev"/)

    // A broken cursor shows the newest page.
    const broken = await admin.get('/admin/audit?action=report.exported&before=nonsense').expect(200)
    assert.deepEqual(rows(broken.text), rows(first.text))
  })

  it('counts up to 100 and then says "more than 100"', async () => {
    await AuditEventModel.insertMany(
      Array.from({ length: 101 }, (_, i) => ({
        at: new Date(Date.parse('2026-04-01T08:00:00Z') + i * 1000),
        actorLabel: 'api token "BI"',
        action: 'api.reports.headlines',
        target: `closure-family ${i}`,
      })),
    )
    const many = await admin.get('/admin/audit?action=api.reports.headlines').expect(200)
    assert.match(visibleText(many), /More than 100 events\. Audit events, newest first/)
    assert.equal(rows(many.text).length, 50)
    await AuditEventModel.deleteOne({ action: 'api.reports.headlines' })
    const exactly = await admin.get('/admin/audit?action=api.reports.headlines').expect(200)
    assert.match(visibleText(exactly), /100 events in all\./)
  })

  it('is for admins only', async () => {
    for (const role of ['practitioner', 'manager', 'qa'] as const) {
      const agent = await signIn(t.app, await createUser({ role }))
      await agent.get('/admin/audit').expect(403)
    }
  })

  it('records sign-out and failed sign-ins', async () => {
    const agent = await signIn(t.app, pat)
    const home = await agent.get('/staff').expect(200)
    await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenFrom(home.text) })
      .expect(303)
    const other = request.agent(t.app)
    const form = await other.get('/sign-in').expect(200)
    await other
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), email: pat.email, password: 'definitely not it' })
      .expect(401)
    const list = rows((await admin.get(`/admin/audit?user=${String(pat._id)}`).expect(200)).text)
    assert.match(list[0]!, /pat@council\.example session\.sign-in-failed Wrong password$/)
    assert.match(list[1]!, /pat@council\.example session\.signed-out$/)
    assert.match(list[2]!, /pat@council\.example session\.signed-in$/)
  })
})
