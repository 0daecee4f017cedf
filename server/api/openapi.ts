/**
 * The API (reports and invitations) described as OpenAPI 3.1, served at /api/v1/openapi.json. Kept beside the
 * routes and checked against their real answers in test/integration/api-openapi.test.ts, so the
 * description cannot drift from what the API does.
 */
import { MODES } from '../responses/response'
import { BREAKDOWNS } from '../reports/service'
import { INVITATION_STATUSES } from '../invitations/invitation'
import { CASE_EVENTS, RESPONDENT_TYPES } from '../surveys/definition'

const filterParameters = [
  {
    name: 'survey',
    in: 'query',
    required: true,
    description: 'A survey id, e.g. closure-family.',
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'period',
    in: 'query',
    required: true,
    description:
      'A financial year (2020-21), a quarter (2020-21-Q4), a month (2021-04) or dates (2021-01-01..2021-03-31), in London time.',
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'team',
    in: 'query',
    required: false,
    description: "A team's name; a manager token may name only its own teams.",
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'respondent',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: [...RESPONDENT_TYPES] },
  },
  { name: 'mode', in: 'query', required: false, schema: { type: 'string', enum: [...MODES] } },
]

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

const errors = {
  '400': errorResponse(
    'A missing or unknown survey, period, team, respondent or mode, or any unknown, repeated or empty parameter; `error` names it.',
  ),
  '401': errorResponse('No valid API token.'),
  '403': errorResponse('The token may not use the reports API, or may not see that team.'),
  '429': errorResponse('More than 120 requests a minute from one address.'),
}

const nullableCount = { type: ['integer', 'null'], minimum: 0 }

const invitationErrors = {
  '400': errorResponse(
    'A missing, unknown or malformed field (unknown fields are refused); `error` names it. A team the token may not send for answers as an unknown team.',
  ),
  '401': errorResponse('No valid API token.'),
  '429': errorResponse('More than 120 requests a minute from one address.'),
}

const nullableText = { type: ['string', 'null'] }

/** An answer's object: every property always there, and nothing else. */
function answerObject<P extends Record<string, unknown>>(properties: P) {
  return {
    type: 'object',
    required: Object.keys(properties),
    additionalProperties: false,
    properties,
  } as const
}

