/**
 * Builders for report tests: responses stored through the real recordResponse, with answers laid
 * out question by question ("113 yes, 1 partly") so that a test reads like the published figures.
 */
import type { Services } from '../../server/services'
import { recordResponse } from '../../server/responses/recordResponse'
import type { Mode } from '../../server/responses/response'
import type { TRespondentType } from '../../server/surveys/definition'
import type { Team } from '../../server/teams/team'
import { visibleText } from './http'

/** For each question, how many gave each answer; rows past the total skip the question. */
export type AnswerPlan = Record<string, Record<string, number>>

/** n answer sets: row i answers each question with the i-th answer of its plan, or skips it. */
export function answerRows(n: number, plan: AnswerPlan): Record<string, string>[] {
  const columns = Object.entries(plan).map(([question, counts]) => {
    const answers = Object.entries(counts).flatMap(([answer, count]) => Array<string>(count).fill(answer))
    if (answers.length > n) throw new Error(`${question}: ${answers.length} answers for ${n} responses`)
    return [question, answers] as const
  })
  return Array.from({ length: n }, (_, i) => {
    const row: Record<string, string> = {}
    for (const [question, answers] of columns) if (i < answers.length) row[question] = answers[i]!
    return row
  })
}

let counter = 0

export interface Batch {
  survey: string
  team: Team
  /** Submission instants, used in turn. */
  at: string[]
  respondent?: TRespondentType
  mode?: Mode
  rows: Record<string, string>[]
  texts?: { question: string; text: string }[]
}

/** Stores every row of the batch as a response; returns how many were stored. */
export async function addResponses(services: Services, batch: Batch): Promise<number> {
  const survey = services.surveys.latest(batch.survey)
  if (!survey) throw new Error(`no survey ${batch.survey}`)
  let stored = 0
  for (const [i, row] of batch.rows.entries()) {
    const outcome = await recordResponse(
      {
        survey,
        claimKey: `entry:test-${++counter}-${Math.random().toString(36).slice(2)}`,
        team: { id: batch.team._id, name: batch.team.name },
        service: batch.team.service,
        respondent: batch.respondent ?? survey.audience,
        mode: batch.mode ?? 'online',
        source: 'staff',
        submittedAt: new Date(batch.at[i % batch.at.length]!),
        answers: Object.entries(row).map(([question, answer]) => ({ question, answer })),
        texts: i === 0 ? (batch.texts ?? []) : [],
      },
      services.config.worryWords,
    )
    if (outcome.recorded) stored++
  }
  return stored
}

/** What a person reads on a page: visibleText, with scripts leaving a space and &#34; decoded too. */
export function plainText(html: string): string {
  return visibleText(html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/&#34;/g, '"'))
}

/** The text of each <li> in the list with this id ([] when there is no such list). */
export function listItems(html: string, id: string): string[] {
  const start = html.indexOf(`id="${id}"`)
  if (start === -1) return []
  const end = html.indexOf('</ul>', start)
  return [...html.slice(start, end).matchAll(/<li>([\s\S]*?)<\/li>/g)].map((match) => plainText(match[1]!))
}

/**
 * The dashboard's headlines: each is said once, under "What's working well?", "What are we worried
 * about?" or "Too few answers to report". The change or the reason after the n ("(108 answered;
 * down 5 points …)") is left out, so each reads as the headline sentence "… (108 answered)".
 */
export function dashboardHeadlines(html: string): string[] {
  return [
    ...listItems(html, 'working-well'),
    ...listItems(html, 'worries'),
    ...listItems(html, 'too-few'),
  ].map((item) => item.replace(/\((\d+ answered)[;,][^)]*\)$/, '($1)'))
}

/** A table by id as rows of cell texts (header cells included). */
export function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`id="${id}"`)
  if (start === -1) return []
  const end = html.indexOf('</table>', start)
  return [...html.slice(start, end).matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => plainText(cell[1]!)),
  )
}

/** A CSV's lines as arrays of cells (simple: the report CSV quotes only cells with commas). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = []
  for (const line of text.split('\r\n').filter(Boolean)) {
    const cells: string[] = []
    let cell = ''
    let quoted = false
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          cell += '"'
          i++
        } else if (char === '"') quoted = false
        else cell += char
      } else if (char === '"') quoted = true
      else if (char === ',') {
        cells.push(cell)
        cell = ''
      } else cell += char
    }
    cells.push(cell)
    rows.push(cells)
  }
  return rows
}
