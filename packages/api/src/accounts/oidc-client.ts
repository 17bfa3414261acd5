import * as oidc from 'openid-client';

/**
 * The relying-party side of OIDC login, on openid-client: discovery, the
 * authorization URL with PKCE, and the code exchange with ID token validation
 * (signature, issuer, audience, expiry, nonce). Only this file knows the
 * library; the login service sees plain values and {@link OidcExchangeError}.
 */

/** How long we wait for a provider's discovery, token or userinfo endpoint. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** The provider settings the client needs. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  /** Null for a public client, which proves itself with PKCE only. */
  clientSecret: string | null;
}

/** What we learn about the person from the provider. */
export interface OidcProfile {
  /** The provider's stable id of the person; unique per issuer. */
  subject: string;
  email: string | null;
  /** True only when the provider says so with a boolean `true`. */
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
  name: string | null;
}

/**
 * A provider could not be reached or answered something we refuse. `message`
 * is ours and safe to show; the provider's own text stays in `cause` (it may
 * echo anything the provider's operator configured).
 */
export class OidcExchangeError extends Error {
  constructor(
    message: string,
    /** An OAuth error code the provider sent (`invalid_grant`), when it sent one. */
    readonly providerError: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcExchangeError';
  }
}

/** True for plain-http issuers, which are only for providers on this machine (development and tests). */
export function isInsecureIssuer(issuer: string): boolean {
  return new URL(issuer).protocol === 'http:';
}

/** The client authentication a confidential client uses: Basic unless the provider supports only POST. */
function clientAuthFor(metadata: oidc.ServerMetadata, secret: string | null): oidc.ClientAuth {
  if (secret === null) return oidc.None();
  const supported = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default of OIDC Dynamic Client Registration and what providers must support.
  if (supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post'))
    return oidc.ClientSecretPost(secret);
  return oidc.ClientSecretBasic(secret);
}

/**
 * Discovers the issuer (`/.well-known/openid-configuration`, whose `issuer`
 * must match) and returns a client configuration for it.
 */
export async function connectOidcProvider(settings: OidcClientSettings): Promise<oidc.Configuration> {
  const execute = isInsecureIssuer(settings.issuer) ? [oidc.allowInsecureRequests] : [];
  let discovered: oidc.Configuration;
  try {
    discovered = await oidc.discovery(new URL(settings.issuer), settings.clientId, undefined, undefined, {
      execute,
      timeout: PROVIDER_TIMEOUT_SECONDS,
    });
  } catch (error) {
    throw new OidcExchangeError(
      'The identity provider could not be reached or its discovery document is invalid.',
      null,
      { cause: error },
    );
  }
  const metadata = discovered.serverMetadata();
  const config = new oidc.Configuration(
    metadata,
    settings.clientId,
    settings.clientSecret === null ? { token_endpoint_auth_method: 'none' } : { client_secret: settings.clientSecret },
    clientAuthFor(metadata, settings.clientSecret),
  );
  config.timeout = PROVIDER_TIMEOUT_SECONDS;
  for (const apply of execute) apply(config);
  return config;
}

/** Fresh secrets of one login attempt: the PKCE verifier and the ID token nonce. */
export function newLoginSecrets(): { codeVerifier: string; nonce: string } {
  return { codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
}

/** The provider's authorization URL for a code flow with PKCE (S256), `state` and `nonce`. */
export async function buildOidcAuthorizationUrl(
  config: oidc.Configuration,
  params: { redirectUri: string; scopes: readonly string[]; state: string; nonce: string; codeVerifier: string },
): Promise<URL> {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: params.redirectUri,
    response_type: 'code',
    scope: params.scopes.join(' '),
    state: params.state,
    nonce: params.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(params.codeVerifier),
    code_challenge_method: 'S256',
  });
}

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * Exchanges the authorization code (with the PKCE verifier) and validates the
 * ID token against the nonce. `callbackUrl` is our callback URL with the query
 * the provider sent. Email and names come from the ID token, completed by the
 * userinfo endpoint when the ID token lacks a verified email (providers that
 * follow the spec strictly, like oidc-provider, put scope claims only in
 * userinfo for the code flow).
 */
export async function exchangeOidcCode(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<OidcProfile> {
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedNonce: checks.nonce,
      expectedState: checks.state,
      idTokenExpected: true,
    });
  } catch (error) {
    const providerError =
      error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError ? error.error : null;
    throw new OidcExchangeError('The identity provider did not confirm the sign-in.', providerError, { cause: error });
  }
  const idToken = tokens.claims();
  if (!idToken) throw new OidcExchangeError('The identity provider returned no ID token.', null);
  let claims: Record<string, unknown> = idToken;
  if (
    (stringClaim(idToken.email) === null || idToken.email_verified !== true) &&
    config.serverMetadata().userinfo_endpoint
  ) {
    try {
      // fetchUserInfo checks that the answer's `sub` is the ID token's: the claims are the same person's.
      claims = { ...idToken, ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)) };
    } catch (error) {
      throw new OidcExchangeError("The identity provider's userinfo endpoint failed.", null, { cause: error });
    }
  }
  return {
    subject: idToken.sub,
    email: stringClaim(claims.email),
    emailVerified: claims.email_verified === true,
    givenName: stringClaim(claims.given_name),
    familyName: stringClaim(claims.family_name),
    name: stringClaim(claims.name),
  };
}
