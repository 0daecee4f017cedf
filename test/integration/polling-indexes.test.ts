/**
 * Every background poll reads only what is due: its filter leads with an equality on an indexed
 * status, which the embedded engine answers from the index (and MongoDB too), so settled mail and
 * past years' invitations are never read. Checked with `explain` on the very filters the jobs use.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { dueExpiryFilter, dueReminderFilter } from '../../server/invitations/sending'
import { BulkUploadModel } from '../../server/invitations/bulkUpload'
import { InvitationModel } from '../../server/invitations/invitation'
import { CommentModel } from '../../server/comments/comment'
import { dueAlertFilter, staleAlertClaimFilter } from '../../server/feedback/safeguarding'
import { OutboxMessageModel } from '../../server/mail/outboxMessage'
import { dueMailFilter, staleClaimFilter } from '../../server/mail/outboxWorker'
import { oldBulkUploadFilter, settledMailFilter, stalePreviewFilter } from '../../server/retention'
import { useTestApp } from '../helpers/hooks'

type Collection = typeof OutboxMessageModel.collection

/** The index a find was planned with: FerretDB's SQLite plan ("USING INDEX …") or MongoDB's IXSCAN. */
function indexUsed(explain: unknown): string | undefined {
  const text = JSON.stringify(explain)
  const sqlite = /USING INDEX (\S+)/.exec(text)?.[1]
  if (sqlite) return sqlite
  return /"stage":"IXSCAN"[^}]*?"indexName":"([^"]+)"/.exec(text)?.[1]
}

describe('background polls read only what is due, through an index', () => {
  const t = useTestApp()
  before(async () => {
    // A little of everything, so that the planner has something to choose between.
    const now = t.clock.now()
    await OutboxMessageModel.collection.insertMany(
      ['pending', 'sending', 'sent', 'kept', 'failed', 'cancelled'].map((status) => ({
        to: 'family@family.example',
        subject: 'Your survey',
        text: 'Hello',
        purpose: 'invitation',
        status,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      })),
    )
  })

  const now = () => t.clock.now()
  const cases: Array<
    [string, () => { collection: Collection; filter: Record<string, unknown>; index: RegExp }]
  > = [
    [
      'the outbox worker: mail due now',
      () => ({ collection: OutboxMessageModel.collection, filter: dueMailFilter(now()), index: /status_1/ }),
    ],
    [
      'the outbox worker: claims left by a dead process',
      () => ({
        collection: OutboxMessageModel.collection,
        filter: staleClaimFilter(now()),
        index: /status_1/,
      }),
    ],
    [
      'the reminder job',
      () => ({
        collection: InvitationModel.collection,
        filter: dueReminderFilter(now(), now()),
        index: /status_1/,
      }),
    ],
    [
      'the expiry job',
      () => ({
        collection: InvitationModel.collection,
        filter: dueExpiryFilter(now()),
        index: /status_1/,
      }),
    ],
    [
      'retention: settled mail',
      () => ({
        collection: OutboxMessageModel.collection,
        filter: settledMailFilter(now(), 30),
        index: /status_1/,
      }),
    ],
    [
      'retention: stale previews',
      () => ({
        collection: BulkUploadModel.collection,
        filter: stalePreviewFilter(now()),
        index: /status_1/,
      }),
    ],
    [
      'retention: old sent uploads',
      () => ({
        collection: BulkUploadModel.collection,
        filter: oldBulkUploadFilter(now(), 30),
        index: /status_1/,
      }),
    ],
  ]

  for (const [name, make] of cases) {
    it(`${name} leads with status and is answered from an index`, async () => {
      const { collection, filter, index } = make()
      assert.equal(Object.keys(filter)[0], 'status')
      const explain = await collection.find(filter).explain()
      const used = indexUsed(explain)
      assert.ok(used, `no index used: ${JSON.stringify(explain)}`)
      assert.match(used, index)
    })
  }

  for (const [name, filter] of [
    ['the safeguarding alert job: alerts due', () => dueAlertFilter()],
    ['the safeguarding alert job: claims left by a dead process', () => staleAlertClaimFilter(now())],
  ] as const) {
    it(`${name} leads with alertState and is answered from an index`, async () => {
      await CommentModel.init()
      const where = filter()
      assert.equal(Object.keys(where)[0], 'alertState')
      const explain = await CommentModel.collection.find(where).explain()
      const used = indexUsed(explain)
      assert.ok(used, `no index used: ${JSON.stringify(explain)}`)
      assert.match(used, /alertState_1/)
    })
  }
})
