import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyInvoiceObject } from '../billing/apply-invoice.js';
import { notifications, realtimeEvents } from '../db/schema/index.js';
import { createTestContext, type TestContext, type TestTenant } from '../testing/index.js';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('Billing notifications');
});
afterAll(async () => {
  await t.close();
});

function invoice(id: string, memberId: string, reason: string, paid: boolean): Stripe.Invoice {
  const now = Math.floor(Date.now() / 1000);
  return {
    id,
    object: 'invoice',
    status: paid ? 'paid' : 'open',
    number: `INV-${id}`,
    billing_reason: reason,
    currency: 'eur',
    subtotal: 2000,
    total_taxes: [],
    total: 2000,
    amount_due: 2000,
    amount_paid: paid ? 2000 : 0,
    attempt_count: 1,
    period_start: now,
    period_end: now + 30 * 86400,
    hosted_invoice_url: 'https://invoice.stripe.com/i/test',
    invoice_pdf: null,
    lines: { data: [] },
    status_transitions: { paid_at: paid ? now : null },
    next_payment_attempt: null,
    created: now,
    customer: null,
    metadata: { memberkit_member_id: memberId },
    parent: null,
  } as unknown as Stripe.Invoice;
}

it('a failed payment notifies payment_failed, a paid renewal membership_renewal, once per event', async () => {
  const session = await t.signUpMember(tenant);
  const me = await t.request('GET', '/v1/me', { key: session.access_token });
  const memberId = me.body.id as string;
  const apply = (inv: Stripe.Invoice, outcome: 'failed' | 'succeeded', eventId: string) =>
    applyInvoiceObject(t.deps, tenant.id, inv, {
      observedAt: new Date(),
      payment: {
        outcome,
        eventId,
        occurredAt: new Date(),
        failureMessage: outcome === 'failed' ? 'card_declined' : null,
      },
    } as Parameters<typeof applyInvoiceObject>[3]);

  await apply(invoice('in_fail1', memberId, 'subscription_cycle', false), 'failed', 'evt_1');
  await apply(invoice('in_fail1', memberId, 'subscription_cycle', false), 'failed', 'evt_1');
  await apply(invoice('in_ok1', memberId, 'subscription_cycle', true), 'succeeded', 'evt_2');
  await apply(invoice('in_first', memberId, 'subscription_create', true), 'succeeded', 'evt_3');

  const list = await t.request('GET', '/v1/me/notifications', { key: session.access_token });
  expect(list.body.data.map((n: { type: string }) => n.type).sort()).toEqual(['membership_renewal', 'payment_failed']);
  const failed = list.body.data.find((n: { type: string }) => n.type === 'payment_failed');
  expect(failed.data).toMatchObject({ invoice_id: 'in_fail1', amount: 2000, currency: 'eur' });
  const rows = await t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.tenantId, tenant.id), eq(notifications.memberId, memberId))),
  );
  expect(rows).toHaveLength(2);
  const events = await t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(realtimeEvents)
      .where(eq(realtimeEvents.topic, `member.${memberId}`)),
  );
  expect(events.filter((e) => e.type === 'notification.created')).toHaveLength(2);
});
