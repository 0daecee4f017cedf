/** The staff sign-in and sign-out forms posted as a browser would, for tests of what they answer. */
import { csrfTokenFrom } from './http'
import type { Agent } from './respond'

/** Opens the sign-in page and posts these credentials with its token; expects the given status. */
export async function postSignIn(
  agent: Agent,
  credentials: { email: string; password: string },
  status: number,
) {
  const page = await agent.get('/sign-in').expect(200)
  return agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), ...credentials })
    .expect(status)
}

/** Posts the sign-out button of a staff page (its CSRF token); expects the redirect. */
export function postSignOut(agent: Agent, page: { text: string }) {
  return agent
    .post('/sign-out')
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text) })
    .expect(303)
}
