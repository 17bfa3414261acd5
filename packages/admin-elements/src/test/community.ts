/**
 * Test helpers for the staff elements on the real-time features (live member table,
 * support inbox, announcements): tenants on the community API the test runner starts
 * (scripts/memberkit-api-plugin.mjs, `mk-community`: the API app with its real-time
 * runtime over real HTTP, so `GET /v1/realtime` streams are real), staff signed in
 * there, and members signed up and signed in with the tenant's publishable key.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { ApiAnswer, TestStaff, TestTenant } from './support.js';

async function community<T>(command: string, payload: unknown = {}): Promise<T> {
  // The community API starts on first use, which takes longer than one command may: ask again until it is up.
  for (let attempt = 0; attempt < 12; attempt++) {
    const answer = await executeServerCommand<T | { starting: true }, unknown>('mk-community', { command, payload });
    if (!(answer && typeof answer === 'object' && 'starting' in answer)) return answer as T;
  }
  throw new Error('the community API did not start');
}

/** A fresh tenant on the community API, its publishable key bound to this page's origin; `settings` a PATCH /v1/community/settings body. */
export function createCommunityTenant(settings: Record<string, unknown> = {}): Promise<TestTenant> {
  return community<TestTenant>('tenant', { origin: location.origin, community: settings });
}

/** Sends a request to the community API from Node (the tenant's secret key unless another key is given). */
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields straight off it (as api() in support.ts)
export function communityApi<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<ApiAnswer<T>> {
  return community<ApiAnswer<T>>('request', { method, path, key, body });
}

/** Like {@link communityApi}, but fails unless the status is 2xx. */
// biome-ignore lint/suspicious/noExplicitAny: the reason given at communityApi
export async function communityOk<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<T> {
  const res = await communityApi<T>(tenant, method, path, body, key);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A signed-in staff user of a community tenant. */
export async function createCommunityStaff(
  tenant: TestTenant,
  role: 'admin' | 'manager' | 'viewer' = 'admin',
): Promise<TestStaff> {
  const s = await community<{ id: string; email: string; accessToken: string }>('staff', {
    tenantId: tenant.id,
    secretKey: tenant.secretKey,
    publishableKey: tenant.publishableKey,
    role,
  });
  return { id: s.id, email: s.email, role, accessToken: s.accessToken };
}

/** A member signed in: their id, name and access token. */
export interface TestMember {
  id: string;
  name: string;
  token: string;
}

let counter = 0;

/** Signs a member up with a password and signs them in, as a member's browser would (publishable key, this origin). */
export async function createCommunityMember(
  tenant: TestTenant,
  names: { first_name: string; last_name: string },
): Promise<TestMember> {
  counter += 1;
  const email = `${names.first_name.toLowerCase()}-${Date.now().toString(36)}-${counter}@example.org`;
  const password = 'correct horse battery staple';
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${tenant.apiUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenant.publishableKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const signup = await post('/v1/auth/signup', { email, password, ...names });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  const login = await post('/v1/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: signup.body.member.id, name: `${names.first_name} ${names.last_name}`, token: login.body.access_token };
}
