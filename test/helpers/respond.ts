/** Builders for the family's survey journey over HTTP: open a link, read a form, send answers. */
import assert from 'node:assert/strict'
import type { Express } from 'express'
import type { Server } from 'node:http'
import request from 'supertest'
import { csrfTokenFrom } from './http'

export type Agent = ReturnType<typeof request.agent>

/** Opens a personal link as a family would: the link answers 303 to /survey, which shows the form. */
export async function openSurveyLink(app: Express | Server, token: string) {
  const agent = request.agent(app)
  const visit = await agent.get(`/s/${token}`)
  assert.equal(visit.status, 303, `opening the link answered ${visit.status}: ${visit.text.slice(0, 200)}`)
  assert.equal(visit.headers.location, '/survey')
  const page = await agent.get('/survey').expect(200)
  return { agent, visit, page, csrf: csrfTokenFrom(page.text) }
}

/**
 * A urlencoded body exactly as given: repeated keys stay repeated and nothing is bracketed, as a
 * browser sends it (supertest's own form encoding would turn arrays into `a[0]=`).
 */
export function formBody(fields: Array<[string, string]> | Record<string, string>): string {
  const entries = Array.isArray(fields) ? fields : Object.entries(fields)
  return new URLSearchParams(entries).toString()
}

export function postSurvey(agent: Agent, body: string) {
  return agent.post('/survey').type('form').send(body)
}

/**
 * Sends answers that have a problem: the POST answers 303 back to /survey (never a page a browser
 * would ask to resubmit), which shows the answers again with the errors (400).
 */
export async function postSurveyWithProblems(agent: Agent, body: string) {
  const sent = await postSurvey(agent, body).expect(303)
  assert.equal(sent.headers.location, '/survey')
  return agent.get('/survey').expect(400)
}
