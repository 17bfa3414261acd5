import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import {
  billingRefunds,
  invoices,
  members,
  subscriptions,
  type InvoiceRow,
  type SubscriptionRow,
  type SubscriptionStatus,
} from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { MemberErrors } from '../services/members.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { applySubscriptionInTx } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { BillingErrors } from './billing-errors.js';
import { readCurrentSubscription } from './portal-subscription.js';
import { StaffBillingErrors } from './staff-errors.js';
import { openTenantStripe, readTenantBilling, stripeProblem } from './stripe-account.js';

export { BILLING_INTERVALS, SUBSCRIPTION_STATUSES, type InvoiceRow, type SubscriptionRow } from '../db/schema/index.js';

/** A refund as staff see it (`billing_refunds`). */
export type RefundRow = typeof billingRefunds.$inferSelect;

/** Statuses after which a subscription is over and nothing can cancel it. */
export const ENDED_STATUSES: readonly SubscriptionStatus[] = ['canceled', 'incomplete_expired'];

export interface SubscriptionFilter {
  status?: SubscriptionStatus | undefined;
  tierId?: string | undefined;
}

/**
 * A tenant's subscriptions (Stripe and complimentary), newest first, filtered by
 * status and tier; `limit + 1` rows after the id `after` (keyset on the ULID id).
 */
export async function listSubscriptions(
  deps: ServiceDeps,
  tenantId: string,
  filter: SubscriptionFilter,
  page: { limit: number; after?: string | undefined },
): Promise<SubscriptionRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.tenantId, tenantId),
          filter.status ? eq(subscriptions.status, filter.status) : undefined,
          filter.tierId ? eq(subscriptions.tierId, filter.tierId) : undefined,
          page.after ? lt(subscriptions.id, page.after) : undefined,
        ),
      )
      .orderBy(desc(subscriptions.id))
      .limit(page.limit + 1),
  );
}

/** One subscription of the tenant, or 404 SUBSCRIPTION_NOT_FOUND. Runs in the caller's tenant transaction. */
export async function readSubscription(tx: Tx, tenantId: string, id: string, lock = false): Promise<SubscriptionRow> {
  const query = tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new ApiError(BillingErrors.SUBSCRIPTION_NOT_FOUND, `No subscription ${id}.`);
  return row;
}

/** One subscription of the tenant; 404 SUBSCRIPTION_NOT_FOUND. */
export async function getSubscription(deps: ServiceDeps, tenantId: string, id: string): Promise<SubscriptionRow> {
  return deps.db.withTenant(tenantId, (tx) => readSubscription(tx, tenantId, id));
}

/** The member of the tenant (not deleted), or 404 MEMBER_NOT_FOUND. Runs in the caller's tenant transaction. */
export async function requireMember(tx: Tx, tenantId: string, memberId: string): Promise<void> {
  const [row] = await tx
    .select({ id: members.id, deletedAt: members.deletedAt })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
  if (!row || row.deletedAt) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
}

/** A member's billing as staff see it. */
export interface StaffMemberBilling {
  memberId: string;
  /** The membership that counts now (as the portal shows it), or null. */
  current: SubscriptionRow | null;
  /** Every subscription of the member, newest first (at most {@link MEMBER_BILLING_LIMIT}). */
  subscriptions: SubscriptionRow[];
  /** Newest invoices first (drafts left out, at most {@link MEMBER_BILLING_LIMIT}), each with its refunds. */
  invoices: (InvoiceRow & { refunds: RefundRow[] })[];
}

/** How many subscriptions and invoices a member's billing lists. */
export const MEMBER_BILLING_LIMIT = 100;

/** A member's subscriptions and invoices with their refunds; 404 MEMBER_NOT_FOUND. */
export async function getStaffMemberBilling(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
): Promise<StaffMemberBilling> {
  return deps.db.withTenant(tenantId, async (tx) => {
    await requireMember(tx, tenantId, memberId);
    const current = await readCurrentSubscription(tx, tenantId, memberId, deps.clock.now());
    const subs = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.memberId, memberId)))
      .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id))
      .limit(MEMBER_BILLING_LIMIT);
    const invs = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.memberId, memberId), sql`${invoices.status} <> 'draft'`))
      .orderBy(desc(invoices.stripeCreatedAt), desc(invoices.id))
      .limit(MEMBER_BILLING_LIMIT);
    const refunds =
      invs.length === 0
        ? []
        : await tx
            .select()
            .from(billingRefunds)
            .where(
              and(
                eq(billingRefunds.tenantId, tenantId),
                inArray(
                  billingRefunds.invoiceId,
                  invs.map((i) => i.id),
                ),
              ),
            )
            .orderBy(billingRefunds.stripeCreatedAt, billingRefunds.createdAt, billingRefunds.id);
    return {
      memberId,
      current,
      subscriptions: subs,
      invoices: invs.map((inv) => ({ ...inv, refunds: refunds.filter((r) => r.invoiceId === inv.id) })),
    };
  });
}

/**
 * Cancels a Stripe subscription for staff: at the end of the paid period
 * (`cancel_at_period_end`) or at once. Stripe first (idempotency key from the
 * subscription and the request), then the returned state is written through
 * `applySubscriptionInTx` (the one mapping of Stripe subscriptions, which also
 * lapses the member when it ends now) with the audit entry in the same transaction.
 * @throws ApiError 404 SUBSCRIPTION_NOT_FOUND, 409 SUBSCRIPTION_IS_COMP / SUBSCRIPTION_ENDED, Stripe problems.
 */
export async function cancelSubscription(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
  input: { atPeriodEnd: boolean; idempotencyKey: string },
): Promise<SubscriptionRow> {
  const { row, settings } = await deps.db.withTenant(tenantId, async (tx) => ({
    row: await readSubscription(tx, tenantId, id),
    settings: await readTenantBilling(tx, tenantId),
  }));
  if (row.kind === 'comp' || !row.stripeSubscriptionId)
    throw new ApiError(
      StaffBillingErrors.SUBSCRIPTION_IS_COMP,
      `Subscription ${id} is a complimentary membership: revoke it with DELETE /v1/members/${row.memberId}/billing/comp.`,
    );
  if (ENDED_STATUSES.includes(row.status))
    throw new ApiError(StaffBillingErrors.SUBSCRIPTION_ENDED, `Subscription ${id} has already ended (${row.status}).`);
  if (input.atPeriodEnd && row.cancelAtPeriodEnd) return row;

  const account = await openTenantStripe(deps, settings);
  const options = account.requestOptions({ idempotencyKey: `staff-cancel:${row.id}:${input.idempotencyKey}` });
  let updated: Stripe.Subscription;
  try {
    updated = input.atPeriodEnd
      ? await account.stripe.subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: true }, options)
      : await account.stripe.subscriptions.cancel(row.stripeSubscriptionId, {}, options);
  } catch (error) {
    throw stripeProblem(error, 'cancelling the subscription');
  }
  return deps.db.withTenant(tenantId, async (tx) => {
    const applied = await applySubscriptionInTx(tx, deps, tenantId, updated, {
      cause: `api:${ctx.requestId ?? input.idempotencyKey}`,
      observedAt: deps.clock.now(),
    });
    const after = applied ?? (await readSubscription(tx, tenantId, id));
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'billing.subscription_canceled',
        targetType: 'subscription',
        targetId: row.id,
        diff: {
          member_id: row.memberId,
          at_period_end: input.atPeriodEnd,
          status: { from: row.status, to: after.status },
          cancel_at_period_end: { from: row.cancelAtPeriodEnd, to: after.cancelAtPeriodEnd },
        },
      },
    ]);
    return after;
  });
}
