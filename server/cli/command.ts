import type { Services } from '../services'

export interface CliContext {
  services: Services
  values: Record<string, string | boolean | undefined>
  positionals: string[]
  stdin: NodeJS.ReadableStream
  out(line: string): void
  err(line: string): void
}

export interface CliCommand {
  name: string
  /** One line for the help text, e.g. `create-invitation --survey ID --team NAME`. */
  usage: string
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>
  /** The exit code when the command's input is refused (an HttpError under 500): 1 unless set. */
  refusedInputExitCode?: number
  /** Returns the exit code. */
  run(context: CliContext): Promise<number>
}

/** A required string option, or undefined after printing what is missing. */
export function requiredOption(context: CliContext, name: string): string | undefined {
  const value = context.values[name]
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  context.err(`--${name} is required.`)
  return undefined
}
