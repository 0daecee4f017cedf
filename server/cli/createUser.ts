/**
 * `npm run cli -- create-user --email E --role R [--team T]… [--name N]`
 * The password is read from standard input when something is piped in (`echo "…" | npm run cli …`),
 * otherwise a strong one is generated and printed once. Teams must already exist.
 */
import { addUser } from '../admin/users'
import { ValidationError } from '../http/input'
import { ROLES } from '../staff/user'
import { TeamModel, type Team } from '../teams/team'
import { requiredOption, type CliCommand } from './command'

/** Waits this long for piped input that has not started; an empty pipe means "generate one". */
const STDIN_WAIT_MS = 2000

/** The first line of standard input, or '' when it is a terminal or nothing arrives. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as { isTTY?: boolean }).isTTY) return ''
  return new Promise((resolve) => {
    let text = ''
    let timer: NodeJS.Timeout | undefined = setTimeout(() => finish(), STDIN_WAIT_MS)
    const finish = () => {
      if (timer) clearTimeout(timer)
      timer = undefined
      stdin.removeAllListeners('data')
      stdin.removeAllListeners('end')
      stdin.removeAllListeners('error')
      ;(stdin as { pause?: () => void }).pause?.()
      resolve(text.split(/\r?\n/)[0] ?? '')
    }
    stdin.setEncoding?.('utf8')
    stdin.on('data', (chunk: string | Buffer) => {
      // Something is coming: wait for the end instead of the timer.
      if (timer) clearTimeout(timer)
      timer = undefined
      text += String(chunk)
      if (text.includes('\n') || text.length > 1000) finish()
    })
    stdin.on('end', finish)
    stdin.on('error', finish)
  })
}

/** --team may be repeated or comma-separated. */
function teamNamesFrom(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : []
  return values
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter(Boolean)
}

async function findTeam(name: string): Promise<Team | undefined> {
  const exact = await TeamModel.findOne({ name }).lean()
  if (exact) return exact
  const wanted = name.toLowerCase()
  return (await TeamModel.find({}).lean()).find((team) => team.name.toLowerCase() === wanted)
}

export const createUserCommand: CliCommand = {
  name: 'create-user',
  usage: `create-user --email EMAIL --role ${ROLES.join('|')} [--team NAME]… [--name NAME]  (password from stdin, or generated)`,
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    // Repeatable: --team A --team B (or --team "A,B").
    team: { type: 'string', multiple: true } as { type: 'string' },
  },
  async run(context) {
    const email = requiredOption(context, 'email')
    const role = requiredOption(context, 'role')
    if (!email || !role) return 2
    if (!(ROLES as readonly string[]).includes(role)) {
      context.err(`--role must be one of: ${ROLES.join(', ')}.`)
      return 2
    }
    const teams: Team[] = []
    for (const teamName of teamNamesFrom(context.values.team)) {
      const team = await findTeam(teamName)
      if (!team) {
        context.err(`There is no team called "${teamName}". Add it in Admin > Teams first.`)
        return 1
      }
      teams.push(team)
    }
    const nameValue = context.values.name
    const name = typeof nameValue === 'string' && nameValue.trim() ? nameValue.trim() : email.split('@')[0]!
    const password = await readPasswordFromStdin(context.stdin)
    try {
      const result = await addUser(
        context.services.clock,
        { label: 'command line' },
        { email, name, role, teamIds: teams.map((team) => String(team._id)), password },
      )
      context.err(
        `Created ${result.user.role} ${result.user.email}${teams.length ? ` in ${teams.map((t) => t.name).join(', ')}` : ''}.`,
      )
      if (result.generated) {
        context.err('Their password (shown only this once):')
        context.out(result.password)
      }
      return 0
    } catch (error) {
      if (error instanceof ValidationError) {
        for (const problem of error.errors)
          context.err(`--${problem.href === 'teams' ? 'team' : problem.href}: ${problem.text}.`)
        return 1
      }
      throw error
    }
  },
}
