import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/lib/clock.js';
import { createTestContext, expectProblem, type TestContext } from '../src/testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext(); // creates tenants; the limits under test run in contexts of their own on its database
});
afterAll(() => t.close());

/** The parameters of one item of a `RateLimit` or `RateLimit-Policy` field, by policy name. */
function items(field: string | null): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const item of (field ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, ...params] = item.split(';');
    expect(name, item).toMatch(/^"[a-z0-9_-]+"$/);
    out[JSON.parse(name!) as string] = Object.fromEntries(
      params.map((p) => [p.split('=')[0]!, Number(p.split('=')[1])]),
    );
  }
  return out;
}

/** A manual clock at `second` seconds into a `windowSeconds` window, so tests know where the boundaries fall. */
function clockAt(windowSeconds: number, second: number) {
  const windowMs = windowSeconds * 1000;
  return createManualClock(new Date(Math.ceil(Date.now() / windowMs) * windowMs + second * 1000));
}

describe('rate limits per credential', () => {
  it('counts down the "api" policy in the RateLimit field and answers 429 with Retry-After past the limit', async () => {
    const limited = await createTestContext({ db: t.db, config: { rateLimit: { limit: 3, windowSeconds: 60 } } });
    try {
      const tenant = await t.createTenant();
      const remaining: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await limited.request('GET', '/v1/tenant', { key: tenant.secret_key });
        expect(res.status).toBe(200);
        expect(items(res.headers.get('ratelimit-policy'))).toEqual({ api: { q: 3, w: 60 } });
        const { api } = items(res.headers.get('ratelimit'));
        remaining.push(api!.r!);
        expect(api!.t).toBeGreaterThan(0);
      }
      expect(remaining).toEqual([2, 1, 0]);
      const refused = await limited.request('GET', '/v1/tenant', { key: tenant.secret_key });
      expectProblem(refused, 429, 'RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(items(refused.headers.get('ratelimit'))).toEqual({ api: { r: 0, t: retryAfter } });
    } finally {
      await limited.close();
    }
  });

  it('keeps separate budgets for separate keys', async () => {
    const other = await createTestContext({ db: t.db, config: { rateLimit: { limit: 2, windowSeconds: 60 } } });
    try {
      const a = await t.createTenant();
      const b = await t.createTenant();
      for (let i = 0; i < 2; i++)
        expect((await other.request('GET', '/v1/tenant', { key: a.secret_key })).status).toBe(200);
      expect((await other.request('GET', '/v1/tenant', { key: a.secret_key })).status).toBe(429);
      expect((await other.request('GET', '/v1/tenant', { key: b.secret_key })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('lets the request through once Retry-After has passed, and not a second sooner', async () => {
    const other = await createTestContext({ db: t.db, config: { rateLimit: { limit: 3, windowSeconds: 10 } } });
    try {
      const tenant = await t.createTenant();
      const clock = clockAt(10, 9); // near a window's end: the old fixed-window reset said "1 s"
      other.deps.clock = clock;
      for (let i = 0; i < 3; i++)
        expect((await other.request('GET', '/v1/tenant', { key: tenant.secret_key })).status).toBe(200);
      const limited = await other.request('GET', '/v1/tenant', { key: tenant.secret_key });
      expectProblem(limited, 429, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      // The three still weigh 3 × (1 − e/10) in the next window: 2 or less from e = 3.33 s, 4.33 s on.
      expect(retryAfter).toBe(5);
      clock.advance((retryAfter - 1) * 1000);
      expectProblem(await other.request('GET', '/v1/tenant', { key: tenant.secret_key }), 429, 'RATE_LIMITED');
      clock.advance(1000);
      expect((await other.request('GET', '/v1/tenant', { key: tenant.secret_key })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('the sign-in limiter', () => {
  it('answers 429 with its own policy and a Retry-After after which the sign-in goes through', async () => {
    const other = await createTestContext({ db: t.db, config: { rateLimit: { limit: 1000, windowSeconds: 10 } } });
    try {
      const tenant = await t.createTenant();
      const clock = clockAt(10, 9);
      other.deps.clock = clock;
      const attempt = () =>
        other.request('POST', '/v1/auth/login', {
          body: { email: 'someone@example.org', password: 'not-the-password' },
          headers: { 'X-Memberkit-Publishable-Key': tenant.publishable_key, 'X-Test-Client-Ip': '192.0.2.44' },
        });
      for (let i = 0; i < 5; i++) {
        const res = await attempt();
        expect(res.status).toBe(401);
        expect(items(res.headers.get('ratelimit-policy'))).toEqual({
          api: { q: 1000, w: 10 },
          'login-per-ip': { q: 5, w: 10 },
          'login-per-email': { q: 5, w: 10 },
        });
        const current = items(res.headers.get('ratelimit'));
        expect(current['login-per-ip']!.r).toBe(4 - i);
        expect(current.api!.r).toBe(999 - i);
        // Others' attempts at this address count there too: not shown until it refuses.
        expect(current['login-per-email']).toBeUndefined();
      }
      const limited = await attempt();
      expectProblem(limited, 429, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBe(3); // the five weigh 5 × (1 − e/10) next window: 4 from e = 2 s, 3 s on
      // Only the policies that refused the request: not the general limiter's 990-odd remaining.
      expect(items(limited.headers.get('ratelimit'))).toEqual({
        'login-per-ip': { r: 0, t: retryAfter },
        'login-per-email': { r: 0, t: retryAfter },
      });
      expect(limited.headers.get('ratelimit-limit')).toBeNull();
      expect(limited.headers.get('ratelimit-remaining')).toBeNull();
      clock.advance((retryAfter - 1) * 1000);
      expectProblem(await attempt(), 429, 'RATE_LIMITED');
      clock.advance(1000);
      expectProblem(await attempt(), 401);
    } finally {
      await other.close();
    }
  });

  it('lets a page of an allowed origin read the rate-limit fields', async () => {
    const tenant = await t.createTenant();
    const origin = 'https://site.example';
    expect(
      (await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { allowed_origins: [origin] } })).status,
    ).toBe(200);
    const signIn = await t.request('POST', '/v1/auth/login', {
      body: { email: 'someone@example.org', password: 'not-the-password' },
      headers: { 'X-Memberkit-Publishable-Key': tenant.publishable_key, Origin: origin },
    });
    expect(signIn.status).toBe(401);
    const exposed = (signIn.headers.get('access-control-expose-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase());
    expect(exposed).toEqual(expect.arrayContaining(['ratelimit', 'ratelimit-policy', 'retry-after']));
  });
});

describe('the OIDC start limiter', () => {
  it('answers 429 with its own policy, and the start goes on once Retry-After has passed', async () => {
    const other = await createTestContext({ db: t.db });
    try {
      const clock = clockAt(60, 30);
      other.deps.clock = clock;
      // The limit is checked before anything else: a made-up key and provider are counted too (and then refused).
      const start = () =>
        other.request(
          'GET',
          `/v1/auth/oidc/oidc_00000000000000000000000000/start?publishable_key=pk_nope&redirect_uri=${encodeURIComponent('https://site.example/cb')}`,
          {
            headers: { 'X-Test-Client-Ip': '192.0.2.99' },
          },
        );
      for (let i = 0; i < 30; i++) expect((await start()).status).toBe(401);
      const limited = await start();
      expectProblem(limited, 429, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(items(limited.headers.get('ratelimit'))).toEqual({ 'oidc-start-per-ip': { r: 0, t: retryAfter } });
      expect(items(limited.headers.get('ratelimit-policy'))['oidc-start-per-ip']).toEqual({ q: 30, w: 60 });
      clock.advance((retryAfter - 1) * 1000);
      expectProblem(await start(), 429, 'RATE_LIMITED');
      clock.advance(1000);
      expect((await start()).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
