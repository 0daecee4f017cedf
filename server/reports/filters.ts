/**
 * What a report is about, read from an untrusted query string: a survey, a period and optional
 * team, respondent and mode filters. Shared by the pages, the CSV export and the API, so that all
 * three accept and refuse the same things with the same words.
 */
import type { Types } from 'mongoose'
import { singleText } from '../http/input'
import { parsePeriod, type Period } from '../periods/period'
import { MODES, type Mode } from '../responses/response'
import { teamIdsFor, type Viewer } from '../staff/policy'
import { RESPONDENT_TYPES, type TRespondentType, type TSurveyDefinition } from '../surveys/definition'
import type { SurveyRegistry } from '../surveys/registry'
import { TeamModel, type Team } from '../teams/team'

export interface ReportFilter {
  survey: TSurveyDefinition
  period: Period
  team?: Team
  respondent?: TRespondentType
  mode?: Mode
}

export type { Viewer }

/** The teams a viewer may see results for; undefined means every team (QA and admins). */
export function visibleTeamIds(viewer: Viewer): Types.ObjectId[] | undefined {
  return teamIdsFor(viewer, 'see-results')
}

export type FilterField = 'survey' | 'period' | 'team' | 'respondent' | 'mode' | 'from' | 'to'

export interface FilterError {
  field: FilterField
  message: string
  /** For a typed date: the part to fix (its box gets the focus from the error summary). */
  part?: 'day' | 'month' | 'year'
}

export const PERIOD_HELP =
  'use a financial year (2020-21), a quarter (2020-21-Q4), a month (2021-04) or dates (2021-01-01..2021-03-31)'

/** A query value given once (a repeated one is a 400 naming it), as sent. */
export const givenOnce = singleText((name) => `Give ${name} once, as plain text.`)

/** A filter's value: trimmed, and undefined when empty. */
export const filterText = givenOnce.transform((value) => value?.trim() || undefined)

/** The report's filters in a query string, for a route's input schema. */
export const reportFilterQuery = {
  survey: filterText,
  period: filterText,
  team: filterText,
  respondent: filterText,
  mode: filterText,
}

/** The filters as a query gave them (each once, trimmed, empty as absent). */
export interface FilterQuery {
  survey?: string | undefined
  period?: string | undefined
  team?: string | undefined
  respondent?: string | undefined
  mode?: string | undefined
}

export interface ParseOptions {
  /** Pages fall back to these when a value is missing; the API requires survey and period. */
  defaultSurveyId?: string
  defaultPeriodId?: string
}

export interface ParsedFilter {
  filter?: ReportFilter
  errors: FilterError[]
  /** What to put back in the form, cleaned (never the raw query). */
  values: { survey: string; period: string; team: string; respondent: string; mode: string }
}

/** Reads and checks survey, period, team, respondent and mode. Team names must exist and be visible. */
export async function parseReportFilter(
  query: FilterQuery,
  surveys: SurveyRegistry,
  viewer: Viewer,
  options: ParseOptions = {},
): Promise<ParsedFilter> {
  const errors: FilterError[] = []
  const surveyId = query.survey ?? options.defaultSurveyId
  const periodId = query.period ?? options.defaultPeriodId
  const teamName = query.team
  const respondent = query.respondent
  const mode = query.mode
  const values = {
    survey: surveyId && surveys.has(surveyId) ? surveyId : '',
    period: periodId && parsePeriod(periodId) ? periodId : '',
    team: '',
    respondent: respondent && (RESPONDENT_TYPES as readonly string[]).includes(respondent) ? respondent : '',
    mode: mode && (MODES as readonly string[]).includes(mode) ? mode : '',
  }

  const survey = surveyId ? surveys.latest(surveyId) : undefined
  if (!surveyId)
    errors.push({ field: 'survey', message: 'Choose a survey, for example survey=closure-family.' })
  else if (!survey) errors.push({ field: 'survey', message: `There is no survey called "${surveyId}".` })

  const period = periodId ? parsePeriod(periodId) : undefined
  if (!periodId) errors.push({ field: 'period', message: `Choose a period: ${PERIOD_HELP}.` })
  else if (!period)
    errors.push({ field: 'period', message: `"${periodId}" is not a period: ${PERIOD_HELP}.` })

  if (respondent && !values.respondent) {
    errors.push({
      field: 'respondent',
      message: `"${respondent}" is not a respondent type: use one of ${RESPONDENT_TYPES.join(', ')}.`,
    })
  }
  if (mode && !values.mode) {
    errors.push({
      field: 'mode',
      message: `"${mode}" is not a way of answering: use one of ${MODES.join(', ')}.`,
    })
  }

  let team: Team | undefined
  if (teamName) {
    team =
      teamName.length <= 100 ? ((await TeamModel.findOne({ name: teamName }).lean()) ?? undefined) : undefined
    // Another team's name reads exactly like an unknown one, so nobody learns which teams exist.
    const visible = visibleTeamIds(viewer)
    if (team && visible && !visible.some((id) => String(id) === String(team!._id))) team = undefined
    if (!team) errors.push({ field: 'team', message: `There is no team called "${teamName}".` })
    else values.team = team.name
  }

  if (errors.length || !survey || !period) return { errors, values }
  return {
    errors,
    values,
    filter: {
      survey,
      period,
      ...(team ? { team } : {}),
      ...(values.respondent ? { respondent: values.respondent as TRespondentType } : {}),
      ...(values.mode ? { mode: values.mode as Mode } : {}),
    },
  }
}
