/**
 * Test helpers for the billing widgets: tenants on the billing API the test runner
 * starts (scripts/memberkit-api-plugin.mjs, `mk-billing`: the API with Stripe as the
 * Stripe test double), requests to it with the tenant's secret key, and the double's
 * hosted checkout done from Node.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { ApiResult, TestTenant } from './api.js';

/** A tenant with billing connected (Connect mode, onboarded), on the billing API. */
export interface BillingTenant extends TestTenant {
  /** The connected Stripe account; null for a tenant made with `connect: false`. */
  accountId: string | null;
}

async function billing<T>(command: string, payload: unknown = {}): Promise<T> {
  // The billing API starts on first use, which takes longer than one command may: ask again until it is up.
  for (let attempt = 0; attempt < 12; attempt++) {
    const answer = await executeServerCommand<T | { starting: true }, unknown>('mk-billing', { command, payload });
    if (!(answer && typeof answer === 'object' && 'starting' in answer)) return answer as T;
  }
  throw new Error('the billing API did not start');
}

/**
 * A fresh tenant with Stripe billing connected, its publishable key bound to this page's
 * origin, members signed in at sign-up (no email verification); `tenant` is a
 * PATCH /v1/tenant body; `connect: false` leaves Stripe unconnected.
 */
export function createBillingTenant(
  options: { currency?: string; tenant?: Record<string, unknown>; connect?: boolean } = {},
): Promise<BillingTenant> {
  return billing<BillingTenant>('tenant', { origin: location.origin, ...options });
}

/** Sends a request to the billing API from Node, with the tenant's secret key unless another key is given. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields straight off it (as api() in api.ts)
export function billingApi<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<ApiResult<T>> {
  return billing<ApiResult<T>>('request', { method, path, key, body });
}

/** Creates a tier through the API; throws unless it was created. */
// biome-ignore lint/suspicious/noExplicitAny: the tier's JSON, read field by field
export async function createTier(tenant: TestTenant, body: Record<string, unknown>): Promise<any> {
  const created = await billingApi(tenant, 'POST', '/v1/tiers', body);
  if (created.status !== 201) throw new Error(`tier create: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Signs a member up with a password through the billing API (no verification): `{ id, email, password }`. */
export async function createBillingMember(
  tenant: TestTenant,
): Promise<{ id: string; email: string; password: string }> {
  const email = `payer-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.org`;
  const password = 'correct horse battery staple';
  const response = await fetch(`${tenant.apiUrl}/v1/auth/signup`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tenant.publishableKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, first_name: 'Ada', last_name: 'Lovelace' }),
  });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`signup: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.member.id, email, password };
}

/** The Checkout Session id in a hosted checkout URL of the double (`…/checkout/cs_…`). */
export function checkoutSessionId(url: string): string {
  const id = new URL(url).pathname.split('/').filter(Boolean).pop();
  if (!id) throw new Error(`no session id in ${url}`);
  return id;
}

/** Pays a Checkout Session as the double's hosted page does, then waits for its webhooks to be applied. */
export function completeCheckout(
  sessionId: string,
  paymentMethod?: 'pm_card_visa' | 'pm_card_chargeDeclined',
): Promise<{ id: string; status: string; success_url: string | null }> {
  return billing('completeCheckout', { sessionId, ...(paymentMethod ? { paymentMethod } : {}) });
}

/** Moves the Stripe double's clock (renewals, trial ends), then waits for the webhooks it caused. */
export function advanceStripeTime(seconds: number): Promise<{ now: string }> {
  return billing('advanceTime', { seconds });
}

/** GETs a URL from Node (pages of the Stripe double, which sends no CORS headers): status and content type. */
export function fetchFromNode(url: string): Promise<{ status: number; contentType: string }> {
  return billing('fetch', { url });
}

/** Waits until webhooks under way are delivered and applied. */
export function settleBilling(): Promise<unknown> {
  return billing('settle');
}

/** Signs a member in through the billing API; returns their access token. */
export async function memberToken(tenant: TestTenant, member: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${tenant.apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tenant.publishableKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: member.email, password: member.password }),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`login: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token as string;
}

/**
 * Subscribes a member to a tier as they would through the widgets: a checkout with the
 * member's token, paid on the double, its webhooks applied.
 */
export async function subscribe(
  tenant: TestTenant,
  member: { email: string; password: string },
  tierId: string,
  interval: 'month' | 'year' = 'month',
): Promise<void> {
  const token = await memberToken(tenant, member);
  const here = location.href.split('#')[0];
  const checkout = await billingApi(
    tenant,
    'POST',
    '/v1/me/billing/checkout',
    { tier_id: tierId, interval, success_url: here, cancel_url: here },
    token,
  );
  if (checkout.status !== 201 && checkout.status !== 200)
    throw new Error(`checkout: ${checkout.status} ${JSON.stringify(checkout.body)}`);
  await completeCheckout(checkoutSessionId(checkout.body.url));
}

/** A metered feature priced on a tier: `included` units free each month, then `unitAmount` per unit. */
export async function meterFeature(
  tenant: TestTenant,
  tierId: string,
  feature: { key: string; name: string; unit_label: string },
  included: number,
  unitAmount: number,
): Promise<{ id: string; key: string }> {
  const created = await billingApi(tenant, 'POST', '/v1/billing/features', feature);
  if (created.status !== 201) throw new Error(`feature: ${created.status} ${JSON.stringify(created.body)}`);
  const priced = await billingApi(tenant, 'PUT', `/v1/tiers/${tierId}/metered-prices/${created.body.id}`, {
    interval: 'month',
    included_units: included,
    steps: [{ up_to: null, unit_amount: unitAmount }],
  });
  if (priced.status !== 201) throw new Error(`metered price: ${priced.status} ${JSON.stringify(priced.body)}`);
  return created.body;
}
