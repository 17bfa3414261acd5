import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailOutbox, tenants } from '../../db/schema/index.js';
import { LOGIN_THROTTLE, loginDelayMs } from '../../accounts/login-throttle.js';
import { createStaffWithPassword } from '../../accounts/staff.js';
import { createManualClock } from '../../lib/clock.js';
import { createTestContext, type TestContext, type TestResponse } from '../../testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
let t: TestContext;
const clock = createManualClock(new Date());
let verifications = 0;

beforeAll(async () => {
  // The general sign-in rate limit (5 per 10 s per IP and email) is not what these tests are about.
  t = await createTestContext({ config: { authRateLimit: { limit: 100_000, windowSeconds: 10 } } });
  t.deps.clock = clock;
  // Counts password hash verifications: the work an answer cost, whatever the answer says.
  const hasher = t.deps.passwordHasher;
  t.deps.passwordHasher = {
    hash: (p) => hasher.hash(p),
    verify: (p, s) => {
      verifications++;
      return hasher.verify(p, s);
    },
  };
});
afterAll(() => t.close());
beforeEach(() => clock.advance(24 * 60 * 60 * 1000));

const PASSWORD = 'analytical-engine-1843';
const ATTACKER = '203.0.113.66';
const email = () => `ada-${Math.random().toString(36).slice(2)}@example.org`;

async function tenantWithMember(): Promise<{ tenant: Tenant; email: string }> {
  const tenant = await t.createTenant();
  await t.db.withPlatform((tx) =>
    tx
      .update(tenants)
      .set({ authSettings: { require_email_verification: false } })
      .where(eq(tenants.id, tenant.id)),
  );
  const address = email();
  const res = await t.request('POST', '/v1/auth/signup', {
    key: tenant.publishable_key,
    body: { email: address, password: PASSWORD, first_name: 'Ada', last_name: 'Lovelace' },
    headers: { 'X-Test-Client-Ip': '192.0.2.1' },
  });
  expect(res.status).toBe(201);
  return { tenant, email: address };
}

const login = (tenant: Tenant, path: string, address: string, password: string, ip: string) =>
  t.request('POST', path, {
    key: tenant.publishable_key,
    body: { email: address, password },
    headers: { 'X-Test-Client-Ip': ip },
  });

/** What an answer tells the caller: status, code, title, detail, Retry-After (not the request id). */
const answer = (res: TestResponse) => ({
  status: res.status,
  retryAfter: res.headers.get('retry-after'),
  body: { ...res.body, request_id: undefined },
});

/** Wrong passwords from `ip` until the pair has `to` failures, each after the wait the slow-down asks for; returns every answer. */
async function fail(tenant: Tenant, path: string, address: string, ip: string, to: number, from = 0) {
  const answers: ReturnType<typeof answer>[] = [];
  for (let i = from; i < to; i++) {
    clock.advance(loginDelayMs(i));
    answers.push(answer(await login(tenant, path, address, 'not-the-password', ip)));
  }
  return answers;
}

