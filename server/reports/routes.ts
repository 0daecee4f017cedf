/**
 * Report pages: the dashboard (GET /reports), the printable quarterly report
 * (GET /reports/quarterly) and the CSV of the dashboard's tables (GET /reports/export.csv).
 * Practitioners and managers see their own teams' aggregated results; QA and admins see all.
 * Practitioners never see free text.
 */
import path from 'node:path'
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../services'
import { recordAudit } from '../audit/auditEvent'
import { approvedQuotes, type Quote } from '../feedback/quotes'
import { formatDate } from '../dates'
import { checkDate, type DateParts } from '../invitations/dateInput'
import { HttpError } from '../http/errors'
import { readInput, routeInput, singleText } from '../http/input'
import {
  parsePeriod,
  periodBounds,
  periodField,
  periodKeysFor,
  previousPeriod,
  type Period,
} from '../periods/period'
import { MODE_LABELS, MODES } from '../responses/response'
import { requireAction, requireRole, type StaffUser } from '../staff/access'
import { mayAtAll, teamIdsFor } from '../staff/policy'
import { RESPONDENT_LABELS, RESPONDENT_TYPES } from '../surveys/definition'
import { TeamModel } from '../teams/team'
import { TallyStore } from './aggregate'
import { reportCsv } from './csvExport'
import {
  givenOnce,
  parseReportFilter,
  reportFilterQuery,
  visibleTeamIds,
  type FilterError,
  type ParsedFilter,
  type ReportFilter,
} from './filters'
import {
  chartData,
  cellView,
  jsonForScript,
  questionsByGroup,
  reportName,
  responseRateSentence,
  surveyName,
  withoutRepeats,
} from './present'
import { printPageStyles } from './printPage'
import { questionComments } from './questionComments'
import { reportModel, type ReportContext } from './service'
import { changeText } from './verdicts'

/** Periods offered in the form: recent quarters, years and months, newest first. */
function periodOptions(now: Date, current: string): { value: string; text: string }[] {
  const options: Period[] = []
  const add = (period: Period | undefined, count: number) => {
    let cursor = period
    for (let i = 0; i < count && cursor; i++) {
      options.push(cursor)
      cursor = previousPeriod(cursor)
    }
  }
  const keys = periodKeysFor(now)
  add(parsePeriod(keys.quarter), 12)
  add(parsePeriod(keys.year), 4)
  add(parsePeriod(keys.month), 24)
  const list = options.map((period) => ({ value: period.id, text: period.label }))
  const chosen = parsePeriod(current)
  if (chosen && !list.some((option) => option.value === chosen.id))
    list.unshift({ value: chosen.id, text: chosen.label })
  return list
}

const EMPTY_PARTS: DateParts = { day: '', month: '', year: '' }

/** A box of a GOV.UK date input, as the form shows it again. */
const dateBox = singleText(() => 'Give each part of the dates once.').transform((value) =>
  (value ?? '').trim().slice(0, 10),
)

/**
 * A report's query: the filters, and custom dates from the GOV.UK date inputs (from-day,
 * from-month, from-year and the same for to) or as `from`/`to` YYYY-MM-DD (older links).
 */
const reportQuery = {
  ...reportFilterQuery,
  from: givenOnce.transform((value) => value?.trim()),
  to: givenOnce.transform((value) => value?.trim()),
  'from-day': dateBox,
  'from-month': dateBox,
  'from-year': dateBox,
  'to-day': dateBox,
  'to-month': dateBox,
  'to-year': dateBox,
}
type ReportQuery = z.output<z.ZodObject<typeof reportQuery>>

const ReportInput = routeInput({ query: reportQuery })

/** The two dates a person typed, as the GOV.UK date inputs show them again. */
interface TypedDates {
  from: DateParts
  to: DateParts
}

/**
 * The query with custom dates folded into `period`: a date that is missing, not a real date, or a
 * "to" before the "from" is an error against its field.
 */
