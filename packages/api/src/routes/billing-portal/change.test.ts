import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/index.js';
import { startPortalWorld, type PortalWorld } from '../../testing/billing/portal-test-world.js';

let w: PortalWorld;
beforeAll(async () => {
  w = await startPortalWorld();
});
afterAll(() => w.close());

/** A tenant with two monthly tiers and a member subscribed to the cheaper one, ten days into the period. */
async function subscribedMember(options: { allowCancelNow?: boolean } = {}) {
  const tenant = await w.tenant(options);
  const supporter = await w.tier(tenant, 'Supporter', { month: 1500, year: 15000 });
  const patron = await w.tier(tenant, 'Patron', { month: 4000 });
  const member = await w.t.signUpMember(tenant);
  await w.subscribe(tenant, member, supporter);
  await w.stripe.advanceTime(10 * 86_400);
  await w.sync(tenant, member.member.id);
  member.access_token = await w.signIn(tenant, member);
  return { tenant, supporter, patron, member };
}

describe('POST /v1/me/billing/preview and /change', () => {
  it('charges on upgrade exactly the amount the preview showed', async () => {
    const { tenant, patron, member } = await subscribedMember();
    const preview = await w.t.request('POST', '/v1/me/billing/preview', {
      key: member.access_token,
      body: { tier_id: patron, interval: 'month' },
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ object: 'billing_preview', currency: 'eur' });
    expect(preview.body.id).toMatch(/^bprev_/);
    expect(preview.body.proration_date).toBe(
      w.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, '.000Z'),
    );
    expect(Date.parse(preview.body.expires_at) - w.clock.now().getTime()).toBe(10 * 60_000);
    // Credit for the unused Supporter time, charge for the remaining Patron time: more than 0, less than a month of Patron.
    expect(preview.body.amount_due).toBeGreaterThan(0);
    expect(preview.body.amount_due).toBeLessThan(4000);
    expect(preview.body.lines.some((l: { proration: boolean; amount: number }) => l.proration && l.amount < 0)).toBe(
      true,
    );

    // Time passes within the preview's life: the amount must not drift.
    w.clock.advance(5 * 60_000);
    const changed = await w.t.request('POST', '/v1/me/billing/change', {
      key: member.access_token,
      body: { preview_id: preview.body.id },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.subscription).toMatchObject({ tier_id: patron, tier_name: 'Patron', amount: 4000 });

    const opts = w.account(tenant.accountId);
    const client = w.stripe.client();
    const customer = (await w.customerOf(tenant, member.member.id))!;
    const [sub] = (await client.subscriptions.list({ customer }, opts)).data;
    const invoice = await client.invoices.retrieve(sub!.latest_invoice as string, {}, opts);
    expect(invoice.status).toBe('paid');
    expect(invoice.amount_paid).toBe(preview.body.amount_due);

    const me = await w.t.request('GET', '/v1/me', { key: member.access_token });
    expect(me.body.tier_id).toBe(patron);

    // A preview is confirmed once.
    const twice = await w.t.request('POST', '/v1/me/billing/change', {
      key: member.access_token,
      body: { preview_id: preview.body.id },
    });
    expectProblem(twice, 409, 'PREVIEW_ALREADY_CONFIRMED');
  });

  it("swaps the metered features: the old tier's come off, the new tier's go on, and the preview still equals the charge", async () => {
    const tenant = await w.tenant();
    const supporter = await w.tier(tenant, 'Supporter', { month: 1500 });
    const patron = await w.tier(tenant, 'Patron', { month: 4000 });
    const meter = async (key: string, tier: string) => {
      const feature = await w.t.request('POST', '/v1/billing/features', {
        key: tenant.secret_key,
        body: { key, name: key },
      });
      const priced = await w.t.request('PUT', `/v1/tiers/${tier}/metered-prices/${feature.body.id}`, {
        key: tenant.secret_key,
        body: { interval: 'month', included_units: 0, steps: [{ up_to: null, unit_amount: 200 }] },
      });
      expect(priced.status, priced.text).toBe(201);
      return priced.body.stripe_price_id as string;
    };
    const deskHours = await meter('desk_hours', supporter);
    const guestPasses = await meter('guest_passes', patron);
    const member = await w.t.signUpMember(tenant);
    await w.subscribe(tenant, member, supporter);
    await w.stripe.advanceTime(10 * 86_400);
    await w.sync(tenant, member.member.id);
    member.access_token = await w.signIn(tenant, member);

    const opts = w.account(tenant.accountId);
    const client = w.stripe.client();
    const customer = (await w.customerOf(tenant, member.member.id))!;
    const meteredOf = async () =>
      (await client.subscriptions.list({ customer }, opts)).data[0]!.items.data.filter(
        (item) => item.price.recurring?.usage_type === 'metered',
      ).map((item) => item.price.id);
    expect(await meteredOf()).toEqual([deskHours]);

    const preview = await w.t.request('POST', '/v1/me/billing/preview', {
      key: member.access_token,
      body: { tier_id: patron, interval: 'month' },
    });
    expect(preview.status, preview.text).toBe(200);
    const changed = await w.t.request('POST', '/v1/me/billing/change', {
      key: member.access_token,
      body: { preview_id: preview.body.id },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(await meteredOf()).toEqual([guestPasses]);
    const [sub] = (await client.subscriptions.list({ customer }, opts)).data;
    const invoice = await client.invoices.retrieve(sub!.latest_invoice as string, {}, opts);
    expect(invoice.amount_paid).toBe(preview.body.amount_due);
  });

  it('refuses an expired preview (410), another member’s preview (404), the current plan and unknown tiers (422)', async () => {
    const { tenant, supporter, patron, member } = await subscribedMember();
    const other = await w.t.signUpMember(tenant);
    const preview = await w.t.request('POST', '/v1/me/billing/preview', {
      key: member.access_token,
      body: { tier_id: patron, interval: 'month' },
    });
    expect(preview.status).toBe(200);

    const stolen = await w.t.request('POST', '/v1/me/billing/change', {
      key: other.access_token,
      body: { preview_id: preview.body.id },
    });
    expectProblem(stolen, 404, 'PREVIEW_NOT_FOUND');
    expectProblem(
      await w.t.request('POST', '/v1/me/billing/change', {
        key: member.access_token,
        body: { preview_id: 'bprev_01jdx3v4k7m9q2w8e5r6t0y1zc' },
      }),
      404,
      'PREVIEW_NOT_FOUND',
    );

    w.clock.advance(10 * 60_000 + 1000);
    member.access_token = await w.signIn(tenant, member);
    const late = await w.t.request('POST', '/v1/me/billing/change', {
      key: member.access_token,
      body: { preview_id: preview.body.id },
    });
    expectProblem(late, 410, 'PREVIEW_EXPIRED');
    const billing = await w.t.request('GET', '/v1/me/billing', { key: member.access_token });
    expect(billing.body.subscription.tier_id).toBe(supporter);

    expectProblem(
      await w.t.request('POST', '/v1/me/billing/preview', {
        key: member.access_token,
        body: { tier_id: supporter, interval: 'month' },
      }),
      422,
      'PLAN_UNCHANGED',
    );
    expectProblem(
      await w.t.request('POST', '/v1/me/billing/preview', {
        key: member.access_token,
        body: { tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc', interval: 'month' },
      }),
      422,
      'TIER_NOT_AVAILABLE',
    );
    expectProblem(
      await w.t.request('POST', '/v1/me/billing/preview', {
        key: member.access_token,
        body: { tier_id: patron, interval: 'year' },
      }),
      422,
      'PRICE_NOT_FOUND',
    );
    // A member without a subscription has nothing to change.
    expectProblem(
      await w.t.request('POST', '/v1/me/billing/preview', {
        key: other.access_token,
        body: { tier_id: patron, interval: 'month' },
      }),
      409,
      'NO_SUBSCRIPTION',
    );
  });

  it('applies a preview confirmed twice at the same moment once: one change, one charge', async () => {
    const { tenant, patron, member } = await subscribedMember();
    const preview = await w.t.request('POST', '/v1/me/billing/preview', {
      key: member.access_token,
      body: { tier_id: patron, interval: 'month' },
    });
    const confirm = () =>
      w.t.request('POST', '/v1/me/billing/change', { key: member.access_token, body: { preview_id: preview.body.id } });
    const results = await Promise.all([confirm(), confirm()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const customer = (await w.customerOf(tenant, member.member.id))!;
    const invoices = await w.stripe.client().invoices.list({ customer }, w.account(tenant.accountId));
    const prorations = invoices.data.filter((i) => i.billing_reason === 'subscription_update');
    expect(prorations).toHaveLength(1);
    expect(prorations[0]!.amount_paid).toBe(preview.body.amount_due);
  });
});

describe('POST /v1/me/billing/cancel and /resume', () => {
  it('cancels at period end with a reason, keeps the plan, and resumes', async () => {
    const { tenant, supporter, member } = await subscribedMember();
    const canceled = await w.t.request('POST', '/v1/me/billing/cancel', {
      key: member.access_token,
      body: { reason: 'too_expensive', comment: 'Moving abroad.' },
    });
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body.subscription).toMatchObject({
      status: 'active',
      tier_id: supporter,
      cancel_at_period_end: true,
    });
    expect(canceled.body.upcoming_invoice).toBeNull();
    const customer = (await w.customerOf(tenant, member.member.id))!;
    const opts = w.account(tenant.accountId);
    const [sub] = (await w.stripe.client().subscriptions.list({ customer }, opts)).data;
    expect(sub!.cancel_at_period_end).toBe(true);
    expect(sub!.cancellation_details).toMatchObject({ feedback: 'too_expensive', comment: 'Moving abroad.' });

    const resumed = await w.t.request('POST', '/v1/me/billing/resume', { key: member.access_token });
    expect(resumed.status).toBe(200);
    expect(resumed.body.subscription.cancel_at_period_end).toBe(false);
    expect(resumed.body.upcoming_invoice).toMatchObject({ amount_due: 1500 });
  });

  it('cancels now only where the tenant allows it', async () => {
    const refused = await subscribedMember();
    const res = await w.t.request('POST', '/v1/me/billing/cancel', {
      key: refused.member.access_token,
      body: { at_period_end: false },
    });
    expectProblem(res, 403, 'CANCEL_NOW_NOT_ALLOWED');

    const allowed = await subscribedMember({ allowCancelNow: true });
    const now = await w.t.request('POST', '/v1/me/billing/cancel', {
      key: allowed.member.access_token,
      body: { at_period_end: false, reason: 'unused' },
    });
    expect(now.status, now.text).toBe(200);
    expect(now.body.subscription).toBeNull();
    expect(now.body.allow_cancel_now).toBe(true);
    expectProblem(
      await w.t.request('POST', '/v1/me/billing/resume', { key: allowed.member.access_token }),
      409,
      'NO_SUBSCRIPTION',
    );
  });
});
