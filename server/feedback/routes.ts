/**
 * Free text and safeguarding pages for staff: the review queue (QA), "Needs attention"
 * (managers for their teams, QA, admins) and the raw responses export (QA). Thin: parse and
 * check the request, call the service, render. Every view of free text is audited.
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import { isObjectId } from '../db/objectId'
import { HttpError } from '../http/errors'
import { objectId, pageNumberWith, readInput, routeInput, singleText, type FieldError } from '../http/input'
import { parsePeriod } from '../periods/period'
import { requireAction, type StaffUser } from '../staff/access'
import type { SurveyRegistry } from '../surveys/registry'
import { TeamModel } from '../teams/team'
import { userNames } from '../staff/userNames'
import { REVIEW_STATUSES } from '../comments/comment'
import {
  closeFlag,
  findFlag,
  hasOpenFlag,
  listFlags,
  parseAcknowledgement,
  parseNotConcernReason,
  type FieldProblem,
  type FlagClosing,
} from './attention'
import { presentComment } from './presenters'
import { rawResponsesExport } from './rawExport'
import { findComment, listForReview, parseDecision, reviewComment, type ReviewFilter } from './review'
import { recordStaffAudit } from '../audit/staffAudit'

// What these pages read, and the words for what no form of theirs sends.
const queryValue = singleText((name) => `The ${name} value was sent more than once.`).transform((value) =>
  value?.trim(),
)
const formValue = singleText((name) => `The ${name} field was sent more than once.`)
const page = queryValue.pipe(pageNumberWith('The page must be a number.'))

const NO_COMMENT = 'There is no comment at this address.'
const NO_FLAG = 'There is no flagged comment at this address.'

/** The review queue's filter in a query string; wrong values are a 400 with a clear message. */
function reviewFilterQuery(surveys: SurveyRegistry) {
  return {
    survey: queryValue
      .refine((id) => !id || surveys.has(id), 'Choose a survey from the list.')
      .transform((id) => id || undefined),
    team: queryValue
      .refine((id) => !id || isObjectId(id), 'Choose a team from the list.')
      .transform((id) => id || undefined),
    status: queryValue
      .transform((status) => status || 'pending')
      .pipe(z.enum(REVIEW_STATUSES, { error: 'Choose pending, approved or rejected.' })),
    page,
  }
}

function reviewFilter(query: z.output<z.ZodObject<ReturnType<typeof reviewFilterQuery>>>): ReviewFilter {
  return { surveyId: query.survey, teamId: query.team, status: query.status, page: query.page }
}

function user(req: Request): StaffUser {
  // requireAction runs first on every route here.
  return req.staffUser!
}

function reviewQuery(filter: ReviewFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (filter.surveyId) params.set('survey', filter.surveyId)
  if (filter.teamId) params.set('team', filter.teamId)
  params.set('status', filter.status)
  if (filter.page > 1) params.set('page', String(filter.page))
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  return params.toString()
}

/** Where to go back to after a decision: the list the reviewer came from, re-checked. */
function returnFilter(surveys: SurveyRegistry, raw: string | undefined): ReviewFilter {
  const read = z
    .object(reviewFilterQuery(surveys))
    .safeParse(Object.fromEntries(new URLSearchParams(raw ?? '')))
  return read.success ? reviewFilter(read.data) : { status: 'pending', page: 1 }
}

const FLAG_OPEN_MESSAGE =
  'This comment has an open safeguarding flag. It can be approved for quoting only after the flag is acknowledged in Needs attention.'

const FLAG_FIELD_IDS: Record<FieldProblem['field'], string> = {
  note: 'note',
  toldWho: 'toldWho',
  reason: 'reason',
}

const ATTENTION_DONE: Record<string, string> = {
  acknowledged: 'The flag was acknowledged.',
  'not-a-concern': 'The flag was marked not a safeguarding concern.',
  already: 'Someone had already acknowledged that flag.',
}

