/** Builders for the records tests need: teams, staff users (signed in over HTTP), invitations. */
import type { Express } from 'express'
import type { Types } from 'mongoose'
import type { Clock } from '../../server/clock'
import { loadConfig } from '../../server/config'
import { MfaEnrolmentModel } from '../../server/staff/mfa/enrolment'
import { SecretBox } from '../../server/staff/mfa/secretBox'
import { mfaRequiredFor } from '../../server/staff/mfa/service'
import { newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpCode } from '../../server/staff/mfa/totp'
import request from 'supertest'
import type { Services } from '../../server/services'
import { createInvitation, type NewInvitation } from '../../server/invitations/service'
import { hashPassword } from '../../server/staff/passwords'
import { UserModel, type Role, type User } from '../../server/staff/user'
import { TeamModel, type Service, type Team } from '../../server/teams/team'
import { csrfTokenFrom } from './http'
import { latestTestServices, testServicesOf } from './testApp'

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
  /** An authenticator app already set up; by default for the roles that must have one (admin, QA). */
  mfa?: boolean
}): Promise<User> {
  const email = options.email ?? `${options.role}-${Math.random().toString(36).slice(2, 8)}@council.example`
  const created = await UserModel.create({
    email,
    name: options.name ?? `Test ${options.role}`,
    role: options.role,
    teamIds: (options.teams ?? []).map((team) => team._id),
    passwordHash: await hashPassword(options.password ?? TEST_PASSWORD),
  })
  if (options.mfa ?? mfaRequiredFor(options.role)) await enrolAuthenticator(created._id)
  return created.toObject()
}

const authenticatorSecrets = new Map<string, string>()

function secretBox(): SecretBox {
  return new SecretBox(
    latestTestServices()?.config.sessionSecret ?? loadConfig({ NODE_ENV: 'test' }).sessionSecret,
  )
}

/** Sets up an authenticator app for a user, as if they had confirmed it; returns its secret and recovery codes. */
export async function enrolAuthenticator(
  userId: Types.ObjectId,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const secret = newTotpSecret()
  const recoveryCodes = newRecoveryCodes()
  await MfaEnrolmentModel.create({
    _id: userId,
    secret: secretBox().seal(secret),
    enabledAt: new Date(),
    lastUsedStep: -1,
    recoveryCodeHashes: recoveryCodes.map(recoveryCodeHash),
  })
  authenticatorSecrets.set(String(userId), secret)
  return { secret, recoveryCodes }
}

/**
 * The code the user's app shows at the clock's time. It first forgets which code the account used
 * last, so that tests on a stopped clock can sign the same person in more than once (the replay
 * rule itself is tested over HTTP in staff-mfa.test.ts).
 */
export async function currentCode(user: Pick<User, 'email'>, clock: Clock): Promise<string> {
  const found = await UserModel.findOne({ email: user.email.toLowerCase() }, { _id: 1 }).lean()
  const secret = found ? authenticatorSecrets.get(String(found._id)) : undefined
  if (!found || !secret) throw new Error(`No authenticator app was set up for ${user.email} by the factories`)
  await MfaEnrolmentModel.updateOne({ _id: found._id }, { $set: { lastUsedStep: -1 } })
  return totpCode(secret, clock.now())
}

/** Signs in through the real sign-in form; the returned agent keeps the session cookie. */
export async function signIn(app: Express, user: Pick<User, 'email'>, password = TEST_PASSWORD) {
  const agent = request.agent(app)
  const page = await agent.get('/sign-in').expect(200)
  const signedIn = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email: user.email, password })
    .expect(303)
  if (signedIn.headers.location === '/sign-in/code') {
    // Admin and QA accounts (and anyone who set up an app) enter a code from their app next.
    const services = testServicesOf(app)
    if (!services) throw new Error('signIn needs an app built by startTestApp (for its clock)')
    const form = await agent.get('/sign-in/code').expect(200)
    await agent
      .post('/sign-in/code')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), code: await currentCode(user, services.clock) })
      .expect(303)
  }
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
