/**
 * A real OpenID provider for the tests: the certified `oidc-provider` package on a loopback port,
 * with one confidential client (client_secret_post, PKCE required) registered for the app's
 * callback, and accounts from a table the test fills in. Its ID tokens carry email,
 * email_verified, name and groups, as Entra ID's do when configured so.
 *
 * Logging in is a tiny interaction of our own instead of the package's development pages: with
 * `autoSignInAs` set, the next login signs in that account at once (HTTP tests); without it, a
 * small form asks for the account (the browser test). Consent is given automatically, as a
 * council's provider does for its own staff applications.
 *
 *   const op = await startLoopbackProvider({ appBaseUrl: 'http://family-voice.test' })
 *   op.accounts.set('pat', { email: 'pat@council.example', email_verified: true, groups: ['g-prac'] })
 *   op.autoSignInAs = 'pat'
 *   const t = await startTestApp({ env: op.appEnv() })
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import Provider from 'oidc-provider'
import request from 'supertest'

export interface TestIdentity {
  email?: string
  email_verified?: boolean
  /** Entra ID's "email domain owner verified" optional claim. */
  xms_edov?: boolean
  name?: string
  groups?: string[]
}

export interface LoopbackProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** The provider's accounts, by account id (their `sub`). */
  accounts: Map<string, TestIdentity>
  /** The account the next login signs in as, with no form; undefined shows the login form. */
  autoSignInAs: string | undefined
  /** The next interaction ends with this OAuth error (e.g. access_denied) instead of signing in. */
  refuseNextWith: string | undefined
  /** The app's OIDC_* settings for this provider. */
  appEnv(extra?: Record<string, string>): Record<string, string>
  close(): Promise<void>
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
}

function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (text += chunk))
    req.on('end', () => resolve(new URLSearchParams(text)))
    req.on('error', reject)
  })
}

export async function startLoopbackProvider(options: { appBaseUrl: string }): Promise<LoopbackProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
  const server = http.createServer((req, res) => handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const clientId = 'family-voice'
  const clientSecret = randomBytes(24).toString('base64url')
  const accounts = new Map<string, TestIdentity>()
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const state: Pick<LoopbackProvider, 'autoSignInAs' | 'refuseNextWith'> = {
    autoSignInAs: undefined,
    refuseNextWith: undefined,
  }

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.appBaseUrl}/sign-in/sso/callback`],
        post_logout_redirect_uris: [`${options.appBaseUrl}/sign-in?signedOut=1`],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    // groups always, as Entra ID sends them once group claims are configured.
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    // The claims go in the ID token (as Entra ID puts them), not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    // The app must send PKCE: a request without it is refused.
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(_ctx: unknown, id: string) {
      const identity = accounts.get(id)
      if (!identity) return undefined
      return { accountId: id, claims: async () => ({ sub: id, ...identity }) }
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: { body: unknown }, form: string) {
          ctx.body = page(
            'Sign out of the test provider?',
            `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
          )
        },
        async postLogoutSuccessSource(ctx: { body: unknown }) {
          ctx.body = page('Signed out', '<p>You have signed out of the test provider.</p>')
        },
      },
    },
    async renderError(ctx: { type: string; body: unknown }, out: Record<string, string>) {
      ctx.type = 'html'
      ctx.body = page('Provider error', `<p id="error">${escapeHtml(out.error ?? '')}</p>`)
    },
  })
  const providerHandler = provider.callback()

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res)
    if (state.refuseNextWith) {
      const error = state.refuseNextWith
      state.refuseNextWith = undefined
      await provider.interactionFinished(
        req,
        res,
        { error, error_description: 'Refused by the test' },
        { mergeWithLastSubmission: false },
      )
      return
    }
    if (details.prompt.name === 'login') {
      const accountId =
        req.method === 'POST' ? ((await readBody(req)).get('login') ?? undefined) : state.autoSignInAs
      if (!accountId) {
        res.setHeader('Content-Type', 'text/html; charset=utf-8')
        res.end(
          page(
            'Sign in to the test provider',
            `<form method="post" action="/interaction/${escapeHtml(details.uid)}"><label for="login">Account</label> <input id="login" name="login" autocomplete="username"> <button type="submit">Sign in</button></form>`,
          ),
        )
        return
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      )
      return
    }
    // Consent: grant what the app asked for.
    const grant = new provider.Grant({
      accountId: details.session!.accountId!,
      clientId: String(details.params.client_id),
    })
    grant.addOIDCScope(String(details.params.scope))
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    )
  }

  handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
      return
    }
    providerHandler(req, res)
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    get autoSignInAs() {
      return state.autoSignInAs
    },
    set autoSignInAs(value) {
      state.autoSignInAs = value
    },
    get refuseNextWith() {
      return state.refuseNextWith
    },
    set refuseNextWith(value) {
      state.refuseNextWith = value
    },
    appEnv: (extra = {}) => ({
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type Agent = ReturnType<typeof request.agent>

/**
 * A browser's two cookie jars: one agent for the app (supertest, in-process) and one for the
 * provider (over loopback HTTP). `go` follows redirects by hand across both.
 */
export class SignOnBrowser {
  readonly app: Agent
  readonly provider: Agent

  constructor(
    app: Express,
    private readonly op: LoopbackProvider,
    private readonly appBaseUrl: string,
  ) {
    this.app = request.agent(app)
    this.provider = request.agent(op.issuer)
  }

  /** One GET at an absolute or app-relative address, on the agent for its host. */
  get(location: string): Promise<request.Response> {
    if (location.startsWith(this.op.issuer))
      return this.provider.get(location.slice(this.op.issuer.length)).redirects(0)
    const path = location.startsWith(this.appBaseUrl) ? location.slice(this.appBaseUrl.length) : location
    if (!path.startsWith('/')) throw new Error(`A redirect to somewhere unexpected: ${location}`)
    return this.app.get(path).redirects(0)
  }

  /**
   * Follows redirects from `location` until a page that is not a redirect, or (with
   * `untilCallback`) until the provider sends the browser back to the app's callback, whose address
   * is returned unvisited.
   */
  async go(
    location: string,
    options: { untilCallback?: boolean } = {},
  ): Promise<{ response?: request.Response; location: string }> {
    for (let hops = 0; hops < 15; hops++) {
      if (options.untilCallback && location.startsWith(`${this.appBaseUrl}/sign-in/sso/callback`)) {
        return { location }
      }
      const response = await this.get(location)
      if (![302, 303].includes(response.status)) return { response, location }
      const next = response.headers.location
      if (!next) throw new Error(`A redirect without a Location from ${location}`)
      // Relative redirects stay on the host that sent them.
      location =
        next.startsWith('/') && location.startsWith(this.op.issuer) ? `${this.op.issuer}${next}` : next
    }
    throw new Error(`Too many redirects, last at ${location}`)
  }
}
