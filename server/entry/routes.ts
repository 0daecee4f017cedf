/**
 * Staff entry of feedback given by phone, face to face or on paper: /responses/new?survey=ID for
 * feedback not linked to a survey link, /invitations/:id/record for an invitation's family.
 */
import { Router, type Request, type Response } from 'express'
import type { Types } from 'mongoose'
import { z } from 'zod'
import type { Services } from '../services'
import { toObjectId } from '../db/objectId'
import { HttpError } from '../http/errors'
import { formText, objectId, readInput, routeInput, type FieldError } from '../http/input'
import type { Invitation } from '../invitations/invitation'
import { findVisibleInvitation, STATUS_LABELS } from '../invitations/queries'
import { invitationSummary, sendableTeams, signedInUser, staffOnly } from '../invitations/web'
import type { AnswerError } from '../surveys/answers'
import {
  CASE_EVENT_LABELS,
  CASE_EVENTS,
  RESPONDENT_LABELS,
  RESPONDENT_TYPES,
  type TSurveyDefinition,
} from '../surveys/definition'
import type { Team } from '../teams/team'
import {
  checkEntryForm,
  emptyEntryValues,
  ENTRY_FORM_FIELDS,
  ENTRY_MODE_OPTIONS,
  entryFormValues,
  recordStaffEntry,
  type EntryFormValues,
} from './service'
import { recordStaffAudit } from '../audit/staffAudit'

declare module 'express-session' {
  interface SessionData {
    /** What was just recorded, for the confirmation page. */
    entryDone?: { surveyTitle: string; surveyId: string; invitationId?: string }
  }
}

/** `?survey=ID`: the chooser's choice; missing shows the chooser. */
const ChooseSurveyInput = routeInput({ query: { survey: z.string().optional() } })

/** The answers are read from the whole form by the survey's own parseAnswers (checkEntryForm). */
const EntryInput = routeInput({
  body: {
    survey: formText(100, { trim: false, tooLong: 'Choose a survey from the list, then try again.' }),
    ...ENTRY_FORM_FIELDS,
  },
})

/** An invitation's family: team, respondent and case come from the invitation. */
const invitationId = objectId.transform(toObjectId)
const RecordPageInput = routeInput({ params: { id: invitationId } })
const RecordInput = routeInput({ params: { id: invitationId }, body: ENTRY_FORM_FIELDS })

function fieldErrorMap(errors: FieldError[]): Record<string, string> {
  const map: Record<string, string> = {}
  for (const error of errors) map[error.href] ??= error.text
  return map
}

