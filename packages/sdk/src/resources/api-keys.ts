import type { Requester, WriteOptions } from '../client.js';
import type { components, operations } from '../generated/openapi.js';

/** An API key as listed: the secret itself is never returned after creation. */
export type ApiKey = components['schemas']['ApiKey'];

/** A newly created key, with its full secret in `key`: shown only once. */
export type CreatedApiKey = components['schemas']['CreatedApiKey'];

/** One page of API keys. */
export type ApiKeyList = components['schemas']['ApiKeyList'];

/** Body of {@link ApiKeysResource.create}: a secret key with a role, or a publishable key. */
export type CreateApiKeyParams = components['schemas']['CreateApiKeyBody'];

/** Query of {@link ApiKeysResource.list}: page size and cursor. */
export type ListApiKeysParams = NonNullable<operations['listApiKeys']['parameters']['query']>;

/** `mk.apiKeys`: the tenant's secret and publishable keys. */
export class ApiKeysResource {
  readonly #request: Requester;

  /** Made by {@link Memberkit}; not meant to be constructed directly. */
  constructor(request: Requester) {
    this.#request = request;
  }

  /** Lists one page of keys, newest first, revoked ones included (`GET /v1/api-keys`, `listApiKeys`). */
  list(params: ListApiKeysParams = {}): Promise<ApiKeyList> {
    return this.#request<ApiKeyList>('GET', '/v1/api-keys', { query: params });
  }

  /**
   * Creates a key (`POST /v1/api-keys`, `createApiKey`). Store `key` from the result
   * now: it is never shown again.
   *
   * @example
   * const { key } = await mk.apiKeys.create({ kind: 'secret', role: 'viewer', name: 'Reporting' });
   */
  create(params: CreateApiKeyParams, options: WriteOptions = {}): Promise<CreatedApiKey> {
    return this.#request<CreatedApiKey>('POST', '/v1/api-keys', { body: params, idempotencyKey: options.idempotencyKey });
  }

  /** Revokes a key and returns it (`DELETE /v1/api-keys/{id}`, `revokeApiKey`). */
  del(id: string): Promise<ApiKey> {
    return this.#request<ApiKey>('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`);
  }
}
