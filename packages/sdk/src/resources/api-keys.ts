import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** An API key as listed: the secret itself is never returned after creation. */
export type ApiKey = Schema<'ApiKey'>;
/** A newly created key, with its full secret in `key`: shown only once. */
export type CreatedApiKey = Schema<'CreatedApiKey'>;
/** One page of API keys. */
export type ApiKeyList = Schema<'ApiKeyList'>;
/** Body of {@link ApiKeysResource.create}: a secret key with a role, or a publishable key. */
export type CreateApiKeyParams = BodyOf<'createApiKey'>;
/** Query of {@link ApiKeysResource.list}. */
export type ListApiKeysParams = Omit<QueryOf<'listApiKeys'>, 'cursor'>;

/** `mk.apiKeys`: the tenant's secret and publishable keys. */
export class ApiKeysResource extends Resource {
  /**
   * Creates a key (`POST /v1/api-keys`). Store `key` from the result now: it is never shown again.
   *
   * @example
   * const { key } = await mk.apiKeys.create({ kind: 'secret', role: 'viewer', name: 'Reporting' });
   */
  create(params: CreateApiKeyParams, options?: CallOptions): Promise<CreatedApiKey> {
    return this.call({ method: 'POST', path: '/v1/api-keys', body: params }, options);
  }

  /** Lists keys, newest first, revoked ones included (`GET /v1/api-keys`). */
  list(params?: ListApiKeysParams, options?: CallOptions): ListPromise<ApiKeyList> {
    return this.paginate({ path: '/v1/api-keys', query: toQuery(params) }, options);
  }

  /** Revokes a key and returns it (`DELETE /v1/api-keys/{id}`). */
  del(id: string, options?: CallOptions): Promise<ApiKey> {
    return this.call({ method: 'DELETE', path: `/v1/api-keys/${seg(id)}` }, options);
  }
}
