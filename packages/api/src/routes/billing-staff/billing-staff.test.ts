import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInvoiceObject } from '../../billing/apply-invoice.js';
import { applySubscriptionObject } from '../../billing/apply-subscription.js';
import {
  connectTestBilling,
  createTestContext,
  expectProblem,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

/**
 * Staff billing through HTTP: subscriptions made in the Stripe test double with
 * its SDK client and applied locally (as the webhook worker would), then listed,
 * refunded and cancelled by staff; complimentary memberships granted and revoked.
 */

let stripe: StripeDouble;
let t: TestContext;
let a: TestTenant;
let b: TestTenant;
let accountA: string;
let tierA: string;
let tierA2: string;
let tierB: string;

beforeAll(async () => {
  stripe = await startStripeDouble();
  t = await createTestContext({ billing: stripe.billingDeps() });
  a = await t.createTenant('Staff billing A');
  b = await t.createTenant('Staff billing B');
  accountA = await connectTestBilling(t, a, stripe);
  await connectTestBilling(t, b, stripe);
  tierA = await createTier(a, 'Supporter');
  tierA2 = await createTier(a, 'Patron');
  tierB = await createTier(b, 'Other');
}, 60_000);
afterAll(async () => {
  await t.close();
  await stripe.close();
});

async function createTier(tenant: TestTenant, name: string): Promise<string> {
  const res = await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: { name, interval: 'free' } });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function createMember(tenant: TestTenant, status = 'active'): Promise<string> {
  const res = await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: {
      email: `m-${Math.random().toString(36).slice(2, 10)}@example.org`,
      first_name: 'Ada',
      last_name: 'B',
      status,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function member(tenant: TestTenant, id: string) {
  return (await t.request('GET', `/v1/members/${id}`, { key: tenant.secret_key })).body as {
    status: string;
    tier_id: string | null;
  };
}

/** The audit entries of `action`, as `{ target_id, diff }`. */
async function auditActions(tenant: TestTenant, action: string): Promise<{ target_id: string; diff: unknown }[]> {
  const res = await t.request('GET', `/v1/audit-log?action=${action}&limit=100`, { key: tenant.secret_key });
  expect(res.status, res.text).toBe(200);
  return res.body.data.map((e: { target: { id: string }; diff: unknown }) => ({
    target_id: e.target.id,
    diff: e.diff,
  }));
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('complimentary memberships', () => {
  it('grants a comp: the member gets the tier, active, nothing charged, audited', async () => {
    const id = await createMember(a, 'inactive');
    const endsAt = inAYear();
    const res = await t.request('POST', `/v1/members/${id}/billing/comp`, {
      key: a.secret_key,
      body: { tier_id: tierA, ends_at: endsAt },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      object: 'subscription',
      kind: 'comp',
      status: 'comp',
      member_id: id,
      tier_id: tierA,
      amount: 0,
      comp_ends_at: endsAt,
      stripe_subscription_id: null,
    });
    expect(res.body.id).toMatch(/^msub_/);
    expect(await member(a, id)).toMatchObject({ status: 'active', tier_id: tierA });

    const billing = await t.request('GET', `/v1/members/${id}/billing`, { key: a.secret_key });
    expect(billing.status).toBe(200);
    expect(billing.body.subscription.id).toBe(res.body.id);
    expect(billing.body.invoices).toEqual([]);

    const listed = await t.request('GET', '/v1/billing/subscriptions?status=comp', { key: a.secret_key });
    expect(listed.body.data.map((s: { id: string }) => s.id)).toContain(res.body.id);
    expect((await auditActions(a, 'billing.comp_granted')).map((e) => e.target_id)).toContain(res.body.id);

    // Revenue sees a comp but no MRR.
    const revenue = await t.request('GET', '/v1/analytics/revenue?interval=day', { key: a.secret_key });
    expect(revenue.body.summary.mrr_amount).toBe(0);
    expect(revenue.body.summary.paying_members).toBe(0);
  });

  it('revokes a comp: the member lapses, a second revoke is 404', async () => {
    const id = await createMember(a);
    const granted = await t.request('POST', `/v1/members/${id}/billing/comp`, {
      key: a.secret_key,
      body: { tier_id: tierA2, ends_at: inAYear() },
    });
    expect(granted.status).toBe(201);
    const again = await t.request('POST', `/v1/members/${id}/billing/comp`, {
      key: a.secret_key,
      body: { tier_id: tierA, ends_at: inAYear() },
    });
    expectProblem(again, 409, 'COMP_EXISTS');

    const res = await t.request('DELETE', `/v1/members/${id}/billing/comp`, { key: a.secret_key });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: granted.body.id, status: 'canceled' });
    expect(res.body.ended_at).not.toBeNull();
    expect(await member(a, id)).toMatchObject({ status: 'inactive' });
    expect((await auditActions(a, 'billing.comp_revoked')).map((e) => e.target_id)).toContain(granted.body.id);
    expectProblem(
      await t.request('DELETE', `/v1/members/${id}/billing/comp`, { key: a.secret_key }),
      404,
      'COMP_NOT_FOUND',
    );
  });

  it('refuses bad comps with nothing changed', async () => {
    const id = await createMember(a, 'inactive');
    const key = a.secret_key;
    const post = (body: unknown) => t.request('POST', `/v1/members/${id}/billing/comp`, { key, body });
    expectProblem(
      await post({ tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc', ends_at: inAYear() }),
      422,
      'COMP_TIER_INVALID',
    );
    expectProblem(await post({ tier_id: tierB, ends_at: inAYear() }), 422, 'COMP_TIER_INVALID');
    expectProblem(await post({ tier_id: tierA, ends_at: '2020-01-01T00:00:00Z' }), 422, 'COMP_ENDS_AT_INVALID');
    expectProblem(await post({ tier_id: tierA, ends_at: '2299-01-01T00:00:00Z' }), 422, 'COMP_ENDS_AT_INVALID');
    expectProblem(await post({ tier_id: tierA, ends_at: 'tomorrow' }), 422);
    expectProblem(await post({ tier_id: tierA }), 422);
    expectProblem(
      await t.request('POST', '/v1/members/mem_01jdx3v4k7m9q2w8e5r6t0y1zc/billing/comp', {
        key,
        body: { tier_id: tierA, ends_at: inAYear() },
      }),
      404,
    );
    expect(await member(a, id)).toMatchObject({ status: 'inactive', tier_id: null });
    const billing = await t.request('GET', `/v1/members/${id}/billing`, { key });
    expect(billing.body.subscriptions).toEqual([]);
  });

  it('keeps tenants apart and needs billing:write', async () => {
    const id = await createMember(a, 'inactive');
    // Tenant B cannot see or touch A's member.
    expectProblem(await t.request('GET', `/v1/members/${id}/billing`, { key: b.secret_key }), 404);
    expectProblem(
      await t.request('POST', `/v1/members/${id}/billing/comp`, {
        key: b.secret_key,
        body: { tier_id: tierB, ends_at: inAYear() },
      }),
      404,
    );
    const viewer = await t.signInStaff(a, 'viewer');
    expectProblem(
      await t.request('POST', `/v1/members/${id}/billing/comp`, {
        key: viewer.access_token,
        body: { tier_id: tierA, ends_at: inAYear() },
      }),
      403,
    );
    // A viewer reads.
    expect((await t.request('GET', `/v1/members/${id}/billing`, { key: viewer.access_token })).status).toBe(200);
    const listB = await t.request('GET', '/v1/billing/subscriptions', { key: b.secret_key });
    expect(listB.status).toBe(200);
    expect(listB.body.data.filter((s: { member_id: string }) => s.member_id === id)).toEqual([]);
    expect(await member(a, id)).toMatchObject({ status: 'inactive', tier_id: null });
  });
});

describe('GET /v1/billing/subscriptions', () => {
  it('pages newest first with filters bound to the cursor', async () => {
    const tenant = await t.createTenant('Paging');
    const tier = await createTier(tenant, 'Gold');
    const other = await createTier(tenant, 'Silver');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await createMember(tenant, 'inactive');
      const res = await t.request('POST', `/v1/members/${id}/billing/comp`, {
        key: tenant.secret_key,
        body: { tier_id: i === 4 ? other : tier, ends_at: inAYear() },
      });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id);
      await new Promise((r) => setTimeout(r, 2)); // ids of one millisecond have no order
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await t.request('GET', `/v1/billing/subscriptions?limit=2&tier_id=${tier}${q}`, {
        key: tenant.secret_key,
      });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.data.map((s: { id: string }) => s.id));
      cursor = res.body.next_cursor;
      if (cursor) {
        const other = await t.request('GET', `/v1/billing/subscriptions?limit=2&cursor=${encodeURIComponent(cursor)}`, {
          key: tenant.secret_key,
        });
        expectProblem(other, 400, 'INVALID_CURSOR');
      }
    } while (cursor);
    expect(seen).toEqual(ids.slice(0, 4).reverse());
    const active = await t.request('GET', '/v1/billing/subscriptions?status=active', { key: tenant.secret_key });
    expect(active.body.data).toEqual([]);
    expectProblem(await t.request('GET', '/v1/billing/subscriptions?status=nope', { key: tenant.secret_key }), 422);
  });
});

