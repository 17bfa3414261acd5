import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** An OpenID Connect provider members can sign in with. */
export type OidcProvider = Schema<'OidcProvider'>;
/** One page of OIDC providers. */
export type OidcProviderList = Schema<'OidcProviderList'>;
/** Body of {@link OidcProvidersResource.create}. */
export type CreateOidcProviderParams = BodyOf<'createOidcProvider'>;
/** Body of {@link OidcProvidersResource.update}. */
export type UpdateOidcProviderParams = BodyOf<'updateOidcProvider'>;
/** Query of {@link OidcProvidersResource.list}. */
export type ListOidcProvidersParams = Omit<QueryOf<'listOidcProviders'>, 'cursor'>;

/** `mk.oidcProviders`: the tenant's OIDC sign-in providers. */
export class OidcProvidersResource extends Resource {
  /** Adds a provider (`POST /v1/tenant/oidc-providers`). */
  create(params: CreateOidcProviderParams, options?: CallOptions): Promise<OidcProvider> {
    return this.call({ method: 'POST', path: '/v1/tenant/oidc-providers', body: params }, options);
  }

  /** Retrieves a provider (`GET /v1/tenant/oidc-providers/{id}`). */
  retrieve(id: string, options?: CallOptions): Promise<OidcProvider> {
    return this.call({ method: 'GET', path: `/v1/tenant/oidc-providers/${seg(id)}` }, options);
  }

  /** Updates a provider (`PATCH /v1/tenant/oidc-providers/{id}`). */
  update(id: string, params: UpdateOidcProviderParams, options?: CallOptions): Promise<OidcProvider> {
    return this.call({ method: 'PATCH', path: `/v1/tenant/oidc-providers/${seg(id)}`, body: params }, options);
  }

  /** Removes a provider (`DELETE /v1/tenant/oidc-providers/{id}`). */
  del(id: string, options?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/v1/tenant/oidc-providers/${seg(id)}` }, options);
  }

  /** Lists providers (`GET /v1/tenant/oidc-providers`). */
  list(params?: ListOidcProvidersParams, options?: CallOptions): ListPromise<OidcProviderList> {
    return this.paginate({ path: '/v1/tenant/oidc-providers', query: toQuery(params) }, options);
  }
}
