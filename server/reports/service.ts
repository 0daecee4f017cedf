/**
 * Builds reports from counts: headlines with n, the previous period for comparison, "working well"
 * and "worried about", breakdowns by team/service/respondent/mode/quarter/month, trends and
 * response rates. Plain TypeScript over the counting queries in aggregate.ts; no Express.
 */
import { DateTime } from 'luxon'
import {
  lastQuarters,
  monthsIn,
  parsePeriod,
  periodKeysFor,
  previousPeriod,
  type Period,
} from '../periods/period'
import { MODE_LABELS, MODES } from '../responses/response'
import { RESPONDENT_LABELS, RESPONDENT_TYPES, type TChoiceQuestion } from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import {
  answerSets,
  countInvitations,
  countResponses,
  rollUp,
  selectionFor,
  tallyIdsForTime,
  type AnswerCounts,
  type AnswerSet,
  type TallyStore,
  type GroupedAnswerCounts,
  type GroupKey,
} from './aggregate'
import { visibleTeamIds, type ReportFilter, type Viewer } from './filters'
import {
  answerRows,
  headlineFor,
  headlineSentence,
  resultFrom,
  tally,
  type AnswerRow,
  type Headline,
} from './headlines'
import { leadSentence } from './sentences'
import {
  FEWER_THAN,
  HIDDEN_TEXT,
  protectComplements,
  protectDerivable,
  protectSmallNumbers,
  type Cell,
} from './suppression'
import { verdictFor, type VerdictOutcome } from './verdicts'
import { ZONE } from '../dates'

export interface ReportSettings {
  smallNumberThreshold: number
  worryFallPoints: number
}

export interface ReportContext {
  surveys: SurveyRegistry
  settings: ReportSettings
  viewer: Viewer
  /** The tally documents this page has read (each is read once). */
  tallies: TallyStore
}

/** The headline numbers the API answers with. */
export interface HeadlineSummary {
  responses: number
  headlines: Headline[]
}

function filterFor(filter: ReportFilter) {
  return { surveyId: filter.survey.id, team: filter.team, respondent: filter.respondent, mode: filter.mode }
}

const FILTER_KEYS = ['team', 'respondent', 'mode'] as const

/**
 * The wider reports a viewer could subtract this one from: the same filter with each non-empty
 * set of its filters (team, respondent type, way of answering) removed, in bit set order (bit i
 * removes the i-th filter it has), so the list can be read by inclusion and exclusion. None for
 * an unfiltered report; seven for one filtered three ways.
 */
export function widerFilters(filter: ReportFilter): ReportFilter[] {
  const present = FILTER_KEYS.filter((key) => filter[key] !== undefined)
  const wider: ReportFilter[] = []
  for (let removed = 1; removed < 1 << present.length; removed++) {
    const wide: ReportFilter = { ...filter }
    present.forEach((key, bit) => {
      if (removed & (1 << bit)) wide[key] = undefined
    })
    wider.push(wide)
  }
  return wider
}

function headlinesFrom(
  questions: TChoiceQuestion[],
  counts: Map<string, Map<string, number>> | undefined,
  threshold: number,
): Headline[] {
  return questions.map((question) => headlineFor(question, counts?.get(question.id), threshold))
}

/**
 * The counted answer sets of the chosen period, grouped by `keys` (e.g. team and month) so that
 * one pass over the responses can feed the headlines and several breakdowns.
 */
export async function periodAnswerSets(
  context: ReportContext,
  filter: ReportFilter,
  keys: readonly GroupKey[] = [],
  period: Period = filter.period,
): Promise<AnswerSet[]> {
  return answerSets(
    context.tallies,
    selectionFor(filterFor(filter), period, visibleTeamIds(context.viewer)),
    keys,
  )
}

/** The previous period's answer sets (none for a period with nothing before it). */
export async function previousAnswerSets(
  context: ReportContext,
  filter: ReportFilter,
): Promise<AnswerSet[] | undefined> {
  const previous = previousPeriod(filter.period)
  return previous ? periodAnswerSets(context, filter, [], previous) : undefined
}