/** A report's answer: the survey and period it is about, then what it holds. */
function reportAnswer<P extends Record<string, unknown>>(properties: P) {
  return answerObject({
    survey: { type: 'string' },
    period: { $ref: '#/components/schemas/Period' },
    ...properties,
  })
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Family Voice reports API',
    version: '1',
    description:
      'Headline results and breakdowns of service-user feedback, for BI tools and scripts, and personal survey links sent for case-management events. Small numbers are suppressed: a percentage over fewer answers than the threshold (default 5) is null with suppressed true.',
  },
  servers: [{ url: '/' }],
  security: [{ bearerToken: [] }],
  paths: {
    '/api/v1/reports/headlines': {
      get: {
        operationId: 'getHeadlines',
        summary: 'The headline statements for a survey and period',
        parameters: filterParameters,
        responses: {
          '200': {
            description: 'The headlines.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/HeadlineReport' } } },
          },
          ...errors,
        },
      },
    },
    '/api/v1/reports/breakdown': {
      get: {
        operationId: 'getBreakdown',
        summary: 'The headlines split by team, service, respondent type, way of answering, quarter or month',
        parameters: [
          ...filterParameters,
          { name: 'by', in: 'query', required: true, schema: { type: 'string', enum: [...BREAKDOWNS] } },
        ],
        responses: {
          '200': {
            description: 'One group per team, service, respondent type, mode, quarter or month.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Breakdown' } } },
          },
          ...errors,
        },
      },
    },
    '/api/v1/invitations': {
      post: {
        operationId: 'createInvitation',
        summary: 'Send a survey link for a case-management event, once per event_id',
        description:
          'The family gets a personal single-use link by email or text message. The same event_id again (even at the same instant) makes no second invitation and answers 200 with the first. Roles: qa and admin tokens send for every team; practitioner and manager tokens for the teams named when the token was made.',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/InvitationRequest' } },
          },
        },
        responses: {
          '201': {
            description: 'Made: its message is queued in the outbox (status queued).',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Invitation' } } },
          },
          '200': {
            description: 'This event_id was sent before: the invitation it made.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Invitation' } } },
          },
          ...invitationErrors,
          '409': errorResponse(
            'The event_id is being sent by another request at this moment, or was used for an invitation this token cannot see or that has been erased.',
          ),
          '503': errorResponse(
            'It could not be made just now and nothing was kept: send the same request again.',
          ),
        },
      },
    },
    '/api/v1/invitations/{id}': {
      get: {
        operationId: 'getInvitation',
        summary: 'An invitation made through this API or the staff pages, and where it has got to',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 24 } }],
        responses: {
          '200': {
            description: 'The invitation.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Invitation' } } },
          },
          ...invitationErrors,
          '404': errorResponse('No invitation with this id that the token may see.'),
        },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        security: [],
        responses: {
          '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': {} } },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerToken: {
        type: 'http',
        scheme: 'bearer',
        description:
          'A token made by `npm run cli -- create-api-token`: reports take role qa, manager or admin; invitations any role that may send for the team.',
      },
    },
    schemas: {
      InvitationRequest: {
        type: 'object',
        required: ['event_id', 'team', 'case_ref', 'channel'],
        additionalProperties: false,
        description: 'Give survey or event (not both); email with channel email, mobile with channel sms.',
        properties: {
          event_id: {
            type: 'string',
            minLength: 1,
            description:
              "The case-management system's id of the event: letters, digits and . _ : / -, up to 100.",
          },
          survey: { type: 'string', description: 'A survey id, e.g. closure-family.' },
          event: {
            type: 'string',
            enum: [...CASE_EVENTS],
            description:
              "The event's survey for the respondent (its parent/carer survey when none is given).",
          },
          team: { type: 'string', minLength: 1, description: "The team's name in Family Voice." },
          respondent: { type: 'string', enum: [...RESPONDENT_TYPES] },
          case_ref: {
            type: 'string',
            minLength: 1,
            description:
              'The case reference: letters, numbers and hyphens, up to 30; never shown to the family.',
          },
          channel: { type: 'string', enum: ['email', 'sms'] },
          email: { type: 'string', minLength: 3 },
          mobile: {
            type: 'string',
            minLength: 10,
            description: 'A UK mobile number, any usual form (07400 123456, +447400123456); kept as +447…',
          },
          first_name: { type: 'string', description: 'Only used to say hello.' },
        },
      },
      Invitation: answerObject({
        id: { type: 'string', minLength: 24 },
        status: {
          type: 'string',
          enum: [...INVITATION_STATUSES],
          description:
            'queued until its message has gone; failed with failure_reason when it could not be delivered.',
        },
        event_id: { ...nullableText, description: 'null for invitations sent from the staff pages.' },
        survey: { type: 'string' },
        team: { type: 'string' },
        respondent: { type: 'string', enum: [...RESPONDENT_TYPES] },
        channel: { type: 'string', enum: ['email', 'sms', 'letter', 'link'] },
        case_ref: nullableText,
        created_at: { type: 'string', format: 'date-time' },
        sent_at: nullableText,
        expires_at: { type: 'string', format: 'date-time' },
        failure_reason: nullableText,
      }),
      Error: answerObject({ error: { type: 'string', minLength: 1 } }),
      Period: answerObject({
        id: { type: 'string' },
        label: { type: 'string' },
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
      }),
      Headline: answerObject({
        question: { type: 'string' },
        statement: { type: 'string' },
        answered: {
          ...nullableCount,
          description: 'Who answered, leaving out skipped and "not counted" answers; null in a hidden cell.',
        },
        positive: { ...nullableCount, description: 'null when suppressed.' },
        percent: {
          type: ['integer', 'null'],
          minimum: 0,
          maximum: 100,
          description: 'round(100 × positive / answered), half up; null when suppressed.',
        },
        suppressed: { type: 'boolean' },
      }),
      HeadlineReport: reportAnswer({
        responses: { type: 'integer', minimum: 0 },
        headlines: { type: 'array', items: { $ref: '#/components/schemas/Headline' } },
      }),
      Group: answerObject({
        key: {
          type: 'string',
          description: 'The stored value: team name, 2020-21-Q4, 2021-01, parent-carer …',
        },
        label: { type: 'string' },
        responses: { type: 'integer', minimum: 0 },
        headlines: { type: 'array', items: { $ref: '#/components/schemas/Headline' } },
      }),
      Breakdown: reportAnswer({
        by: { type: 'string', enum: [...BREAKDOWNS] },
        groups: { type: 'array', items: { $ref: '#/components/schemas/Group' } },
      }),
    },
  },
} as const

/** The parameters an operation accepts, from the document (so the check and the docs agree). */
export function parameterNames(path: '/api/v1/reports/headlines' | '/api/v1/reports/breakdown'): string[] {
  return openApiDocument.paths[path].get.parameters.map((parameter) => parameter.name)
}