describe.each([
  ['members', '/v1/auth/login'],
  ['staff', '/v1/auth/staff/login'],
])('sign-in failures of %s', (kind, path) => {
  async function account(): Promise<{ tenant: Tenant; email: string }> {
    if (kind === 'members') return tenantWithMember();
    const tenant = await t.createTenant();
    const address = email();
    await createStaffWithPassword(
      t.deps,
      tenant.id,
      { actorType: 'system', actorId: 'test', requestId: null, ip: null },
      {
        email: address,
        name: 'Grace Hopper',
        role: 'admin',
        password: PASSWORD,
      },
    );
    // The staff user's first sign-in, from their own address.
    expect((await login(tenant, path, address, PASSWORD, '192.0.2.1')).status).toBe(200);
    return { tenant, email: address };
  }

  it('slow down, then lock the (account, client) pair, answering exactly as for an unknown account', async () => {
    const { tenant, email: known } = await account();
    const unknown = email();
    const free = LOGIN_THROTTLE.freeFailures;
    const knownAnswers = await fail(tenant, path, known, ATTACKER, free);
    const unknownAnswers = await fail(tenant, path, unknown, ATTACKER, free);

    // Slowed down: too early is 429 with the wait, alike for both, and checks no password.
    const before = verifications;
    const early = [
      answer(await login(tenant, path, known, PASSWORD, ATTACKER)),
      answer(await login(tenant, path, unknown, PASSWORD, ATTACKER)),
    ];
    expect(early[0]).toMatchObject({ status: 429, retryAfter: '1', body: { code: 'RATE_LIMITED' } });
    expect(early[1]).toEqual(early[0]);
    expect(verifications).toBe(before);

    // Each wait doubles; after it, an answer again, until the pair is locked.
    knownAnswers.push(...(await fail(tenant, path, known, ATTACKER, LOGIN_THROTTLE.lockAfter, free)));
    unknownAnswers.push(...(await fail(tenant, path, unknown, ATTACKER, LOGIN_THROTTLE.lockAfter, free)));
    expect(knownAnswers.every((a) => a.status === 401 && a.body.code === 'INVALID_CREDENTIALS')).toBe(true);
    expect(knownAnswers).toEqual(unknownAnswers);

    // Locked: the right password gets a wrong password's answer, for the same work (one hash verification).
    const start = verifications;
    const locked = answer(await login(tenant, path, known, PASSWORD, ATTACKER));
    expect(verifications - start).toBe(1);
    const unknownLocked = answer(await login(tenant, path, unknown, PASSWORD, ATTACKER));
    const wrong = answer(await login(tenant, path, known, 'not-the-password', '198.51.100.200'));
    const stranger = answer(await login(tenant, path, email(), 'not-the-password', '198.51.100.201'));
    expect(locked).toMatchObject({ status: 401, body: { code: 'INVALID_CREDENTIALS' } });
    for (const other of [unknownLocked, wrong, stranger]) expect(other).toEqual(locked);
    expect(verifications - start).toBe(4);

    // The lock ends by itself after an hour.
    clock.advance(LOGIN_THROTTLE.lockMs);
    expect((await login(tenant, path, known, PASSWORD, ATTACKER)).status).toBe(200);
  });

  it('never lock the owner out: not from another client, nor from one they signed in from before', async () => {
    const { tenant, email: owner } = await account();
    await fail(tenant, path, owner, ATTACKER, LOGIN_THROTTLE.lockAfter + 5);
    clock.advance(LOGIN_THROTTLE.maxDelayMs);
    expect((await login(tenant, path, owner, PASSWORD, ATTACKER)).status).toBe(401);

    // A new device elsewhere: its own pair, untouched by the attacker's failures.
    expect((await login(tenant, path, owner, PASSWORD, '198.51.100.7')).status).toBe(200);

    // The attacker behind the owner's own address (a shared NAT) only slows that address down, never locks it.
    await fail(tenant, path, owner, '192.0.2.1', LOGIN_THROTTLE.lockAfter + 5);
    clock.advance(LOGIN_THROTTLE.maxDelayMs);
    expect((await login(tenant, path, owner, PASSWORD, '192.0.2.1')).status).toBe(200);
    // …and signing in clears that pair: the next typo is not slowed down.
    expect((await login(tenant, path, owner, 'not-the-password', '192.0.2.1')).status).toBe(401);
    expect((await login(tenant, path, owner, PASSWORD, '192.0.2.1')).status).toBe(200);
  });
});

describe('sign-in links and password resets while a pair is locked', () => {
  it('signs the member in by magic link from a locked client (which is then known), and a reset clears every lock', async () => {
    const { tenant, email: owner } = await tenantWithMember();
    const OTHER = '203.0.113.99';
    for (const ip of [ATTACKER, OTHER]) {
      await fail(tenant, '/v1/auth/login', owner, ip, LOGIN_THROTTLE.lockAfter);
      expect((await login(tenant, '/v1/auth/login', owner, PASSWORD, ip)).status).toBe(401);
    }

    const lastToken = async (template: string) =>
      (
        await t.db.withTenant(tenant.id, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.template, template)))
      ).at(-1)!.data.token as string;
    const send = (path: string, body: unknown) =>
      t.request('POST', path, { key: tenant.publishable_key, body, headers: { 'X-Test-Client-Ip': ATTACKER } });
    expect((await send('/v1/auth/magic-link', { email: owner })).status).toBe(202);
    expect((await send('/v1/auth/magic-link/verify', { token: await lastToken('magic_link') })).status).toBe(200);
    // Having signed in from there, that client is the owner's: its password works again.
    expect((await login(tenant, '/v1/auth/login', owner, PASSWORD, ATTACKER)).status).toBe(200);

    expect((await login(tenant, '/v1/auth/login', owner, PASSWORD, OTHER)).status).toBe(401);
    expect((await send('/v1/auth/password-reset', { email: owner })).status).toBe(202);
    expect(
      (
        await send('/v1/auth/password-reset/confirm', {
          token: await lastToken('password_reset'),
          password: 'a-brand-new-secret',
        })
      ).status,
    ).toBe(204);
    expect((await login(tenant, '/v1/auth/login', owner, 'a-brand-new-secret', OTHER)).status).toBe(200);
  });
});