/** Headlines for the period (or another, e.g. the previous one), from answer sets if already counted. */
export async function headlineSummary(
  context: ReportContext,
  filter: ReportFilter,
  period: Period = filter.period,
  sets?: AnswerSet[],
): Promise<HeadlineSummary & { counts: Map<string, Map<string, number>> | undefined }> {
  const { responses, answers } = rollUp(sets ?? (await periodAnswerSets(context, filter, [], period)))
  const byQuestion = answers.get('')
  const questions = context.surveys.choiceQuestions(filter.survey.id)
  const threshold = context.settings.smallNumberThreshold
  const headlines = headlinesFrom(questions, byQuestion, threshold)
  // The wider totals come from the tally documents already read for this page.
  const wider = await Promise.all(
    widerFilters(filter).map(async (wide) => {
      const counts = rollUp(await periodAnswerSets(context, wide, [], period)).answers.get('')
      return headlinesFrom(questions, counts, threshold)
    }),
  )
  const widerOf = (index: number) => wider.map((totals) => totals[index])
  return {
    responses: responses.get('') ?? 0,
    headlines: protectDerivable(
      protectComplements(
        headlines,
        headlines.map((_, index) => widerOf(index)),
        threshold,
      ),
      headlines.map((_, index) => widerOf(index).map((total) => total?.answered ?? 0)),
      threshold,
    ),
    counts: byQuestion,
  }
}

export interface QuestionReport {
  question: TChoiceQuestion
  headline: Headline
  /** "99% told us that …"; undefined when the percentage is not shown. */
  sentence?: string
  answers: AnswerRow[]
  notCounted: number
  /** Responses that did not answer this question at all. */
  skipped: number
  previous?: Headline
  outcome: VerdictOutcome
  /** In place of the numbers when they are hidden: "fewer than 5", or "hidden" (protecting). */
  hiddenText?: string
}

export interface SurveyReport {
  filter: ReportFilter
  previousPeriod?: Period
  responses: number
  lead: string
  questions: QuestionReport[]
  workingWell: QuestionReport[]
  worries: QuestionReport[]
  tooFew: QuestionReport[]
}

/**
 * Headlines with their answer tables, the change since the previous period and the verdicts.
 * `sets`: the period's answer sets when already counted (any keys).
 */
export async function surveyReport(
  context: ReportContext,
  filter: ReportFilter,
  sets?: AnswerSet[],
  previousSets?: AnswerSet[],
): Promise<SurveyReport> {
  const threshold = context.settings.smallNumberThreshold
  const previous = previousPeriod(filter.period)
  const [current, before] = await Promise.all([
    headlineSummary(context, filter, filter.period, sets),
    previous ? headlineSummary(context, filter, previous, previousSets) : undefined,
  ])
  const questions = context.surveys
    .choiceQuestions(filter.survey.id)
    .map((question, index): QuestionReport => {
      const headline = current.headlines[index]!
      const counts = current.counts?.get(question.id)
      const { notCounted } = tally(question, counts)
      const previousHeadline = before?.headlines[index]
      const outcome = verdictFor({
        percent: headline.percent,
        suppressed: headline.suppressed,
        target: question.target,
        previousPercent: previousHeadline && !previousHeadline.suppressed ? previousHeadline.percent : null,
        previousLabel: previous?.label,
        fallPoints: context.settings.worryFallPoints,
      })
      return {
        question,
        headline,
        ...(headline.percent !== null
          ? { sentence: headlineSentence(headline.percent, question.statement) }
          : {}),
        answers: headline.protecting
          ? answerRows(question, counts, threshold).map((row) => ({ ...row, percent: null }))
          : answerRows(question, counts, threshold),
        ...(headline.suppressed && headline.answered > 0
          ? { hiddenText: headline.protecting ? HIDDEN_TEXT : FEWER_THAN(threshold) }
          : {}),
        notCounted,
        skipped: Math.max(0, current.responses - headline.answered - notCounted),
        ...(previousHeadline ? { previous: previousHeadline } : {}),
        outcome,
      }
    })
  return {
    filter,
    ...(previous ? { previousPeriod: previous } : {}),
    responses: current.responses,
    lead: leadSentence(
      current.responses,
      filter.respondent ?? filter.survey.audience,
      filter.survey.event,
      filter.period,
    ),
    questions,
    workingWell: questions.filter((q) => q.outcome.verdict === 'working-well'),
    worries: questions.filter((q) => q.outcome.verdict === 'worry'),
    tooFew: questions.filter((q) => q.outcome.verdict === 'too-few'),
  }
}

