/**
 * Subject access: everything held for a case reference (caseRecords.ts), as JSON and as CSV, for an
 * admin to send to the family. Internal bookkeeping (link hashes, report-tally state) is left out,
 * and so is any live personal link in kept mail: whoever holds one could answer as the family.
 */
import type { Services } from '../services'
import { recordAudit } from '../audit/auditEvent'
import { toCsv } from '../http/csv'
import { textForAdmin } from '../mail/routes'
import {
  caseRefDigest,
  countCaseRecords,
  findCaseRecords,
  type CaseActor,
  type CaseRecords,
} from './caseRecords'

const INTERNAL_FIELDS = new Set([
  '__v',
  'tokenHash',
  'tallyState',
  'tallyBatch',
  'tallied',
  'claimKey',
  'html',
])

type Plain = null | string | number | boolean | Plain[] | { [key: string]: Plain }

/** A stored document as plain JSON values: ids and dates as strings, internal fields left out. */
function plain(value: unknown): Plain {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(plain)
  if (typeof value === 'object') {
    if ((value as { _bsontype?: string })._bsontype === 'ObjectId') return String(value)
    const out: Record<string, Plain> = {}
    for (const [key, field] of Object.entries(value)) {
      if (!INTERNAL_FIELDS.has(key) && field !== undefined) out[key] = plain(field)
    }
    return out
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  return String(value as bigint)
}

export interface SubjectAccessExport {
  caseRef: string
  exportedAt: string
  invitations: Plain[]
  responses: Plain[]
  comments: Plain[]
  outboxMessages: Plain[]
  bulkUploadRows: Plain[]
  auditEvents: Plain[]
}

export function subjectAccessJson(records: CaseRecords, exportedAt: Date): SubjectAccessExport {
  return {
    caseRef: records.caseRef,
    exportedAt: exportedAt.toISOString(),
    invitations: records.invitations.map(plain),
    responses: records.responses.map(plain),
    comments: records.comments.map(plain),
    outboxMessages: records.outboxMessages.map((message) =>
      plain({ ...message, text: textForAdmin(message) }),
    ),
    bulkUploadRows: records.bulkUploadRows.map((entry) => plain({ uploadId: entry.uploadId, ...entry.row })),
    auditEvents: records.auditEvents.map(plain),
  }
}

/** One row per stored value: Record, Id, Field (a dotted path), Value; cells safe in a spreadsheet. */
export function subjectAccessCsv(data: SubjectAccessExport): string {
  const rows: unknown[][] = []
  const walk = (record: string, id: string, path: string, value: Plain) => {
    if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value)
        ? value.map((item, i) => [String(i), item] as const)
        : Object.entries(value)
      for (const [key, item] of entries) walk(record, id, path ? `${path}.${key}` : key, item)
      return
    }
    rows.push([record, id, path, value === null ? '' : value])
  }
  const sections = [
    ['Invitation', data.invitations],
    ['Response', data.responses],
    ['Comment', data.comments],
    ['Outbox message', data.outboxMessages],
    ['Bulk upload row', data.bulkUploadRows],
    ['Audit event', data.auditEvents],
  ] as const
  for (const [record, items] of sections) {
    for (const item of items) {
      const fields = { ...(item as Record<string, Plain>) }
      const id = String(fields._id ?? fields.uploadId ?? '')
      delete fields._id
      walk(record, id, '', fields)
    }
  }
  return toCsv(['Record', 'Id', 'Field', 'Value'], rows)
}

/** Finds the case's records for an export and audits it (who, when, counts; the reference as a keyed hash). */
export async function exportCase(
  services: Pick<Services, 'clock' | 'config'>,
  caseRef: string,
  format: 'json' | 'csv',
  actor: CaseActor,
): Promise<SubjectAccessExport> {
  const records = await findCaseRecords(caseRef)
  const now = services.clock.now()
  const counts = countCaseRecords(records)
  await recordAudit(now, {
    ...(actor.userId ? { userId: actor.userId } : {}),
    actorLabel: actor.label,
    action: 'case.exported',
    target: `case ${caseRefDigest(services.config, caseRef)}`,
    detail: `${format}: invitations ${counts.invitations}, responses ${counts.responses}, comments ${counts.comments}, outboxMessages ${counts.outboxMessages}, bulkUploadRows ${counts.bulkUploadRows}, auditEvents ${counts.auditEvents}`,
    ...(actor.ip ? { ip: actor.ip } : {}),
  })
  return subjectAccessJson(records, now)
}
