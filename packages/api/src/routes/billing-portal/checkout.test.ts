import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/index.js';
import {
  RETURN,
  SITE,
  sessionIdOf,
  startPortalWorld,
  type PortalWorld,
} from '../../testing/billing/portal-test-world.js';

let w: PortalWorld;
beforeAll(async () => {
  w = await startPortalWorld();
});
afterAll(() => w.close());

describe('POST /v1/me/billing/checkout', () => {
  it('opens a Checkout Session on the double; paying it shows the plan in GET /v1/me/billing', async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Supporter', { month: 1500, year: 15000 }, { trial_days: 0 });
    const member = await w.t.signUpMember(tenant);

    const before = await w.t.request('GET', '/v1/me/billing', { key: member.access_token });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ object: 'member_billing', subscription: null, customer: false });

    const res = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: tier, interval: 'year', ...RETURN },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ object: 'checkout', tier_id: tier });
    expect(res.body.id).toMatch(/^bchk_/);
    expect(res.body.url.startsWith(w.stripe.url)).toBe(true);
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(w.clock.now().getTime());

    // The session names the member and the tier, for webhooks and reconciliation.
    const sessionId = sessionIdOf(res.body.url);
    const session = await w.stripe.client().checkout.sessions.retrieve(sessionId, {}, w.account(tenant.accountId));
    expect(session.mode).toBe('subscription');
    expect(session.client_reference_id).toBe(member.member.id);
    expect(session.metadata).toMatchObject({
      memberkit_tenant_id: tenant.id,
      memberkit_member_id: member.member.id,
      memberkit_tier_id: tier,
    });
    expect(session.success_url).toBe(RETURN.success_url);

    await w.stripe.completeCheckout(sessionId);
    await w.sync(tenant, member.member.id);

    const after = await w.t.request('GET', '/v1/me/billing', { key: member.access_token });
    expect(after.status).toBe(200);
    expect(after.body.customer).toBe(true);
    expect(after.body.subscription).toMatchObject({
      status: 'active',
      tier_id: tier,
      tier_name: 'Supporter',
      interval: 'year',
      amount: 15000,
      currency: 'eur',
      cancel_at_period_end: false,
    });
    expect(after.body.default_payment_method).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(after.body.upcoming_invoice).toMatchObject({ amount_due: 15000, currency: 'eur' });
    const me = await w.t.request('GET', '/v1/me', { key: member.access_token });
    expect(me.body.tier_id).toBe(tier);

    // Subscribed: a second checkout is refused, the member changes plan instead.
    const again = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: tier, interval: 'month', ...RETURN },
    });
    expectProblem(again, 409, 'SUBSCRIPTION_EXISTS');
  });

  it("puts the tier's metered features on the subscription beside its price", async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Coworking', { month: 2000 }, { trial_days: 0 });
    const feature = await w.t.request('POST', '/v1/billing/features', {
      key: tenant.secret_key,
      body: { key: 'desk_hours', name: 'Desk hours', unit_label: 'hour' },
    });
    expect(feature.status, feature.text).toBe(201);
    const priced = await w.t.request('PUT', `/v1/tiers/${tier}/metered-prices/${feature.body.id}`, {
      key: tenant.secret_key,
      body: { interval: 'month', included_units: 10, steps: [{ up_to: null, unit_amount: 300 }] },
    });
    expect(priced.status, priced.text).toBe(201);
    const member = await w.t.signUpMember(tenant);

    const res = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: tier, interval: 'month', ...RETURN },
    });
    expect(res.status, res.text).toBe(200);
    await w.stripe.completeCheckout(sessionIdOf(res.body.url));
    await w.sync(tenant, member.member.id);

    const client = w.stripe.client();
    const [subscription] = (await client.subscriptions.list({ status: 'all' }, w.account(tenant.accountId))).data;
    expect(subscription!.items.data).toHaveLength(2);
    const metered = subscription!.items.data.find((item) => item.price.recurring?.usage_type === 'metered');
    expect(metered?.price.id).toBe(priced.body.stripe_price_id);
    // The member's plan is the tier's price, not the metered line.
    const billing = await w.t.request('GET', '/v1/me/billing', { key: member.access_token });
    expect(billing.body.subscription).toMatchObject({ tier_id: tier, amount: 2000, interval: 'month' });
  });

  it("starts the tier's trial and creates one Stripe customer per member", async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Trial club', { month: 900 }, { trial_days: 14 });
    const member = await w.t.signUpMember(tenant);
    for (let i = 0; i < 2; i++) {
      const res = await w.t.request('POST', '/v1/me/billing/checkout', {
        key: member.access_token,
        body: { tier_id: tier, interval: 'month', ...RETURN },
      });
      expect(res.status, res.text).toBe(200);
    }
    expect((await w.stripeCounts(tenant.accountId)).customers).toBe(1);
    const sessions = await w.stripe.client().checkout.sessions.list({}, w.account(tenant.accountId));
    const session = sessions.data[0]!;
    await w.stripe.completeCheckout(session.id);
    await w.sync(tenant, member.member.id);
    const billing = await w.t.request('GET', '/v1/me/billing', { key: member.access_token });
    expect(billing.body.subscription.status).toBe('trialing');
    expect(Date.parse(billing.body.subscription.trial_end)).toBe(w.clock.now().getTime() + 14 * 86_400_000);
  });

  it('replays a retried request with the same Idempotency-Key: one checkout, one session', async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    const member = await w.t.signUpMember(tenant);
    const send = () =>
      w.t.request('POST', '/v1/me/billing/checkout', {
        key: member.access_token,
        body: { tier_id: tier, interval: 'month', ...RETURN },
        headers: { 'Idempotency-Key': 'checkout-attempt-1' },
      });
    const first = await send();
    const retry = await send();
    expect(first.status, first.text).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await w.stripeCounts(tenant.accountId)).sessions).toBe(1);
  });

  it('joins a free tier at once, with nothing in Stripe', async () => {
    const tenant = await w.tenant();
    const free = await w.t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: { name: 'Friend', interval: 'free' },
    });
    const member = await w.t.signUpMember(tenant);
    const res = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: free.body.id, interval: 'month', ...RETURN },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ object: 'checkout', id: null, url: null, expires_at: null, tier_id: free.body.id });
    const me = await w.t.request('GET', '/v1/me', { key: member.access_token });
    expect(me.body.tier_id).toBe(free.body.id);
    expect(await w.stripeCounts(tenant.accountId)).toEqual({ customers: 0, sessions: 0, subscriptions: 0 });
  });

  it('continues a sign-up with a paid tier to checkout', async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Patron', { month: 2500 });
    const signup = await w.t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: {
        email: 'paid@example.org',
        password: 'analytical-engine-1843',
        first_name: 'Ada',
        last_name: 'L',
        tier_id: tier,
      },
    });
    expect(signup.status).toBe(202);
    expect(signup.body.next).toEqual({ action: 'checkout', tier_id: tier, interval: 'month' });
    const token = await w.t.mailToken(tenant.id, 'verify_email', 'paid@example.org');
    const session = await w.t.request('POST', '/v1/auth/verify-email', {
      key: tenant.publishable_key,
      body: { token },
    });
    expect(session.body.member.tier_id).toBeNull();
    const { next } = signup.body;
    const checkout = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: session.body.access_token,
      body: { tier_id: next.tier_id, interval: next.interval, ...RETURN },
    });
    expect(checkout.status).toBe(200);
    await w.stripe.completeCheckout(sessionIdOf(checkout.body.url));
    await w.sync(tenant, session.body.member.id);
    const me = await w.t.request('GET', '/v1/me', { key: session.body.access_token });
    expect(me.body.tier_id).toBe(tier);
  });

  describe('refuses bad input with a clear 4xx and creates nothing in Stripe', () => {
    it('unknown tier, unknown interval, a tier without a price or without one for the interval, a foreign return page', async () => {
      const tenant = await w.tenant();
      const monthly = await w.tier(tenant, 'Monthly only', { month: 1500 });
      const unpriced = await w.tier(tenant, 'No price', {});
      const member = await w.t.signUpMember(tenant);
      const checkout = (body: Record<string, unknown>) =>
        w.t.request('POST', '/v1/me/billing/checkout', {
          key: member.access_token,
          body: { tier_id: monthly, interval: 'month', ...RETURN, ...body },
        });

      let problem = expectProblem(
        await checkout({ tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
        422,
        'TIER_NOT_AVAILABLE',
      );
      expect(problem.errors?.[0]?.field).toBe('tier_id');
      problem = expectProblem(await checkout({ interval: 'week' }), 422, 'VALIDATION_FAILED');
      expect(problem.errors?.[0]?.field).toContain('interval');
      expectProblem(await checkout({ tier_id: unpriced }), 422, 'TIER_NOT_FOR_SALE');
      problem = expectProblem(await checkout({ interval: 'year' }), 422, 'PRICE_NOT_FOUND');
      expect(problem.detail).toContain('month');
      problem = expectProblem(
        await checkout({ success_url: 'https://evil.example/steal' }),
        422,
        'REDIRECT_URL_NOT_ALLOWED',
      );
      expect(problem.errors).toEqual([{ field: 'success_url', message: expect.stringContaining('evil.example') }]);
      expectProblem(await checkout({ cancel_url: `https://user@${SITE.slice(8)}/x` }), 422, 'REDIRECT_URL_NOT_ALLOWED');
      expectProblem(await checkout({ cancel_url: 'javascript:alert(1)' }), 422, 'REDIRECT_URL_NOT_ALLOWED');

      expect(await w.stripeCounts(tenant.accountId)).toEqual({ customers: 0, sessions: 0, subscriptions: 0 });
    });

    it('a promotion code that does not exist or does not apply to the tier', async () => {
      const tenant = await w.tenant();
      const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
      const other = await w.tier(tenant, 'Other', { month: 3000 });
      const member = await w.t.signUpMember(tenant);
      const client = w.stripe.client();
      const opts = w.account(tenant.accountId);
      // Create the other tier's product in Stripe (its first checkout syncs it) to limit a coupon to it.
      const opened = await w.t.request('POST', '/v1/me/billing/checkout', {
        key: (await w.t.signUpMember(tenant)).access_token,
        body: { tier_id: other, interval: 'month', ...RETURN },
      });
      expect(opened.status).toBe(200);
      const otherSession = await client.checkout.sessions.retrieve(sessionIdOf(opened.body.url), {}, opts);
      const otherPrice = await client.prices.retrieve(
        (await client.checkout.sessions.listLineItems(otherSession.id, {}, opts)).data[0]!.price!.id,
        {},
        opts,
      );
      const coupon = await client.coupons.create(
        { percent_off: 20, duration: 'once', applies_to: { products: [otherPrice.product as string] } },
        opts,
      );
      await client.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'OTHERONLY' }, opts);
      const before = await w.stripeCounts(tenant.accountId);

      for (const code of ['NOSUCHCODE', 'OTHERONLY']) {
        const res = await w.t.request('POST', '/v1/me/billing/checkout', {
          key: member.access_token,
          body: { tier_id: tier, interval: 'month', promotion_code: code, ...RETURN },
        });
        const problem = expectProblem(res, 422, 'PROMOTION_CODE_INVALID');
        expect(problem.errors?.[0]?.field).toBe('promotion_code');
      }
      expect(await w.stripeCounts(tenant.accountId)).toEqual(before);
    });
  });

  it('applies a promotion code that fits', async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    const member = await w.t.signUpMember(tenant);
    const opts = w.account(tenant.accountId);
    const coupon = await w.stripe.client().coupons.create({ percent_off: 20, duration: 'forever' }, opts);
    const promo = await w.stripe
      .client()
      .promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'WELCOME20' }, opts);
    const res = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: tier, interval: 'month', promotion_code: 'WELCOME20', ...RETURN },
    });
    expect(res.status, res.text).toBe(200);
    const session = await w.stripe.client().checkout.sessions.retrieve(sessionIdOf(res.body.url), {}, opts);
    expect(session.discounts?.[0]?.promotion_code).toBe(promo.id);
  });

  it('refuses a promotion code where the tenant takes none, and offers no code field', async () => {
    const tenant = await w.tenant({ allowPromotionCodes: false });
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    const member = await w.t.signUpMember(tenant);
    const body = { tier_id: tier, interval: 'month', ...RETURN };
    const refused = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { ...body, promotion_code: 'WELCOME20' },
    });
    expectProblem(refused, 422, 'PROMOTION_CODE_INVALID');
    const res = await w.t.request('POST', '/v1/me/billing/checkout', { key: member.access_token, body });
    expect(res.status, res.text).toBe(200);
    const session = await w.stripe
      .client()
      .checkout.sessions.retrieve(sessionIdOf(res.body.url), {}, w.account(tenant.accountId));
    expect(session.allow_promotion_codes).not.toBe(true);
  });

  it('answers 409 when the tenant has not set billing up', async () => {
    const tenant = await w.t.createTenant();
    const member = await w.t.signUpMember(tenant);
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    await w.t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { allowed_origins: [SITE] } });
    const res = await w.t.request('POST', '/v1/me/billing/checkout', {
      key: member.access_token,
      body: { tier_id: tier, interval: 'month', ...RETURN },
    });
    expectProblem(res, 409, 'BILLING_NOT_CONFIGURED');
  });
});
