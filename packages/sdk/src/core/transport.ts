import { ConnectionError, errorFromResponse, MemberkitError, parseRetryAfter } from '../errors.js';

/**
 * The subset of `fetch` the client needs. The global `fetch` fits, and so does a
 * Hono app's `app.request`, which lets tests run the SDK against the API in-process.
 */
export type FetchLike = (input: string, init: RequestInit) => Response | Promise<Response>;

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A query value; arrays repeat the parameter, `undefined` leaves it out. */
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];

/** Query values; `undefined` ones are left out of the URL. */
export type QueryParams = { readonly [name: string]: QueryValue };

/**
 * Which credential a request carries:
 * `default` the client's own (secret key, access token or publishable key),
 * `publishable` the publishable key (auth endpoints),
 * `member` the signed-in member's access token when a session is active,
 * `none` no `Authorization` header (public endpoints).
 */
export type AuthMode = 'default' | 'publishable' | 'member' | 'none';

/** Options every SDK method accepts as its last argument. */
export interface CallOptions {
  /** `Idempotency-Key` to send with a POST; a random one is used otherwise (the same on every retry). */
  idempotencyKey?: string | undefined;
  /** Milliseconds one attempt may take before it is aborted (and retried); overrides the client's `timeout`. */
  timeout?: number | undefined;
  /** Aborts the call, including any retry waits. */
  signal?: AbortSignal | undefined;
  /** Retries on network errors, 409 in-flight, 429 and 5xx; overrides the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
}

/** Kept for compatibility with the first SDK release: the options of a write. */
export type WriteOptions = CallOptions;

/** One request as a resource describes it. */
export interface RequestSpec {
  method: HttpMethod;
  path: string;
  query?: QueryParams | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (string or stream) with `contentType`. A stream body is never retried. */
  rawBody?: string | ReadableStream<Uint8Array> | URLSearchParams | undefined;
  contentType?: string | undefined;
  /** Defaults to `default`. */
  auth?: AuthMode | undefined;
  accept?: string | undefined;
  /** `false`: no automatic `Idempotency-Key` on this POST. */
  idempotent?: boolean | undefined;
}

/** How the client tells the transport about credentials; the session plugs in here. */
export interface CredentialSource {
  /** The publishable key, when the client has one (OIDC start URLs carry it). */
  readonly publishableKey: string | undefined;
  /** The bearer token for a mode, or undefined to send none. */
  tokenFor(mode: AuthMode): string | undefined | Promise<string | undefined>;
  /**
   * Called once when a `member` request got 401 with a token from an active session:
   * refresh it and resolve true to retry the request once with the new token.
   */
  refreshAfter401?(mode: AuthMode): Promise<boolean>;
}

/** Settings of a {@link Transport}. */
export interface TransportOptions {
  baseUrl: string;
  fetch: FetchLike;
  timeout: number;
  maxRetries: number;
  credentials: CredentialSource;
}

/** Code the API uses for a retry that arrives while the first request with the same key still runs. */
export const IDEMPOTENCY_IN_PROGRESS = 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
const MAX_RETRY_AFTER_SECONDS = 60;
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

function randomIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // randomUUID exists only in secure contexts in browsers; getRandomValues everywhere.
  return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with jitter; `Retry-After` wins when the API sent a reasonable one. */
export function retryDelay(attempt: number, retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds <= MAX_RETRY_AFTER_SECONDS) return retryAfterSeconds * 1000;
  const base = Math.min(INITIAL_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
  // Jitter spreads retries of many clients that failed at the same moment.
  return base * (0.5 + Math.random() * 0.5);
}

function shouldRetry(error: MemberkitError): boolean {
  if (error instanceof ConnectionError) return true;
  if (error.status === 409) return error.code === IDEMPOTENCY_IN_PROGRESS;
  return error.status === 429 || error.status >= 500;
}

/** Builds the URL of a request: base URL (path prefix kept), path, query. */
export function buildUrl(baseUrl: string, path: string, query: QueryParams | undefined): string {
  const url = new URL(baseUrl + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value))
      for (const item of value as readonly unknown[]) url.searchParams.append(name, String(item));
    else url.searchParams.set(name, String(value));
  }
  return url.toString();
}

