/**
 * Billing on the real API for the admin elements' browser tests: the test runner's
 * `mk-billing` commands (scripts/memberkit-api-plugin.mjs) run a second API whose Stripe
 * is the Stripe test double. Here: a tenant with billing connected, a paid tier, a member
 * who paid for it through Checkout, and staff sessions on that API.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { ApiAnswer, TestStaff, TestTenant } from './support.js';

/** Sends a billing command; while the billing API starts, the plugin answers `{ starting: true }`: ask again. */
async function billing<T>(command: string, payload: unknown = {}): Promise<T> {
  for (let i = 0; i < 30; i++) {
    const answer = await executeServerCommand<T | { starting: true }, unknown>('mk-billing', { command, payload });
    if (!(answer && typeof answer === 'object' && 'starting' in answer)) return answer as T;
  }
  throw new Error('the billing API did not start');
}

/** A tenant with Stripe billing connected (Connect, onboarded) on the billing API. */
export function createBillingTenant(): Promise<TestTenant> {
  return billing<TestTenant>('tenant', { origin: location.origin });
}

/** A request to the billing API from Node, with the tenant's secret key unless another key is given. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON's fields straight off it (see ApiAnswer)
export function billingRequest<T = any>(
  tenant: TestTenant,
  method: string,
  path: string,
  body?: unknown,
  key = tenant.secretKey,
): Promise<ApiAnswer<T>> {
  return billing<ApiAnswer<T>>('request', { method, path, key, body });
}

// biome-ignore lint/suspicious/noExplicitAny: the reason given at billingRequest
async function ok<T = any>(answer: Promise<ApiAnswer<T>>, what: string): Promise<T> {
  const res = await answer;
  if (res.status < 200 || res.status > 299) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A monthly paid tier; returns its id. */
export async function createPaidTier(tenant: TestTenant, name: string, amount: number): Promise<string> {
  const tier = await ok<{ id: string }>(
    billingRequest(tenant, 'POST', '/v1/tiers', { name, interval: 'month', price: { amount, currency: 'eur' } }),
    'tier',
  );
  return tier.id;
}

let counter = 0;

/**
 * A member who signs up and pays for `tierId` monthly through Checkout on the Stripe
 * double (webhooks applied): the subscription and the first paid invoice exist after.
 */
export async function createPayingMember(
  tenant: TestTenant,
  tierId: string,
  name: { first: string; last: string },
): Promise<{ id: string; email: string }> {
  counter += 1;
  const email = `payer-${Date.now().toString(36)}-${counter}@example.org`;
  const signup = await fetch(`${tenant.apiUrl}/v1/auth/signup`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tenant.publishableKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email,
      password: 'correct horse battery staple',
      first_name: name.first,
      last_name: name.last,
    }),
  });
  const signed = await signup.json();
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signed)}`);
  const here = location.href.split('#')[0]!;
  const checkout = await ok<{ url: string }>(
    billingRequest(
      tenant,
      'POST',
      '/v1/me/billing/checkout',
      { tier_id: tierId, interval: 'month', success_url: here, cancel_url: here },
      signed.access_token,
    ),
    'checkout',
  );
  const sessionId = new URL(checkout.url).pathname.split('/').filter(Boolean).pop();
  await billing('completeCheckout', { sessionId });
  // Stripe's webhooks delivered and applied, as a running server's worker would.
  await billing('settle');
  return { id: signed.member.id, email };
}

/**
 * A signed-in staff user of the billing tenant, from the billing harness's `staff`
 * command (`{ tenantId, secretKey, publishableKey, role }` → the harness's `signInStaff`: invited,
 * accepted through the mailed token, signed in): the billing API has no mail catcher
 * the page could read an invitation from.
 */
export async function createBillingStaff(tenant: TestTenant, role: 'admin' | 'manager'): Promise<TestStaff> {
  const staff = await billing<{ id: string; email: string; accessToken: string }>('staff', {
    tenantId: tenant.id,
    secretKey: tenant.secretKey,
    publishableKey: tenant.publishableKey,
    role,
  });
  if (!staff.accessToken) throw new Error(`staff command answered without a token: ${JSON.stringify(staff)}`);
  return { id: staff.id, email: staff.email, role, accessToken: staff.accessToken };
}