// ------------------------------------------------------------------ with Stripe subscriptions

/** A paying member of tenant A: customer, card and subscription in the double, applied locally. */
async function payingMember(amount = 2500): Promise<{ memberId: string; sub: Stripe.Subscription; invoiceId: string }> {
  const memberId = await createMember(a, 'inactive');
  const client = stripe.client();
  const opts = { stripeAccount: accountA };
  const product = await client.products.create({ name: 'Supporter', metadata: { memberkit_tenant_id: a.id } }, opts);
  const price = await client.prices.create(
    {
      product: product.id,
      currency: 'eur',
      unit_amount: amount,
      recurring: { interval: 'month' },
      metadata: { memberkit_tenant_id: a.id, memberkit_tier_id: tierA },
    },
    opts,
  );
  const customer = await client.customers.create(
    { email: `${memberId}@example.org`, metadata: { memberkit_tenant_id: a.id, memberkit_member_id: memberId } },
    opts,
  );
  const pm = await client.paymentMethods.attach('pm_card_visa', { customer: customer.id }, opts);
  await client.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } }, opts);
  const sub = await client.subscriptions.create(
    {
      customer: customer.id,
      items: [{ price: price.id }],
      default_payment_method: pm.id,
      metadata: { memberkit_tenant_id: a.id, memberkit_member_id: memberId, memberkit_tier_id: tierA },
    },
    opts,
  );
  const applied = await applySubscriptionObject(t.deps, a.id, sub, { cause: `test:${sub.id}`, observedAt: new Date() });
  expect(applied?.status).toBe('active');
  const invoiceId = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice!.id;
  const invoice = await client.invoices.retrieve(invoiceId, {}, opts);
  expect(invoice.status).toBe('paid');
  await applyInvoiceObject(t.deps, a.id, invoice, { cause: `test:${invoice.id}`, observedAt: new Date() });
  return { memberId, sub, invoiceId };
}