function periodFromDates(
  query: ReportQuery,
  errors: FilterError[],
): { query: ReportQuery; dates: TypedDates } {
  const legacy = (name: 'from' | 'to'): DateParts | undefined => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(query[name] ?? '')
    return match
      ? { year: match[1]!, month: String(Number(match[2])), day: String(Number(match[3])) }
      : undefined
  }
  const typed = (name: 'from' | 'to'): DateParts => ({
    day: query[`${name}-day`],
    month: query[`${name}-month`],
    year: query[`${name}-year`],
  })
  const from = typed('from')
  const to = typed('to')
  const given = (parts: DateParts) => parts.day !== '' || parts.month !== '' || parts.year !== ''
  const legacyGiven = query.from !== undefined || query.to !== undefined
  const dates: TypedDates = {
    from: given(from) ? from : (legacy('from') ?? EMPTY_PARTS),
    to: given(to) ? to : (legacy('to') ?? EMPTY_PARTS),
  }
  if (!given(from) && !given(to)) {
    if (!legacyGiven) return { query, dates }
    if (!legacy('from') || !legacy('to')) {
      errors.push({
        field: 'from',
        message:
          'Enter both dates as year-month-day, for example 2019-04-01 and 2019-09-30, the first no later than the second.',
      })
      return { query, dates }
    }
  }
  const first = checkDate(dates.from, 'the first date')
  const last = checkDate(dates.to, 'the last date')
  if (!first.ok) errors.push({ field: 'from', message: first.message, part: first.field })
  if (!last.ok) errors.push({ field: 'to', message: last.message, part: last.field })
  if (!first.ok || !last.ok) return { query, dates }
  if (last.date < first.date) {
    errors.push({
      field: 'to',
      message: 'The last date must be the same as or after the first date',
      part: 'day',
    })
    return { query, dates }
  }
  return { query: { ...query, period: `${first.date.toISODate()}..${last.date.toISODate()}` }, dates }
}

/** The quarter a report opens on: the last complete one (a Board reads finished quarters), or the current. */
function defaultPeriodId(services: Services): string {
  const current = periodKeysFor(services.clock.now()).quarter
  if (services.config.reportDefaultPeriod === 'current-quarter') return current
  const quarter = parsePeriod(current)
  return (quarter && previousPeriod(quarter)?.id) ?? current
}

interface PageSetup {
  context: ReportContext
  parsed: ParsedFilter
  errors: FilterError[]
  user: StaffUser
  dates: TypedDates
}

async function setUp(services: Services, req: Request, query: ReportQuery): Promise<PageSetup> {
  const user = req.staffUser!
  const dateErrors: FilterError[] = []
  const { query: withDates, dates } = periodFromDates(query, dateErrors)
  const context: ReportContext = {
    surveys: services.surveys,
    settings: services.config,
    viewer: { role: user.role, teamIds: user.teamIds },
    tallies: new TallyStore(services.tallies),
  }
  const parsed: ParsedFilter = await parseReportFilter(withDates, services.surveys, context.viewer, {
    defaultSurveyId: services.surveys.has('closure-family')
      ? 'closure-family'
      : services.surveys.all()[0]?.id,
    defaultPeriodId: defaultPeriodId(services),
  })
  return { context, parsed, errors: [...dateErrors, ...parsed.errors], user, dates }
}

async function formOptions(services: Services, user: StaffUser, values: ParsedFilter['values']) {
  const teamIds = visibleTeamIds(user)
  const teams = await TeamModel.find(teamIds ? { _id: { $in: teamIds } } : {})
    .sort({ name: 1 })
    .select({ name: 1 })
    .lean()
  return {
    surveys: services.surveys.all().map((survey) => ({ value: survey.id, text: surveyName(survey) })),
    periods: periodOptions(services.clock.now(), values.period),
    teams: teams.map((team) => team.name),
    allTeamsText: teamIds ? 'All your teams' : 'All teams',
    respondents: RESPONDENT_TYPES.map((value) => ({ value, text: RESPONDENT_LABELS[value] })),
    modes: MODES.map((value) => ({ value, text: MODE_LABELS[value] })),
  }
}

/** Query string for links to the quarterly report and CSV with the same choices. */
function queryFor(filter: ReportFilter): string {
  const params = new URLSearchParams({ survey: filter.survey.id, period: filter.period.id })
  if (filter.team) params.set('team', filter.team.name)
  if (filter.respondent) params.set('respondent', filter.respondent)
  if (filter.mode) params.set('mode', filter.mode)
  return params.toString()
}

function filterDescription(filter: ReportFilter, user: StaffUser): string[] {
  const parts: string[] = []
  if (filter.team) parts.push(`Team: ${filter.team.name}`)
  else if (visibleTeamIds(user)) parts.push('Teams: your teams only')
  if (filter.respondent) parts.push(`Who answered: ${RESPONDENT_LABELS[filter.respondent]}`)
  if (filter.mode) parts.push(`Way of answering: ${MODE_LABELS[filter.mode]}`)
  return parts
}