export function entryRoutes(services: Services): Router {
  const router = Router()
  const { clock } = services

  const renderForm = (
    res: Response,
    options: {
      survey: TSurveyDefinition
      teams: Team[]
      values: EntryFormValues
      answers: Record<string, string>
      errors: FieldError[]
      answerErrors: AnswerError[]
      invitation?: Invitation
    },
    status = 200,
  ) => {
    const { invitation } = options
    res.status(status).render('entry/form', {
      title: 'Record answers given in person',
      backLink: invitation ? `/invitations/${String(invitation._id)}` : '/responses/new',
      action: invitation ? `/invitations/${String(invitation._id)}/record` : '/responses/new',
      survey: options.survey,
      invitation: invitation ? invitationSummary(services, invitation) : undefined,
      teams: options.teams.map((team) => ({ id: String(team._id), name: team.name, service: team.service })),
      respondents: RESPONDENT_TYPES.map((id) => ({ id, text: RESPONDENT_LABELS[id] })),
      modes: ENTRY_MODE_OPTIONS,
      values: options.values,
      answers: options.answers,
      errors: options.errors,
      answerErrors: options.answerErrors,
      fieldErrors: fieldErrorMap(options.errors),
    })
  }

  const renderChooser = (res: Response, errors: FieldError[], status = 200) => {
    res.status(status).render('entry/choose', {
      title: 'Record answers given in person',
      errors,
      groups: CASE_EVENTS.map((event) => ({
        label: CASE_EVENT_LABELS[event],
        surveys: services.surveys.forEvent(event).map((survey) => ({
          id: survey.id,
          title: survey.title,
          audience: RESPONDENT_LABELS[survey.audience],
        })),
      })).filter((group) => group.surveys.length > 0),
    })
  }

  const surveyFrom = (id: string): TSurveyDefinition | undefined =>
    id.length <= 100 ? services.surveys.latest(id) : undefined

  router.get('/responses/new', staffOnly, async (req, res) => {
    const { query } = readInput(ChooseSurveyInput, req)
    if (query.survey === undefined) return renderChooser(res, [])
    const survey = surveyFrom(query.survey)
    if (!survey)
      return renderChooser(res, [{ href: 'surveys', text: 'Choose one of the surveys below' }], 400)
    const teams = await sendableTeams(signedInUser(req))
    renderForm(res, {
      survey,
      teams,
      values: emptyEntryValues(clock.now(), {
        ...(teams.length === 1 ? { team: teams[0]! } : {}),
        respondent: survey.audience,
      }),
      answers: {},
      errors: [],
      answerErrors: [],
    })
  })

  const handlePost = async (
    req: Request,
    res: Response,
    input: { survey: TSurveyDefinition; values: EntryFormValues; invitation?: Invitation },
  ) => {
    const { survey, values, invitation } = input
    const user = signedInUser(req)
    const teams = invitation ? [] : await sendableTeams(user)
    const checked = checkEntryForm(values, req.body, {
      survey,
      teams,
      now: clock.now(),
      linked: Boolean(invitation),
    })
    if (!checked.ok) {
      return renderForm(
        res,
        {
          survey,
          teams,
          values,
          answers: checked.parsed.values,
          errors: checked.errors,
          answerErrors: checked.answerErrors,
          ...(invitation ? { invitation } : {}),
        },
        400,
      )
    }
    const outcome = await recordStaffEntry(services, {
      survey,
      entry: checked.entry,
      enteredBy: { id: user.id, name: user.name },
      ...(invitation ? { invitation } : {}),
    })
    if (!outcome.recorded) {
      throw new HttpError(
        409,
        'Answers for this invitation have already been recorded, online or by staff. Nothing new was saved.',
      )
    }
    await recordStaffAudit(
      services,
      req,
      'response.entered',
      `response ${String(outcome.response._id)}`,
      `${survey.id} ${checked.entry.mode}${invitation ? ` for invitation ${String(invitation._id)}` : ''}`,
    )
    req.session.entryDone = {
      surveyTitle: survey.title,
      surveyId: survey.id,
      ...(invitation ? { invitationId: String(invitation._id) } : {}),
    }
    res.redirect(303, '/responses/recorded')
  }

  router.post('/responses/new', staffOnly, async (req, res) => {
    const { body } = readInput(EntryInput, req)
    const survey = surveyFrom(body.survey)
    if (!survey) throw new HttpError(400, 'Choose a survey from the list, then try again.')
    await handlePost(req, res, { survey, values: entryFormValues(body) })
  })

  router.get('/responses/recorded', staffOnly, (req, res) => {
    const done = req.session.entryDone
    if (!done) return res.redirect(303, '/responses/new')
    res.render('entry/done', { title: 'Answers recorded', done })
  })

  const loadForRecording = async (
    req: Request,
    id: Types.ObjectId,
  ): Promise<{ invitation: Invitation; survey: TSurveyDefinition }> => {
    const invitation = await findVisibleInvitation(signedInUser(req), id, 'record-answer')
    if (!invitation)
      throw new HttpError(404, 'There is no invitation at this address, or it belongs to another team.')
    if (invitation.status === 'completed' || invitation.completedAt) {
      throw new HttpError(409, 'Answers for this invitation have already been recorded, online or by staff.')
    }
    if (invitation.status === 'cancelled') {
      throw new HttpError(
        409,
        `This invitation is ${STATUS_LABELS.cancelled.toLowerCase()}. Record the answers without a link from “Record answers given in person”.`,
      )
    }
    const survey = services.surveys.latest(invitation.surveyId)
    if (!survey) throw new HttpError(404, 'The survey for this invitation no longer exists.')
    return { invitation, survey }
  }

  router.get('/invitations/:id/record', staffOnly, async (req, res) => {
    const { invitation, survey } = await loadForRecording(req, readInput(RecordPageInput, req).params.id)
    renderForm(res, {
      survey,
      teams: [],
      values: emptyEntryValues(clock.now(), {}),
      answers: {},
      errors: [],
      answerErrors: [],
      invitation,
    })
  })

  router.post('/invitations/:id/record', staffOnly, async (req, res) => {
    const { params, body } = readInput(RecordInput, req)
    const { invitation, survey } = await loadForRecording(req, params.id)
    await handlePost(req, res, { survey, values: entryFormValues(body), invitation })
  })

  return router
}
