import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import {
  billingCustomers,
  billingPayments,
  invoices,
  members,
  subscriptions,
  type InvoiceLine,
  type InvoiceRow,
  type InvoiceStatus,
} from '../db/schema/index.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { billingId, fromUnix, idOf, type ApplyOptions } from './apply-subscription.js';
import { queuePaymentFailedMail } from './dunning.js';
import { createNotifications } from '../services/notifications.js';

/** A payment attempt the applied event reports (`invoice.paid` / `invoice.payment_failed`): one row per event. */
export interface InvoicePaymentEvent {
  outcome: 'succeeded' | 'failed';
  /** The Stripe event id (the row's key: a replay adds nothing). */
  eventId: string;
  occurredAt: Date;
  failureMessage?: string | null;
}

export interface ApplyInvoiceOptions extends ApplyOptions {
  payment?: InvoicePaymentEvent;
}

const INVOICE_STATUS_SET: ReadonlySet<string> = new Set(['draft', 'open', 'paid', 'uncollectible', 'void']);

/**
 * Applies a Stripe Invoice's state to `invoices` (upsert by its id; a state older
 * than `stripe_synced_at` leaves the row alone) and, for a payment event, adds
 * its `billing_payments` row once per event id; a failed payment's first
 * recording also queues the "payment failed" mail in the member's language.
 * Returns null when the invoice belongs to no member of this tenant.
 */
export async function applyInvoiceObject(
  deps: ServiceDeps,
  tenantId: string,
  invoice: Stripe.Invoice,
  options: ApplyInvoiceOptions,
): Promise<InvoiceRow | null> {
  return deps.db.withTenant(tenantId, (tx) => applyInvoiceInTx(tx, deps, tenantId, invoice, options));
}

/** {@link applyInvoiceObject} in the caller's tenant transaction. */
export async function applyInvoiceInTx(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  invoice: Stripe.Invoice,
  options: ApplyInvoiceOptions,
): Promise<InvoiceRow | null> {
  const [existing] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoice.id)))
    .for('update');
  const owner = await resolveOwner(tx, tenantId, invoice);
  const memberId = owner.memberId ?? existing?.memberId ?? null;
  if (!memberId) return existing ?? null;

  let row: InvoiceRow | undefined = existing;
  const stale = existing?.stripeSyncedAt && existing.stripeSyncedAt.getTime() > options.observedAt.getTime();
  if (!stale) {
    const now = deps.clock.now();
    const fields = {
      memberId,
      subscriptionId: owner.subscriptionId ?? existing?.subscriptionId ?? null,
      status: (INVOICE_STATUS_SET.has(invoice.status ?? '') ? invoice.status : 'draft') as InvoiceStatus,
      number: invoice.number,
      billingReason: invoice.billing_reason,
      currency: invoice.currency.toLowerCase(),
      subtotal: invoice.subtotal,
      tax: (invoice.total_taxes ?? []).reduce((sum, t) => sum + t.amount, 0),
      total: invoice.total,
      amountDue: invoice.amount_due,
      amountPaid: invoice.amount_paid,
      attemptCount: invoice.attempt_count,
      periodStart: fromUnix(invoice.period_start),
      periodEnd: fromUnix(invoice.period_end),
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      invoicePdf: invoice.invoice_pdf ?? null,
      lines: linesOf(invoice),
      paidAt: fromUnix(invoice.status_transitions?.paid_at),
      nextPaymentAttemptAt: fromUnix(invoice.next_payment_attempt),
      stripeCreatedAt: new Date(invoice.created * 1000),
      stripeSyncedAt: options.observedAt,
      updatedAt: now,
    };
    // amount_refunded is not on Stripe's invoice: refunds (billing/refunds.ts) keep it.
    [row] = await tx
      .insert(invoices)
      .values({ tenantId, id: invoice.id, ...fields, createdAt: now })
      .onConflictDoUpdate({ target: [invoices.tenantId, invoices.id], set: fields })
      .returning();
  }

  if (options.payment && row) await recordPayment(tx, deps, row, options.payment);
  return row ?? null;
}

