/**
 * Everything Family Voice holds for one case reference, for subject access (subjectAccess.ts) and
 * erasure (erasure.ts): the case's invitations, the responses given through them or recorded with
 * the reference, their free text, the invitations' outbox mail, bulk-upload rows naming the case
 * and the audit events about those records. Each lookup is an equality on an indexed field (the
 * case reference, a claim key, an invitation or response id, an audit target), so it costs the
 * same however big the collections grow; bulk uploads are few (deleted after 30 days) and scanned.
 */
import { createHmac } from 'node:crypto'
import type { Types } from 'mongoose'
import { AuditEventModel, type AuditEvent } from '../audit/auditEvent'
import { CommentModel, type Comment } from '../comments/comment'
import type { Config } from '../config'
import { BulkUploadModel, type BulkRow } from '../invitations/bulkUpload'
import { InvitationModel, type Invitation } from '../invitations/invitation'
import { CASE_REF_PATTERN } from '../invitations/service'
import { OutboxMessageModel, type OutboxMessage } from '../mail/outboxMessage'
import { ResponseModel, type SurveyResponse } from '../responses/response'

export interface CaseRecords {
  caseRef: string
  invitations: Invitation[]
  responses: SurveyResponse[]
  comments: Comment[]
  outboxMessages: OutboxMessage[]
  bulkUploadRows: { uploadId: Types.ObjectId; row: BulkRow }[]
  auditEvents: AuditEvent[]
}

/** Who erases or exports, for the audit trail: a staff user, or the CLI. */
export interface CaseActor {
  userId?: Types.ObjectId
  label: string
  ip?: string
}

export interface CaseCounts {
  invitations: number
  responses: number
  comments: number
  openFlags: number
  outboxMessages: number
  bulkUploadRows: number
  auditEvents: number
}

export const CASE_COUNT_LABELS: Record<keyof CaseCounts, string> = {
  invitations: 'Invitations (their case reference, email, mobile and name)',
  responses: 'Responses (their link to the case; the answers stay as anonymous counts)',
  comments: 'Free-text answers, with their reviews and safeguarding notes',
  openFlags: 'of which have a safeguarding flag still open',
  outboxMessages: 'Emails in the outbox',
  bulkUploadRows: 'Rows of bulk uploads',
  auditEvents: 'Audit events about these records (kept: they name staff, not the family)',
}

/** The case reference as typed, or an error message for the form. */
export function checkCaseRef(text: string): { caseRef: string } | { error: string } {
  const caseRef = text.trim()
  if (caseRef === '') return { error: 'Enter the case reference' }
  if (!CASE_REF_PATTERN.test(caseRef))
    return { error: 'A case reference is letters, numbers and hyphens, up to 30 characters' }
  return { caseRef }
}

/**
 * How the audit trail names a case without keeping its reference: a keyed hash, so the trail shows
 * the same case twice as the same value, but a short reference cannot be guessed back from it.
 */
export function caseRefDigest(config: Pick<Config, 'sessionSecret'>, caseRef: string): string {
  return createHmac('sha256', config.sessionSecret).update(`case-ref:${caseRef}`).digest('hex').slice(0, 24)
}

/** A comment's safeguarding flag that no person has closed yet. */
export function hasOpenFlag(comment: Pick<Comment, 'flag'>): boolean {
  return Boolean(comment.flag && !comment.flag.acknowledgedAt)
}

export async function findCaseRecords(caseRef: string): Promise<CaseRecords> {
  const invitations = await InvitationModel.find({ caseRef }).sort({ _id: 1 }).lean()
  const invitationIds = invitations.map((invitation) => invitation._id)
  // A response given through one of the case's links (claimKey, unique-indexed) or recorded with the reference.
  // Two queries, not an $or, which the embedded engine would answer by reading every response.
  const byRef = await ResponseModel.find({ caseRef }).lean()
  const byLink = invitationIds.length
    ? await ResponseModel.find({
        claimKey: { $in: invitationIds.map((id) => `invitation:${String(id)}`) },
      }).lean()
    : []
  const responses = [
    ...new Map([...byRef, ...byLink].map((response) => [String(response._id), response])).values(),
  ].sort((a, b) => String(a._id).localeCompare(String(b._id)))
  const responseIds = responses.map((response) => response._id)
  const comments = responseIds.length
    ? await CommentModel.find({ responseId: { $in: responseIds } })
        .sort({ _id: 1 })
        .lean()
    : []
  const outboxMessages = invitationIds.length
    ? await OutboxMessageModel.find({ invitationId: { $in: invitationIds } })
        .sort({ _id: 1 })
        .lean()
    : []
  const uploads = await BulkUploadModel.find({ 'rows.caseRef': caseRef }).lean()
  const bulkUploadRows = uploads.flatMap((upload) =>
    upload.rows.filter((row) => row.caseRef === caseRef).map((row) => ({ uploadId: upload._id, row })),
  )
  const targets = [
    ...invitationIds.map((id) => `invitation ${String(id)}`),
    ...responseIds.map((id) => `response ${String(id)}`),
    ...comments.map((comment) => `comment ${String(comment._id)}`),
  ]
  const auditEvents = targets.length
    ? await AuditEventModel.find({ target: { $in: targets } })
        .sort({ _id: 1 })
        .lean()
    : []
  return { caseRef, invitations, responses, comments, outboxMessages, bulkUploadRows, auditEvents }
}

export function countCaseRecords(records: CaseRecords): CaseCounts {
  return {
    invitations: records.invitations.length,
    responses: records.responses.length,
    comments: records.comments.length,
    openFlags: records.comments.filter(hasOpenFlag).length,
    outboxMessages: records.outboxMessages.length,
    bulkUploadRows: records.bulkUploadRows.length,
    auditEvents: records.auditEvents.length,
  }
}
