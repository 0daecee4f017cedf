/**
 * The API for integrations: bearer tokens from `create-api-token`, rate-limited, every use
 * audited. The reports (BI tools, scripts) take roles qa, manager (own teams) or admin; the
 * invitations API (case-management systems, invitationRoutes.ts) any role that may send for the
 * team. Shapes are contracts: see contracts.md and the README's "API" section; change them only
 * by adding.
 */
import { Router, type NextFunction, type Request, type Response } from 'express'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import { DatabaseRateLimitStore } from '../security/rateLimitStore'
import type { Services } from '../services'
import type { ApiToken } from '../apiTokens/apiToken'
import { authenticateApiToken } from '../apiTokens/service'
import { recordAudit, type AuditAction } from '../audit/auditEvent'
import { HttpError } from '../http/errors'
import { readInput } from '../http/input'
import type { Period } from '../periods/period'
import {
  parseReportFilter,
  reportFilterQuery,
  type FilterQuery,
  type ReportFilter,
  type Viewer,
} from '../reports/filters'
import { TallyStore } from '../reports/aggregate'
import type { Headline } from '../reports/headlines'
import { breakdown, BREAKDOWNS, headlineSummary, type ReportContext } from '../reports/service'
import { cellJson } from '../reports/suppression'
import { invitationApiRoutes } from './invitationRoutes'
import { openApiDocument, parameterNames } from './openapi'
import { apiInput, strictQuery } from './strictInput'

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
      handler: (_req, _res, next) =>
        next(new HttpError(429, 'Too many requests: wait a minute and try again.')),
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
      throw new HttpError(401, 'Give a valid API token in the header "Authorization: Bearer TOKEN".')
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

  router.use('/api/v1/reports', async (req: Request, _res: Response, next: NextFunction) => {
    const token = req.apiToken!
    if (!API_ROLES.has(token.role)) {
      await audit(req, 'api.denied', `/reports${req.path}`, `role ${token.role}`)
      throw new HttpError(
        403,
        `A ${token.role} token cannot use the reports API: it needs the role qa, manager or admin.`,
      )
    }
    next()
  })

  /** The report the query asks for; a refused filter (another team's name included) is audited. */
  const readFilter = async (
    req: Request,
    query: FilterQuery,
  ): Promise<{ filter: ReportFilter; context: ReportContext }> => {
    const token = req.apiToken!
    const viewer: Viewer = { role: token.role, teamIds: token.teamIds }
    const parsed = await parseReportFilter(query, services.surveys, viewer)
    if (!parsed.filter) {
      const message = parsed.errors.map((error) => error.message).join(' ')
      await audit(req, 'api.refused', req.path, `400: ${message.slice(0, 300)}`)
      throw new HttpError(400, message)
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

  const HeadlinesInput = apiInput({
    query: strictQuery(parameterNames('/api/v1/reports/headlines'), reportFilterQuery),
  })
  router.get('/api/v1/reports/headlines', async (req, res) => {
    const { filter, context } = await readFilter(req, readInput(HeadlinesInput, req).query)
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

  const BreakdownInput = apiInput({
    query: strictQuery(parameterNames('/api/v1/reports/breakdown'), {
      ...reportFilterQuery,
      by: z.enum(BREAKDOWNS, { error: `Give by=${BREAKDOWNS.join('|')}.` }),
    }),
  })
  router.get('/api/v1/reports/breakdown', async (req, res) => {
    const { by, ...query } = readInput(BreakdownInput, req).query
    const { filter, context } = await readFilter(req, query)
    const table = await breakdown(context, filter, by)
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
