import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { subscriptions, type SubscriptionRow, type SubscriptionStatus } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { BillingErrors } from './billing-errors.js';

/**
 * Statuses in which a Stripe subscription still exists for the member: it renews,
 * is being paid, or waits for payment. `canceled` and `incomplete_expired` are over.
 */
export const LIVE_STRIPE_STATUSES: readonly SubscriptionStatus[] = [
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'incomplete',
];

/**
 * The member's current membership as the portal shows it: the newest live Stripe
 * subscription, else a complimentary one that has not ended, else null.
 * Runs in the caller's tenant transaction.
 */
export async function readCurrentSubscription(
  tx: Tx,
  tenantId: string,
  memberId: string,
  now: Date,
): Promise<SubscriptionRow | null> {
  const rows = await tx
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.tenantId, tenantId),
        eq(subscriptions.memberId, memberId),
        inArray(subscriptions.status, [...LIVE_STRIPE_STATUSES, 'comp']),
      ),
    )
    .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id));
  const stripe = rows.find((row) => row.kind === 'stripe');
  if (stripe) return stripe;
  return rows.find((row) => row.kind === 'comp' && (row.compEndsAt === null || row.compEndsAt > now)) ?? null;
}

/**
 * The member's live Stripe subscription, which the portal's changes act on.
 * @throws ApiError 409 NO_SUBSCRIPTION when there is none (a complimentary membership is managed by staff).
 */
export async function requireStripeSubscription(
  tx: Tx,
  tenantId: string,
  memberId: string,
  now: Date,
): Promise<SubscriptionRow & { stripeSubscriptionId: string }> {
  const current = await readCurrentSubscription(tx, tenantId, memberId, now);
  if (current?.kind !== 'stripe' || !current.stripeSubscriptionId) {
    throw new ApiError(
      BillingErrors.NO_SUBSCRIPTION,
      current?.kind === 'comp'
        ? 'Your membership is complimentary; the organization manages it.'
        : 'You have no active subscription; start one with POST /v1/me/billing/checkout.',
    );
  }
  return current as SubscriptionRow & { stripeSubscriptionId: string };
}

/** What the portal's HTTP schemas enumerate (routes do not import the database schema). */
export { BILLING_INTERVALS, SUBSCRIPTION_STATUSES, type InvoiceLine, type InvoiceRow } from '../db/schema/index.js';
