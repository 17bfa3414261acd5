import { errorFromResponse } from './errors.js';
import { ApiKeysResource } from './resources/api-keys.js';
import { TenantResource } from './resources/tenant.js';

/**
 * The subset of `fetch` the client needs. The global `fetch` fits, and so does a
 * Hono app's `app.request`, which lets tests run the SDK against the API in-process.
 */
export type FetchLike = (input: string, init: RequestInit) => Response | Promise<Response>;

/** Options of {@link Memberkit}. Give one credential; it is sent as `Authorization: Bearer`. */
export interface MemberkitOptions {
  /** A tenant secret key (`sk_…`). Server code only: never ship it to a browser. */
  secretKey?: string | undefined;
  /** A publishable key (`pk_…`), safe in browsers on the tenant's allowed origins. */
  publishableKey?: string | undefined;
  /** A member's access token, for requests made on a signed-in member's behalf. */
  accessToken?: string | undefined;
  /** Where the API is, e.g. `https://api.example.org` or `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** `fetch` to send requests with; defaults to the global one. */
  fetch?: FetchLike | undefined;
}

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Query values; `undefined` ones are left out of the URL. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** Per-request options of the client's internal `request`. */
export interface RequestOptions {
  /** Appended to the URL as a query string. */
  query?: QueryParams | undefined;
  /** Sent as a JSON body. */
  body?: unknown;
  /** `Idempotency-Key` header. POSTs get a random one when none is given, so a retry is safe. */
  idempotencyKey?: string | undefined;
}

/** How resources send requests: the client's `request`, bound to it. */
export type Requester = <T>(method: HttpMethod, path: string, options?: RequestOptions) => Promise<T>;

/** Options a resource method that writes accepts. */
export interface WriteOptions {
  /** `Idempotency-Key` to send, e.g. to retry an earlier call safely across processes. */
  idempotencyKey?: string | undefined;
}

function randomIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // randomUUID exists only in secure contexts in browsers; getRandomValues everywhere.
  return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The Memberkit API client. Uses only `fetch` and Web APIs, so it runs in browsers,
 * Node 20+ and edge runtimes.
 *
 * @example
 * const mk = new Memberkit({ secretKey: process.env.MEMBERKIT_SECRET_KEY, baseUrl: 'http://127.0.0.1:8787' });
 * const tenant = await mk.tenant.retrieve();
 * const { data: keys } = await mk.apiKeys.list({ limit: 10 });
 */
export class Memberkit {
  /** The calling tenant's settings. */
  readonly tenant: TenantResource;
  /** The tenant's secret and publishable keys. */
  readonly apiKeys: ApiKeysResource;

  readonly #baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: FetchLike;

  /** Creates a client; it holds no connection and is cheap to make. */
  constructor(options: MemberkitOptions) {
    if (!options.baseUrl) throw new TypeError('Memberkit: `baseUrl` is required.');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.secretKey ?? options.accessToken ?? options.publishableKey;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    // Called unbound on purpose: browsers throw "Illegal invocation" when the
    // global fetch is called as a method of another object.
    this.#fetch = (input, init) => fetchImpl(input, init);
    const request: Requester = (method, path, requestOptions) => this.#request(method, path, requestOptions);
    this.tenant = new TenantResource(request);
    this.apiKeys = new ApiKeysResource(request);
  }

  async #request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.#baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers = new Headers({ Accept: 'application/json' });
    if (this.#token) headers.set('Authorization', `Bearer ${this.#token}`);
    const idempotencyKey = options.idempotencyKey ?? (method === 'POST' ? randomIdempotencyKey() : undefined);
    if (idempotencyKey) headers.set('Idempotency-Key', idempotencyKey);
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.body);
    }
    const response = await this.#fetch(url.toString(), { method, headers, ...(body === undefined ? {} : { body }) });
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
