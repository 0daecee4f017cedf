/**
 * Subject access: an admin downloads everything held for a case reference as JSON and as CSV
 * (/admin/case-records/export), from the real database: the invitations with their addresses,
 * the responses and answers, the free text, the outbox mail (personal links hidden), bulk-upload
 * rows and audit events about them. Audited without the reference; admins only.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { parse } from 'csv-parse/sync'
import { AuditEventModel, recordAudit } from '../../server/audit/auditEvent'
import { caseRefDigest } from '../../server/dataProtection/caseRecords'
import type { Team } from '../../server/teams/team'
import { createTeam, createUser, signIn } from '../helpers/factories'
import { csrfTokenFrom, visibleText } from '../helpers/http'
import type { Agent } from '../helpers/respond'
import { useTestApp } from '../helpers/hooks'
import { answerOnline, emailInvitation, recordWithCaseRef } from './data-protection-fixtures'

const CASE = 'LCS-5001'

interface Export {
  caseRef: string
  invitations: Record<string, unknown>[]
  responses: { answers: { question: string; answer: string }[]; caseRef?: string; mode: string }[]
  comments: { text: string; question: string }[]
  outboxMessages: { to: string; text: string }[]
  bulkUploadRows: unknown[]
  auditEvents: { action: string; target: string }[]
}

describe('subject access: everything held for a case, as JSON and CSV', () => {
  const t = useTestApp()
  let team: Team, admin: Agent, token: string, linkToken: string

  const exportAs = (format: string, caseRef = CASE) =>
    admin.post('/admin/case-records/export').type('form').send({ _csrf: token, caseRef, format })

  before(async () => {
    team = await createTeam('Through Care North', 'Through Care')
    admin = await signIn(t.app, await createUser({ role: 'admin', email: 'ada@council.example' }))
    token = csrfTokenFrom((await admin.get('/admin/case-records').expect(200)).text)
    const sent = await emailInvitation(t, team, { caseRef: CASE, email: 'sam@family.example', name: 'Sam' })
    linkToken = sent.token
    await answerOnline(t, sent.token, {
      'q-share-views': 'yes',
      'q-went-well': '=HYPERLINK("x") they listened',
    })
    await recordWithCaseRef(t, team, CASE, { 'share-views': 'partly' })
    await recordAudit(t.clock.now(), {
      actorLabel: 'pat@council.example',
      action: 'invitation.letter-printed',
      target: `invitation ${String(sent.invitation._id)}`,
    })
    await emailInvitation(t, team, { caseRef: 'LCS-9', email: 'someone-else@family.example' })
  })

  it('gives the JSON of every record for the case, and nothing of anyone else', async () => {
    const response = await exportAs('json').expect(200)
    assert.match(response.headers['content-type'] ?? '', /^application\/json/)
    assert.match(
      response.headers['content-disposition'] ?? '',
      /^attachment; filename="case-records-2026-11-23\.json"$/,
    )
    const data = JSON.parse(response.text) as Export
    assert.equal(data.caseRef, CASE)
    assert.equal(data.invitations.length, 1)
    assert.equal(data.invitations[0]!.recipientEmail, 'sam@family.example')
    assert.equal(data.invitations[0]!.recipientName, 'Sam')
    assert.equal(data.invitations[0]!.status, 'completed')
    assert.equal(data.invitations[0]!.tokenHash, undefined, 'internal bookkeeping is left out')
    assert.equal(data.invitations[0]!.tallied, undefined)
    assert.deepEqual(
      data.responses.map((r) => [r.mode, r.answers]),
      [
        ['online', [{ question: 'share-views', answer: 'yes' }]],
        ['telephone', [{ question: 'share-views', answer: 'partly' }]],
      ],
    )
    assert.deepEqual(
      data.comments.map((c) => [c.question, c.text]),
      [['went-well', '=HYPERLINK("x") they listened']],
    )
    assert.equal(data.outboxMessages.length, 1)
    assert.equal(data.outboxMessages[0]!.to, 'sam@family.example')
    assert.match(data.outboxMessages[0]!.text, /\/s\/\[personal link hidden\]/)
    assert.ok(!response.text.includes(linkToken), 'the personal link is never exported')
    assert.deepEqual(
      data.auditEvents.map((e) => e.action),
      ['invitation.letter-printed'],
    )
    assert.ok(!response.text.includes('someone-else@family.example'))
  })

  it('gives the same as CSV, one stored value a row, with formulas neutralised', async () => {
    const response = await exportAs('csv').expect(200)
    assert.match(response.headers['content-type'] ?? '', /^text\/csv/)
    const rows = parse(response.text) as string[][]
    assert.deepEqual(rows[0], ['Record', 'Id', 'Field', 'Value'])
    const value = (record: string, field: string) =>
      rows.filter((row) => row[0] === record && row[2] === field).map((row) => row[3])
    assert.deepEqual(value('Invitation', 'recipientEmail'), ['sam@family.example'])
    assert.deepEqual(value('Invitation', 'caseRef'), [CASE])
    assert.deepEqual(value('Response', 'answers.0.answer'), ['yes', 'partly'])
    assert.deepEqual(value('Comment', 'text'), [`'=HYPERLINK("x") they listened`])
    assert.deepEqual(value('Audit event', 'action'), ['invitation.letter-printed'])
    assert.ok(!response.text.includes(linkToken))
  })

  it('audits each export with who, the format and counts, never the case reference', async () => {
    const events = await AuditEventModel.find({ action: 'case.exported' }).sort({ _id: 1 }).lean()
    assert.deepEqual(
      events.map((e) => [e.actorLabel, e.target, e.detail]),
      ['json', 'csv'].map((format) => [
        'ada@council.example',
        `case ${caseRefDigest(t.services.config, CASE)}`,
        `${format}: invitations 1, responses 2, comments 1, outboxMessages 1, bulkUploadRows 0, auditEvents 1`,
      ]),
    )
    assert.ok(events.every((event) => !JSON.stringify(event).includes(CASE)))
  })

  it('refuses a missing format or a malformed reference (400) and anyone but an admin (403)', async () => {
    assert.match(visibleText(await exportAs('xlsx').expect(400)), /Choose JSON or CSV/)
    assert.match(
      visibleText(await exportAs('json', 'not a ref!').expect(400)),
      /letters, numbers and hyphens/,
    )
    const manager = await signIn(t.app, await createUser({ role: 'manager', teams: [team] }))
    const page = await manager.get('/staff').expect(200)
    await manager
      .post('/admin/case-records/export')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), caseRef: CASE, format: 'json' })
      .expect(403)
  })
})
