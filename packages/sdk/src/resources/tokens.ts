import { Resource, seg } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { Schema } from '../core/types.js';

/** A JSON Web Key Set. */
export type Jwks = Schema<'Jwks'>;
/** A tenant issuer's OpenID metadata. */
export type IssuerMetadata = Schema<'IssuerMetadata'>;
/** A token signing key (public part). */
export type SigningKey = Schema<'SigningKey'>;
/** Body of {@link OAuthResource.createToken}. */
export interface OAuthTokenParams {
  /** The client id: a secret key's id. */
  client_id: string;
  /** The client secret: the secret key itself. */
  client_secret: string;
  /** Space-separated scopes. */
  scope?: string | undefined;
}
/** An OAuth 2.0 access token. */
export type OAuthToken = Schema<'OAuthTokenResponse'>;

/** `mk.jwks`: public keys that verify member and staff tokens. */
export class JwksResource extends Resource {
  /** The JWKS of the publishable key's tenant (`GET /v1/.well-known/jwks.json`). */
  retrieve(options?: CallOptions): Promise<Jwks> {
    return this.call({ method: 'GET', path: '/v1/.well-known/jwks.json', auth: 'publishable' }, options);
  }

  /** The JWKS of a tenant by id, public (`GET /v1/tenants/{tenant_id}/.well-known/jwks.json`). */
  retrieveForTenant(tenantId: string, options?: CallOptions): Promise<Jwks> {
    return this.call(
      { method: 'GET', path: `/v1/tenants/${seg(tenantId)}/.well-known/jwks.json`, auth: 'none' },
      options,
    );
  }

  /** A tenant issuer's metadata (`GET /v1/tenants/{tenant_id}/.well-known/openid-configuration`). */
  issuerMetadata(tenantId: string, options?: CallOptions): Promise<IssuerMetadata> {
    return this.call(
      { method: 'GET', path: `/v1/tenants/${seg(tenantId)}/.well-known/openid-configuration`, auth: 'none' },
      options,
    );
  }
}

/** `mk.signingKeys`: the tenant's token signing keys. */
export class SigningKeysResource extends Resource {
  /** Starts signing with a new key; the old one verifies until its tokens expire (`POST /v1/tenant/signing-keys/rotate`). */
  rotate(options?: CallOptions): Promise<SigningKey> {
    return this.call({ method: 'POST', path: '/v1/tenant/signing-keys/rotate' }, options);
  }
}

/** `mk.oauth`: OAuth 2.0 client credentials for integrators. */
export class OAuthResource extends Resource {
  /**
   * Exchanges client credentials for an access token (`POST /v1/oauth/token`).
   *
   * @example
   * const { access_token } = await mk.oauth.createToken({ client_id: keyId, client_secret: secretKey });
   * const integrator = new Memberkit({ accessToken: access_token, baseUrl });
   */
  createToken(params: OAuthTokenParams, options?: CallOptions): Promise<OAuthToken> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: params.client_id,
      client_secret: params.client_secret,
    });
    if (params.scope !== undefined) form.set('scope', params.scope);
    return this.call(
      {
        method: 'POST',
        path: '/v1/oauth/token',
        rawBody: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        auth: 'none',
        idempotent: false,
      },
      options,
    );
  }
}

/** `mk.health`: whether the API is up. */
export class HealthResource extends Resource {
  /** `GET /health`: 200 once ready; a 503 throws an {@link ApiError}. */
  retrieve(options?: CallOptions): Promise<Schema<'Health'>> {
    return this.call({ method: 'GET', path: '/health', auth: 'none' }, options);
  }
}
