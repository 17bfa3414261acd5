import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptions, tenantBilling } from '../db/schema/index.js';
import { runGracePeriod, scanExpiringCards } from './grace-period.js';
import {
  startBillingFixture,
  type BillingFixture,
  type FixtureTenant,
} from '../testing/billing/webhook-worker-fixture.js';

let fx: BillingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const DAY_MS = 24 * 60 * 60 * 1000;

async function member(f: BillingFixture, ten: FixtureTenant, id: string) {
  const res = await f.t.request('GET', `/v1/members/${id}`, { key: ten.tenant.secret_key });
  return res.body as { status: string; tier_id: string | null };
}

/** A Gold subscriber whose renewal charge was declined: past_due, as the webhooks leave it. */
async function pastDueMember(f: BillingFixture, ten: FixtureTenant) {
  const m = await ten.member();
  const sub = await ten.subscribe(m, ten.gold);
  const declined = await ten.sdk.paymentMethods.attach('pm_card_chargeDeclined', { customer: m.customer }, ten.opts);
  await ten.sdk.subscriptions.update(sub.id, { default_payment_method: declined.id }, ten.opts);
  await f.stripe.advanceTime(31 * 24 * 60 * 60);
  await f.drain();
  const [row] = await f.rows<{ status: string }>(
    ten.tenant.id,
    sql`select status from subscriptions where stripe_subscription_id = ${sub.id}`,
  );
  expect(row!.status).toBe('past_due');
  return { ...m, sub };
}

