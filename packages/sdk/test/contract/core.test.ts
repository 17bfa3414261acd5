import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  type MemberkitError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type FetchLike,
} from '../../src/index.js';
import { email, startApi, type Api, type Tenant } from '../support/api.js';

let api: Api;
let tenant: Tenant;
beforeAll(async () => {
  api = await startApi();
  tenant = await api.tenant({ require_email_verification: false });
});
afterAll(() => api.close());

type Fault =
  | 'pass'
  /** Fails before the request reaches the API. */
  | 'lose-request'
  /** The API handles the request, then the answer is lost on the way back. */
  | 'lose-response'
  | { status: number; retryAfter?: string; code?: string }
  | 'hang';

interface Attempt {
  method: string;
  url: string;
  idempotencyKey: string | null;
  at: number;
}

/** Wraps the app's fetch: attempt n suffers `faults[n]` (then passes); records every attempt. */
function faulty(faults: Fault[]) {
  const attempts: Attempt[] = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = new Headers(init.headers);
    attempts.push({
      method: init.method ?? 'GET',
      url,
      idempotencyKey: headers.get('idempotency-key'),
      at: Date.now(),
    });
    const fault = faults[attempts.length - 1] ?? 'pass';
    if (fault === 'pass') return api.fetch(url, init);
    if (fault === 'lose-request') throw new TypeError('fetch failed: connection reset');
    if (fault === 'lose-response') {
      await api.fetch(url, init);
      throw new TypeError('fetch failed: socket hang up');
    }
    if (fault === 'hang') return new Promise<Response>(() => undefined);
    const code = fault.code ?? (fault.status === 429 ? 'RATE_LIMITED' : 'UNAVAILABLE');
    return new Response(
      JSON.stringify({
        type: 'about:blank',
        title: 'Injected',
        status: fault.status,
        detail: `Injected ${fault.status}.`,
        code,
        request_id: 'req_injected',
      }),
      {
        status: fault.status,
        headers: {
          'Content-Type': 'application/problem+json',
          ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}),
        },
      },
    );
  };
  return { fetch, attempts };
}

async function countByEmail(address: string): Promise<number> {
  const page = await api.client({ secretKey: tenant.secret_key }).members.list({ search: address });
  return page.data.filter((m) => m.email === address).length;
}

const person = (address = email()) => ({ email: address, first_name: 'Ada', last_name: 'Lovelace' });