export const BREAKDOWNS = ['team', 'service', 'respondent', 'mode', 'quarter', 'month'] as const
export type BreakdownKind = (typeof BREAKDOWNS)[number]

export interface BreakdownRow {
  key: string
  label: string
  responses: number
  /** One cell per question, in the questions' order. */
  cells: Cell[]
}

export interface BreakdownTable {
  questions: TChoiceQuestion[]
  rows: BreakdownRow[]
}

function labelFor(by: GroupKey, key: string): string {
  switch (by) {
    case 'respondent':
      return RESPONDENT_LABELS[key as keyof typeof RESPONDENT_LABELS] ?? key
    case 'mode':
      return MODE_LABELS[key as keyof typeof MODE_LABELS] ?? key
    case 'quarter':
    case 'month':
      return parsePeriod(key)?.label ?? key
    default:
      return key
  }
}

function orderOf(by: GroupKey): (a: string, b: string) => number {
  if (by === 'respondent')
    return (a, b) => RESPONDENT_TYPES.indexOf(a as never) - RESPONDENT_TYPES.indexOf(b as never)
  if (by === 'mode') return (a, b) => MODES.indexOf(a as never) - MODES.indexOf(b as never)
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0)
}

/**
 * A table of rows (teams, months…) by questions. `rowKeys` fixes the rows (e.g. eight quarters,
 * some empty); otherwise the groups found are used. `partitions` lists sets of row indexes whose
 * cells add up to a total shown elsewhere, for secondary suppression.
 */
function tableFrom(
  context: ReportContext,
  questions: TChoiceQuestion[],
  by: GroupKey,
  counts: GroupedAnswerCounts,
  responses: Map<string, number>,
  rowKeys: string[] | undefined,
  partitions: (keys: string[]) => number[][],
  wider: WiderTotal[] = [],
  derivable: Derivable = { totals: [], ignoredMasks: [] },
): BreakdownTable {
  const threshold = context.settings.smallNumberThreshold
  const keys = rowKeys ?? [...new Set([...responses.keys(), ...counts.keys()])].sort(orderOf(by))
  const resultOf = (answers: AnswerCounts | undefined, question: TChoiceQuestion) => {
    const { answered, positive } = tally(question, answers?.get(question.id))
    return resultFrom(answered, positive, threshold)
  }
  const results = protectDerivable(
    protectComplements(
      keys.flatMap((key) => questions.map((question) => resultOf(counts.get(key), question))),
      keys.flatMap((key) =>
        questions.map((question) => wider.map((total) => resultOf(total(key), question))),
      ),
      threshold,
    ),
    keys.flatMap((key) =>
      questions.map((question) => derivable.totals.map((total) => resultOf(total(key), question).answered)),
    ),
    threshold,
    derivable.ignoredMasks,
  )
  // Cells are row-major; each question column within a partition is one group.
  const groups = partitions(keys).flatMap((rowIndexes) =>
    questions.map((_, column) => rowIndexes.map((row) => row * questions.length + column)),
  )
  const cells = protectSmallNumbers(results, groups)
  return {
    questions,
    rows: keys.map((key, row) => ({
      key,
      label: labelFor(by, key),
      responses: responses.get(key) ?? 0,
      cells: cells.slice(row * questions.length, (row + 1) * questions.length),
    })),
  }
}

/**
 * The period split by team, service, respondent, mode, quarter or month; the rows add up to the
 * period. `sets`: the period's answer sets when already counted with `by` among their keys.
 */
