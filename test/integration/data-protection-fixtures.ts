/** Builders for the data-protection tests: a case's invitations, answers and free text, made the real way. */
import { randomUUID } from 'node:crypto'
import mongoose from 'mongoose'
import { sendInvitation } from '../../server/invitations/sending'
import { OutboxWorker } from '../../server/mail/outboxWorker'
import { recordResponse } from '../../server/responses/recordResponse'
import { ReportTallyModel } from '../../server/tallies/tally'
import type { Team } from '../../server/teams/team'
import { formBody, openSurveyLink, postSurvey } from '../helpers/respond'
import type { TestApp } from '../helpers/testApp'

/** An emailed invitation, delivered (kept: no SMTP), so it counts as sent in the report tallies. */
export async function emailInvitation(
  t: TestApp,
  team: Team,
  options: { caseRef?: string; email: string; name?: string },
) {
  const sent = await sendInvitation(t.services, {
    surveyId: 'closure-family',
    team,
    channel: 'email',
    recipientEmail: options.email,
    ...(options.name ? { recipientName: options.name } : {}),
    ...(options.caseRef ? { caseRef: options.caseRef } : {}),
    expiresInDays: t.services.config.invitationExpiryDays,
  })
  await new OutboxWorker(t.services, { transport: null }).runOnce()
  return sent
}

/** The family answers through the link over HTTP, as in a browser. */
export async function answerOnline(t: TestApp, token: string, fields: Record<string, string>): Promise<void> {
  const { agent, csrf } = await openSurveyLink(t.app, token)
  const sent = await postSurvey(agent, formBody({ _csrf: csrf, ...fields }))
  if (sent.status !== 303 && sent.status !== 200) throw new Error(`submitting answered ${sent.status}`)
}

/** A telephone answer recorded with a case reference (as an import or staff entry stores it). */
export async function recordWithCaseRef(
  t: TestApp,
  team: Team,
  caseRef: string | undefined,
  answers: Record<string, string>,
  texts: Record<string, string> = {},
) {
  const survey = t.services.surveys.latest('closure-family')!
  const outcome = await recordResponse(
    {
      survey,
      claimKey: `import:${randomUUID()}`,
      team: { id: team._id, name: team.name },
      service: team.service,
      respondent: 'parent-carer',
      mode: 'telephone',
      source: 'import',
      submittedAt: t.clock.now(),
      answers: Object.entries(answers).map(([question, answer]) => ({ question, answer })),
      texts: Object.entries(texts).map(([question, text]) => ({ question, text })),
      ...(caseRef ? { caseRef } : {}),
      storedAt: t.clock.now(),
    },
    t.services.config.worryWords,
    t.services.responseHooks,
  )
  if (!outcome.recorded) throw new Error('response not recorded')
  return outcome.response
}

/** Every document of every collection, as JSON text with its collection's name. */
export async function everyDocument(): Promise<{ collection: string; json: string }[]> {
  const db = mongoose.connection.db!
  const found: { collection: string; json: string }[] = []
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray())
      found.push({ collection: name, json: JSON.stringify(doc) })
  }
  return found
}

/** The stored report tallies' cells, to compare before and after. */
export async function tallyCells(): Promise<string> {
  const docs = await ReportTallyModel.collection.find({}).sort({ _id: 1 }).toArray()
  return JSON.stringify(docs.map((doc) => [doc._id, doc.cells]))
}
