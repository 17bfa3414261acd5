import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { billingCustomers } from '../db/schema/index.js';
import { startBillingFixture, type BillingFixture } from '../testing/billing/webhook-worker-fixture.js';

let fx: BillingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const DAY = 24 * 60 * 60;

async function memberRow(f: BillingFixture, tenantId: string, memberId: string) {
  const res = await f.t.request('GET', `/v1/members/${memberId}`, {
    key: f.tenants.find((x) => x.tenant.id === tenantId)!.tenant.secret_key,
  });
  expect(res.status).toBe(200);
  return res.body as { status: string; tier_id: string | null };
}

async function counts(f: BillingFixture, tenantId: string, memberId: string) {
  const [row] = await f.rows<{ subs: number; changes: number; paid: number; failed: number; mails: number }>(
    tenantId,
    sql`select
      (select count(*)::int from subscriptions where member_id = ${memberId}) as subs,
      (select count(*)::int from subscription_changes where member_id = ${memberId}) as changes,
      (select count(*)::int from billing_payments where member_id = ${memberId} and outcome = 'succeeded') as paid,
      (select count(*)::int from billing_payments where member_id = ${memberId} and outcome = 'failed') as failed,
      (select count(*)::int from mail_outbox where template = 'billing_payment_failed'
        and data->>'member_id' = ${memberId}) as mails`,
  );
  return row!;
}