/**
 * Sends requests: credentials, idempotency keys, timeouts, retries with backoff,
 * and problem+json errors turned into typed {@link MemberkitError}s.
 */
export class Transport {
  readonly #options: TransportOptions;

  /** Made by {@link Memberkit}. */
  constructor(options: TransportOptions) {
    this.#options = options;
  }

  /** The API base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** The client's publishable key, if any. */
  get publishableKey(): string | undefined {
    return this.#options.credentials.publishableKey;
  }

  /** Sends a request and parses the JSON answer (undefined for 204). */
  async request<T>(spec: RequestSpec, options: CallOptions = {}): Promise<T> {
    const response = await this.send(spec, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends a request and returns the successful response unread (for streams). */
  async send(spec: RequestSpec, options: CallOptions = {}): Promise<Response> {
    const mode = spec.auth ?? 'default';
    const idempotencyKey =
      options.idempotencyKey ??
      (spec.method === 'POST' && spec.idempotent !== false ? randomIdempotencyKey() : undefined);
    const streaming = typeof ReadableStream !== 'undefined' && spec.rawBody instanceof ReadableStream;
    const maxRetries = streaming ? 0 : (options.maxRetries ?? this.#options.maxRetries);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.#options.credentials.tokenFor(mode);
      let error: MemberkitError;
      try {
        const response = await this.#attempt(spec, options, token, idempotencyKey);
        if (response.ok || response.status === 302 || response.status === 304) return response;
        error = await errorFromResponse(response);
      } catch (thrown) {
        if (options.signal?.aborted) throw abortReason(options.signal);
        if (!(thrown instanceof MemberkitError)) throw thrown;
        error = thrown;
      }
      if (
        error.status === 401 &&
        mode === 'member' &&
        token !== undefined &&
        !refreshed &&
        this.#options.credentials.refreshAfter401
      ) {
        refreshed = true;
        if (await this.#options.credentials.refreshAfter401(mode)) {
          attempt--;
          continue;
        }
      }
      if (attempt >= maxRetries || !shouldRetry(error)) throw error;
      await sleep(retryDelay(attempt, parseRetryAfter(error.headers?.get('retry-after') ?? null)), options.signal);
    }
  }

  async #attempt(
    spec: RequestSpec,
    options: CallOptions,
    token: string | undefined,
    idempotencyKey: string | undefined,
  ): Promise<Response> {
    const headers = new Headers({ Accept: spec.accept ?? 'application/json', ...options.headers });
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (idempotencyKey) headers.set('Idempotency-Key', idempotencyKey);
    let body: BodyInit | undefined;
    if (spec.rawBody !== undefined) {
      body = spec.rawBody;
      if (spec.contentType) headers.set('Content-Type', spec.contentType);
    } else if (spec.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(spec.body);
    }

    const controller = new AbortController();
    const timeout = options.timeout ?? this.#options.timeout;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    const forwardAbort = () => controller.abort();
    options.signal?.addEventListener('abort', forwardAbort, { once: true });
    if (options.signal?.aborted) controller.abort();

    const init: RequestInit & { duplex?: 'half' } = {
      method: spec.method,
      headers,
      signal: controller.signal,
      redirect: 'manual',
    };
    if (body !== undefined) init.body = body;
    // Node's fetch refuses a stream body unless it is told the request is half duplex.
    if (body instanceof ReadableStream) init.duplex = 'half';
    const url = buildUrl(this.#options.baseUrl, spec.path, spec.query);
    // The race makes the timeout and abort hold even for a `fetch` that ignores `signal`.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
        once: true,
      });
    });
    try {
      return await Promise.race([Promise.resolve().then(() => this.#options.fetch(url, init)), aborted]);
    } catch (cause) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      if (timedOut) {
        throw new ConnectionError({
          status: 0,
          code: 'TIMEOUT',
          title: 'Request timed out',
          detail: `No response within ${timeout} ms.`,
          cause,
        });
      }
      throw new ConnectionError({
        status: 0,
        code: 'CONNECTION_ERROR',
        title: 'Connection failed',
        detail: `Could not reach the Memberkit API: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', forwardAbort);
      aborted.catch(() => undefined);
    }
  }
}
