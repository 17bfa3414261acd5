import { describe, expect, it } from 'vitest';
import { ApiError, Memberkit, MemberkitError, NotFoundError, type FetchLike } from './index.js';

const BASE_URL = 'https://api.memberkit.test';

// Not annotated as `Tenant`: the schema grows as the API does, and this test only needs JSON to round-trip.
const tenant = {
  id: 'tnt_01jdx3v4k7m9q2w8e5r6t0y1zc',
  object: 'tenant',
  name: 'Demo Association',
  slug: 'demo',
  branding: {
    color_primary: '#4f46e5',
    color_background: '#ffffff',
    color_text: '#111827',
    color_danger: '#dc2626',
    font_family: 'Inter, system-ui, sans-serif',
    radius: 8,
    logo_url: null,
    dark_mode: 'auto',
  },
  locale: { default: 'en', supported: ['en', 'de'] },
  allowed_origins: ['https://www.example.org'],
  auth: { require_email_verification: true, signup_enabled: true, magic_link_enabled: true },
  created_at: '2026-11-27T09:30:00.000Z',
  updated_at: '2026-11-27T09:30:00.000Z',
};

interface Captured {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fetch stand-in: records each request and answers with `respond`. */
function fakeFetch(respond: (request: Captured) => Response): { fetch: FetchLike; calls: Captured[] } {
  const calls: Captured[] = [];
  const fetch: FetchLike = (input, init) => {
    const captured: Captured = {
      url: input,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    calls.push(captured);
    return Promise.resolve(respond(captured));
  };
  return { fetch, calls };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('Memberkit client', () => {
  it('sends GET /v1/tenant with the secret key as a bearer token and returns the tenant', async () => {
    const { fetch, calls } = fakeFetch(() => json(tenant));
    const mk = new Memberkit({ secretKey: 'sk_test_123', baseUrl: `${BASE_URL}/`, fetch });

    const result = await mk.tenant.retrieve();

    expect(result).toEqual(tenant);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('GET');
    expect(calls[0]?.url).toBe(`${BASE_URL}/v1/tenant`);
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer sk_test_123');
    expect(calls[0]?.headers.get('accept')).toBe('application/json');
    expect(calls[0]?.body).toBeUndefined();
  });

  it('keeps a base URL path prefix and leaves undefined query values out', async () => {
    const page = { object: 'list', data: [], has_more: false, next_cursor: null };
    const { fetch, calls } = fakeFetch(() => json(page));
    const mk = new Memberkit({ publishableKey: 'pk_test_1', baseUrl: `${BASE_URL}/api`, fetch });

    await expect(mk.apiKeys.list({ limit: 5 })).resolves.toEqual(page);

    expect(calls[0]?.url).toBe(`${BASE_URL}/api/v1/api-keys?limit=5`);
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer pk_test_1');
  });

  it('sends PATCH /v1/tenant with a JSON body', async () => {
    const { fetch, calls } = fakeFetch((request) => {
      const changes = JSON.parse(request.body ?? '{}') as { name: string };
      return json({ ...tenant, name: changes.name });
    });
    const mk = new Memberkit({ secretKey: 'sk_test_123', baseUrl: BASE_URL, fetch });

    const result = await mk.tenant.update({ name: 'Renamed', branding: { radius: null } });

    expect(result.name).toBe('Renamed');
    expect(calls[0]?.method).toBe('PATCH');
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(calls[0]?.body ?? 'null')).toEqual({ name: 'Renamed', branding: { radius: null } });
    expect(calls[0]?.headers.has('idempotency-key')).toBe(false);
  });

  it('gives every POST an idempotency key, the caller’s when given', async () => {
    const created = { ...keyFixture(), key: 'sk_full_secret' };
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const mk = new Memberkit({ secretKey: 'sk_test_123', baseUrl: BASE_URL, fetch });

    await mk.apiKeys.create({ kind: 'secret', role: 'viewer' });
    await mk.apiKeys.create({ kind: 'secret', role: 'viewer' }, { idempotencyKey: 'retry-me-0001' });

    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.url).toBe(`${BASE_URL}/v1/api-keys`);
    expect(calls[0]?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(calls[1]?.headers.get('idempotency-key')).toBe('retry-me-0001');
    expect(JSON.parse(calls[1]?.body ?? 'null')).toEqual({ kind: 'secret', role: 'viewer' });
  });

  it('turns a problem+json 404 into a MemberkitError with its code, status and request id', async () => {
    const { fetch, calls } = fakeFetch(
      () =>
        new Response(
          JSON.stringify({
            type: 'https://memberkit.dev/errors/not-found',
            title: 'Not found',
            status: 404,
            detail: 'No API key key_missing/1.',
            code: 'NOT_FOUND',
            request_id: 'req_01jdx3v4k7m9q2w8e5r6t0y1zc',
          }),
          {
            status: 404,
            headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req_header_ignored' },
          },
        ),
    );
    const mk = new Memberkit({ secretKey: 'sk_test_123', baseUrl: BASE_URL, fetch });

    const error = await mk.apiKeys.del('key_missing/1').catch((e: unknown) => e);

    expect(calls[0]?.method).toBe('DELETE');
    expect(calls[0]?.url).toBe(`${BASE_URL}/v1/api-keys/key_missing%2F1`);
    expect(error).toBeInstanceOf(MemberkitError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      code: 'NOT_FOUND',
      title: 'Not found',
      detail: 'No API key key_missing/1.',
      requestId: 'req_01jdx3v4k7m9q2w8e5r6t0y1zc',
      errors: [],
      message: 'No API key key_missing/1.',
    });
  });

  it('carries the field errors of a 422', async () => {
    const { fetch } = fakeFetch(() =>
      json(
        {
          type: 'https://memberkit.dev/errors/validation-failed',
          title: 'Validation failed',
          status: 422,
          detail: 'The request is invalid.',
          code: 'VALIDATION_FAILED',
          request_id: 'req_422',
          errors: [{ field: 'name', message: 'Too small' }],
        },
        422,
      ),
    );
    const mk = new Memberkit({ secretKey: 'sk_test_123', baseUrl: BASE_URL, fetch });

    await expect(mk.tenant.update({ name: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 422,
      errors: [{ field: 'name', message: 'Too small' }],
    });
  });

  it('still gives a MemberkitError, with the header request id, when the body is not problem+json', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response('<html>Bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'X-Request-Id': 'req_proxy_1' },
        }),
    );
    const mk = new Memberkit({ secretKey: 'sk_test_123', baseUrl: BASE_URL, fetch, maxRetries: 0 });

    await expect(mk.tenant.retrieve()).rejects.toBeInstanceOf(ApiError);
    await expect(mk.tenant.retrieve()).rejects.toMatchObject({
      name: 'ApiError',
      status: 502,
      code: 'HTTP_502',
      title: 'Bad Gateway',
      requestId: 'req_proxy_1',
    });
  });
});

function keyFixture() {
  return {
    id: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'api_key' as const,
    kind: 'secret' as const,
    role: 'viewer' as const,
    name: null,
    redacted_key: 'sk_…x9Qa',
    allowed_origins: [],
    created_at: '2026-11-27T09:30:00.000Z',
    last_used_at: null,
    revoked_at: null,
  };
}