/** The error summary's links: a date's error goes to the part that is wrong (from-day…). */
function errorList(errors: FilterError[]) {
  return errors.map((error) => ({
    href:
      error.field === 'from' || error.field === 'to' ? `${error.field}-${error.part ?? 'day'}` : error.field,
    field: error.field,
    text: error.message,
  }))
}

function quoteFilter(filter: ReportFilter, user: StaffUser) {
  const field = periodField(filter.period.kind)
  const teamIds = filter.team ? [filter.team._id] : teamIdsFor(user, 'read-free-text')
  return {
    surveyId: filter.survey.id,
    ...(field ? { period: { field, value: filter.period.id } } : { range: periodBounds(filter.period) }),
    ...(teamIds ? { teamIds } : {}),
  }
}

export function reportRoutes(services: Services): Router {
  const router = Router()
  const threshold = services.config.smallNumberThreshold
  const anyStaff = requireRole('practitioner', 'manager', 'qa', 'admin')

  const renderErrors = async (res: Response, view: string, setup: PageSetup, title: string) => {
    res.status(400).render(view, {
      title,
      errors: errorList(setup.errors),
      values: setup.parsed.values,
      dates: setup.dates,
      options: await formOptions(services, setup.user, setup.parsed.values),
    })
  }

  router.get('/reports', anyStaff, async (req, res) => {
    const setup = await setUp(services, req, readInput(ReportInput, req).query)
    const filter = setup.parsed.filter
    if (!filter || setup.errors.length) return renderErrors(res, 'reports/dashboard', setup, 'Reports')
    const { report, trend, months, teams, service, respondent, mode, rates, bySurvey } = await reportModel(
      setup.context,
      filter,
    )
    res.render('reports/dashboard', {
      title: 'Reports',
      values: setup.parsed.values,
      dates: setup.dates,
      options: await formOptions(services, setup.user, setup.parsed.values),
      report,
      filters: filterDescription(filter, setup.user),
      query: queryFor(filter),
      threshold,
      changeText,
      cellView: (cell: Parameters<typeof cellView>[0]) => cellView(cell, threshold),
      trend: questionsByGroup(trend, threshold),
      trendChart: jsonForScript(
        chartData(trend, 'line', 'Positive answers in the last eight quarters', threshold),
      ),
      months: questionsByGroup(months, threshold),
      monthsChart: jsonForScript(chartData(months, 'line', 'Positive answers month by month', threshold)),
      teams: questionsByGroup(teams, threshold),
      teamsChart: jsonForScript(chartData(teams, 'bar', 'Positive answers by team', threshold)),
      // A breakdown that would repeat the teams table or the headline (one row) is left out.
      breakdowns: withoutRepeats(
        [teams],
        [
          { id: 'by-service', title: 'By service', table: service },
          { id: 'by-respondent', title: 'By who answered', table: respondent },
          { id: 'by-mode', title: 'By way of answering', table: mode },
        ],
      ).map((b) => ({ ...b, table: questionsByGroup(b.table, threshold) })),
      rates,
      rateSentence: responseRateSentence(rates, threshold, filter.respondent ?? filter.survey.audience),
      commentsQuery: mayAtAll(setup.user, 'read-free-text') ? queryFor(filter) : undefined,
      bySurvey,
      scripts: ['/assets/vendor/chart.umd.min.js', '/public/js/charts.js'],
    })
  })

  // The comments given with one question's answers (see questionComments.ts for who sees what).
  const CommentsInput = routeInput({
    query: { ...reportQuery, question: singleText(() => 'Choose a question from the report.') },
  })
  router.get('/reports/comments', requireAction('read-free-text'), async (req, res) => {
    const { question: questionId, ...rest } = readInput(CommentsInput, req).query
    const setup = await setUp(services, req, rest)
    const filter = setup.parsed.filter
    if (!filter || setup.errors.length) return renderErrors(res, 'reports/dashboard', setup, 'Reports')
    const question = services.surveys.choiceQuestions(filter.survey.id).find((q) => q.id === questionId)
    if (!question) throw new HttpError(400, 'Choose a question from the report.')
    const textQuestions = new Map(
      (services.surveys.latest(filter.survey.id)?.questions ?? [])
        .filter((q) => q.type === 'free-text')
        .map((q) => [q.id, q.text]),
    )
    const found = await questionComments(setup.user, filter, question, textQuestions)
    await recordAudit(services.clock.now(), {
      userId: setup.user.id,
      actorLabel: setup.user.email,
      action: 'free-text.viewed',
      target: `comments on ${filter.survey.id} ${question.id}`,
      detail: `${queryFor(filter)}; comments shown=${found.comments.length}; held back=${found.heldBack}`,
      ip: req.ip,
    })
    res.render('reports/comments', {
      title: `Comments: ${question.text}`,
      question,
      period: filter.period,
      reportName: reportName(filter.survey),
      filters: filterDescription(filter, setup.user),
      query: queryFor(filter),
      ...found,
      mayReview: mayAtAll(setup.user, 'review-free-text'),
    })
  })

  // The printed report's running header and footer: the council on every page, and the date.
  router.get('/reports/print-page.css', anyStaff, (_req, res) => {
    res
      .type('text/css; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .send(
        printPageStyles({
          councilName: services.config.councilName,
          producedOn: formatDate(services.clock.now()),
          ...(services.config.councilLogoFile ? { logoUrl: '/reports/council-logo' } : {}),
        }),
      )
  })

  // The council's logo (COUNCIL_LOGO_FILE), in the printed report's page margin.
  router.get('/reports/council-logo', anyStaff, (_req, res) => {
    const file = services.config.councilLogoFile
    if (!file) throw new HttpError(404, 'No council logo is set up.')
    res.set('Cache-Control', 'private, max-age=3600').sendFile(path.resolve(file))
  })

  router.get('/reports/quarterly', anyStaff, async (req, res) => {
    const setup = await setUp(services, req, readInput(ReportInput, req).query)
    const filter = setup.parsed.filter
    if (!filter || setup.errors.length) {
      return renderErrors(res, 'reports/dashboard', setup, 'Reports')
    }
    const { context, user } = setup
    const seesQuotes = mayAtAll(user, 'read-free-text')
    const [{ report, trend, teams, rates }, quotes] = await Promise.all([
      reportModel(context, filter),
      seesQuotes ? approvedQuotes(quoteFilter(filter, user)) : Promise.resolve([] as Quote[]),
    ])
    res.render('reports/quarterly', {
      title: `${surveyName(filter.survey)}, ${filter.period.label}`,
      printable: true,
      pageStyles: '/reports/print-page.css',
      councilName: services.config.councilName,
      reportName: reportName(filter.survey),
      report,
      filters: filterDescription(filter, user),
      query: queryFor(filter),
      threshold,
      changeText,
      cellView: (cell: Parameters<typeof cellView>[0]) => cellView(cell, threshold),
      trend: questionsByGroup(trend, threshold),
      teams: questionsByGroup(teams, threshold),
      rates,
      rateSentence: responseRateSentence(rates, threshold, filter.respondent ?? filter.survey.audience),
      seesQuotes,
      quotes,
      producedOn: formatDate(services.clock.now()),
    })
  })

  router.get('/reports/export.csv', anyStaff, async (req, res) => {
    const setup = await setUp(services, req, readInput(ReportInput, req).query)
    const filter = setup.parsed.filter
    if (!filter || setup.errors.length) {
      return renderErrors(res, 'reports/dashboard', setup, 'Reports')
    }
    const { user } = setup
    const { report, trend, months, teams, service, respondent, mode } = await reportModel(
      setup.context,
      filter,
    )
    const csv = reportCsv(
      report,
      [
        { name: 'Team', table: teams },
        { name: 'Service', table: service },
        { name: 'Respondent', table: respondent },
        { name: 'Mode', table: mode },
        { name: 'Quarter', table: trend },
        { name: 'Month', table: months },
      ],
      threshold,
      filter.team?.name ?? (visibleTeamIds(user) ? 'Your teams' : 'All teams'),
    )
    await recordAudit(services.clock.now(), {
      userId: user.id,
      actorLabel: user.email,
      action: 'report.exported',
      target: `report ${filter.survey.id} ${filter.period.id}`,
      detail: queryFor(filter),
      ip: req.ip,
    })
    const fileName = `family-voice-${filter.survey.id}-${filter.period.id.replace(/\.\./, '-to-')}.csv`
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${fileName}"`)
      .set('Cache-Control', 'no-store')
      .send(csv)
  })

  return router
}
