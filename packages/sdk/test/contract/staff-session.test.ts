import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  MemberkitError,
  StaffSession,
  type FetchLike,
  type StaffSessionEventType,
  type StaffSessionTokens,
} from '../../src/index.js';
import { BASE_URL, email, PASSWORD, startApi, type Api, type Tenant } from '../support/api.js';

let api: Api;
let tenant: Tenant;
beforeAll(async () => {
  api = await startApi();
  tenant = await api.tenant();
});
afterAll(() => api.close());

/** A staff user with a password: invited with the secret key, the mailed invitation accepted. */
async function signedInStaff(role: 'admin' | 'manager' | 'viewer'): Promise<StaffSessionTokens & { id: string }> {
  const address = email('staff');
  const staff = await api.client({ secretKey: tenant.secret_key }).staff.create({ email: address, name: 'Ada', role });
  const token = await api.mailToken(tenant.id, 'staff_invite', address);
  const session = await api
    .client({ publishableKey: tenant.publishable_key })
    .auth.staff.acceptInvite({ token, password: PASSWORD });
  return { ...session, id: staff.id };
}

function newSession(options: { fetch?: FetchLike; refreshMargin?: number; retryDelay?: number } = {}) {
  const session = new StaffSession({
    baseUrl: BASE_URL,
    publishableKey: tenant.publishable_key,
    fetch: options.fetch ?? api.fetch,
    refreshMargin: options.refreshMargin,
    retryDelay: options.retryDelay,
  });
  const log: StaffSessionEventType[] = [];
  for (const type of ['change', 'refresh', 'expiring', 'end'] as StaffSessionEventType[])
    session.on(type, () => log.push(type));
  return { session, log };
}

function next(session: StaffSession, type: StaffSessionEventType): Promise<void> {
  return new Promise((resolve) => {
    const off = session.on(type, () => {
      off();
      resolve();
    });
  });
}

/** A refresh token presented once more: the API answers 401 when it was spent. */
async function isSpent(refreshToken: string): Promise<boolean> {
  const mk = api.client({ publishableKey: tenant.publishable_key });
  try {
    await mk.auth.staff.refresh({ refresh_token: refreshToken });
    return false;
  } catch (error) {
    return error instanceof AuthenticationError;
  }
}

describe('StaffSession', () => {
  it('holds a signed-in staff user, with the permissions the API serves and a client on the token', async () => {
    const tokens = await signedInStaff('manager');
    const { session, log } = newSession();
    session.start(tokens);
    expect(log).toEqual(['change']);
    expect(session.active).toBe(true);
    expect(session.staffId).toBe(tokens.id);
    expect(session.role).toBe('manager');
    expect(session.can('member:update')).toBe(true);
    expect(session.can('staff:manage')).toBe(false);
    expect(session.expiresAt! - Date.now()).toBeGreaterThan(500_000);
    const members = await session.client!.members.list();
    expect(members.object).toBe('list');
    session.stop();
  });

  it('renews with the refresh token, and ends when the API refuses it', async () => {
    const tokens = await signedInStaff('admin');
    const { session, log } = newSession();
    session.start(tokens);
    const firstClient = session.client;

    expect(await session.refresh()).toBe(true);
    expect(log).toEqual(['change', 'refresh', 'change']);
    expect(session.accessToken).not.toBe(tokens.access_token);
    expect(session.client).not.toBe(firstClient);
    expect(await isSpent(tokens.refresh_token)).toBe(true);

    // Presenting the spent token was a reuse: the API ended the session, so the next renewal is refused.
    expect(await session.refresh()).toBe(false);
    expect(log.slice(-2)).toEqual(['end', 'change']);
    expect(session.active).toBe(false);
    expect(session.client).toBeNull();
    expect(session.permissions).toBeNull();
  });

  it('keeps the session when the API cannot be reached or answers 503, and renews with backoff once it can', async () => {
    const tokens = await signedInStaff('admin');
    let failures = 0;
    // The first two renewals meet an outage: one connection failure, one 503.
    const flaky: FetchLike = async (url, init) => {
      if (new URL(url).pathname === '/v1/auth/staff/refresh' && failures < 2) {
        failures++;
        if (failures === 1) throw new TypeError('fetch failed');
        return new Response(
          JSON.stringify({ type: 'about:blank', title: 'Unavailable', status: 503, code: 'DATABASE_UNAVAILABLE' }),
          { status: 503, headers: { 'content-type': 'application/problem+json' } },
        );
      }
      return api.fetch(url, init);
    };
    const { session, log } = newSession({ fetch: flaky, retryDelay: 20 });
    session.start(tokens);
    const renewed = next(session, 'refresh');

    const error = await session.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemberkitError);
    expect(session.active).toBe(true);
    expect(session.accessToken).toBe(tokens.access_token);

    await renewed;
    expect(failures).toBe(2);
    expect(log).not.toContain('end');
    expect(session.accessToken).not.toBe(tokens.access_token);
    expect(await isSpent(tokens.refresh_token)).toBe(true);
    session.stop();
  });

  it('renews by itself before the access token expires', async () => {
    const tokens = await signedInStaff('viewer');
    // A margin longer than the token's life: renewal is due at once (after the shortest wait, 5 s).
    const { session } = newSession({ refreshMargin: 3_600 });
    session.start(tokens);
    await next(session, 'refresh');
    expect(session.accessToken).not.toBe(tokens.access_token);
    expect(session.role).toBe('viewer');
    session.stop();
  }, 20_000);

  it('loads the permissions of a bare token minted by the backend, and says when it is about to expire', async () => {
    const staff = await signedInStaff('manager');
    const minted = await api.client({ secretKey: tenant.secret_key }).staff.createSession(staff.id);
    const { session, log } = newSession({ refreshMargin: 3_600 });
    const loaded = new Promise<void>((resolve) => session.on('change', () => session.permissions && resolve()));
    const expiring = next(session, 'expiring');
    session.start({ access_token: minted.access_token });
    expect(session.role).toBe('manager');
    expect(session.permissions).toBeNull();
    await loaded;
    expect(session.permissions).toContain('member:update');
    expect(session.can('tenant:update')).toBe(false);
    // Nothing here can renew a bare token: the page is told to set a fresh one.
    await expiring;
    expect(log).toContain('expiring');
    expect(await session.refresh()).toBe(false);
    session.stop();
  });

  it('asks again for the permissions of a bare token when the API could not answer at first', async () => {
    const staff = await signedInStaff('viewer');
    let outages = 0;
    const flaky: FetchLike = async (url, init) => {
      // Three failures: the first request and the client's own two retries.
      if (new URL(url).pathname === '/v1/staff/me' && outages++ < 3) throw new TypeError('fetch failed');
      return api.fetch(url, init);
    };
    const { session } = newSession({ fetch: flaky, retryDelay: 20 });
    const loaded = new Promise<void>((resolve) => session.on('change', () => session.permissions && resolve()));
    session.start({ access_token: staff.access_token });
    await loaded;
    expect(outages).toBe(4);
    expect(session.can('member:read')).toBe(true);
    expect(session.can('member:update')).toBe(false);
    session.stop();
  });

  it('stops: no renewal, no events, the tokens forgotten', async () => {
    const tokens = await signedInStaff('admin');
    const { session, log } = newSession({ refreshMargin: 3_600 });
    session.start(tokens);
    session.stop();
    expect(session.active).toBe(false);
    expect(await session.refresh()).toBe(false);
    expect(log).toEqual(['change']);
    expect(await isSpent(tokens.refresh_token)).toBe(false);
  });
});
