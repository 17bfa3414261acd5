import { and, eq, notInArray, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { billingRefunds, invoices } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { fromUnix, idOf } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { BillingErrors } from './billing-errors.js';
import type { RefundRow } from './staff-subscriptions.js';
import { StaffBillingErrors } from './staff-errors.js';
import { openTenantStripe, readTenantBilling, stripeProblem } from './stripe-account.js';

/** Stripe's refund reasons. */
export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/** Refund statuses that do not give money back: left out of `amount_refunded`. */
const VOID_REFUND_STATUSES = ['failed', 'canceled'];

export interface RefundInput {
  /** Minor units; default: everything still refundable. */
  amount?: number | undefined;
  reason?: RefundReason | undefined;
  /** Makes the Stripe call safe to retry: the client's Idempotency-Key, else the request id. */
  idempotencyKey: string;
}

/** The payment Stripe took for an invoice: its PaymentIntent or Charge, to refund. */
async function paymentOf(
  account: Awaited<ReturnType<typeof openTenantStripe>>,
  invoiceId: string,
): Promise<{ payment_intent: string } | { charge: string } | null> {
  let invoice: Stripe.Invoice;
  try {
    invoice = await account.stripe.invoices.retrieve(invoiceId, { expand: ['payments'] }, account.requestOptions());
  } catch (error) {
    throw stripeProblem(error, 'reading the invoice');
  }
  const payments = invoice.payments?.data ?? [];
  const paid = payments.find((p) => p.status === 'paid') ?? payments[0];
  const intent = idOf(paid?.payment.payment_intent);
  if (intent) return { payment_intent: intent };
  const charge = idOf(paid?.payment.charge);
  return charge ? { charge } : null;
}

/**
 * Refunds (part of) the payment of a member's paid invoice. The refundable
 * amount is what was paid minus what was refunded (the local mirror; Stripe
 * refuses more on its side too). Stripe first (idempotency key from the invoice
 * and the request), then the refund row, the invoice's `amount_refunded` (the
 * sum of its refunds that give money back, so a webhook of the same refund
 * changes nothing) and the audit entry in one transaction.
 * @throws ApiError 404 INVOICE_NOT_FOUND, 409 INVOICE_NOT_REFUNDABLE, 422 REFUND_EXCEEDS_REFUNDABLE, Stripe problems.
 */
export async function refundInvoice(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  invoiceId: string,
  input: RefundInput,
): Promise<RefundRow> {
  const { invoice, settings } = await deps.db.withTenant(tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)));
    if (!row) throw new ApiError(BillingErrors.INVOICE_NOT_FOUND, `No invoice ${invoiceId}.`);
    return { invoice: row, settings: await readTenantBilling(tx, tenantId) };
  });
  if (invoice.status !== 'paid' || invoice.amountPaid <= 0)
    throw new ApiError(
      StaffBillingErrors.INVOICE_NOT_REFUNDABLE,
      `Invoice ${invoiceId} is ${invoice.status} with nothing paid: there is no payment to refund.`,
    );
  const refundable = invoice.amountPaid - invoice.amountRefunded;
  if (refundable <= 0)
    throw new ApiError(StaffBillingErrors.INVOICE_NOT_REFUNDABLE, `Invoice ${invoiceId} is refunded in full already.`);
  const amount = input.amount ?? refundable;
  if (amount > refundable) {
    const message = `At most ${refundable} (minor units of ${invoice.currency}) can be refunded on invoice ${invoiceId}; got ${amount}.`;
    throw new ApiError(StaffBillingErrors.REFUND_EXCEEDS_REFUNDABLE, message, {
      errors: [{ field: 'amount', message }],
    });
  }

  const account = await openTenantStripe(deps, settings);
  const payment = await paymentOf(account, invoiceId);
  if (!payment)
    throw new ApiError(StaffBillingErrors.INVOICE_NOT_REFUNDABLE, `Stripe holds no payment of invoice ${invoiceId}.`);
  let refund: Stripe.Refund;
  try {
    refund = await account.stripe.refunds.create(
      {
        ...payment,
        amount,
        ...(input.reason ? { reason: input.reason } : {}),
        metadata: {
          memberkit_tenant_id: tenantId,
          memberkit_member_id: invoice.memberId,
          memberkit_invoice_id: invoiceId,
        },
      },
      account.requestOptions({ idempotencyKey: `refund:${invoiceId}:${input.idempotencyKey}` }),
    );
  } catch (error) {
    throw stripeProblem(error, 'refunding the payment');
  }

  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await tx
      .insert(billingRefunds)
      .values({
        tenantId,
        id: refund.id,
        invoiceId,
        memberId: invoice.memberId,
        amount: refund.amount,
        currency: refund.currency.toLowerCase(),
        reason: refund.reason ?? input.reason ?? null,
        status: refund.status ?? 'pending',
        stripeCreatedAt: fromUnix(refund.created) ?? now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [billingRefunds.tenantId, billingRefunds.id],
        set: { status: refund.status ?? 'pending', updatedAt: now },
      });
    const [sum] = await tx
      .select({ total: sql<string>`coalesce(sum(${billingRefunds.amount}), 0)` })
      .from(billingRefunds)
      .where(
        and(
          eq(billingRefunds.tenantId, tenantId),
          eq(billingRefunds.invoiceId, invoiceId),
          notInArray(billingRefunds.status, VOID_REFUND_STATUSES),
        ),
      );
    await tx
      .update(invoices)
      .set({ amountRefunded: Number(sum?.total ?? 0), updatedAt: now })
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)));
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'billing.invoice_refunded',
        targetType: 'invoice',
        targetId: invoiceId,
        diff: {
          refund_id: refund.id,
          member_id: invoice.memberId,
          amount: refund.amount,
          currency: refund.currency,
          reason: input.reason ?? null,
        },
      },
    ]);
    const [row] = await tx
      .select()
      .from(billingRefunds)
      .where(and(eq(billingRefunds.tenantId, tenantId), eq(billingRefunds.id, refund.id)));
    return row!;
  });
}