export async function breakdown(
  context: ReportContext,
  filter: ReportFilter,
  by: BreakdownKind,
  sets?: AnswerSet[],
): Promise<BreakdownTable> {
  const { answers: counts, responses } = rollUp(sets ?? (await periodAnswerSets(context, filter, [by])), by)
  const questions = context.surveys.choiceQuestions(filter.survey.id)
  const wider = await widerTotals(context, filter, filter.period, by)
  const derivable = await derivableTotals(context, filter, filter.period, by, true)
  return tableFrom(
    context,
    questions,
    by,
    counts,
    responses,
    undefined,
    (keys) => [keys.map((_, i) => i)],
    wider,
    derivable,
  )
}

/** For a row key, the answer counts of a total that row could be subtracted from. */
type WiderTotal = (key: string) => AnswerCounts | undefined

/** Wider totals in bit set order for protectDerivable, and the sets it should not check. */
interface Derivable {
  totals: WiderTotal[]
  ignoredMasks: number[]
}

/**
 * What each row of a filtered breakdown could be subtracted from: for each wider filter (see
 * widerFilters), the same row there (Riverside online within all teams online) and the whole
 * wider total (Riverside in the team=Riverside table within all teams).
 */
async function widerTotals(
  context: ReportContext,
  filter: ReportFilter,
  time: Parameters<typeof selectionFor>[1],
  by: GroupKey,
): Promise<WiderTotal[]> {
  const perFilter = await Promise.all(
    widerFilters(filter).map(async (wide): Promise<WiderTotal[]> => {
      const selection = selectionFor(filterFor(wide), time, visibleTeamIds(context.viewer))
      const sets = await answerSets(context.tallies, selection, [by])
      const rows = rollUp(sets, by).answers
      const whole = rollUp(sets).answers.get('')
      return [(key) => rows.get(key), () => whole]
    }),
  )
  return perFilter.flat()
}

/**
 * For protectDerivable: what a row of a filtered breakdown can be worked out from, in bit set
 * order over the report's filters and then the breakdown itself. Without the breakdown bit, the
 * same row in the report with those filters removed; with it (`withWholes`, for a breakdown whose
 * rows make up the period), that report's whole total. Riverside parents within "parents" can be
 * had from all − other teams − other respondents… The breakdown bit alone (the row's
 * complement within its own table) is left to secondary suppression (see tableFrom).
 */
async function derivableTotals(
  context: ReportContext,
  filter: ReportFilter,
  time: Parameters<typeof selectionFor>[1],
  by: GroupKey,
  withWholes: boolean,
): Promise<Derivable> {
  const sources = [filter, ...widerFilters(filter)]
  if (sources.length < 2) return { totals: [], ignoredMasks: [] }
  const tables = await Promise.all(
    sources.map(async (source) => {
      const selection = selectionFor(filterFor(source), time, visibleTeamIds(context.viewer))
      const sets = await answerSets(context.tallies, selection, [by])
      return { rows: rollUp(sets, by).answers, whole: rollUp(sets).answers.get('') }
    }),
  )
  const totals: WiderTotal[] = tables.slice(1).map((table) => (key) => table.rows.get(key))
  if (!withWholes) return { totals, ignoredMasks: [] }
  // Masks with the breakdown bit: the own table's whole, then each wider report's whole; the
  // breakdown bit alone (the row's complement in its own table) is secondary suppression's.
  return { totals: [...totals, ...tables.map((table) => () => table.whole)], ignoredMasks: [sources.length] }
}

/** The `count` quarters ending with the quarter the period ends in, oldest first. */
export function trendQuarters(period: Period, count = 8): Period[] {
  return lastQuarters(count, DateTime.fromISO(period.to, { zone: ZONE }).toJSDate())
}

