import { and, eq, lt } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { billingPayments, billingRefunds, invoices, subscriptionChanges, subscriptions } from '../db/schema/index.js';
import type { LedgerRow, PaymentRow, RefundRow } from './revenue-compute.js';

/** The rows revenue analytics reads, up to the end of the window. */
export interface RevenueRows {
  ledger: LedgerRow[];
  payments: PaymentRow[];
  refunds: RefundRow[];
  subscriptionTiers: Map<string, string>;
}

/**
 * Loads, in the caller's tenant transaction, every subscription change, payment
 * attempt and refund before `end` (the instant after the window's last local
 * day), with the subscription of each payment's and refund's invoice. The
 * ledger is read from its beginning: MRR at any moment is the sum of every
 * subscription's latest state, which only the whole history gives.
 */
export async function loadRevenueRows(tx: Tx, tenantId: string, end: Date): Promise<RevenueRows> {
  const ledger = await tx
    .select({
      id: subscriptionChanges.id,
      subscriptionId: subscriptionChanges.subscriptionId,
      memberId: subscriptionChanges.memberId,
      occurredAt: subscriptionChanges.occurredAt,
      statusBefore: subscriptionChanges.statusBefore,
      statusAfter: subscriptionChanges.statusAfter,
      tierAfter: subscriptionChanges.tierAfter,
      amountAfter: subscriptionChanges.amountAfter,
      intervalMonthsAfter: subscriptionChanges.intervalMonthsAfter,
      currency: subscriptionChanges.currency,
    })
    .from(subscriptionChanges)
    .where(and(eq(subscriptionChanges.tenantId, tenantId), lt(subscriptionChanges.occurredAt, end)));
  const payments = await tx
    .select({
      id: billingPayments.id,
      invoiceId: billingPayments.invoiceId,
      subscriptionId: invoices.subscriptionId,
      outcome: billingPayments.outcome,
      amount: billingPayments.amount,
      currency: billingPayments.currency,
      occurredAt: billingPayments.occurredAt,
    })
    .from(billingPayments)
    .leftJoin(
      invoices,
      and(eq(invoices.tenantId, billingPayments.tenantId), eq(invoices.id, billingPayments.invoiceId)),
    )
    .where(and(eq(billingPayments.tenantId, tenantId), lt(billingPayments.occurredAt, end)));
  const refunds = await tx
    .select({
      id: billingRefunds.id,
      invoiceId: billingRefunds.invoiceId,
      subscriptionId: invoices.subscriptionId,
      amount: billingRefunds.amount,
      currency: billingRefunds.currency,
      status: billingRefunds.status,
      createdAt: billingRefunds.stripeCreatedAt,
    })
    .from(billingRefunds)
    .leftJoin(invoices, and(eq(invoices.tenantId, billingRefunds.tenantId), eq(invoices.id, billingRefunds.invoiceId)))
    .where(and(eq(billingRefunds.tenantId, tenantId), lt(billingRefunds.stripeCreatedAt, end)));
  const subs = await tx
    .select({ id: subscriptions.id, tierId: subscriptions.tierId })
    .from(subscriptions)
    .where(eq(subscriptions.tenantId, tenantId));
  return {
    ledger: ledger.map((r) => ({ ...r, amountAfter: Number(r.amountAfter) })),
    payments: payments.map((r) => ({ ...r, amount: Number(r.amount), subscriptionId: r.subscriptionId ?? null })),
    refunds: refunds.map((r) => ({ ...r, amount: Number(r.amount), subscriptionId: r.subscriptionId ?? null })),
    subscriptionTiers: new Map(subs.map((s) => [s.id, s.tierId])),
  };
}