describe('grace period', () => {
  it('keeps a past_due member for the grace period, then lapses them to inactive; a later payment restores them', async () => {
    fx = await startBillingFixture({ billing: { gracePeriodDays: 3 } });
    const f = fx;
    const ten = f.tenants[0]!;
    const only = { onlyTenants: [ten.tenant.id] };
    const m = await pastDueMember(f, ten);
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'active', tier_id: ten.gold.tierId });

    f.clock.advance(2 * DAY_MS);
    expect((await runGracePeriod(f.deps, only)).lapsed).toBe(0);
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'active' });

    f.clock.advance(1.5 * DAY_MS);
    expect((await runGracePeriod(f.deps, only)).lapsed).toBe(1);
    // No lapse tier: inactive, the tier kept for the record.
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'inactive', tier_id: ten.gold.tierId });
    expect((await runGracePeriod(f.deps, only)).lapsed).toBe(0);
    const events = await f.rows<{ type: string; from_value: string; to_value: string; actor_type: string }>(
      ten.tenant.id,
      sql`select type, from_value, to_value, actor_type from member_events
        where member_id = ${m.id} and type = 'status_changed' order by occurred_at, id`,
    );
    expect(events.at(-1)).toEqual({
      type: 'status_changed',
      from_value: 'active',
      to_value: 'inactive',
      actor_type: 'system',
    });

    // The member pays the open invoice with a working card: active again.
    const visa = await ten.sdk.paymentMethods.attach('pm_card_visa', { customer: m.customer }, ten.opts);
    const latest = await ten.sdk.subscriptions.retrieve(m.sub.id, {}, ten.opts);
    await ten.sdk.invoices.pay(String(latest.latest_invoice), { payment_method: visa.id }, ten.opts);
    await f.stripe.webhooks.idle();
    f.clock.advance(1000);
    await f.drain();
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'active', tier_id: ten.gold.tierId });
  });

  it('lapses once per past_due spell: staff who reactivate the member are not overruled by the next run', async () => {
    fx = await startBillingFixture({ billing: { gracePeriodDays: 1 } });
    const f = fx;
    const ten = f.tenants[0]!;
    const only = { onlyTenants: [ten.tenant.id] };
    const m = await pastDueMember(f, ten);
    f.clock.advance(1.5 * DAY_MS);
    expect((await runGracePeriod(f.deps, only)).lapsed).toBe(1);
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'inactive' });

    // Staff let the member back in while the invoice is still open (say, paid by bank transfer).
    const patched = await f.t.request('PATCH', `/v1/members/${m.id}`, {
      key: ten.tenant.secret_key,
      body: { status: 'active' },
    });
    expect(patched.status, patched.text).toBe(200);
    f.clock.advance(DAY_MS);
    expect((await runGracePeriod(f.deps, only)).lapsed).toBe(0);
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'active' });
  });

  it("lapses to the tenant's lapse tier when it has one", async () => {
    fx = await startBillingFixture({ billing: { gracePeriodDays: 1 } });
    const f = fx;
    const ten = f.tenants[0]!;
    await f.t.db.withTenant(ten.tenant.id, (tx) =>
      tx.update(tenantBilling).set({ lapseTierId: ten.freeTierId }).where(eq(tenantBilling.tenantId, ten.tenant.id)),
    );
    const m = await pastDueMember(f, ten);
    f.clock.advance(1.5 * DAY_MS);
    expect((await runGracePeriod(f.deps, { onlyTenants: [ten.tenant.id] })).lapsed).toBe(1);
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'active', tier_id: ten.freeTierId });
  });

  it('ends a complimentary membership at its end date', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const m = await ten.member();
    const set = await f.t.request('PATCH', `/v1/members/${m.id}`, {
      key: ten.tenant.secret_key,
      body: { status: 'active', tier_id: ten.platinum.tierId },
    });
    expect(set.status).toBe(200);
    // A comp as staff grant it (billing/comps.ts): no Stripe object, an end date.
    const now = f.clock.now();
    await f.t.db.withTenant(ten.tenant.id, (tx) =>
      tx.insert(subscriptions).values({
        tenantId: ten.tenant.id,
        id: f.t.deps.ids.generate('msub'),
        memberId: m.id,
        kind: 'comp',
        status: 'comp',
        tierId: ten.platinum.tierId,
        currency: 'eur',
        compEndsAt: new Date(now.getTime() + 10 * DAY_MS),
      }),
    );
    f.clock.advance(9 * DAY_MS);
    expect((await runGracePeriod(f.deps, { onlyTenants: [ten.tenant.id] })).compsEnded).toBe(0);
    f.clock.advance(2 * DAY_MS);
    expect((await runGracePeriod(f.deps, { onlyTenants: [ten.tenant.id] })).compsEnded).toBe(1);
    expect(await member(f, ten, m.id)).toMatchObject({ status: 'inactive' });
    const [comp] = await f.t.db.withTenant(ten.tenant.id, (tx) =>
      tx
        .select({ status: subscriptions.status })
        .from(subscriptions)
        .where(and(eq(subscriptions.tenantId, ten.tenant.id), eq(subscriptions.memberId, m.id))),
    );
    expect(comp).toEqual({ status: 'canceled' });
  });

  it('mails a card that expires next month once, in the member language', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const m = await ten.member({ locale: 'de' });
    await ten.subscribe(m, ten.gold);
    await f.stripe.webhooks.idle();
    await f.drain();
    // The subscription's card expires next month (the clock is in March 2026).
    await ten.sdk.paymentMethods.update(m.pm, { card: { exp_month: 4, exp_year: 2026 } }, ten.opts);
    expect(await scanExpiringCards(f.deps, ten.tenant.id)).toBe(1);
    expect(await scanExpiringCards(f.deps, ten.tenant.id)).toBe(0);
    const mails = await f.t.mails(ten.tenant.id, m.email, 'billing_card_expiring');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ locale: 'de', data: { last4: '4242', exp_month: 4, exp_year: 2026 } });
  });

  it("reminds of a yearly renewal once, from Stripe's invoice.upcoming or the scan, in the member language", async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const yearly = await ten.sdk.prices.create(
      {
        product: (await ten.sdk.products.create({ name: 'Gold yearly' }, ten.opts)).id,
        unit_amount: 15000,
        currency: 'eur',
        recurring: { interval: 'year' },
        metadata: { memberkit_tier_id: ten.gold.tierId },
      },
      ten.opts,
    );
    const m = await ten.member({ locale: 'de' });
    await ten.subscribe(m, { tierId: ten.gold.tierId, priceId: yearly.id });
    await f.stripe.webhooks.idle();
    await f.drain();
    expect((await runGracePeriod(f.deps, { onlyTenants: [ten.tenant.id] })).reminders).toBe(0);

    // Days before the renewal: Stripe's invoice.upcoming (or, failing that, the scan) queues the reminder.
    await f.stripe.advanceTime(360 * 24 * 60 * 60);
    await f.drain();
    await runGracePeriod(f.deps, { onlyTenants: [ten.tenant.id] });
    await runGracePeriod(f.deps, { onlyTenants: [ten.tenant.id] });
    const mails = await f.t.mails(ten.tenant.id, m.email, 'billing_renewal_reminder');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ locale: 'de', data: { currency: 'eur', tier_name: 'Gold' } });
  });
});