describe('retries', () => {
  it('retries a POST whose answer was lost with the same Idempotency-Key, creating the member once', async () => {
    const { fetch, attempts } = faulty(['lose-response']);
    const mk = api.client({ secretKey: tenant.secret_key, fetch });
    const body = person();

    const member = await mk.members.create(body);

    expect(member.email).toBe(body.email);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.idempotencyKey).toMatch(/\S{16,}/);
    expect(attempts[1]!.idempotencyKey).toBe(attempts[0]!.idempotencyKey);
    expect(await countByEmail(body.email)).toBe(1);
  });

  it('retries after a request that never arrived, a 503 and a 429, waiting Retry-After, and creates once', async () => {
    const { fetch, attempts } = faulty(['lose-request', { status: 503 }, { status: 429, retryAfter: '1' }]);
    const mk = api.client({ secretKey: tenant.secret_key, fetch, maxRetries: 3 });
    const body = person();

    const member = await mk.members.create(body);

    expect(member.email).toBe(body.email);
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    // Retry-After: 1 → the last retry waited at least a second.
    expect(attempts[3]!.at - attempts[2]!.at).toBeGreaterThanOrEqual(990);
    // Backoff with jitter: the first waits are between 250 and 1000 ms.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(240);
    expect(await countByEmail(body.email)).toBe(1);
  });

  it('retries a 409 for a request still in flight, and not a 409 conflict', async () => {
    const inFlight = faulty([{ status: 409, code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' }]);
    const mk = api.client({ secretKey: tenant.secret_key, fetch: inFlight.fetch });
    const body = person();
    await mk.members.create(body);
    expect(inFlight.attempts).toHaveLength(2);

    const conflict = faulty([]);
    const again = api.client({ secretKey: tenant.secret_key, fetch: conflict.fetch });
    const error = await again.members.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'MEMBER_EMAIL_TAKEN' });
    expect(conflict.attempts).toHaveLength(1);
  });

  it('gives up after maxRetries with the last error, and never retries a 4xx', async () => {
    const unavailable = faulty([{ status: 503 }, { status: 503 }]);
    const mk = api.client({ secretKey: tenant.secret_key, fetch: unavailable.fetch, maxRetries: 1 });
    const error = await mk.tenant.retrieve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'UNAVAILABLE', requestId: 'req_injected' });
    expect(unavailable.attempts).toHaveLength(2);

    const notFound = faulty([]);
    await expect(
      api.client({ secretKey: tenant.secret_key, fetch: notFound.fetch }).members.retrieve('mem_nope'),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(notFound.attempts).toHaveLength(1);
  });

  it('times out a hanging attempt, retries it, and reports a ConnectionError with code TIMEOUT', async () => {
    const hanging = faulty(['hang', 'pass']);
    const mk = api.client({ secretKey: tenant.secret_key, fetch: hanging.fetch, timeout: 200 });
    await expect(mk.tenant.retrieve()).resolves.toMatchObject({ id: tenant.id });
    expect(hanging.attempts).toHaveLength(2);

    const alwaysHanging = faulty(['hang', 'hang']);
    const error = await api
      .client({ secretKey: tenant.secret_key, fetch: alwaysHanging.fetch, maxRetries: 1 })
      .tenant.retrieve({ timeout: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ status: 0, code: 'TIMEOUT' });
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const hanging = faulty(['hang', 'hang', 'hang']);
    const mk = api.client({ secretKey: tenant.secret_key, fetch: hanging.fetch });
    const controller = new AbortController();
    const pending = mk.tenant.retrieve({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left the page')), 50);
    await expect(pending).rejects.toThrow('user left the page');
    expect(hanging.attempts).toHaveLength(1);
  });

  it('reports network failures as ConnectionError once retries are spent', async () => {
    const down = faulty(['lose-request', 'lose-request']);
    const error = await api
      .client({ secretKey: tenant.secret_key, fetch: down.fetch, maxRetries: 1 })
      .tenant.retrieve()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'CONNECTION_ERROR' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe('errors from the real API', () => {
  it('maps each status to its class with code, title, detail, request id and field errors', async () => {
    const mk = api.client({ secretKey: tenant.secret_key });

    const invalid = await mk.members
      .create({ email: 'not-an-email', first_name: '', last_name: 'X' })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect(invalid).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    const fields = (invalid as MemberkitError).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'first_name']));
    expect((invalid as MemberkitError).requestId).toMatch(/\S+/);
    expect((invalid as MemberkitError).title).toBeTruthy();
    expect((invalid as MemberkitError).detail).toBeTruthy();

    const malformed = await mk.members.create(person(), { idempotencyKey: 'has spaces' }).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(InvalidRequestError);
    expect(malformed).toMatchObject({ status: 400, code: 'INVALID_IDEMPOTENCY_KEY' });

    const unauthenticated = await api
      .client({ secretKey: 'sk_not_a_real_key' })
      .tenant.retrieve()
      .catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(AuthenticationError);
    expect(unauthenticated).toMatchObject({ status: 401 });

    const viewer = await mk.apiKeys.create({ kind: 'secret', role: 'viewer', name: 'read only' });
    const forbidden = await api
      .client({ secretKey: viewer.key })
      .members.create(person())
      .catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(PermissionError);
    expect(forbidden).toMatchObject({ status: 403 });

    const missing = await mk.members.retrieve('mem_01jdx3v4k7m9q2w8e5r6t0y1zc').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404 });

    const publishable = api.client({ publishableKey: tenant.publishable_key, maxRetries: 0 });
    let limited: unknown;
    for (let i = 0; i < 8 && !limited; i++) {
      await publishable.auth
        .login({ email: 'nobody@example.org', password: 'wrong-password-1' })
        .catch((e: unknown) => {
          if (e instanceof RateLimitError) limited = e;
        });
    }
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfter).toBeGreaterThan(0);
    expect(limited).toMatchObject({ status: 429 });
  });
});

describe('pagination', () => {
  it('iterates 260 members across pages of 50, each exactly once, and toArray stops at its limit', async () => {
    const own = await api.tenant();
    const mk = api.client({ secretKey: own.secret_key });
    const rows = Array.from({ length: 260 }, (_, i) => ({
      email: `page-${i}@example.org`,
      first_name: 'Page',
      last_name: `Member ${i}`,
    }));
    const imported = await mk.members.import(rows);
    expect(imported.totals).toMatchObject({ rows: 260, created: 260, failed: 0 });

    const { fetch, attempts } = faulty([]);
    const counting = api.client({ secretKey: own.secret_key, fetch });
    const first = await counting.members.list({ limit: 50 });
    expect(first.data).toHaveLength(50);
    expect(first.has_more).toBe(true);

    const seen: string[] = [];
    for await (const member of counting.members.list({ limit: 50, sort: 'email', order: 'asc' }))
      seen.push(member.email);
    expect(seen).toHaveLength(260);
    expect(new Set(seen).size).toBe(260);
    expect(seen).toEqual([...seen].sort());
    // 1 page above + 6 pages of the iteration (50 × 5 + 10).
    expect(attempts).toHaveLength(7);
    expect(attempts.slice(2).every((a) => new URL(a.url).searchParams.has('cursor'))).toBe(true);

    const some = await counting.members.list({ limit: 100 }).toArray({ limit: 120 });
    expect(some).toHaveLength(120);
    expect(attempts).toHaveLength(9);

    const pages = [];
    for await (const page of counting.members.list({ limit: 100 }).pages()) pages.push(page.data.length);
    expect(pages).toEqual([100, 100, 60]);
  });
});
