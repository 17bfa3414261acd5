/**
 * Test helpers over the real API the test runner starts (scripts/memberkit-api-plugin.mjs):
 * fresh tenants, seeding and checks with the tenant's secret key (sent from Node), and
 * caught mail.
 */
import { executeServerCommand } from '@web/test-runner-commands';

/** A tenant made for one test. */
export interface TestTenant {
  id: string;
  apiUrl: string;
  secretKey: string;
  publishableKey: string;
}

/** A response as `mk-request` returns it. */
// `any` by default (as in the API's and the admin elements' test helpers): tests read
// fields of the API's JSON straight off it and assert each one; callers that want a type pass T.
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields straight off it (see above)
export interface ApiResult<T = any> {
  status: number;
  body: T;
}

/** A caught mail. */
export interface CaughtMail {
  id: string;
  to: string[] | string;
  subject: string;
  text: string;
  links: string[];
}

/**
 * Makes a fresh tenant whose allowed origins are `origin` (this page's by default, so its
 * publishable key works here; null for none); `tenant` is a PATCH /v1/tenant body.
 */
export function createTenant(
  tenant: Record<string, unknown> = {},
  name = 'Test Club',
  origin: string | null = location.origin,
): Promise<TestTenant> {
  return executeServerCommand<TestTenant, unknown>('mk-tenant', { ...(origin ? { origin } : {}), name, tenant });
}

/** Sends a request from Node with a key (the tenant's secret key by default). */
// biome-ignore lint/suspicious/noExplicitAny: the reason given at ApiResult
export function api<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<ApiResult<T>> {
  return executeServerCommand<ApiResult<T>, unknown>('mk-request', { method, path, key, body });
}

/** Mails caught for an address, newest first (waits up to 10 s for the first). */
export function mailsTo(to: string): Promise<CaughtMail[]> {
  return executeServerCommand<CaughtMail[], unknown>('mk-mail', { to });
}

/** The `token` parameter of the first link in the newest mail to `to` whose path ends with `pathEnd`. */
export async function mailedToken(to: string, pathEnd: string): Promise<{ token: string; link: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mails = await mailsTo(to);
    for (const mail of mails) {
      const link = [...mail.links, ...(mail.text.match(/https?:\/\/\S+/g) ?? [])].find((l) =>
        new URL(l).pathname.endsWith(pathEnd),
      );
      const token = link ? new URL(link).searchParams.get('token') : null;
      if (link && token) return { token, link };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} with a link to …${pathEnd}`);
}

let counter = 0;
/** A unique email address for a test member. */
export function uniqueEmail(prefix = 'member'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.org`;
}

/** POSTs from the page with the publishable key, as a browser would (the key is bound to this origin). */
// biome-ignore lint/suspicious/noExplicitAny: the reason given at ApiResult
export async function publicPost<T = any>(tenant: TestTenant, path: string, body: unknown): Promise<ApiResult<T>> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${tenant.apiUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenant.publishableKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    // Sign-up and sign-in allow 5 attempts per 10 s per IP, and every test comes from 127.0.0.1.
    if (response.status === 429 && attempt < 3) {
      await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? '2') * 1000));
      continue;
    }
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}

/**
 * Signs a member up through the API and confirms the email from the caught mail when
 * the tenant asks for it: an active member with a password, not signed in on the page.
 */
export async function createActiveMember(
  tenant: TestTenant,
  member: {
    email?: string;
    password?: string;
    first_name?: string;
    last_name?: string;
    custom_fields?: Record<string, unknown>;
    tier_id?: string;
  } = {},
): Promise<{ email: string; password: string; id: string }> {
  const email = member.email ?? uniqueEmail();
  const password = member.password ?? 'correct horse battery staple';
  const signup = await publicPost(tenant, '/v1/auth/signup', {
    email,
    password,
    first_name: member.first_name ?? 'Ada',
    last_name: member.last_name ?? 'Lovelace',
    ...(member.custom_fields ? { custom_fields: member.custom_fields } : {}),
    ...(member.tier_id ? { tier_id: member.tier_id } : {}),
  });
  if (signup.status === 201) return { email, password, id: signup.body.member.id };
  if (signup.status !== 202) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  const { token } = await mailedToken(email, '/auth/verify-email');
  const verified = await publicPost(tenant, '/v1/auth/verify-email', { token });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  return { email, password, id: verified.body.member.id };
}

/** Forgets every stored session and loaded runtime, so each test starts signed out. */
export async function resetPage(): Promise<void> {
  const { resetRuntimes } = await import('../runtime/runtime.js');
  resetRuntimes();
  localStorage.clear();
  sessionStorage.clear();
}

/** Creates an active member with the secret key (no password: for members who only need to exist). */
export async function seedMember(
  tenant: TestTenant,
  member: {
    first_name: string;
    last_name: string;
    email?: string;
    custom_fields?: Record<string, unknown>;
    tier_id?: string;
  },
): Promise<{ id: string; email: string }> {
  const email = member.email ?? uniqueEmail('seed');
  const created = await api(tenant, 'POST', '/v1/members', { ...member, email, status: 'active' });
  if (created.status !== 201) throw new Error(`member create: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.id, email };
}