const DONE_MESSAGES: Record<string, string> = {
  approved: 'The comment was approved for quoting.',
  rejected: 'The comment was rejected. It will not be quoted.',
}

export function feedbackRoutes(services: Services): Router {
  const router = Router()
  // Who may review and who may read flagged free text is the access policy's (staff/policy.ts).
  const reviewers = requireAction('review-free-text')
  const attentionRoles = requireAction('read-free-text')

  async function teamOptions() {
    return TeamModel.find().select({ name: 1 }).sort({ name: 1 }).lean()
  }

  // ---- Review queue -------------------------------------------------------------------------

  const ReviewListInput = routeInput({ query: { ...reviewFilterQuery(services.surveys), done: queryValue } })
  router.get('/feedback/review', reviewers, async (req, res) => {
    const { query } = readInput(ReviewListInput, req)
    const filter = reviewFilter(query)
    const result = await listForReview(filter)
    await recordStaffAudit(
      services,
      req,
      'free-text.viewed',
      'free text review',
      `survey=${filter.surveyId ?? 'all'}; team=${filter.teamId ?? 'all'}; status=${filter.status}; ` +
        `page=${result.page}; comments shown=${result.comments.length}`,
    )
    const shown = { ...filter, page: result.page }
    const done = query.done
    res.render('feedback/review', {
      title: 'Comments to review',
      filter: shown,
      returnQuery: reviewQuery(shown),
      surveys: services.surveys.all().map((s) => ({ id: s.id, title: s.title })),
      teams: (await teamOptions()).map((t) => ({ id: String(t._id), name: t.name })),
      statuses: [
        { id: 'pending', label: 'Waiting for review' },
        { id: 'approved', label: 'Approved' },
        { id: 'rejected', label: 'Rejected' },
      ],
      comments: result.comments.map((c) => presentComment(c, services.surveys, result.reviewers)),
      total: result.total,
      page: result.page,
      pageCount: result.pageCount,
      previousHref:
        result.page > 1 ? `/feedback/review?${reviewQuery({ ...shown, page: result.page - 1 })}` : undefined,
      nextHref:
        result.page < result.pageCount
          ? `/feedback/review?${reviewQuery({ ...shown, page: result.page + 1 })}`
          : undefined,
      notice: done ? DONE_MESSAGES[done] : undefined,
    })
  })

  const CommentInput = routeInput({ params: { id: objectId }, query: { return: queryValue } })
  async function renderComment(
    req: Request,
    res: Response,
    id: string,
    options: { errors?: FieldError[]; redactedText?: string; returnQuery?: string; status?: number } = {},
  ) {
    const comment = await findComment(id)
    if (!comment) throw new HttpError(404, NO_COMMENT)
    await recordStaffAudit(services, req, 'free-text.viewed', `comment ${id}`)
    const people = await userNames([comment.review.reviewedBy, comment.flag?.acknowledgedBy])
    const view = presentComment(comment, services.surveys, people)
    res.status(options.status ?? (options.errors?.length ? 400 : 200)).render('feedback/comment', {
      title: 'Review a comment',
      comment: view,
      redactedText: options.redactedText ?? view.redactedText ?? view.text,
      returnQuery: options.returnQuery ?? reviewQuery({ status: 'pending', page: 1 }),
      errors: options.errors ?? [],
      backLink: `/feedback/review?${options.returnQuery ?? ''}`,
    })
  }

  router.get('/feedback/review/:id', reviewers, async (req, res) => {
    const { params, query } = readInput(CommentInput, req, NO_COMMENT)
    await renderComment(req, res, params.id, {
      returnQuery: reviewQuery(returnFilter(services.surveys, query.return)),
    })
  })

  const DecisionInput = routeInput({
    params: { id: objectId },
    body: { decision: formValue, redactedText: formValue, returnQuery: formValue },
  })
  router.post('/feedback/review/:id', reviewers, async (req, res) => {
    const { params, body } = readInput(DecisionInput, req, NO_COMMENT)
    const id = params.id
    const back = returnFilter(services.surveys, body.returnQuery)
    const decision = parseDecision(body)
    if ('error' in decision) {
      await renderComment(req, res, id, {
        errors: [
          { href: body.decision === undefined ? 'decision-approve' : 'redactedText', text: decision.error },
        ],
        redactedText: body.redactedText,
        returnQuery: reviewQuery(back),
      })
      return
    }
    const result = await reviewComment(id, decision, user(req), services.clock.now())
    if (!result.ok && result.reason === 'not-found') {
      throw new HttpError(404, NO_COMMENT)
    }
    if (!result.ok) {
      await renderComment(req, res, id, {
        status: 409,
        errors: [{ href: 'flag-status', text: FLAG_OPEN_MESSAGE }],
        returnQuery: reviewQuery(back),
      })
      return
    }
    const updated = result.comment
    const status = updated.review.status
    await recordStaffAudit(
      services,
      req,
      status === 'approved' ? 'free-text.approved' : 'free-text.rejected',
      `comment ${id}`,
      status === 'approved'
        ? updated.review.redactedText
          ? 'with a redacted version'
          : 'as written'
        : undefined,
    )
    res.redirect(303, `/feedback/review?${reviewQuery(back, { done: status })}`)
  })

  // ---- Needs attention ----------------------------------------------------------------------

  const AttentionListInput = routeInput({ query: { page, done: queryValue } })
  router.get('/feedback/attention', attentionRoles, async (req, res) => {
    const { query } = readInput(AttentionListInput, req)
    const result = await listFlags(user(req), query.page)
    await recordStaffAudit(
      services,
      req,
      'free-text.viewed',
      'needs attention',
      `page=${result.page}; flags shown=${result.open.length + result.acknowledged.length}`,
    )
    const present = (c: Parameters<typeof presentComment>[0]) =>
      presentComment(c, services.surveys, result.people)
    const done = query.done
    res.render('feedback/attention', {
      title: 'Needs attention',
      open: result.open.map(present),
      acknowledged: result.acknowledged.map(present),
      openTotal: result.openTotal,
      page: result.page,
      pageCount: result.pageCount,
      previousHref: result.page > 1 ? `/feedback/attention?page=${result.page - 1}` : undefined,
      nextHref: result.page < result.pageCount ? `/feedback/attention?page=${result.page + 1}` : undefined,
      notice: done ? ATTENTION_DONE[done] : undefined,
    })
  })

  interface FlagFormValues {
    note?: string
    toldWho?: string
    reason?: string
  }

  async function renderFlag(
    req: Request,
    res: Response,
    id: string,
    options: { problems?: FieldProblem[]; values?: FlagFormValues } = {},
  ) {
    const comment = await findFlag(user(req), id)
    if (!comment) throw new HttpError(404, 'There is no flagged comment at this address that you can see.')
    await recordStaffAudit(services, req, 'free-text.viewed', `comment ${id}`, 'needs attention')
    const people = await userNames([comment.flag?.acknowledgedBy])
    const problems = options.problems ?? []
    res.status(problems.length ? 400 : 200).render('feedback/flag', {
      title: 'A comment that may need attention',
      comment: presentComment(comment, services.surveys, people),
      values: { note: '', toldWho: '', reason: '', ...options.values },
      fieldErrors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
      errors: problems.map((p) => ({ href: FLAG_FIELD_IDS[p.field], text: p.message })),
      backLink: '/feedback/attention',
    })
  }

  const FlagInput = routeInput({ params: { id: objectId } })
  router.get('/feedback/attention/:id', attentionRoles, async (req, res) => {
    const { params } = readInput(FlagInput, req, NO_FLAG)
    await renderFlag(req, res, params.id)
  })

  /** Closes the flag as the form asks, or shows the form again with what is missing. */
  async function closeFromForm(
    req: Request,
    res: Response,
    id: string,
    parsed: FlagClosing | { errors: FieldProblem[] },
    values: FlagFormValues,
  ) {
    if ('errors' in parsed) {
      // A flag someone else has closed meanwhile needs nothing more from this person.
      const flag = await findFlag(user(req), id)
      if (flag && !hasOpenFlag(flag)) return res.redirect(303, '/feedback/attention?done=already')
      await renderFlag(req, res, id, { problems: parsed.errors, values })
      return
    }
    const outcome = await closeFlag(user(req), id, parsed, services.clock.now())
    if (outcome.outcome === 'not-found') {
      throw new HttpError(404, 'There is no flagged comment at this address that you can see.')
    }
    if (outcome.outcome === 'already-acknowledged') {
      return res.redirect(303, '/feedback/attention?done=already')
    }
    // The words stay on the flag (seen by those who may see it), not in the audit trail.
    await recordStaffAudit(
      services,
      req,
      parsed.outcome === 'acted' ? 'safeguarding-flag.acknowledged' : 'safeguarding-flag.not-a-concern',
      `comment ${id}`,
      parsed.outcome === 'acted'
        ? 'what was done and who was told recorded on the flag'
        : 'the reason recorded on the flag',
    )
    res.redirect(
      303,
      `/feedback/attention?done=${parsed.outcome === 'acted' ? 'acknowledged' : 'not-a-concern'}`,
    )
  }

  const AcknowledgementInput = routeInput({
    params: { id: objectId },
    body: { note: formValue, toldWho: formValue },
  })
  router.post('/feedback/attention/:id', attentionRoles, async (req, res) => {
    const { params, body } = readInput(AcknowledgementInput, req, NO_FLAG)
    await closeFromForm(req, res, params.id, parseAcknowledgement(body), body)
  })

  const NotConcernInput = routeInput({ params: { id: objectId }, body: { reason: formValue } })
  router.post('/feedback/attention/:id/not-a-concern', attentionRoles, async (req, res) => {
    const { params, body } = readInput(NotConcernInput, req, NO_FLAG)
    await closeFromForm(req, res, params.id, parseNotConcernReason(body.reason), body)
  })

  // ---- Raw responses export ----------------------------------------------------------------

  const surveyOptions = () => services.surveys.all().map((s) => ({ id: s.id, title: s.title }))

  router.get('/feedback/export', reviewers, (req, res) => {
    res.render('feedback/export', {
      title: 'Download raw responses',
      surveys: surveyOptions(),
      survey: '',
      period: '',
      errors: [],
    })
  })

  const ExportInput = routeInput({ query: { survey: queryValue, period: queryValue } })
  router.get('/feedback/export.csv', reviewers, async (req, res) => {
    const { query } = readInput(ExportInput, req)
    const surveyId = query.survey ?? ''
    const periodId = query.period ?? ''
    const errors: FieldError[] = []
    if (!services.surveys.has(surveyId)) errors.push({ href: 'survey', text: 'Choose a survey' })
    const period = parsePeriod(periodId)
    if (!period) {
      errors.push({
        href: 'period',
        text:
          periodId === ''
            ? 'Enter a period, for example 2020-21-Q4'
            : 'Enter a period like 2020-21-Q4 (a quarter), 2020-21 (a year) or 2021-04 (a month)',
      })
    }
    if (errors.length || !period) {
      res.status(400).render('feedback/export', {
        title: 'Download raw responses',
        surveys: surveyOptions(),
        survey: services.surveys.has(surveyId) ? surveyId : '',
        period: periodId.slice(0, 100),
        errors,
      })
      return
    }
    const file = await rawResponsesExport(services.surveys, surveyId, period)
    await recordStaffAudit(
      services,
      req,
      'responses.exported',
      `responses ${surveyId} ${period.id}`,
      `${file.rowCount} rows, including free text`,
    )
    res.set('Content-Type', 'text/csv; charset=utf-8')
    res.set('Content-Disposition', `attachment; filename="${file.filename}"`)
    res.set('Cache-Control', 'no-store')
    res.send(file.csv)
  })

  return router
}
