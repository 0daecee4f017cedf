/**
 * Single sign-on with the council's OpenID Connect provider (Microsoft Entra ID or any other), by
 * the authorisation code flow with PKCE, through openid-client. This module speaks to the
 * provider; ssoAccounts.ts decides who the person is here, ssoRoutes.ts wires it to the pages.
 *
 * The provider's metadata is fetched at the first sign-in, not at start, so an unreachable
 * provider never stops the app (password sign-in keeps working), and is fetched again after a
 * failure.
 */
import * as oidc from 'openid-client'
import type { OidcSettings } from './ssoSettings'
import { isLoopbackHttp } from './ssoSettings'

export const SSO_CALLBACK_PATH = '/sign-in/sso/callback'

/** What the browser's session keeps between leaving for the provider and coming back. */
export interface PendingSignOn {
  state: string
  nonce: string
  codeVerifier: string
  /** Where to go after signing in (already checked by safeNextPath). */
  next?: string
  /** Services clock, ms: an old pending sign-on is refused. */
  startedAt: number
}

/** The ID token's claims this app reads. */
export interface SignOnClaims {
  sub: string
  email?: unknown
  email_verified?: unknown
  /** Entra ID: the email's domain is verified by the tenant (an optional claim). */
  xms_edov?: unknown
  name?: unknown
  groups?: unknown
}

/** Why the provider's answer was refused; each is shown and audited (see ssoRoutes.ts). */
export type SignOnFailure =
  | { reason: 'provider-error'; error: string }
  | { reason: 'code-refused'; error: string }
  | { reason: 'invalid-response' }
  | { reason: 'unreachable' }

export class SingleSignOn {
  readonly redirectUri: string
  readonly signedOutUri: string
  private discovered: Promise<oidc.Configuration> | undefined

  constructor(
    readonly settings: OidcSettings,
    baseUrl: string,
  ) {
    this.redirectUri = `${baseUrl}${SSO_CALLBACK_PATH}`
    this.signedOutUri = `${baseUrl}/sign-in?signedOut=1`
  }

  /** The provider's origin: the sign-out form may go on there (the page's CSP form-action). */
  get origin(): string {
    return new URL(this.settings.issuerUrl).origin
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= oidc
      .discovery(
        new URL(this.settings.issuerUrl),
        this.settings.clientId,
        { client_secret: this.settings.clientSecret },
        oidc.ClientSecretPost(this.settings.clientSecret),
        // Plain http is allowed by config.ts only for a provider on this machine (tests, development).
        isLoopbackHttp(new URL(this.settings.issuerUrl)) ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        this.discovered = undefined
        throw error
      })
    return this.discovered
  }

  /** Where to send the browser, and what to keep in its session until it comes back. */
  async start(
    now: number,
    next: string | undefined,
  ): Promise<{ url: URL; pending: PendingSignOn } | undefined> {
    let configuration: oidc.Configuration
    try {
      configuration = await this.configuration()
    } catch {
      return undefined
    }
    const codeVerifier = oidc.randomPKCECodeVerifier()
    const pending: PendingSignOn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier,
      startedAt: now,
      ...(next ? { next } : {}),
    }
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    })
    return { url, pending }
  }

  /**
   * Exchanges the code in the callback's query for tokens, checking state, nonce, PKCE, the
   * issuer and the ID token's signature (openid-client), and returns the ID token's claims.
   */
  async finish(query: string, pending: PendingSignOn): Promise<SignOnClaims | SignOnFailure> {
    let configuration: oidc.Configuration
    try {
      configuration = await this.configuration()
    } catch {
      return { reason: 'unreachable' }
    }
    const currentUrl = new URL(this.redirectUri)
    currentUrl.search = query
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) return { reason: 'invalid-response' }
      return claims as SignOnClaims
    } catch (error) {
      // Only the OAuth error code is kept: descriptions are free text from the provider.
      if (error instanceof oidc.AuthorizationResponseError)
        return { reason: 'provider-error', error: error.error }
      if (error instanceof oidc.ResponseBodyError) return { reason: 'code-refused', error: error.error }
      if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) {
        return { reason: 'unreachable' }
      }
      return { reason: 'invalid-response' }
    }
  }

  /**
   * The provider's sign-out address, coming back to our signed-out page, when it has one on its
   * own origin (the only other origin the page's CSP lets the sign-out form go to).
   */
  async signOutUrl(): Promise<string | undefined> {
    try {
      const configuration = await this.configuration()
      const endpoint = configuration.serverMetadata().end_session_endpoint
      if (!endpoint || new URL(endpoint).origin !== this.origin) return undefined
      return oidc.buildEndSessionUrl(configuration, { post_logout_redirect_uri: this.signedOutUri }).href
    } catch {
      return undefined
    }
  }
}
