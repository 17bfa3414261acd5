import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORM_KEY } from '../testing/harness.js';
import { reconcileTenant } from './reconcile.js';
import { startBillingFixture, type BillingFixture } from '../testing/billing/webhook-worker-fixture.js';

let fx: BillingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('billing reconciliation', () => {
  it('repairs what a lost webhook left behind and reports the change', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const tenantId = ten.tenant.id;
    const member = await ten.member();
    const sub = await ten.subscribe(member, ten.gold);
    await f.stripe.webhooks.idle();
    await f.drain();

    // The member cancels at period end in Stripe; the one webhook about it is lost.
    const sentBefore = f.stripe.webhooks.sent.length;
    f.stripe.webhooks.drop(1);
    await ten.sdk.subscriptions.update(sub.id, { cancel_at_period_end: true }, ten.opts);
    await f.stripe.webhooks.idle();
    const lost = f.stripe.webhooks.sent.slice(sentBefore);
    expect(lost.map((d) => [d.type, d.status])).toEqual([['customer.subscription.updated', 'dropped']]);
    await f.drain();
    const read = async () =>
      (
        await f.rows<{ cancel_at_period_end: boolean }>(
          tenantId,
          sql`select cancel_at_period_end from subscriptions where stripe_subscription_id = ${sub.id}`,
        )
      )[0]!;
    expect(await read()).toEqual({ cancel_at_period_end: false });

    f.clock.advance(60_000);
    const report = await reconcileTenant(f.deps, tenantId, { runId: 'run1' });
    expect(report).toMatchObject({ object: 'billing_reconciliation', run_id: 'run1', tenant_id: tenantId });
    expect(report.checked).toBeGreaterThanOrEqual(2); // the subscription and its first invoice
    // Stripe also stamps canceled_at when a cancellation at period end is requested.
    expect(report.changed).toEqual([
      {
        object: 'subscription',
        id: sub.id,
        created: false,
        fields: {
          cancel_at_period_end: { from: false, to: true },
          canceled_at: { from: null, to: expect.any(String) },
        },
      },
    ]);
    expect(await read()).toEqual({ cancel_at_period_end: true });

    // A second run finds nothing to repair.
    f.clock.advance(60_000);
    expect((await reconcileTenant(f.deps, tenantId)).changed).toEqual([]);
  });

  it('restores a subscription whose every webhook was lost, with its ledger row and the member on the tier', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const tenantId = ten.tenant.id;
    const member = await ten.member();
    await f.stripe.webhooks.idle();
    // Nothing reaches the API while the subscription is created and paid.
    f.stripe.webhooks.deliverTo(() => new Response(null, { status: 503 }));
    const sub = await ten.subscribe(member, ten.gold);
    await f.stripe.webhooks.idle();
    f.stripe.webhooks.deliverTo((req) => f.t.app.request(req));

    f.clock.advance(60_000);
    const report = await reconcileTenant(f.deps, tenantId, { runId: 'run2' });
    const subChange = report.changed.find((c) => c.object === 'subscription');
    expect(subChange).toMatchObject({
      id: sub.id,
      created: true,
      fields: { status: { from: null, to: 'active' }, tier_id: { from: null, to: ten.gold.tierId } },
    });
    expect(report.changed.find((c) => c.object === 'invoice')).toMatchObject({
      created: true,
      fields: { status: { from: null, to: 'paid' }, amount_paid: { from: null, to: 1500 } },
    });
    const ledger = await f.rows<{ cause: string; status_after: string }>(
      tenantId,
      sql`select cause, status_after from subscription_changes where member_id = ${member.id}`,
    );
    expect(ledger).toEqual([{ cause: 'reconcile:run2', status_after: 'active' }]);
    const res = await f.t.request('GET', `/v1/members/${member.id}`, { key: ten.tenant.secret_key });
    expect(res.body).toMatchObject({ status: 'active', tier_id: ten.gold.tierId });
  });

  it('runs for one tenant through POST /v1/platform/billing/sync (the CLI), platform key only', async () => {
    fx = await startBillingFixture();
    const f = fx;
    const ten = f.tenants[0]!;
    const ok = await f.t.request('POST', '/v1/platform/billing/sync', {
      key: PLATFORM_KEY,
      body: { tenant_id: ten.tenant.id },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual([
      expect.objectContaining({ object: 'billing_reconciliation', tenant_id: ten.tenant.id, changed: [] }),
    ]);
    const bad = await f.t.request('POST', '/v1/platform/billing/sync', { key: PLATFORM_KEY, body: { tenant_id: 'x' } });
    expect(bad.status).toBe(422);
    const tenantKey = await f.t.request('POST', '/v1/platform/billing/sync', {
      key: ten.tenant.secret_key,
      body: { tenant_id: ten.tenant.id },
    });
    expect(tenantKey.status).toBe(403);
  });
});
