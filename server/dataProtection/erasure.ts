/**
 * Erasure by case reference (`npm run cli -- erase-case`, /admin/case-records). Everything that
 * says whose a record is goes: the invitations' case reference, addresses, name, mail server
 * replies and event date, their outbox mail, bulk-upload rows naming the case, the responses' link
 * to the case (reference, invitation, external id) and every free-text answer with its review and
 * flag notes.
 *
 * What stays is counts: a response keeps its answers, survey, period, team and way of answering,
 * an invitation its survey, team, sent date and whether it was answered. Nothing then ties them to
 * the family, so they are anonymous, and the report tallies, which count exactly those fields,
 * stay right without a recount (`recount-reports --check` agrees). Removing the answers as well
 * would change published quarters' figures after the Board has read them.
 *
 * A case with an open safeguarding flag is refused until a person has closed the flag: the words
 * of a possible disclosure of harm are not deleted before someone has acted on them.
 */
import { randomBytes } from 'node:crypto'
import type { Services } from '../services'
import { recordAudit } from '../audit/auditEvent'
import { CommentModel } from '../comments/comment'
import { BulkUploadModel } from '../invitations/bulkUpload'
import { InvitationModel } from '../invitations/invitation'
import { cancelErased } from '../invitations/lifecycle'
import { OutboxMessageModel } from '../mail/outboxMessage'
import { ResponseModel } from '../responses/response'
import { sha256Hex } from '../security/sha256'
import {
  caseRefDigest,
  countCaseRecords,
  findCaseRecords,
  hasOpenFlag,
  type CaseActor,
  type CaseCounts,
  type CaseRecords,
} from './caseRecords'
import { INVITATION_CONTACT_FIELDS } from './schedule'

export type ErasureOutcome =
  { erased: true; counts: CaseCounts } | { erased: false; reason: 'open-flags'; counts: CaseCounts }

export function describeCaseCounts(counts: CaseCounts): string {
  return [
    `invitations ${counts.invitations}`,
    `responses ${counts.responses}`,
    `comments ${counts.comments}`,
    `outboxMessages ${counts.outboxMessages}`,
    `bulkUploadRows ${counts.bulkUploadRows}`,
  ].join(', ')
}

async function eraseRecords(records: CaseRecords, now: Date): Promise<void> {
  const invitations = InvitationModel.collection
  for (const invitation of records.invitations) {
    const unset = Object.fromEntries(
      [...INVITATION_CONTACT_FIELDS, 'caseRef', 'failureReason', 'eventDate'].map((field) => [field, '']),
    )
    // Through the driver: the fields the tallies count (survey, team, sent, answered) are untouched,
    // and so is the status of an answered one.
    await invitations.updateOne(
      { _id: invitation._id },
      {
        $unset: unset,
        $set: {
          tokenHash: sha256Hex(`erased:${randomBytes(32).toString('hex')}`),
          events: (invitation.events ?? []).map(({ at, kind }) => ({ at, kind })),
        },
      },
    )
    // A live link is cancelled and can never open again.
    await cancelErased(invitation._id, now)
  }
  const invitationIds = records.invitations.map((invitation) => invitation._id)
  if (invitationIds.length)
    await OutboxMessageModel.collection.deleteMany({ invitationId: { $in: invitationIds } })
  const responseIds = records.responses.map((response) => response._id)
  if (responseIds.length) {
    // The claim key stays (`invitation:<id>` or an import's id or row hash): importing the same file
    // again must not bring the response back.
    await ResponseModel.collection.updateMany(
      { _id: { $in: responseIds } },
      { $unset: { caseRef: '', invitationId: '', externalId: '' } },
    )
    await CommentModel.collection.deleteMany({ responseId: { $in: responseIds } })
  }
  for (const uploadId of new Set(records.bulkUploadRows.map((entry) => String(entry.uploadId)))) {
    const upload = await BulkUploadModel.findById(uploadId).lean()
    if (!upload) continue
    await BulkUploadModel.collection.updateOne(
      { _id: upload._id },
      { $set: { rows: upload.rows.filter((row) => row.caseRef !== records.caseRef) } },
    )
  }
}

/** Erases the case (or refuses, with what it holds); audited with who, when and counts, never the reference. */
export async function eraseCase(
  services: Pick<Services, 'clock' | 'config'>,
  caseRef: string,
  actor: CaseActor,
): Promise<ErasureOutcome> {
  const records = await findCaseRecords(caseRef)
  const counts = countCaseRecords(records)
  if (records.comments.some(hasOpenFlag)) return { erased: false, reason: 'open-flags', counts }
  const now = services.clock.now()
  await eraseRecords(records, now)
  await recordAudit(now, {
    ...(actor.userId ? { userId: actor.userId } : {}),
    actorLabel: actor.label,
    action: 'case.erased',
    target: `case ${caseRefDigest(services.config, caseRef)}`,
    detail: describeCaseCounts(counts),
    ...(actor.ip ? { ip: actor.ip } : {}),
  })
  return { erased: true, counts }
}
