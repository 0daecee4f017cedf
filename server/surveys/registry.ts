/**
 * Loads every survey definition in `surveys/` at start. Files are named `<id>.v<version>.yaml`;
 * older versions stay so that responses to them remain readable after a definition changes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import type { z } from 'zod'
import type { FamilyLanguage, Language } from '../i18n/languages'
import {
  isChoiceQuestion,
  translateSurvey,
  type TCaseEvent,
  type TChoiceQuestion,
  type TSurveyDefinition,
  type TSurveyTranslation,
  ZSurveyDefinition,
  ZSurveyTranslation,
} from './definition'

export class SurveyDefinitionError extends Error {}

const FILE_NAME = /^([a-z0-9-]+)\.v(\d+)\.ya?ml$/
/** A translation: `closure-family.v2.cy.yaml`. */
const TRANSLATION_FILE_NAME = /^([a-z0-9-]+)\.v(\d+)\.([a-z]{2})\.ya?ml$/

/** A translation that is not offered, and why (a question or answer not translated). */
export interface RefusedTranslation {
  survey: string
  version: number
  language: FamilyLanguage
  missing: string[]
}

export class SurveyRegistry {
  private readonly versions = new Map<string, Map<number, TSurveyDefinition>>()
  /** Complete translations by `<id>.v<version>`, then language. */
  private readonly translations = new Map<string, Map<FamilyLanguage, TSurveyDefinition>>()
  readonly refusedTranslations: RefusedTranslation[] = []

  constructor(definitions: TSurveyDefinition[], translations: TSurveyTranslation[] = []) {
    for (const definition of definitions) {
      const byVersion = this.versions.get(definition.id) ?? new Map<number, TSurveyDefinition>()
      byVersion.set(definition.version, definition)
      this.versions.set(definition.id, byVersion)
    }
    for (const translation of translations) {
      const survey = this.version(translation.id, translation.version)
      const { id, version, language } = translation
      if (!survey) {
        this.refusedTranslations.push({
          survey: id,
          version,
          language,
          missing: [`survey ${id} v${version}`],
        })
        continue
      }
      const result = translateSurvey(survey, translation)
      if (!result.complete) {
        this.refusedTranslations.push({ survey: id, version, language, missing: result.missing })
        continue
      }
      const key = `${id}.v${version}`
      const byLanguage = this.translations.get(key) ?? new Map<FamilyLanguage, TSurveyDefinition>()
      byLanguage.set(language, result.survey)
      this.translations.set(key, byLanguage)
    }
  }

  /** The languages besides English this version of a survey is completely translated into. */
  languagesFor(survey: TSurveyDefinition): FamilyLanguage[] {
    return [...(this.translations.get(`${survey.id}.v${survey.version}`)?.keys() ?? [])]
  }

  /** The survey in a language's words (same ids, answers and version), or as it is when not translated. */
  inLanguage(survey: TSurveyDefinition, language: Language): TSurveyDefinition {
    if (language === 'en') return survey
    return this.translations.get(`${survey.id}.v${survey.version}`)?.get(language) ?? survey
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

/** A survey file's YAML, checked by its schema; any problem names the file and where in it. */
function parseYamlWith<T>(schema: z.ZodType<T>, fileName: string, contents: string): T {
  let raw: unknown
  try {
    raw = parse(contents)
  } catch (error) {
    throw new SurveyDefinitionError(
      `surveys/${fileName}: not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    )
  }
  const result = schema.safeParse(raw)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${describePath(issue.path, raw)}: ${issue.message}`)
    throw new SurveyDefinitionError(`surveys/${fileName}: ${problems.join('; ')}`)
  }
  return result.data
}

export function parseSurveyFile(fileName: string, contents: string): TSurveyDefinition {
  const nameMatch = FILE_NAME.exec(fileName)
  if (!nameMatch) {
    throw new SurveyDefinitionError(`surveys/${fileName}: file name must be <survey-id>.v<version>.yaml`)
  }
  const survey = parseYamlWith(ZSurveyDefinition, fileName, contents)
  if (survey.id !== nameMatch[1] || survey.version !== Number(nameMatch[2])) {
    throw new SurveyDefinitionError(
      `surveys/${fileName}: id and version (${survey.id} v${survey.version}) must match the file name`,
    )
  }
  return survey
}

export function parseTranslationFile(fileName: string, contents: string): TSurveyTranslation {
  const nameMatch = TRANSLATION_FILE_NAME.exec(fileName)
  if (!nameMatch) {
    throw new SurveyDefinitionError(
      `surveys/${fileName}: file name must be <survey-id>.v<version>.<language>.yaml`,
    )
  }
  const translation = parseYamlWith(ZSurveyTranslation, fileName, contents)
  if (
    translation.id !== nameMatch[1] ||
    translation.version !== Number(nameMatch[2]) ||
    translation.language !== nameMatch[3]
  ) {
    throw new SurveyDefinitionError(
      `surveys/${fileName}: id, version and language (${translation.id} v${translation.version} ${translation.language}) must match the file name`,
    )
  }
  return translation
}

export function loadSurveys(directory: string): SurveyRegistry {
  const files = readdirSync(directory).filter((name) => /\.ya?ml$/.test(name))
  const read = (name: string) => readFileSync(path.join(directory, name), 'utf8')
  const isTranslation = (name: string) => TRANSLATION_FILE_NAME.test(name)
  const definitions = files
    .filter((name) => !isTranslation(name))
    .map((name) => parseSurveyFile(name, read(name)))
  const translations = files.filter(isTranslation).map((name) => parseTranslationFile(name, read(name)))
  return new SurveyRegistry(definitions, translations)
}
