/**
 * Loads every survey definition in `surveys/` at start. Files are named `<id>.v<version>.yaml`;
 * older versions stay so that responses to them remain readable after a definition changes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import {
  isChoiceQuestion,
  type TCaseEvent,
  type TChoiceQuestion,
  type TSurveyDefinition,
  ZSurveyDefinition,
} from './definition'

export class SurveyDefinitionError extends Error {}

const FILE_NAME = /^([a-z0-9-]+)\.v(\d+)\.ya?ml$/

export class SurveyRegistry {
  private readonly versions = new Map<string, Map<number, TSurveyDefinition>>()

  constructor(definitions: TSurveyDefinition[]) {
    for (const definition of definitions) {
      const byVersion = this.versions.get(definition.id) ?? new Map<number, TSurveyDefinition>()
      byVersion.set(definition.version, definition)
      this.versions.set(definition.id, byVersion)
    }
  }

  /** The version new invitations and forms use. */
  latest(id: string): TSurveyDefinition | undefined {
    const byVersion = this.versions.get(id)
    if (!byVersion) return undefined
    return byVersion.get(Math.max(...byVersion.keys()))
  }

  version(id: string, version: number): TSurveyDefinition | undefined {
    return this.versions.get(id)?.get(version)
  }

  has(id: string): boolean {
    return this.versions.has(id)
  }

  /** Latest version of every survey, in a stable order. */
  all(): TSurveyDefinition[] {
    return [...this.versions.keys()]
      .sort()
      .map((id) => this.latest(id))
      .filter((survey): survey is TSurveyDefinition => survey !== undefined)
  }

  forEvent(event: TCaseEvent): TSurveyDefinition[] {
    return this.all().filter((survey) => survey.event === event)
  }

  /**
   * A choice question as reports see it: the latest version's wording, falling back to older
   * versions for questions since removed.
   */
  choiceQuestions(id: string): TChoiceQuestion[] {
    const byVersion = this.versions.get(id)
    if (!byVersion) return []
    const seen = new Map<string, TChoiceQuestion>()
    for (const version of [...byVersion.keys()].sort((a, b) => b - a)) {
      for (const question of byVersion.get(version)!.questions) {
        if (isChoiceQuestion(question) && !seen.has(question.id)) seen.set(question.id, question)
      }
    }
    const latestOrder = this.latest(id)?.questions.map((q) => q.id) ?? []
    return [...seen.values()].sort((a, b) => rank(latestOrder, a.id) - rank(latestOrder, b.id))
  }
}

function rank(order: string[], id: string): number {
  const index = order.indexOf(id)
  return index === -1 ? order.length : index
}

function describePath(pathParts: PropertyKey[], raw: unknown): string {
  // Name questions by id where possible: "questions[2] (right-people).positive".
  let described = ''
  let node: unknown = raw
  for (const part of pathParts) {
    if (typeof part === 'number') {
      described += `[${part}]`
      node = Array.isArray(node) ? node[part] : undefined
      const id = (node as { id?: unknown } | undefined)?.id
      if (typeof id === 'string') described += ` (${id})`
    } else {
      described += described ? `.${String(part)}` : String(part)
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(part)] : undefined
    }
  }
  return described || '(top level)'
}

export function parseSurveyFile(fileName: string, contents: string): TSurveyDefinition {
  const nameMatch = FILE_NAME.exec(fileName)
  if (!nameMatch) {
    throw new SurveyDefinitionError(`surveys/${fileName}: file name must be <survey-id>.v<version>.yaml`)
  }
  let raw: unknown
  try {
    raw = parse(contents)
  } catch (error) {
    throw new SurveyDefinitionError(
      `surveys/${fileName}: not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    )
  }
  const result = ZSurveyDefinition.safeParse(raw)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${describePath(issue.path, raw)}: ${issue.message}`)
    throw new SurveyDefinitionError(`surveys/${fileName}: ${problems.join('; ')}`)
  }
  const survey = result.data
  if (survey.id !== nameMatch[1] || survey.version !== Number(nameMatch[2])) {
    throw new SurveyDefinitionError(
      `surveys/${fileName}: id and version (${survey.id} v${survey.version}) must match the file name`,
    )
  }
  return survey
}

export function loadSurveys(directory: string): SurveyRegistry {
  const files = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name))
  const definitions = files.map((name) =>
    parseSurveyFile(name, readFileSync(path.join(directory, name), 'utf8')),
  )
  return new SurveyRegistry(definitions)
}
