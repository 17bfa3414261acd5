import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  MemberkitError,
  PermissionError,
  type FetchLike,
  type Memberkit,
  type SessionEvent,
  type SessionEventType,
  type TokenStorage,
} from '../../src/index.js';
import { BASE_URL, email, PASSWORD, startApi, type Api, type Tenant } from '../support/api.js';

let api: Api;
let open: Tenant; // sign-up without verification
beforeAll(async () => {
  api = await startApi();
  open = await api.tenant({ require_email_verification: false });
});
afterAll(() => api.close());

const person = (address = email()) => ({
  email: address,
  password: PASSWORD,
  first_name: 'Ada',
  last_name: 'Lovelace',
});

/** Records the Authorization header of every request, by path. */
function recording() {
  const seen: { method: string; path: string; authorization: string | null }[] = [];
  const fetch: FetchLike = (url, init) => {
    seen.push({
      method: init.method ?? 'GET',
      path: new URL(url).pathname,
      authorization: new Headers(init.headers).get('authorization'),
    });
    return api.fetch(url, init);
  };
  return { fetch, seen };
}

function events(mk: Memberkit) {
  const log: string[] = [];
  for (const type of ['signin', 'signout', 'refresh', 'member', 'change'] as SessionEventType[]) {
    mk.session.on(type, (event: SessionEvent) => log.push(`${type}:${event.member?.first_name ?? 'null'}`));
  }
  return log;
}

function sharedStorage(): TokenStorage & { value: string | null } {
  const storage = {
    value: null as string | null,
    get: () => storage.value,
    set: (token: string) => {
      storage.value = token;
    },
    remove: () => {
      storage.value = null;
    },
  };
  return storage;
}