async function localSubscriptionId(memberId: string): Promise<string> {
  const res = await t.request('GET', `/v1/members/${memberId}/billing`, { key: a.secret_key });
  expect(res.status, res.text).toBe(200);
  return res.body.subscription.id;
}

// Skipped until the Stripe test double serves subscriptions, invoices and refunds (H1's next step).
describe('refunds and cancellations through Stripe', () => {
  it('lists a paying member and shows their invoice', async () => {
    const { memberId, invoiceId } = await payingMember();
    const billing = await t.request('GET', `/v1/members/${memberId}/billing`, { key: a.secret_key });
    expect(billing.body.subscription).toMatchObject({ kind: 'stripe', status: 'active', tier_id: tierA, amount: 2500 });
    expect(billing.body.invoices).toHaveLength(1);
    expect(billing.body.invoices[0]).toMatchObject({ id: invoiceId, amount_paid: 2500, refundable_amount: 2500 });
    const list = await t.request('GET', `/v1/billing/subscriptions?status=active&tier_id=${tierA}`, {
      key: a.secret_key,
    });
    expect(list.body.data.map((s: { member_id: string }) => s.member_id)).toContain(memberId);
  });

  it('refunds in part, then the rest; never more than paid', async () => {
    const { memberId, invoiceId } = await payingMember(2500);
    const url = `/v1/billing/invoices/${invoiceId}/refund`;
    const refunded = async () =>
      (await t.request('GET', '/v1/analytics/revenue?interval=day', { key: a.secret_key })).body.summary.refunds;
    const before = await refunded();
    const viewer = await t.signInStaff(a, 'viewer');
    expectProblem(await t.request('POST', url, { key: viewer.access_token, body: { amount: 100 } }), 403);
    expectProblem(await t.request('POST', url, { key: b.secret_key, body: { amount: 100 } }), 404, 'INVOICE_NOT_FOUND');
    expectProblem(
      await t.request('POST', url, { key: a.secret_key, body: { amount: 2501 } }),
      422,
      'REFUND_EXCEEDS_REFUNDABLE',
    );
    expectProblem(await t.request('POST', url, { key: a.secret_key, body: { amount: 0 } }), 422);

    const part = await t.request('POST', url, {
      key: a.secret_key,
      body: { amount: 1000, reason: 'requested_by_customer' },
    });
    expect(part.status, part.text).toBe(201);
    expect(part.body).toMatchObject({ object: 'refund', invoice_id: invoiceId, member_id: memberId, amount: 1000 });
    expect(part.body.id).toMatch(/^re_/);
    expectProblem(
      await t.request('POST', url, { key: a.secret_key, body: { amount: 1501 } }),
      422,
      'REFUND_EXCEEDS_REFUNDABLE',
    );

    const rest = await t.request('POST', url, { key: a.secret_key, body: {} });
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body.amount).toBe(1500);
    expectProblem(await t.request('POST', url, { key: a.secret_key, body: {} }), 409, 'INVOICE_NOT_REFUNDABLE');

    const billing = await t.request('GET', `/v1/members/${memberId}/billing`, { key: a.secret_key });
    expect(billing.body.invoices[0]).toMatchObject({ amount_refunded: 2500, refundable_amount: 0 });
    expect(billing.body.invoices[0].refunds.map((r: { amount: number }) => r.amount)).toEqual([1000, 1500]);
    // Stripe refunded exactly that.
    const refunds = await stripe.client().refunds.list({ limit: 100 }, { stripeAccount: accountA });
    const ours = refunds.data.filter((r) => r.metadata?.memberkit_invoice_id === invoiceId);
    expect(ours.map((r) => r.amount).sort()).toEqual([1000, 1500]);
    expect((await auditActions(a, 'billing.invoice_refunded')).filter((e) => e.target_id === invoiceId)).toHaveLength(
      2,
    );
    // Revenue analytics counts both refunds.
    expect(await refunded()).toEqual({ count: before.count + 2, amount: before.amount + 2500 });
  });

  it('refunds once for a retried request with the same Idempotency-Key', async () => {
    const { invoiceId } = await payingMember(1800);
    const send = () =>
      t.request('POST', `/v1/billing/invoices/${invoiceId}/refund`, {
        key: a.secret_key,
        body: { amount: 700 },
        headers: { 'Idempotency-Key': `refund-${invoiceId}` },
      });
    const first = await send();
    const second = await send();
    expect(first.status, first.text).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const refunds = await stripe.client().refunds.list({ limit: 100 }, { stripeAccount: accountA });
    expect(refunds.data.filter((r) => r.metadata?.memberkit_invoice_id === invoiceId)).toHaveLength(1);
  });

  it('cancels at period end, then now (the member lapses); tenant B cannot', async () => {
    const { memberId } = await payingMember();
    const id = await localSubscriptionId(memberId);
    const url = `/v1/billing/subscriptions/${id}/cancel`;
    expectProblem(await t.request('POST', url, { key: b.secret_key, body: {} }), 404, 'SUBSCRIPTION_NOT_FOUND');
    const viewer = await t.signInStaff(a, 'viewer');
    expectProblem(await t.request('POST', url, { key: viewer.access_token, body: {} }), 403);

    const later = await t.request('POST', url, { key: a.secret_key, body: { at_period_end: true } });
    expect(later.status, later.text).toBe(200);
    expect(later.body).toMatchObject({ id, status: 'active', cancel_at_period_end: true });
    expect(await member(a, memberId)).toMatchObject({ status: 'active', tier_id: tierA });

    const now = await t.request('POST', url, { key: a.secret_key, body: { at_period_end: false } });
    expect(now.status, now.text).toBe(200);
    expect(now.body.status).toBe('canceled');
    expect(await member(a, memberId)).toMatchObject({ status: 'inactive' });
    expectProblem(
      await t.request('POST', url, { key: a.secret_key, body: { at_period_end: false } }),
      409,
      'SUBSCRIPTION_ENDED',
    );
    expect((await auditActions(a, 'billing.subscription_canceled')).filter((e) => e.target_id === id)).toHaveLength(2);
  });

  it('refuses a comp for a paying member and a cancel of a comp', async () => {
    const { memberId } = await payingMember();
    expectProblem(
      await t.request('POST', `/v1/members/${memberId}/billing/comp`, {
        key: a.secret_key,
        body: { tier_id: tierA2, ends_at: inAYear() },
      }),
      409,
      'MEMBER_HAS_SUBSCRIPTION',
    );
    const compMember = await createMember(a, 'inactive');
    const comp = await t.request('POST', `/v1/members/${compMember}/billing/comp`, {
      key: a.secret_key,
      body: { tier_id: tierA2, ends_at: inAYear() },
    });
    expectProblem(
      await t.request('POST', `/v1/billing/subscriptions/${comp.body.id}/cancel`, { key: a.secret_key, body: {} }),
      409,
      'SUBSCRIPTION_IS_COMP',
    );
  });
});