/** The member and local subscription of an invoice: its subscription's row, metadata, or the customer's member. */
async function resolveOwner(
  tx: Tx,
  tenantId: string,
  invoice: Stripe.Invoice,
): Promise<{ memberId: string | null; subscriptionId: string | null }> {
  const details = invoice.parent?.subscription_details;
  const stripeSubscriptionId = idOf(details?.subscription) ?? idOf(invoiceLineSubscription(invoice));
  let subscriptionId: string | null = null;
  let memberId: string | null = null;
  if (stripeSubscriptionId) {
    const [sub] = await tx
      .select({ id: subscriptions.id, memberId: subscriptions.memberId })
      .from(subscriptions)
      .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId)));
    if (sub) {
      subscriptionId = sub.id;
      memberId = sub.memberId;
    }
  }
  const named = details?.metadata?.memberkit_member_id ?? invoice.metadata?.memberkit_member_id;
  if (!memberId && named) {
    const [member] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, named)));
    memberId = member?.id ?? null;
  }
  const customerId = idOf(invoice.customer);
  if (!memberId && customerId) {
    const [customer] = await tx
      .select({ memberId: billingCustomers.memberId })
      .from(billingCustomers)
      .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.stripeCustomerId, customerId)));
    memberId = customer?.memberId ?? null;
  }
  return { memberId, subscriptionId };
}

function invoiceLineSubscription(invoice: Stripe.Invoice): string | null {
  for (const line of invoice.lines?.data ?? []) {
    const sub = idOf(line.subscription) ?? line.parent?.subscription_item_details?.subscription ?? null;
    if (sub) return sub;
  }
  return null;
}

/** The invoice's lines as the portal shows them. */
export function linesOf(invoice: Stripe.Invoice): InvoiceLine[] {
  return (invoice.lines?.data ?? []).map((line) => ({
    description: line.description ?? '',
    amount: line.amount,
    proration:
      line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration ?? false,
    period_start: fromUnix(line.period?.start)?.toISOString() ?? null,
    period_end: fromUnix(line.period?.end)?.toISOString() ?? null,
  }));
}

/** One `billing_payments` row per event; the failure mail goes out with the row's first insert only. */
async function recordPayment(tx: Tx, deps: ServiceDeps, row: InvoiceRow, payment: InvoicePaymentEvent) {
  const inserted = await tx
    .insert(billingPayments)
    .values({
      tenantId: row.tenantId,
      id: billingId(deps, 'bpay'),
      invoiceId: row.id,
      memberId: row.memberId,
      outcome: payment.outcome,
      amount: payment.outcome === 'succeeded' ? row.amountPaid : row.amountDue,
      currency: row.currency,
      failureMessage: payment.failureMessage ?? null,
      occurredAt: payment.occurredAt,
      stripeEventId: payment.eventId,
    })
    .onConflictDoNothing()
    .returning({ id: billingPayments.id });
  if (inserted.length > 0 && payment.outcome === 'failed') await queuePaymentFailedMail(tx, deps, row);
  if (inserted.length > 0) await notifyPayment(tx, deps, row, payment.outcome);
}

/**
 * The member's in-app notification of a payment, once per payment event (with the
 * `billing_payments` row's first insert): `payment_failed` for a failed attempt,
 * `membership_renewal` for a paid renewal invoice (`subscription_cycle`).
 */
async function notifyPayment(tx: Tx, deps: ServiceDeps, row: InvoiceRow, outcome: InvoicePaymentEvent['outcome']) {
  const data = { invoice_id: row.id, amount: row.amountDue, currency: row.currency };
  if (outcome === 'failed') {
    await createNotifications(deps, tx, row.tenantId, [
      {
        memberId: row.memberId,
        type: 'payment_failed',
        title: 'Your payment did not go through',
        body: 'Please update your payment method to keep your membership active.',
        url: row.hostedInvoiceUrl?.startsWith('https:') ? row.hostedInvoiceUrl : null,
        data,
      },
    ]);
  } else if (row.billingReason === 'subscription_cycle') {
    await createNotifications(deps, tx, row.tenantId, [
      {
        memberId: row.memberId,
        type: 'membership_renewal',
        title: 'Your membership was renewed',
        url: row.hostedInvoiceUrl?.startsWith('https:') ? row.hostedInvoiceUrl : null,
        data: { ...data, amount: row.amountPaid, period_end: row.periodEnd?.toISOString() ?? null },
      },
    ]);
  }
}
