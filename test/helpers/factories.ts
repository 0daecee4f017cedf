/** Builders for the records tests need: teams, staff users (signed in over HTTP), invitations. */
import type { Express } from 'express'
import request from 'supertest'
import type { Services } from '../../server/services'
import { createInvitation, type NewInvitation } from '../../server/invitations/service'
import { hashPassword } from '../../server/staff/passwords'
import { UserModel, type Role, type User } from '../../server/staff/user'
import { TeamModel, type Service, type Team } from '../../server/teams/team'
import { csrfTokenFrom } from './http'

export const TEST_PASSWORD = 'correct horse battery staple'

export async function createTeam(name: string, service: Service = 'Locality'): Promise<Team> {
  return (await TeamModel.create({ name, service })).toObject()
}

export async function createUser(options: {
  role: Role
  teams?: Team[]
  email?: string
  name?: string
  password?: string
}): Promise<User> {
  const email = options.email ?? `${options.role}-${Math.random().toString(36).slice(2, 8)}@council.example`
  const created = await UserModel.create({
    email,
    name: options.name ?? `Test ${options.role}`,
    role: options.role,
    teamIds: (options.teams ?? []).map((team) => team._id),
    passwordHash: await hashPassword(options.password ?? TEST_PASSWORD),
  })
  return created.toObject()
}

/** Signs in through the real sign-in form; the returned agent keeps the session cookie. */
export async function signIn(app: Express, user: Pick<User, 'email'>, password = TEST_PASSWORD) {
  const agent = request.agent(app)
  const page = await agent.get('/sign-in').expect(200)
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email: user.email, password })
    .expect(303)
  return agent
}

/** An invitation and its token, as the CLI or a practitioner would create it. */
export async function issueInvitation(
  services: Services,
  team: Team,
  options: Partial<Omit<NewInvitation, 'team'>> = {},
): Promise<{ token: string; invitationId: string }> {
  const { invitation, token } = await createInvitation(services.surveys, services.clock, {
    surveyId: 'closure-family',
    channel: 'link',
    expiresInDays: services.config.invitationExpiryDays,
    ...options,
    team,
  })
  return { token, invitationId: String(invitation._id) }
}
