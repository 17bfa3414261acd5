/**
 * Test helpers for the community elements (notifications, feed, messages, presence):
 * tenants on the community API the test runner starts (scripts/memberkit-api-plugin.mjs,
 * `mk-community`: the API app with its real-time runtime, over real HTTP), requests to it,
 * members signed up and signed in, and elements mounted in their own provider.
 */
import { fixture, html, waitUntil as waitUntilOpenWc } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ApiResult, TestTenant } from './api.js';
import { text } from './dom.js';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';

async function community<T>(command: string, payload: unknown = {}, attempts = 12): Promise<T> {
  // The community API starts on first use, which takes longer than one command may: ask again until it is up.
  for (let attempt = 0; attempt < attempts; attempt++) {
    const answer = await executeServerCommand<T | { starting: true }, unknown>('mk-community', { command, payload });
    if (!(answer && typeof answer === 'object' && 'starting' in answer)) return answer as T;
  }
  throw new Error('the community API did not start');
}

/**
 * Starts the community API (first use compiles and migrates it: up to two minutes). Call it
 * in a `before` hook with a long timeout, so the tests' own timeouts measure the tests.
 */
export async function startCommunityApi(): Promise<void> {
  await community('ping', {}, 18);
}

/**
 * A fresh tenant on the community API, its publishable key bound to this page's origin,
 * members signed in at sign-up; `settings` is a PATCH /v1/community/settings body, `tenant`
 * a PATCH /v1/tenant body.
 */
export function createCommunityTenant(
  settings: Record<string, unknown> = {},
  tenant: Record<string, unknown> = {},
): Promise<TestTenant> {
  return community<TestTenant>('tenant', { origin: location.origin, community: settings, tenant });
}

/** Sends a request to the community API from Node, with the tenant's secret key unless another key is given. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields straight off it (as api() in api.ts)
export function communityApi<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<ApiResult<T>> {
  return community<ApiResult<T>>('request', { method, path, key, body });
}

/** A member with a password and an access token. */
export interface CommunityMember {
  id: string;
  email: string;
  password: string;
  name: string;
  token: string;
}

let counter = 0;

/** Signs a member up with a password (no verification) and signs them in through the API. */
export async function createCommunityMember(
  tenant: TestTenant,
  names: { first_name: string; last_name: string },
): Promise<CommunityMember> {
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
  return {
    id: signup.body.member.id,
    email,
    password,
    name: `${names.first_name} ${names.last_name}`,
    token: login.body.access_token,
  };
}

/**
 * Mounts `<member-provider>` with `content` inside and signs `member` in on it (when given).
 * `storage`: `memory` gives the provider a session of its own, so two providers of one
 * tenant on one page can be two members (each storage kind is its own runtime).
 */
export async function mountSignedIn(
  tenant: TestTenant,
  member: CommunityMember | null,
  content: ReturnType<typeof html>,
  options: { storage?: 'local' | 'memory'; locale?: string } = {},
): Promise<MemberProvider> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${options.locale ?? 'en'}
      session-storage=${options.storage ?? 'memory'}>${content}</member-provider>`,
  );
  await provider.configReady;
  if (member) {
    const widget = provider.firstElementChild as unknown as {
      session: { login(e: string, p: string): Promise<unknown> };
    };
    await widget.session.login(member.email, member.password);
  }
  return provider;
}

/** Waits until `el`'s shadow text contains `expected` (bounded), with what it showed in the failure. */
export async function waitForText(el: Element, expected: string, timeout = 15_000): Promise<void> {
  try {
    await waitUntilOpenWc(() => text(el).includes(expected), undefined, { timeout });
  } catch {
    throw new Error(`<${el.localName}> never showed "${expected}"; it shows: ${text(el).slice(0, 600)}`);
  }
}

/** Waits for `predicate` (bounded); the failure names `what` and shows what the elements showed. */
export async function waitFor(
  predicate: () => unknown,
  what: string,
  elements: Element[],
  timeout = 15_000,
): Promise<void> {
  try {
    await waitUntilOpenWc(predicate, undefined, { timeout });
  } catch {
    const shown = elements.map((el) => `<${el.localName}>: ${text(el).slice(0, 400)}`).join(' | ');
    throw new Error(`${what}; shown: ${shown}`);
  }
}

/**
 * `waitUntil` of @open-wc/testing with a timeout for live updates (15 s by default, not
 * its 1 s): events travel through the API's stream.
 */
export function waitUntil(
  predicate: () => unknown,
  message?: string,
  options: { timeout?: number; interval?: number } = {},
): Promise<void> {
  return waitUntilOpenWc(predicate, message, { timeout: 15_000, ...options });
}