/** Results for each of the last eight quarters (empty quarters included). */
export async function quarterTrend(context: ReportContext, filter: ReportFilter): Promise<BreakdownTable> {
  const quarters = trendQuarters(filter.period)
  const ids = quarters.map((quarter) => quarter.id)
  const selection = selectionFor(filterFor(filter), { quarters: ids }, visibleTeamIds(context.viewer))
  const { answers: counts, responses } = rollUp(
    await answerSets(context.tallies, selection, ['quarter']),
    'quarter',
  )
  const questions = context.surveys.choiceQuestions(filter.survey.id)
  // Quarters that exactly make up the chosen period (a year, or a range of whole quarters) add
  // up to its shown total, so they are protected together.
  const inside = quarters
    .map((quarter, index) => ({ quarter, index }))
    .filter(({ quarter }) => quarter.from >= filter.period.from && quarter.to <= filter.period.to)
  const exact =
    inside.length > 1 &&
    inside[0]!.quarter.from === filter.period.from &&
    inside[inside.length - 1]!.quarter.to === filter.period.to
  const wider = await widerTotals(context, filter, { quarters: ids }, 'quarter')
  const derivable = await derivableTotals(context, filter, { quarters: ids }, 'quarter', false)
  return tableFrom(
    context,
    questions,
    'quarter',
    counts,
    responses,
    ids,
    () => (exact ? [inside.map(({ index }) => index)] : []),
    wider,
    derivable,
  )
}

/** The twelve months ending with this month, oldest first. */
function twelveMonthsTo(month: Period): string[] {
  const end = DateTime.fromISO(month.from, { zone: ZONE })
  return Array.from({ length: 12 }, (_, i) => periodKeysFor(end.minus({ months: 11 - i }).toJSDate()).month)
}

/**
 * Month by month: the months of the chosen period (which add up to it), or for a single month
 * the twelve months ending with it.
 */
export async function monthTrend(
  context: ReportContext,
  filter: ReportFilter,
  sets?: AnswerSet[],
): Promise<BreakdownTable> {
  const questions = context.surveys.choiceQuestions(filter.survey.id)
  if (filter.period.kind !== 'month') {
    const table = await breakdown(context, filter, 'month', sets)
    const months = monthsIn(filter.period).map((month) => month.id)
    const found = new Map(table.rows.map((row) => [row.key, row]))
    const empty = (key: string): BreakdownRow => ({
      key,
      label: labelFor('month', key),
      responses: 0,
      cells: questions.map(() => ({
        answered: 0,
        positive: 0,
        percent: null,
        suppressed: true,
        status: 'empty',
      })),
    })
    return { questions, rows: months.map((key) => found.get(key) ?? empty(key)) }
  }
  const months = twelveMonthsTo(filter.period)
  const selection = selectionFor(filterFor(filter), { months }, visibleTeamIds(context.viewer))
  const { answers: counts, responses } = rollUp(
    await answerSets(context.tallies, selection, ['month']),
    'month',
  )
  const wider = await widerTotals(context, filter, { months }, 'month')
  const derivable = await derivableTotals(context, filter, { months }, 'month', false)
  return tableFrom(context, questions, 'month', counts, responses, months, () => [], wider, derivable)
}

export interface ResponseRateRow {
  team: string
  sent: number
  answered: number
  cell: Cell
}

export interface ResponseRates {
  rows: ResponseRateRow[]
  total: ResponseRateRow
}

/**
 * Response rate: of the invitations sent in the period (sentAt inside it), the share that were
 * answered, per team. Small numbers are hidden as for any percentage.
 */
export async function responseRates(context: ReportContext, filter: ReportFilter): Promise<ResponseRates> {
  const threshold = context.settings.smallNumberThreshold
  const invitations = (wide: ReportFilter) =>
    countInvitations(
      context.tallies,
      selectionFor(
        { surveyId: wide.survey.id, team: wide.team, respondent: wide.respondent },
        wide.period,
        visibleTeamIds(context.viewer),
      ),
    )
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
  const { sent, answered } = await invitations(filter)
  // Links are not filtered by way of answering, so only a team or respondent filter narrows them.
  const wider = await Promise.all(
    widerFilters({ ...filter, mode: undefined }).map(async (wide) => {
      const counts = await invitations(wide)
      return {
        row: (team: string) =>
          resultFrom(counts.sent.get(team) ?? 0, counts.answered.get(team) ?? 0, threshold),
        total: resultFrom(sum(counts.sent), sum(counts.answered), threshold),
      }
    }),
  )
  const teams = [...sent.keys()].sort()
  const results = protectComplements(
    teams.map((team) => resultFrom(sent.get(team) ?? 0, answered.get(team) ?? 0, threshold)),
    teams.map((team) => wider.flatMap((wide) => [wide.row(team), wide.total])),
    threshold,
  )
  const cells = protectSmallNumbers(results, [teams.map((_, i) => i)])
  const totalSent = sum(sent)
  const totalAnswered = sum(answered)
  const [total] = protectSmallNumbers(
    protectComplements(
      [resultFrom(totalSent, totalAnswered, threshold)],
      [wider.map((wide) => wide.total)],
      threshold,
    ),
    [],
  )
  return {
    rows: teams.map((team, i) => ({
      team,
      sent: sent.get(team) ?? 0,
      answered: answered.get(team) ?? 0,
      cell: cells[i]!,
    })),
    total: { team: 'All teams', sent: totalSent, answered: totalAnswered, cell: total! },
  }
}

