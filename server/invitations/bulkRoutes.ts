/**
 * Bulk sending pages: upload a CSV (file or pasted), see a preview with row-level problems, and
 * send only on confirmation. The preview is stored (BulkUpload) so confirming needs no re-upload.
 */
import { Router, type RequestHandler } from 'express'
import type { Types } from 'mongoose'
import multer from 'multer'
import { z } from 'zod'
import type { Services } from '../services'
import { textMessageDelivery } from '../config'
import { toObjectId } from '../db/objectId'
import { HttpError } from '../http/errors'
import { objectId, readInput, routeInput } from '../http/input'
import { RESPONDENT_LABELS } from '../surveys/definition'
import { recordFilter, teamIdsFor } from '../staff/policy'
import {
  BULK_COLUMNS,
  checkBulkCsv,
  confirmBulkUpload,
  MAX_BULK_BYTES,
  MAX_BULK_ROWS,
  REQUIRED_COLUMNS,
  storePreview,
  type BulkProblem,
} from './bulk'
import { BulkUploadModel } from './bulkUpload'
import { formatDate } from '../dates'
import { InvitationModel } from './invitation'
import { invitationSummary, sendableTeams, signedInUser, staffOnly } from './web'
import { recordStaffAudit } from '../audit/staffAudit'

export const BULK_PATH = '/invitations/bulk'

/**
 * Reads the multipart upload of POST /invitations/bulk before the app's CSRF check, so that the
 * form's _csrf field (in the multipart body) is checked like any other form's. Only for a
 * signed-in session; limits: one file of 1 MB.
 */
export function parseBulkUpload(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_BULK_BYTES, files: 1, fields: 5, fieldSize: MAX_BULK_BYTES, parts: 8 },
  }).single('file')
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== BULK_PATH || !req.is('multipart/form-data')) return next()
    if (!req.session?.staff) return next()
    upload(req, res, (error: unknown) => {
      if (!error) return next()
      if (error instanceof multer.MulterError) {
        return next(
          error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE'
            ? new HttpError(
                413,
                'The file is larger than 1 MB. Split it into smaller files and upload each one.',
              )
            : new HttpError(400, 'Upload one CSV file using the form.'),
        )
      }
      next(new HttpError(400, 'The upload could not be read. Try again with the form.'))
    })
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The file comes through multer (req.file); the form's one other field is the pasted CSV. */
const UploadInput = routeInput({
  body: {
    csv: z.custom<string>((value) => typeof value === 'string', 'Paste the CSV once.').optional(),
  },
})

/** A stored upload, its preview and its confirmation. */
const StoredUploadInput = routeInput({ params: { id: objectId.transform(toObjectId) } })

function uploadedText(file: Express.Multer.File | undefined, pasted: string | undefined): string | undefined {
  if (file && file.size > 0) {
    try {
      return strictUtf8.decode(file.buffer)
    } catch {
      throw new HttpError(400, 'The file is not a UTF-8 CSV. Save it as "CSV UTF-8" and upload it again.')
    }
  }
  if (pasted !== undefined && pasted.trim() !== '') return pasted
  return undefined
}

const COLUMN_HELP = {
  columns: BULK_COLUMNS,
  required: REQUIRED_COLUMNS,
  maxRows: MAX_BULK_ROWS,
}