describe('auth and session', () => {
  it('signs up and in, sends the member token on member calls and the publishable key on auth calls', async () => {
    const { fetch, seen } = recording();
    const mk = api.client({ publishableKey: open.publishable_key, fetch });
    await mk.session.ready;
    const log = events(mk);
    expect(mk.session.signedIn).toBe(false);

    const result = await mk.auth.signup(person());
    expect(result.object).toBe('session');
    expect(mk.session.signedIn).toBe(true);
    expect(mk.session.member).toMatchObject({ first_name: 'Ada', status: 'active' });
    expect(mk.session.accessToken).toMatch(/^eyJ/);
    expect(mk.session.expiresAt! - Date.now()).toBeGreaterThan(500_000);
    expect(log).toEqual(['signin:Ada', 'member:Ada', 'change:Ada']);

    const me = await mk.me.retrieve();
    expect(me.id).toBe(mk.session.member!.id);
    expect(seen.find((r) => r.path === '/v1/auth/signup')!.authorization).toBe(`Bearer ${open.publishable_key}`);
    expect(seen.find((r) => r.path === '/v1/me')!.authorization).toBe(`Bearer ${mk.session.accessToken}`);

    const updated = await mk.me.update({ first_name: 'Augusta' });
    expect(updated.first_name).toBe('Augusta');
    expect(mk.session.member!.first_name).toBe('Augusta');
    expect(log.slice(-2)).toEqual(['member:Augusta', 'change:Augusta']);

    await mk.auth.logout();
    expect(mk.session.signedIn).toBe(false);
    expect(mk.session.member).toBeNull();
    expect(log.slice(-3)).toEqual(['signout:null', 'member:null', 'change:null']);
    expect(seen.at(-1)).toMatchObject({ path: '/v1/auth/logout', authorization: `Bearer ${open.publishable_key}` });
  });

  it('revokes the refresh token on logout: it no longer restores a session', async () => {
    const storage = sharedStorage();
    const mk = api.client({ publishableKey: open.publishable_key, session: { storage } });
    await mk.auth.signup(person());
    const refreshToken = storage.value!;
    await mk.auth.logout();
    expect(storage.value).toBeNull();

    storage.value = refreshToken;
    const later = api.client({ publishableKey: open.publishable_key, session: { storage } });
    await later.session.ready;
    expect(later.session.signedIn).toBe(false);
    expect(storage.value).toBeNull();
  });

  it('restores a stored session on load (ready), rotating the refresh token', async () => {
    const storage = sharedStorage();
    const first = api.client({ publishableKey: open.publishable_key, session: { storage } });
    const { member } = (await first.auth.signup(person())) as { member: { id: string } };
    const stored = storage.value;
    expect(stored).toMatch(/^rt_/);

    const reloaded = api.client({ publishableKey: open.publishable_key, session: { storage } });
    const signedIn = new Promise<SessionEvent>((resolve) => reloaded.session.on('signin', resolve));
    // A member call made before `ready` waits for the restore and goes out signed in.
    const me = await reloaded.me.retrieve();
    await reloaded.session.ready;
    expect(me.id).toBe(member.id);
    expect(reloaded.session.signedIn).toBe(true);
    expect(reloaded.session.member!.id).toBe(member.id);
    expect((await signedIn).member!.id).toBe(member.id);
    expect(storage.value).not.toBe(stored);
  });

  it('refreshes by itself before the access token expires', async () => {
    const mk = api.client({ publishableKey: open.publishable_key, session: { refreshMargin: 599.7 } });
    await mk.auth.signup(person());
    const before = mk.session.accessToken;
    const refreshToken = mk.session.refreshToken;
    const refreshed = new Promise<SessionEvent>((resolve) => mk.session.on('refresh', resolve));
    const event = await refreshed;
    expect(event.member).toMatchObject({ first_name: 'Ada' });
    expect(mk.session.accessToken).not.toBe(before);
    expect(mk.session.refreshToken).not.toBe(refreshToken);
    expect(mk.session.signedIn).toBe(true);
    await mk.auth.logout();
  });

  it('refreshes on demand with auth.refresh, sharing one request between concurrent callers', async () => {
    const { fetch, seen } = recording();
    const mk = api.client({ publishableKey: open.publishable_key, fetch, session: { autoRefresh: false } });
    expect(await mk.auth.refresh()).toBe(false);
    await mk.auth.signup(person());
    const log = events(mk);
    const before = { access: mk.session.accessToken, refresh: mk.session.refreshToken };
    const results = await Promise.all([mk.auth.refresh(), mk.session.refresh(), mk.auth.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(seen.filter((r) => r.path === '/v1/auth/refresh')).toHaveLength(1);
    expect(mk.session.accessToken).not.toBe(before.access);
    expect(mk.session.refreshToken).not.toBe(before.refresh);
    expect(log).toEqual(['refresh:Ada', 'change:Ada']);
  });

  it('refreshes once and retries when a member call gets 401', async () => {
    const { fetch, seen } = recording();
    const mk = api.client({ publishableKey: open.publishable_key, fetch, session: { autoRefresh: false } });
    const tokens = await api.client({ publishableKey: open.publishable_key }).auth.signup(person());
    if (tokens.object !== 'session') throw new Error('expected a session');
    // A session whose access token the API refuses (a foreign, malformed JWT) but whose refresh token is good.
    await mk.session.setTokens({
      access_token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln',
      refresh_token: tokens.refresh_token,
      expires_in: 600,
      member: tokens.member,
    });

    const me = await mk.me.retrieve();
    expect(me.id).toBe(tokens.member.id);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/me', 'POST /v1/auth/refresh', 'GET /v1/me']);
    expect(mk.session.accessToken).not.toBe('eyJhbGciOiJFUzI1NiJ9.e30.c2ln');
  });

  it('ends the session when the refresh token is refused', async () => {
    const mk = api.client({ publishableKey: open.publishable_key, session: { autoRefresh: false } });
    await mk.session.setTokens({
      access_token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln',
      refresh_token: 'rt_not_a_real_token',
      expires_in: 600,
      member: {
        id: 'mem_x',
        object: 'member',
        email: 'x@example.org',
        first_name: 'X',
        last_name: 'Y',
        status: 'active',
        tier_id: null,
        custom_fields: {},
        created_at: new Date().toISOString(),
      } as never,
    });
    const signedOut = new Promise<SessionEvent>((resolve) => mk.session.on('signout', resolve));
    await expect(mk.me.retrieve()).rejects.toBeInstanceOf(AuthenticationError);
    await signedOut;
    expect(mk.session.signedIn).toBe(false);
  });

  it('verifies the email of a sign-up when the tenant requires it', async () => {
    const strict = await api.tenant({ require_email_verification: true });
    const mk = api.client({ publishableKey: strict.publishable_key });
    const body = person();
    const result = await mk.auth.signup(body);
    expect(result).toMatchObject({ object: 'signup', status: 'verification_required' });
    expect(mk.session.signedIn).toBe(false);
    await expect(mk.auth.login({ email: body.email, password: body.password })).rejects.toMatchObject({
      code: 'EMAIL_NOT_VERIFIED',
    });
    await expect(mk.auth.login({ email: body.email, password: body.password })).rejects.toBeInstanceOf(PermissionError);

    const tokens = await mk.auth.verifyEmail({ token: await api.mailToken(strict.id, 'verify_email', body.email) });
    expect(tokens.member.email).toBe(body.email);
    expect(mk.session.signedIn).toBe(true);
  });

  it('signs in with a magic link and resets a password', async () => {
    const tenant = await api.tenant({ require_email_verification: false, magic_link_enabled: true });
    const mk = api.client({ publishableKey: tenant.publishable_key });
    const body = person();
    await mk.auth.signup(body);
    await mk.auth.logout();

    await expect(mk.auth.sendMagicLink({ email: body.email })).resolves.toMatchObject({ status: 'accepted' });
    await mk.auth.verifyMagicLink({ token: await api.mailToken(tenant.id, 'magic_link', body.email) });
    expect(mk.session.member!.email).toBe(body.email);
    await mk.auth.logout();

    await expect(mk.auth.requestPasswordReset({ email: body.email })).resolves.toMatchObject({ status: 'accepted' });
    await mk.auth.confirmPasswordReset({
      token: await api.mailToken(tenant.id, 'password_reset', body.email),
      password: 'a-brand-new-passphrase-7',
    });
    await expect(mk.auth.login({ email: body.email, password: body.password })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await mk.auth.login({ email: body.email, password: 'a-brand-new-passphrase-7' });
    expect(mk.session.signedIn).toBe(true);
  });

  it('accepts an invite, manages the member’s own account and sessions, and erases it', async () => {
    const tenant = await api.tenant();
    const admin = api.client({ secretKey: tenant.secret_key });
    const address = email('invitee');
    await admin.invites.create({ email: address });
    const mk = api.client({ publishableKey: tenant.publishable_key });
    await mk.auth.acceptInvite({
      token: await api.mailToken(tenant.id, 'invite', address),
      password: PASSWORD,
      first_name: 'Grace',
      last_name: 'Hopper',
    });
    expect(mk.session.member).toMatchObject({ email: address, first_name: 'Grace' });

    const other = api.client({ publishableKey: tenant.publishable_key });
    await other.auth.login({ email: address, password: PASSWORD });
    const sessions = await mk.me.sessions.list();
    expect(sessions.data.length).toBeGreaterThanOrEqual(2);
    const otherSession = sessions.data.find((s) => !s.current);
    expect(otherSession).toBeDefined();
    await mk.me.sessions.del(otherSession!.id);
    expect(await other.session.refresh()).toBe(false);
    expect(other.session.signedIn).toBe(false);

    // Two more devices, signed out together; this one stays.
    const [third, fourth] = [
      api.client({ publishableKey: tenant.publishable_key }),
      api.client({ publishableKey: tenant.publishable_key }),
    ];
    await third.auth.login({ email: address, password: PASSWORD });
    await fourth.auth.login({ email: address, password: PASSWORD });
    expect(await mk.me.sessions.revokeOthers()).toEqual({ object: 'session_revocation', revoked_count: 2 });
    expect(await third.session.refresh()).toBe(false);
    expect(await fourth.session.refresh()).toBe(false);
    expect((await mk.me.sessions.list()).data.map((s) => s.current)).toEqual([true]);

    await mk.me.changePassword({ current_password: PASSWORD, new_password: 'another-long-passphrase-9' });
    const exported = await mk.me.export();
    expect(JSON.stringify(exported)).toContain(address);
    expect(await mk.session.reloadMember()).toMatchObject({ email: address });

    await mk.me.del();
    expect(mk.session.signedIn).toBe(false);
    await expect(other.auth.login({ email: address, password: 'another-long-passphrase-9' })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('builds the OIDC start URL and completes the redirect from its fragment', async () => {
    const mk = api.client({ publishableKey: open.publishable_key });
    const url = new URL(
      mk.auth.oidcStartUrl('oidc_123', { redirectUri: 'https://www.example.org/account', state: 'back=/events' }),
    );
    expect(url.origin + url.pathname).toBe(`${BASE_URL}/v1/auth/oidc/oidc_123/start`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      publishable_key: open.publishable_key,
      redirect_uri: 'https://www.example.org/account',
      state: 'back=/events',
    });
    expect(mk.auth.oidcCallbackUrl()).toBe(`${BASE_URL}/v1/auth/oidc/callback`);
    // The real start endpoint answers a navigation with a redirect (here 404: no such provider).
    await expect(api.fetch(url.toString(), { method: 'GET' })).resolves.toMatchObject({ status: 404 });

    // The API redirects back with the tokens in the fragment; a real session's tokens stand in for the provider's.
    const tokens = await api.client({ publishableKey: open.publishable_key }).auth.signup(person());
    if (tokens.object !== 'session') throw new Error('expected a session');
    const fragment = `#access_token=${tokens.access_token}&refresh_token=${tokens.refresh_token}&expires_in=600&token_type=Bearer&state=back%3D%2Fevents`;
    const done = await mk.auth.completeOidcRedirect(fragment);
    expect(done).toMatchObject({ state: 'back=/events', member: { id: tokens.member.id } });
    expect(mk.session.signedIn).toBe(true);

    // Tokens the API refuses start no session.
    const fresh = api.client({ publishableKey: open.publishable_key });
    await expect(
      fresh.auth.completeOidcRedirect(
        '#access_token=eyJhbGciOiJFUzI1NiJ9.e30.c2ln&refresh_token=rt_bogus&expires_in=600',
      ),
    ).rejects.toBeInstanceOf(AuthenticationError);
    expect(fresh.session.signedIn).toBe(false);

    const failed = await mk.auth
      .completeOidcRedirect('#error=access_denied&error_description=The+member+cancelled')
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(MemberkitError);
    expect(failed).toMatchObject({ code: 'ACCESS_DENIED', detail: 'The member cancelled' });
  });

  it('signs staff in: invite, accept, login, refresh, and a backend-minted session', async () => {
    const tenant = await api.tenant();
    const admin = api.client({ secretKey: tenant.secret_key });
    const address = email('staff');
    const staff = await admin.staff.create({ email: address, name: 'Margaret', role: 'manager' });
    expect((await admin.staff.list()).data.map((s) => s.id)).toContain(staff.id);

    const browser = api.client({ publishableKey: tenant.publishable_key });
    const accepted = await browser.auth.staff.acceptInvite({
      token: await api.mailToken(tenant.id, 'staff_invite', address),
      password: PASSWORD,
    });
    expect(accepted.staff.id).toBe(staff.id);
    const login = await browser.auth.staff.login({ email: address, password: PASSWORD });
    const refreshed = await browser.auth.staff.refresh({ refresh_token: login.refresh_token });
    expect(refreshed.access_token).not.toBe(login.access_token);
    expect(browser.session.signedIn).toBe(false);

    // A staff token works as the client's credential for staff endpoints.
    const asStaff = api.client({ accessToken: refreshed.access_token });
    await expect(asStaff.tenant.retrieve()).resolves.toMatchObject({ id: tenant.id });

    expect((await admin.staff.update(staff.id, { role: 'viewer' })).role).toBe('viewer');
    const minted = await admin.staff.createSession(staff.id);
    expect(minted.access_token).toMatch(/^eyJ/);
    expect((await admin.staff.del(staff.id)).id).toBe(staff.id);
  });

  it('appoints an owner through the platform, who hands ownership over with their own token', async () => {
    const tenant = await api.tenant();
    const address = email('owner');
    const invited = await api.platform.platform.tenants.inviteOwner(tenant.id, { email: address, name: 'Ada' });
    expect(invited).toMatchObject({ role: 'owner', status: 'invited' });
    const browser = api.client({ publishableKey: tenant.publishable_key });
    const owner = await browser.auth.staff.acceptInvite({
      token: await api.mailToken(tenant.id, 'staff_invite', address),
      password: PASSWORD,
    });
    const admin = api.client({ secretKey: tenant.secret_key });
    const heirAddress = email('heir');
    const heir = await admin.staff.create({ email: heirAddress, name: 'Grace', role: 'admin' });
    // Keys never act as owner; an owner hands ownership only to an active staff user.
    await expect(admin.staff.transferOwnership(owner.staff.id)).rejects.toMatchObject({
      status: 403,
      code: 'ROLE_CEILING',
    });
    const asOwner = api.client({ accessToken: owner.access_token });
    await expect(asOwner.staff.transferOwnership(heir.id)).rejects.toMatchObject({ status: 404 });
    await expect(admin.staff.createSession(owner.staff.id)).rejects.toMatchObject({
      status: 403,
      code: 'ROLE_CEILING',
    });
    await browser.auth.staff.acceptInvite({
      token: await api.mailToken(tenant.id, 'staff_invite', heirAddress),
      password: PASSWORD,
    });
    const transfer = await asOwner.staff.transferOwnership(heir.id);
    expect(transfer).toMatchObject({
      owner: { id: heir.id, role: 'owner' },
      previous_owner: { id: owner.staff.id, role: 'admin' },
    });
  });
});
