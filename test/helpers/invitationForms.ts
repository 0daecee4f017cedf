/** The practitioner's send form (/invitations/new), as a browser posts it, and where it leads. */
import assert from 'node:assert/strict'
import type { Response } from 'supertest'
import type { Team } from '../../server/teams/team'
import { formBody, type Agent } from './respond'

/** The send form's fields for one person by email (the other rows left blank); fields override any. */
export function sendForm(csrf: string, team: Team, fields: Record<string, string> = {}): string {
  return formBody({
    _csrf: csrf,
    event: 'closure',
    team: String(team._id),
    service: '',
    caseRef: 'LCS-448812',
    'eventDate-day': '20',
    'eventDate-month': '11',
    'eventDate-year': '2026',
    channel: 'email',
    'survey-1': 'closure-family',
    'respondent-1': '',
    'email-1': 'sam.parent@family.example',
    'firstName-1': 'Sam',
    ...Object.fromEntries(
      [2, 3, 4, 5].flatMap((n) => [
        [`survey-${n}`, 'closure-family'],
        [`respondent-${n}`, ''],
        [`email-${n}`, ''],
        [`firstName-${n}`, ''],
      ]),
    ),
    ...fields,
  })
}

/** Posts a send form body; the caller says what status to expect. */
export function postSendForm(agent: Agent, body: string) {
  return agent.post('/invitations/new').type('form').send(body)
}

/** The confirmation page a sent form redirects to (/invitations/sent?ids=…). */
export async function confirmationAfter(agent: Agent, sent: Response): Promise<Response> {
  const location = sent.headers.location as string
  assert.match(location, /^\/invitations\/sent\?ids=[a-f0-9]{24}(,[a-f0-9]{24})*$/)
  return agent.get(location).expect(200)
}

/** Presses a button on an invitation's page (cancel, resend): a form post with the page's token. */
export function postInvitationAction(agent: Agent, id: unknown, action: 'cancel' | 'resend', csrf: string) {
  return agent
    .post(`/invitations/${String(id)}/${action}`)
    .type('form')
    .send({ _csrf: csrf })
}