export function bulkRoutes(services: Services): Router {
  const router = Router()

  router.get(BULK_PATH, staffOnly, (_req, res) => {
    res.render('invitations/bulk', {
      title: 'Send surveys from a file',
      backLink: '/invitations',
      ...COLUMN_HELP,
      textMessages: textMessageDelivery(services.config) !== 'none',
      problems: [],
      errors: [],
    })
  })

  router.post(BULK_PATH, staffOnly, async (req, res) => {
    const user = signedInUser(req)
    const { csv } = readInput(UploadInput, req).body
    const text = uploadedText(req.file, csv)
    const render = (problems: BulkProblem[], summary: string) =>
      res.status(400).render('invitations/bulk', {
        title: 'Send surveys from a file',
        backLink: '/invitations',
        ...COLUMN_HELP,
        textMessages: textMessageDelivery(services.config) !== 'none',
        problems,
        errors: [{ href: problems.length ? 'problems' : 'file', text: summary }],
      })
    if (text === undefined) return render([], 'Choose a CSV file, or paste the CSV')
    const teams = await sendableTeams(user)
    const checked = checkBulkCsv(text, {
      surveys: services.surveys,
      teams,
      now: services.clock.now(),
      textMessages: textMessageDelivery(services.config) !== 'none',
    })
    if (checked.problems.length) {
      const count = checked.problems.length
      return render(
        checked.problems,
        `The file has ${count} problem${count > 1 ? 's' : ''}. Nothing has been sent: correct the file and upload it again.`,
      )
    }
    const upload = await storePreview(services, user.id, checked.rows, req.file?.originalname)
    res.redirect(303, `${BULK_PATH}/${String(upload._id)}`)
  })

  const findOwnUpload = async (userId: Types.ObjectId, id: Types.ObjectId) => {
    return (await BulkUploadModel.findOne({ _id: id, createdBy: userId }).lean()) ?? undefined
  }

  router.get(`${BULK_PATH}/:id`, staffOnly, async (req, res) => {
    const user = signedInUser(req)
    const upload = await findOwnUpload(user.id, readInput(StoredUploadInput, req).params.id)
    if (!upload) throw new HttpError(404, 'There is no upload at this address. Upload the file again.')
    if (upload.status === 'preview') {
      return res.render('invitations/bulk-preview', {
        title: 'Check the surveys before sending',
        backLink: BULK_PATH,
        id: String(upload._id),
        fileName: upload.fileName ?? '',
        rows: upload.rows.map((row) => ({
          line: row.line,
          caseRef: row.caseRef,
          eventDate: formatDate(row.eventDate),
          survey: services.surveys.latest(row.surveyId)?.title ?? row.surveyId,
          surveyId: row.surveyId,
          team: row.teamName,
          respondent: RESPONDENT_LABELS[row.respondent],
          address: row.mobile ?? row.email ?? '',
          byText: Boolean(row.mobile),
          firstName: row.firstName ?? '',
        })),
        textCount: upload.rows.filter((row) => row.mobile).length,
      })
    }
    const invitations = await InvitationModel.find({
      _id: { $in: upload.invitationIds },
      ...recordFilter(user, 'see'),
    })
      .sort({ _id: 1 })
      .lean()
    res.render('invitations/bulk-sent', {
      title:
        upload.status === 'sent'
          ? `${invitations.length} ${invitations.length === 1 ? 'survey' : 'surveys'} sent`
          : 'Sending surveys',
      invitations: invitations.map((invitation) => invitationSummary(services, invitation)),
      sending: upload.status === 'sending',
    })
  })

  router.post(`${BULK_PATH}/:id/confirm`, staffOnly, async (req, res) => {
    const user = signedInUser(req)
    const upload = await findOwnUpload(user.id, readInput(StoredUploadInput, req).params.id)
    if (!upload) throw new HttpError(404, 'There is no upload at this address. Upload the file again.')
    const outcome = await confirmBulkUpload(services, upload._id, {
      id: user.id,
      allowedTeamIds: teamIdsFor(user, 'send') ?? 'all',
    })
    if (!outcome.ok) {
      if (outcome.reason === 'already-sent') return res.redirect(303, `${BULK_PATH}/${String(upload._id)}`)
      throw new HttpError(
        outcome.reason === 'too-old' ? 410 : 409,
        outcome.reason === 'too-old'
          ? 'This preview is more than a day old. Upload the file again.'
          : outcome.reason === 'team-changed'
            ? `You can no longer send for ${outcome.detail ?? 'a team'} in this file. Nothing has been sent.`
            : 'There is no upload at this address. Upload the file again.',
      )
    }
    await recordStaffAudit(
      services,
      req,
      'invitations.bulk-sent',
      `bulk upload ${String(upload._id)}`,
      `${outcome.upload.invitationIds.length} invitations by email`,
    )
    res.redirect(303, `${BULK_PATH}/${String(upload._id)}`)
  })

  return router
}