/** How many responses each survey had in the period (the breakdown "by survey"). */
export async function responsesBySurvey(
  context: ReportContext,
  filter: ReportFilter,
): Promise<{ surveyId: string; title: string; responses: number }[]> {
  const selection = selectionFor(filterFor(filter), filter.period, visibleTeamIds(context.viewer))
  selection.surveyIds = context.surveys.all().map((survey) => survey.id)
  const counts = await countResponses(context.tallies, selection, 'survey')
  return context.surveys
    .all()
    .map((survey) => ({ surveyId: survey.id, title: survey.title, responses: counts.get(survey.id) ?? 0 }))
}

/**
 * Reads, in one query, every tally document a page will use: the period, the previous period,
 * the last eight quarters, the months of a month-by-month trend and, with `allSurveys`, the
 * period of every survey.
 */
export async function prefetchTallies(
  context: ReportContext,
  filter: ReportFilter,
  options: { allSurveys?: boolean } = {},
): Promise<void> {
  const surveyId = filter.survey.id
  const previous = previousPeriod(filter.period)
  const ids = [
    ...tallyIdsForTime(surveyId, filter.period),
    ...(previous ? tallyIdsForTime(surveyId, previous) : []),
    ...tallyIdsForTime(surveyId, { quarters: trendQuarters(filter.period).map((quarter) => quarter.id) }),
    ...(filter.period.kind === 'month'
      ? tallyIdsForTime(surveyId, { months: twelveMonthsTo(filter.period) })
      : []),
    ...(options.allSurveys
      ? context.surveys.all().flatMap((survey) => tallyIdsForTime(survey.id, filter.period))
      : []),
  ]
  await context.tallies.load(ids)
}

/** The period is counted once by all of these at the same time, for the headlines and every breakdown. */
const PERIOD_KEYS = ['team', 'service', 'respondent', 'mode', 'month'] as const

/** Every number a dashboard, quarterly report or CSV shows, from one read of the tallies. */
export interface ReportModel {
  report: SurveyReport
  trend: BreakdownTable
  months: BreakdownTable
  teams: BreakdownTable
  service: BreakdownTable
  respondent: BreakdownTable
  mode: BreakdownTable
  rates: ResponseRates
  bySurvey: Awaited<ReturnType<typeof responsesBySurvey>>
}

/** The one model of the numbers that the dashboard, the quarterly report and the CSV share. */
export async function reportModel(context: ReportContext, filter: ReportFilter): Promise<ReportModel> {
  await prefetchTallies(context, filter, { allSurveys: true })
  const [sets, previousSets, trend, rates, bySurvey] = await Promise.all([
    periodAnswerSets(context, filter, PERIOD_KEYS),
    previousAnswerSets(context, filter),
    quarterTrend(context, filter),
    responseRates(context, filter),
    responsesBySurvey(context, filter),
  ])
  const [report, months, teams, service, respondent, mode] = await Promise.all([
    surveyReport(context, filter, sets, previousSets),
    monthTrend(context, filter, sets),
    breakdown(context, filter, 'team', sets),
    breakdown(context, filter, 'service', sets),
    breakdown(context, filter, 'respondent', sets),
    breakdown(context, filter, 'mode', sets),
  ])
  return { report, trend, months, teams, service, respondent, mode, rates, bySurvey }
}
