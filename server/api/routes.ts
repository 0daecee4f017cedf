/**
 * The API for integrations: bearer tokens from `create-api-token`, rate-limited, every use
 * audited. The reports (BI tools, scripts) take roles qa, manager (own teams) or admin; the
 * invitations API (case-management systems, invitationRoutes.ts) any role that may send for the
 * team. Shapes are contracts: see contracts.md and the README's "API" section; change them only
 * by adding.
 */
import { Router, type NextFunction, type Request, type Response } from 'express'
import { rateLimit } from 'express-rate-limit'
import { DatabaseRateLimitStore } from '../security/rateLimitStore'
import type { Services } from '../services'
import type { ApiToken } from '../apiTokens/apiToken'
import { authenticateApiToken } from '../apiTokens/service'
import { recordAudit, type AuditAction } from '../audit/auditEvent'
import type { Period } from '../periods/period'
import { parseReportFilter, type ReportFilter, type Viewer } from '../reports/filters'
import { TallyStore } from '../reports/aggregate'
import type { Headline } from '../reports/headlines'
import {
  breakdown,
  BREAKDOWNS,
  headlineSummary,
  type BreakdownKind,
  type ReportContext,
} from '../reports/service'
import { cellJson } from '../reports/suppression'
import { invitationApiRoutes } from './invitationRoutes'
import { openApiDocument, parameterNames } from './openapi'
import { queryProblem } from './queryCheck'

declare module 'express-serve-static-core' {
  interface Request {
    apiToken?: ApiToken
  }
}

/** Requests per minute per client address. */
export const API_RATE_LIMIT = 120

const API_ROLES = new Set(['qa', 'manager', 'admin'])

function periodJson(period: Period) {
  return { id: period.id, label: period.label, from: period.from, to: period.to }
}

/** A headline as the API gives it: no positive count when the percentage is suppressed. */
export function headlineJson(headline: Headline) {
  return {
    question: headline.question,
    statement: headline.statement,
    answered: headline.answered,
    positive: headline.suppressed ? null : headline.positive,
    percent: headline.suppressed ? null : headline.percent,
    suppressed: headline.suppressed,
  }
}

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error })
}

export function apiRoutes(services: Services): Router {
  const router = Router()

  router.use(
    '/api/v1',
    rateLimit({
      store: new DatabaseRateLimitStore('api'),
      windowMs: 60_000,
      limit: API_RATE_LIMIT,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => fail(res, 429, 'Too many requests: wait a minute and try again.'),
    }),
  )

  // The description of the API holds no data: readable without a token.
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(openApiDocument)
  })

  router.use('/api/v1', async (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store')
    const token = await authenticateApiToken(req.get('authorization'), services.clock)
    if (!token) {
      // Refused calls are audited too (no token's secret is recorded): the rate limit bounds them.
      await audit(
        req,
        'api.refused',
        req.path,
        req.get('authorization') ? '401: unknown or revoked token' : '401: no token',
      )
      res.set('WWW-Authenticate', 'Bearer')
      return fail(res, 401, 'Give a valid API token in the header "Authorization: Bearer TOKEN".')
    }
    req.apiToken = token
    next()
  })

  const audit = (req: Request, action: AuditAction, target: string, detail?: string) =>
    recordAudit(services.clock.now(), {
      actorLabel: `api token "${req.apiToken?.name ?? 'unknown'}"`,
      action,
      target,
      ...(detail ? { detail } : {}),
      ip: req.ip,
    })

  router.use(invitationApiRoutes(services, audit))

  router.use('/api/v1/reports', async (req: Request, res: Response, next: NextFunction) => {
    const token = req.apiToken!
    if (!API_ROLES.has(token.role)) {
      await audit(req, 'api.denied', `/reports${req.path}`, `role ${token.role}`)
      return fail(
        res,
        403,
        `A ${token.role} token cannot use the reports API: it needs the role qa, manager or admin.`,
      )
    }
    next()
  })

  /** The filter from the query, or undefined after answering 400 (another team's name included). */
  const readFilter = async (
    req: Request,
    res: Response,
    allowed: string[],
  ): Promise<{ filter: ReportFilter; context: ReportContext } | undefined> => {
    const token = req.apiToken!
    const problem = queryProblem(req.query, allowed)
    if (problem) {
      fail(res, 400, problem)
      return undefined
    }
    const viewer: Viewer = { role: token.role, teamIds: token.teamIds }
    const parsed = await parseReportFilter(req.query, services.surveys, viewer)
    if (!parsed.filter) {
      const message = parsed.errors.map((error) => error.message).join(' ')
      await audit(req, 'api.refused', req.path, `400: ${message.slice(0, 300)}`)
      fail(res, 400, message)
      return undefined
    }
    return {
      filter: parsed.filter,
      context: {
        surveys: services.surveys,
        settings: services.config,
        viewer,
        tallies: new TallyStore(services.tallies),
      },
    }
  }

  const headlineParameters = parameterNames('/api/v1/reports/headlines')
  const breakdownParameters = parameterNames('/api/v1/reports/breakdown')

  router.get('/api/v1/reports/headlines', async (req, res) => {
    const read = await readFilter(req, res, headlineParameters)
    if (!read) return
    const { filter, context } = read
    const summary = await headlineSummary(context, filter)
    await audit(
      req,
      'api.reports.headlines',
      `report ${filter.survey.id} ${filter.period.id}`,
      describe(filter),
    )
    res.json({
      survey: filter.survey.id,
      period: periodJson(filter.period),
      responses: summary.responses,
      headlines: summary.headlines.map(headlineJson),
    })
  })

  router.get('/api/v1/reports/breakdown', async (req, res) => {
    const problem = queryProblem(req.query, breakdownParameters)
    if (problem) return fail(res, 400, problem)
    const by = req.query.by
    if (typeof by !== 'string' || !(BREAKDOWNS as readonly string[]).includes(by)) {
      return fail(res, 400, `Give by=${BREAKDOWNS.join('|')}.`)
    }
    const read = await readFilter(req, res, breakdownParameters)
    if (!read) return
    const { filter, context } = read
    const table = await breakdown(context, filter, by as BreakdownKind)
    await audit(
      req,
      'api.reports.breakdown',
      `report ${filter.survey.id} ${filter.period.id}`,
      `by ${by}${describe(filter) ? `; ${describe(filter)}` : ''}`,
    )
    res.json({
      survey: filter.survey.id,
      period: periodJson(filter.period),
      by,
      groups: table.rows.map((row) => ({
        key: row.key,
        label: row.label,
        responses: row.responses,
        headlines: table.questions.map((question, column) => ({
          question: question.id,
          statement: question.statement,
          ...cellJson(row.cells[column]!),
        })),
      })),
    })
  })

  return router
}

function describe(filter: ReportFilter): string {
  const parts: string[] = []
  if (filter.team) parts.push(`team ${filter.team.name}`)
  if (filter.respondent) parts.push(`respondent ${filter.respondent}`)
  if (filter.mode) parts.push(`mode ${filter.mode}`)
  return parts.join('; ')
}
