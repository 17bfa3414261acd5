/**
 * Test helpers shared by the admin elements' browser tests: a fresh tenant per
 * test on the real API (see scripts/memberkit-api-plugin.mjs), staff users with
 * real sessions, and seeding through the tenant's secret key (sent from Node, so
 * the key never reaches the page).
 */
import { executeServerCommand } from '@web/test-runner-commands';

/** A tenant made for one test. */
export interface TestTenant {
  id: string;
  apiUrl: string;
  secretKey: string;
  publishableKey: string;
}

/** A staff user of a test tenant, signed in. */
export interface TestStaff {
  id: string;
  email: string;
  role: string;
  accessToken: string;
}

/** The answer of `mk-request`. */
// `any` by default (as in the API's test harness): tests read fields of the API's JSON
// (or CSV text) straight off it and assert each one; callers that want a type pass T.
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields straight off it (see above)
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/** Creates a tenant whose publishable key accepts this page's origin. */
export function createTenant(name = 'Test Club'): Promise<TestTenant> {
  return executeServerCommand<TestTenant, unknown>('mk-tenant', { origin: location.origin, name });
}

/** Sends a request from Node with the given key (the tenant's secret key by default). */
// biome-ignore lint/suspicious/noExplicitAny: the reason given at ApiAnswer
export function api<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<ApiAnswer<T>> {
  return executeServerCommand<ApiAnswer<T>, unknown>('mk-request', { method, path, key, body });
}

/** Like {@link api}, but fails the test unless the status is 2xx. */
// biome-ignore lint/suspicious/noExplicitAny: the reason given at ApiAnswer
export async function apiOk<T = any>(tenant: TestTenant, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api<T>(tenant, method, path, body);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let staffCounter = 0;

/**
 * Invites a staff user with the tenant's secret key, takes the token from the
 * link in the invitation mail and accepts it through the API: the signed-in
 * staff user, as a tenant's real staff would be. (Owners can only be invited by
 * owners, so tests use the other roles.)
 */
export async function createStaff(
  tenant: TestTenant,
  role: 'admin' | 'manager' | 'viewer',
  password = 'staff-password-2026',
): Promise<TestStaff> {
  staffCounter += 1;
  const email = `staff-${role}-${Date.now().toString(36)}-${staffCounter}@example.org`;
  const invited = await apiOk<{ id: string }>(tenant, 'POST', '/v1/staff', { email, name: `Test ${role}`, role });
  const mails = await executeServerCommand<{ links: string[] }[], unknown>('mk-mail', { to: email });
  const link = mails.flatMap((m) => m.links).find((l) => l.includes('/admin/accept-invite?'));
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`no staff invitation mail for ${email}`);
  const accepted = await api<{ access_token: string }>(
    tenant,
    'POST',
    '/v1/auth/staff/accept-invite',
    { token, password },
    tenant.publishableKey,
  );
  if (accepted.status !== 200) throw new Error(`accept invite: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { id: invited.id, email, role, accessToken: accepted.body.access_token };
}

/** A member to seed; fields as in `POST /v1/members`. */
export interface SeedMember {
  email: string;
  first_name: string;
  last_name: string;
  status?: 'pending' | 'active' | 'inactive' | 'suspended';
  tier_id?: string | null;
  tags?: string[];
  custom_fields?: Record<string, unknown>;
}

/** Creates members one by one (in order, so `created_at` follows the list) and returns their ids. */
export async function seedMembers(tenant: TestTenant, members: SeedMember[]): Promise<string[]> {
  const ids: string[] = [];
  for (const m of members) ids.push((await apiOk<{ id: string }>(tenant, 'POST', '/v1/members', m)).id);
  return ids;
}

/** Creates a tier and returns its id. */
export async function seedTier(tenant: TestTenant, name: string): Promise<string> {
  const tier = await apiOk<{ id: string }>(tenant, 'POST', '/v1/tiers', { name, interval: 'free' });
  return tier.id;
}

/** Waits until `check` returns a truthy value (polling each animation frame), or fails after `timeout` ms. */
export async function waitFor<T>(
  check: () => T | undefined | null | false,
  message = 'condition',
  timeout = 5000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The shadow root of an element, which every Memberkit element has. */
export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
}

/** Sets a form control's value as a user would, firing `input` and `change`. */
export function typeInto(control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** Creates many members, a few requests at a time (order of `created_at` not guaranteed within a batch). */
export async function seedMany(tenant: TestTenant, members: SeedMember[], concurrency = 8): Promise<string[]> {
  const ids: string[] = new Array(members.length);
  for (let i = 0; i < members.length; i += concurrency) {
    const batch = members.slice(i, i + concurrency);
    const created = await Promise.all(batch.map((m) => apiOk<{ id: string }>(tenant, 'POST', '/v1/members', m)));
    created.forEach((c, j) => {
      ids[i + j] = c.id;
    });
  }
  return ids;
}
