/**
 * Admin pages for data protection: the retention schedule and what it did each day
 * (/admin/retention), and a case's records (/admin/case-records): type the case reference, see
 * what is held, export it (JSON or CSV) or erase it after confirming. The reference travels only
 * in POST bodies, never in a URL (addresses end up in logs and browser history).
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import { formatDateTime } from '../dates'
import { readInput, routeInput, sentOnce, sentText, type FieldError } from '../http/input'
import { requireRole } from '../staff/access'
import {
  CASE_COUNT_LABELS,
  checkCaseRef,
  countCaseRecords,
  findCaseRecords,
  type CaseActor,
} from './caseRecords'
import { eraseCase } from './erasure'
import { RetentionDayModel } from './retentionRecord'
import { REMOVAL_KINDS, REMOVAL_LABELS, retentionSchedule } from './schedule'
import { exportCase, subjectAccessCsv } from './subjectAccess'

const RECENT_DAYS = 30

function actorOf(req: Request): CaseActor {
  const user = req.staffUser!
  return { userId: user.id, label: user.email, ...(req.ip ? { ip: req.ip } : {}) }
}

// The reference is read as typed, shown again when checkCaseRef (shared with the command line) refuses it.
const CaseForm = routeInput({ body: { caseRef: sentText } })
const ExportForm = routeInput({
  body: {
    caseRef: sentText,
    format: sentOnce(z.enum(['json', 'csv'], { error: 'Choose JSON or CSV.' })),
  },
})
const EraseForm = routeInput({ body: { caseRef: sentText, confirm: sentText } })

export function dataProtectionRoutes(services: Services): Router {
  const router = Router()
  const adminOnly = requireRole('admin')

  router.get('/admin/retention', adminOnly, async (_req, res) => {
    const days = await RetentionDayModel.find().sort({ _id: -1 }).limit(RECENT_DAYS).lean()
    res.render('admin/retention', {
      title: 'Retention schedule',
      schedule: retentionSchedule(services.config),
      kinds: REMOVAL_KINDS.map((kind) => ({ kind, label: REMOVAL_LABELS[kind] })),
      days: days.map((day) => ({
        day: day._id,
        removed: day.removed ?? {},
        finished: day.schedule?.finishedAt ? formatDateTime(day.schedule.finishedAt) : '',
      })),
    })
  })

  const renderFind = (res: Response, status: number, values: { caseRef: string }, errors: FieldError[]) => {
    res.status(status).render('admin/case-records', { title: 'Records for a case', values, errors })
  }

  const renderSummary = async (
    res: Response,
    status: number,
    caseRef: string,
    errors: FieldError[] = [],
  ): Promise<void> => {
    const counts = countCaseRecords(await findCaseRecords(caseRef))
    res.status(status).render('admin/case-summary', {
      title: 'Records for this case',
      caseRef,
      counts,
      labels: CASE_COUNT_LABELS,
      nothing: Object.values(counts).every((count) => count === 0),
      errors,
    })
  }

  /** The checked case reference, or the form again with the error (400). */
  const checkedCaseRef = (res: Response, typed: string): string | undefined => {
    const checked = checkCaseRef(typed)
    if ('caseRef' in checked) return checked.caseRef
    renderFind(res, 400, { caseRef: typed }, [{ href: 'caseRef', text: checked.error }])
    return undefined
  }

  router.get('/admin/case-records', adminOnly, (_req, res) => {
    renderFind(res, 200, { caseRef: '' }, [])
  })

  router.post('/admin/case-records', adminOnly, async (req, res) => {
    const caseRef = checkedCaseRef(res, readInput(CaseForm, req).body.caseRef)
    if (caseRef) await renderSummary(res, 200, caseRef)
  })

  router.post('/admin/case-records/export', adminOnly, async (req, res) => {
    const { format, caseRef: typed } = readInput(ExportForm, req).body
    const caseRef = checkedCaseRef(res, typed)
    if (!caseRef) return
    const data = await exportCase(services, caseRef, format, actorOf(req))
    const name = `case-records-${data.exportedAt.slice(0, 10)}.${format}`
    res.set('Content-Disposition', `attachment; filename="${name}"`)
    if (format === 'json') res.type('application/json').send(JSON.stringify(data, null, 2))
    else res.type('text/csv; charset=utf-8').send(subjectAccessCsv(data))
  })

  router.post('/admin/case-records/erase', adminOnly, async (req, res) => {
    const { caseRef: typed, confirm } = readInput(EraseForm, req).body
    const caseRef = checkedCaseRef(res, typed)
    if (!caseRef) return
    if (confirm !== 'yes') {
      await renderSummary(res, 400, caseRef, [
        { href: 'confirm', text: 'Tick the box to confirm that this case’s personal data should be erased' },
      ])
      return
    }
    const outcome = await eraseCase(services, caseRef, actorOf(req))
    if (!outcome.erased) {
      await renderSummary(res, 409, caseRef, [
        {
          href: 'confirm',
          text: `${outcome.counts.openFlags} of this case’s comments have a safeguarding flag that is still open. Close each flag in Needs attention first.`,
        },
      ])
      return
    }
    res.render('admin/case-erased', {
      title: 'Case erased',
      counts: outcome.counts,
      labels: CASE_COUNT_LABELS,
    })
  })

  return router
}
