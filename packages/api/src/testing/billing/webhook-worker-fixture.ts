import type { SQL } from 'drizzle-orm';
import type Stripe from 'stripe';
import { executeRows } from '../../db/database.js';
import { createManualClock } from '../../lib/clock.js';
import { drainStripeEvents } from '../../maintenance/billing-webhook-worker.js';
import { startStripeDouble, type StripeDouble } from '../../stripe-double/double.js';
import { billingCustomers } from '../../db/schema/index.js';
import { tenantStripe } from '../../billing/stripe-account.js';
import { connectTestBilling, type TestBillingOptions } from '../billing.js';
import { createTestContext, type TestContext, type TestTenant } from '../harness.js';
import type { BillingServiceDeps } from '../../billing/billing-deps.js';

/** Test-only: a tenant connected to the Stripe test double, with paid tiers and helpers to subscribe members. */
export interface BillingFixture {
  t: TestContext;
  stripe: StripeDouble;
  clock: ReturnType<typeof createManualClock>;
  deps: BillingServiceDeps;
  tenants: FixtureTenant[];
  /** Applies the inbox of the fixture's tenants. */
  drain(): Promise<void>;
  /** Rows of a raw query in a tenant's scope. */
  rows<T extends Record<string, unknown>>(tenantId: string, query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export interface FixtureTenant {
  tenant: TestTenant;
  account: string;
  gold: { tierId: string; priceId: string };
  platinum: { tierId: string; priceId: string };
  freeTierId: string;
  opts: Stripe.RequestOptions;
  /** The tenant's Stripe client (its account) and the options every call takes. */
  sdk: Stripe;
  /** A member (signed up, so they have a mail locale) with a Stripe customer and a default card. */
  member(options?: {
    locale?: string;
    card?: string;
  }): Promise<{ id: string; email: string; customer: string; pm: string }>;
  /** Subscribes the member to a price, as our checkout would (metadata names member and tier). */
  subscribe(
    member: { id: string; customer: string; pm: string },
    price: { tierId: string; priceId: string },
  ): Promise<Stripe.Subscription>;
}

/** Starts the double and the app on one manual clock and connects `count` tenants (Connect mode by default). */
export async function startBillingFixture(
  options: { tenants?: number; billing?: TestBillingOptions; serverUrl?: string } = {},
): Promise<BillingFixture> {
  const clock = createManualClock(new Date('2026-03-02T10:00:00Z'));
  const stripe = await startStripeDouble({ clock });
  const t = await createTestContext({
    clock,
    billing: stripe.billingDeps(),
    ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
  });
  stripe.webhooks.deliverTo((req) => t.app.request(req));
  const deps: BillingServiceDeps = { ...t.deps, billing: t.deps.billing! };
  const tenants: FixtureTenant[] = [];
  for (let i = 0; i < (options.tenants ?? 1); i++) tenants.push(await setUpTenant(t, stripe, clock, options.billing));
  return {
    t,
    stripe,
    clock,
    deps,
    tenants,
    drain: () => drainStripeEvents(deps, { onlyTenants: tenants.map((x) => x.tenant.id) }),
    rows: (tenantId, query) => t.db.withTenant(tenantId, (tx) => executeRows(tx.execute(query))),
    async close() {
      await t.close();
      await stripe.close();
    },
  };
}

async function setUpTenant(
  t: TestContext,
  stripe: StripeDouble,
  clock: ReturnType<typeof createManualClock>,
  billing: TestBillingOptions = {},
): Promise<FixtureTenant> {
  const tenant = await t.createTenant();
  const key = tenant.secret_key;
  const tier = async (name: string, interval: string, amount: number) => {
    const res = await t.request('POST', '/v1/tiers', {
      key,
      body: interval === 'free' ? { name, interval } : { name, interval, price: { amount, currency: 'eur' } },
    });
    if (res.status !== 201) throw new Error(`tier: ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const freeTierId = await tier('Friends', 'free', 0);
  const goldTier = await tier('Gold', 'month', 1500);
  const platinumTier = await tier('Platinum', 'month', 4000);
  const account = await connectTestBilling(t, tenant, stripe, billing);
  // The tenant's own way into Stripe (Connect: the platform key for the account; direct: its key).
  const reach = await tenantStripe({ ...t.deps, billing: t.deps.billing! }, tenant.id);
  const opts = reach.requestOptions();
  const sdk = reach.stripe;
  const price = async (tierId: string, amount: number) => {
    const product = await sdk.products.create({ name: tierId, metadata: { memberkit_tier_id: tierId } }, opts);
    const created = await sdk.prices.create(
      {
        product: product.id,
        unit_amount: amount,
        currency: 'eur',
        recurring: { interval: 'month' },
        metadata: { memberkit_tier_id: tierId },
      },
      opts,
    );
    return { tierId, priceId: created.id };
  };
  const gold = await price(goldTier, 1500);
  const platinum = await price(platinumTier, 4000);
  return {
    tenant,
    account,
    gold,
    platinum,
    freeTierId,
    opts,
    sdk,
    async member(options = {}) {
      const session = await t.signUpMember(tenant);
      if (options.locale) {
        const res = await t.request('PATCH', '/v1/me', { key: session.access_token, body: { locale: options.locale } });
        if (res.status !== 200) throw new Error(`locale: ${res.status} ${res.text}`);
      }
      const me = await t.request('GET', '/v1/me', { key: session.access_token });
      const id = me.body.id as string;
      const customer = await sdk.customers.create(
        { email: session.email, metadata: { memberkit_tenant_id: tenant.id, memberkit_member_id: id } },
        opts,
      );
      const pm = await sdk.paymentMethods.attach(options.card ?? 'pm_card_visa', { customer: customer.id }, opts);
      await sdk.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } }, opts);
      // As ensureCustomer (billing/customers.ts) stores it at the member's first checkout.
      await t.db.withTenant(tenant.id, (tx) =>
        tx.insert(billingCustomers).values({ tenantId: tenant.id, memberId: id, stripeCustomerId: customer.id }),
      );
      clock.advance(1000);
      return { id, email: session.email, customer: customer.id, pm: pm.id };
    },
    async subscribe(member, plan) {
      const sub = await sdk.subscriptions.create(
        {
          customer: member.customer,
          items: [{ price: plan.priceId }],
          default_payment_method: member.pm,
          metadata: { memberkit_tenant_id: tenant.id, memberkit_member_id: member.id, memberkit_tier_id: plan.tierId },
        },
        opts,
      );
      clock.advance(1000);
      return sub;
    },
  };
}