describe('Stripe webhooks', () => {
  it('applies each event once when every delivery comes three times in random order', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const [ten] = f.tenants;
    const tenantId = ten!.tenant.id;
    await f.stripe.webhooks.idle(); // the set-up's own deliveries are out before the mode changes
    f.stripe.webhooks.mode({ duplicate: 3, shuffle: true });
    const before = f.stripe.webhooks.sent.length;

    // 1. Subscribe to Gold: paid at once.
    const member = await ten!.member({ locale: 'de' });
    const sub = await ten!.subscribe(member, ten!.gold);
    await f.stripe.webhooks.flush();
    await f.drain();
    expect(await counts(f, tenantId, member.id)).toEqual({ subs: 1, changes: 1, paid: 1, failed: 0, mails: 0 });
    expect(await memberRow(f, tenantId, member.id)).toMatchObject({ status: 'active', tier_id: ten!.gold.tierId });
    const delivered = f.stripe.webhooks.sent.slice(before);
    expect(delivered.every((d) => d.status === 200)).toBe(true);
    const ids = new Set(delivered.map((d) => d.eventId));
    expect(delivered.length).toBe(ids.size * 3);

    // 2. Upgrade to Platinum.
    const sdk = ten!.sdk;
    await sdk.subscriptions.update(
      sub.id,
      { items: [{ id: sub.items.data[0]!.id, price: ten!.platinum.priceId }], proration_behavior: 'none' },
      ten!.opts,
    );
    f.clock.advance(1000);
    await f.stripe.webhooks.flush();
    await f.drain();
    expect(await counts(f, tenantId, member.id)).toEqual({ subs: 1, changes: 2, paid: 1, failed: 0, mails: 0 });
    expect(await memberRow(f, tenantId, member.id)).toMatchObject({ status: 'active', tier_id: ten!.platinum.tierId });

    // 3. The card is declined at renewal: past_due, one failed payment, one mail (in German), access kept.
    const declined = await sdk.paymentMethods.attach(
      'pm_card_chargeDeclined',
      { customer: member.customer },
      ten!.opts,
    );
    await sdk.subscriptions.update(sub.id, { default_payment_method: declined.id }, ten!.opts);
    await f.stripe.advanceTime(31 * DAY);
    await f.stripe.webhooks.flush();
    await f.drain();
    expect(await counts(f, tenantId, member.id)).toEqual({ subs: 1, changes: 3, paid: 1, failed: 1, mails: 1 });
    expect(await memberRow(f, tenantId, member.id)).toMatchObject({ status: 'active', tier_id: ten!.platinum.tierId });
    const [local] = await f.rows<{ status: string; past_due_since: string | null; unit_amount: number }>(
      tenantId,
      sql`select status, past_due_since, unit_amount from subscriptions where stripe_subscription_id = ${sub.id}`,
    );
    expect(local).toMatchObject({ status: 'past_due', unit_amount: 4000 });
    expect(local!.past_due_since).not.toBeNull();

    const mails = await f.t.mails(tenantId, member.email, 'billing_payment_failed');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.locale).toBe('de');
    expect(mails[0]!.data).toMatchObject({ amount: 4000, currency: 'eur' });
    expect(String(mails[0]!.data.invoice_url)).toMatch(/^http/);

    // The ledger: Gold 1500 → Platinum 4000 → past_due (still billed).
    const ledger = await f.rows<{ status_before: string | null; status_after: string; amount_after: number }>(
      tenantId,
      sql`select status_before, status_after, amount_after::int as amount_after from subscription_changes
        where member_id = ${member.id} order by occurred_at, id`,
    );
    expect(ledger).toEqual([
      { status_before: null, status_after: 'active', amount_after: 1500 },
      { status_before: 'active', status_after: 'active', amount_after: 4000 },
      { status_before: 'active', status_after: 'past_due', amount_after: 4000 },
    ]);
    // The member's lifecycle went through the member service: one tier change event to Platinum.
    const events = await f.rows<{ type: string; to_value: string }>(
      tenantId,
      sql`select type, to_value from member_events where member_id = ${member.id} and type = 'tier_changed'
        order by occurred_at, id`,
    );
    expect(events.map((e) => e.to_value)).toEqual([ten!.gold.tierId, ten!.platinum.tierId]);
  });

  it('refuses a bad signature with 400 and stores nothing', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const tenantId = f.tenants[0]!.tenant.id;
    await f.stripe.webhooks.idle();
    const stored = async () =>
      (await f.rows<{ n: number }>(tenantId, sql`select count(*)::int as n from stripe_events`))[0]!.n;
    const before = await stored();
    const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'customer.subscription.deleted', data: {} });
    for (const path of ['/v1/webhooks/stripe', '/v1/webhooks/stripe/connect', `/v1/webhooks/stripe/${tenantId}`]) {
      const forged = await f.t.request('POST', path, {
        rawBody: body,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=00ff`,
        },
      });
      // The tenant route: this Connect tenant has no direct-mode endpoint to verify against.
      if (path.endsWith(tenantId)) {
        expect(forged.status).toBe(409);
        continue;
      }
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      const unsigned = await f.t.request('POST', path, {
        rawBody: body,
        headers: { 'content-type': 'application/json' },
      });
      expect(unsigned.status).toBe(400);
    }
    expect(await stored()).toBe(before);
    expect(await stored()).toBeGreaterThan(0); // the real, signed deliveries of the set-up were stored
  });

  it("keeps an event of tenant A's account away from tenant B", async () => {
    fx = await startBillingFixture({ tenants: 2 });
    const f = fx;
    const [a, b] = f.tenants as [(typeof f.tenants)[0], (typeof f.tenants)[0]];
    const memberA = await a.member();
    const memberB = await b.member();
    // A subscription in A's account that even names B's member and tier in its metadata.
    const subA = await a.sdk.subscriptions.create(
      {
        customer: memberA.customer,
        items: [{ price: a.gold.priceId }],
        default_payment_method: memberA.pm,
        metadata: { memberkit_member_id: memberB.id, memberkit_tier_id: b.gold.tierId },
      },
      a.opts,
    );
    await f.stripe.webhooks.idle();
    await f.drain();
    // B's inbox holds only B's own account's events; nothing of A's subscription reached B.
    const inboxB = await f.rows<{ account: string | null; object_id: string | null }>(
      b.tenant.id,
      sql`select payload->>'account' as account, object_id from stripe_events`,
    );
    expect(inboxB.every((e) => e.account === b.account)).toBe(true);
    expect(inboxB.some((e) => e.object_id === subA.id)).toBe(false);
    const [subsB] = await f.rows<{ n: number }>(b.tenant.id, sql`select count(*)::int as n from subscriptions`);
    expect(subsB!.n).toBe(0);
    // In A it is A's member's subscription (the customer's), on A's tier: B's ids in the metadata found nothing.
    const subsA = await f.rows<{ member_id: string; tier_id: string }>(
      a.tenant.id,
      sql`select member_id, tier_id from subscriptions where stripe_subscription_id = ${subA.id}`,
    );
    expect(subsA).toEqual([{ member_id: memberA.id, tier_id: a.gold.tierId }]);
    expect(await memberRow(f, b.tenant.id, memberB.id)).toMatchObject({ tier_id: null });
  });

  it('accepts deliveries on a direct-mode tenant endpoint', async () => {
    fx = await startBillingFixture({ billing: { mode: 'direct' } });
    const f = fx;
    const ten = f.tenants[0]!;
    const member = await ten.member();
    await ten.subscribe(member, ten.gold);
    await f.stripe.webhooks.idle();
    const direct = f.stripe.webhooks.sent.filter((d) => d.url.endsWith(`/v1/webhooks/stripe/${ten.tenant.id}`));
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.every((d) => d.status === 200)).toBe(true);
    await f.drain();
    expect(await memberRow(f, ten.tenant.id, member.id)).toMatchObject({ status: 'active', tier_id: ten.gold.tierId });
  });

  it('retries an invoice it cannot place yet, and applies it once its customer is linked', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const tenantId = ten.tenant.id;
    // A customer no member is linked to yet (as when the invoice arrives before checkout.session.completed).
    const session = await f.t.signUpMember(ten.tenant);
    const me = await f.t.request('GET', '/v1/me', { key: session.access_token });
    const customer = await ten.sdk.customers.create({ email: session.email }, ten.opts);
    const pm = await ten.sdk.paymentMethods.attach('pm_card_visa', { customer: customer.id }, ten.opts);
    const sub = await ten.sdk.subscriptions.create(
      { customer: customer.id, items: [{ price: ten.gold.priceId }], default_payment_method: pm.id },
      ten.opts,
    );
    await f.stripe.webhooks.idle();
    await f.drain();
    const paid = async () =>
      (
        await f.rows<{ processed: boolean; last_error: string | null; attempts: number }>(
          tenantId,
          sql`select processed_at is not null as processed, last_error, attempts from stripe_events
            where type = 'invoice.paid'`,
        )
      )[0]!;
    expect(await paid()).toMatchObject({ processed: false, attempts: 1 });
    expect((await paid()).last_error).toMatch(/NotYetApplicable/);

    await f.t.db.withTenant(tenantId, (tx) =>
      tx.insert(billingCustomers).values({ tenantId, memberId: me.body.id, stripeCustomerId: customer.id }),
    );
    f.clock.advance(11_000); // past the first retry's backoff
    await f.drain();
    expect(await paid()).toMatchObject({ processed: true, last_error: null, attempts: 2 });
    const [row] = await f.rows<{ subs: number; paid: number }>(
      tenantId,
      sql`select (select count(*)::int from subscriptions where stripe_subscription_id = ${sub.id}) as subs,
        (select count(*)::int from billing_payments where outcome = 'succeeded') as paid`,
    );
    expect(row).toEqual({ subs: 1, paid: 1 });
  });
});
