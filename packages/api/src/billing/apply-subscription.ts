import { and, eq, inArray, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../db/database.js';
import {
  billingCustomers,
  members,
  subscriptionChanges,
  subscriptions,
  tierPrices,
  tiers,
  type BillingInterval,
  type SubscriptionRow,
  type SubscriptionStatus,
} from '../db/schema/index.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { grantSubscriptionAccess, lapseMember, LAPSED_STATUSES } from './apply-subscription-member.js';

/** How a Stripe object was observed: what caused the apply, and when the state was true. */
export interface ApplyOptions {
  /** The Stripe event id, or `api:<request id>` / `reconcile:<run id>`: dedupes ledger rows. */
  cause: string;
  /** When this state was true: the event's `created`, or when the object was fetched. */
  observedAt: Date;
}

/** Statuses whose recurring amount counts as revenue (MRR); the rest record 0. */
const PAYING_STATUSES: ReadonlySet<SubscriptionStatus> = new Set(['active', 'past_due']);

/** A new id of one of billing's local rows (`msub_`, `sch_`, `bpay_`). */
export function billingId(deps: Pick<ServiceDeps, 'ids'>, prefix: 'msub' | 'sch' | 'bpay'): string {
  return deps.ids.generate(prefix);
}

/** A Stripe id field that may be expanded into its object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

/** Stripe's unix seconds as a Date (null stays null). */
export function fromUnix(seconds: number | null | undefined): Date | null {
  return seconds === null || seconds === undefined ? null : new Date(seconds * 1000);
}

/** The fields of a `subscriptions` row that a Stripe subscription determines. */
type SyncedFields = Omit<SubscriptionRow, 'tenantId' | 'id' | 'kind' | 'compEndsAt' | 'createdAt' | 'updatedAt'>;

/**
 * Applies a Stripe Subscription's state to the local `subscriptions` row (upsert
 * by `stripe_subscription_id`), appends a `subscription_changes` row when its
 * status, tier or recurring amount changed (once per `cause`), and moves the
 * member: active/trialing → active on the tier; past_due → keeps access (the
 * grace period starts, `past_due_since`); unpaid/canceled/incomplete_expired/
 * paused → the tenant's lapse tier or `inactive`. The member changes only when
 * the subscription's status or tier changed, so staff edits are not undone by a
 * replay or a reconciliation.
 *
 * A state older than the row's `stripe_synced_at` is ignored (order-independence):
 * the row is returned unchanged. Returns null when the subscription cannot be
 * mapped to a member or a tier of this tenant (not one of ours).
 */
export async function applySubscriptionObject(
  deps: ServiceDeps,
  tenantId: string,
  subscription: Stripe.Subscription,
  options: ApplyOptions,
): Promise<SubscriptionRow | null> {
  return deps.db.withTenant(tenantId, (tx) => applySubscriptionInTx(tx, deps, tenantId, subscription, options));
}

/** {@link applySubscriptionObject} in the caller's tenant transaction. */
export async function applySubscriptionInTx(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  subscription: Stripe.Subscription,
  options: ApplyOptions,
): Promise<SubscriptionRow | null> {
  // Concurrent applies of one subscription (two events, a reconciliation) queue here: the first creates the row.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('memberkit_subscription'), hashtext(${subscription.id}))`);
  const [existing] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.stripeSubscriptionId, subscription.id)))
    .for('update');
  if (existing?.stripeSyncedAt && existing.stripeSyncedAt.getTime() > options.observedAt.getTime()) return existing;

  const memberId = (await resolveMember(tx, tenantId, subscription)) ?? existing?.memberId ?? null;
  if (!memberId) return existing ?? null;
  const plan = await resolvePlan(tx, tenantId, subscription);
  const tierId = plan?.tierId ?? existing?.tierId ?? null;
  if (!tierId) return existing ?? null;

  const fields = syncedFields(subscription, memberId, tierId, plan, existing, options.observedAt);
  const now = deps.clock.now();
  let row: SubscriptionRow;
  if (existing) {
    [row] = (await tx
      .update(subscriptions)
      .set({ ...fields, updatedAt: now })
      .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, existing.id)))
      .returning()) as [SubscriptionRow];
  } else {
    [row] = (await tx
      .insert(subscriptions)
      .values({ tenantId, id: billingId(deps, 'msub'), kind: 'stripe', ...fields, createdAt: now, updatedAt: now })
      .returning()) as [SubscriptionRow];
  }

  await recordChange(tx, deps, row, existing ?? null, options);
  const statusChanged = !existing || existing.status !== row.status;
  const tierChanged = !existing || existing.tierId !== row.tierId;
  if (statusChanged || tierChanged) await moveMember(tx, deps, row, existing ?? null, options.cause);
  return row;
}

/** The member: `memberkit_member_id` metadata (when that member is this tenant's), else the customer's member. */
async function resolveMember(tx: Tx, tenantId: string, subscription: Stripe.Subscription): Promise<string | null> {
  const fromMetadata = subscription.metadata?.memberkit_member_id;
  if (fromMetadata) {
    const [member] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, fromMetadata)));
    if (member) return member.id;
  }
  const customerId = idOf(subscription.customer);
  if (!customerId) return null;
  const [customer] = await tx
    .select({ memberId: billingCustomers.memberId })
    .from(billingCustomers)
    .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.stripeCustomerId, customerId)));
  return customer?.memberId ?? null;
}

interface Plan {
  tierId: string | null;
  tierPriceId: string | null;
  item: Stripe.SubscriptionItem;
}

/**
 * The subscription item that is the membership (not a metered usage price) and
 * its tier: the tier price whose Stripe Price it is, else the
 * `memberkit_tier_id` metadata (of the item, price or subscription).
 */
async function resolvePlan(tx: Tx, tenantId: string, subscription: Stripe.Subscription): Promise<Plan | null> {
  const licensed = subscription.items.data.filter((item) => item.price?.recurring?.usage_type !== 'metered');
  if (licensed.length === 0) return null;
  const priceIds = licensed.map((item) => item.price.id);
  const known = await tx
    .select({ id: tierPrices.id, tierId: tierPrices.tierId, stripePriceId: tierPrices.stripePriceId })
    .from(tierPrices)
    .where(and(eq(tierPrices.tenantId, tenantId), inArray(tierPrices.stripePriceId, priceIds)));
  for (const item of licensed) {
    const price = known.find((p) => p.stripePriceId === item.price.id);
    if (price) return { tierId: price.tierId, tierPriceId: price.id, item };
  }
  const item = licensed[0]!;
  const named =
    item.metadata?.memberkit_tier_id ??
    item.price.metadata?.memberkit_tier_id ??
    subscription.metadata?.memberkit_tier_id;
  if (named) {
    const [tier] = await tx
      .select({ id: tiers.id })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, named)));
    if (tier) return { tierId: tier.id, tierPriceId: null, item };
  }
  return { tierId: null, tierPriceId: null, item };
}

function intervalOf(price: Stripe.Price): BillingInterval | null {
  const recurring = price.recurring;
  if (!recurring) return null;
  if (recurring.interval === 'year' && recurring.interval_count === 1) return 'year';
  if (recurring.interval === 'month' && recurring.interval_count === 12) return 'year';
  if (recurring.interval === 'month' && recurring.interval_count === 1) return 'month';
  return null;
}

function syncedFields(
  subscription: Stripe.Subscription,
  memberId: string,
  tierId: string,
  plan: Plan | null,
  existing: SubscriptionRow | undefined,
  observedAt: Date,
): SyncedFields {
  const item = plan?.item;
  const status = subscription.status as SubscriptionStatus;
  const details = subscription.cancellation_details;
  return {
    memberId,
    status,
    tierId,
    tierPriceId: plan?.tierPriceId ?? (plan?.tierId ? null : (existing?.tierPriceId ?? null)),
    stripeSubscriptionId: subscription.id,
    stripeCustomerId: idOf(subscription.customer),
    stripePriceId: item?.price.id ?? existing?.stripePriceId ?? null,
    interval: item ? intervalOf(item.price) : (existing?.interval ?? null),
    unitAmount: item?.price.unit_amount ?? existing?.unitAmount ?? 0,
    quantity: item?.quantity ?? existing?.quantity ?? 1,
    currency: (item?.price.currency ?? subscription.currency).toLowerCase(),
    // This API version keeps periods on the items.
    currentPeriodStart: fromUnix(item?.current_period_start) ?? existing?.currentPeriodStart ?? null,
    currentPeriodEnd: fromUnix(item?.current_period_end) ?? existing?.currentPeriodEnd ?? null,
    trialStart: fromUnix(subscription.trial_start),
    trialEnd: fromUnix(subscription.trial_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: fromUnix(subscription.cancel_at),
    canceledAt: fromUnix(subscription.canceled_at),
    endedAt: fromUnix(subscription.ended_at),
    // The member's own reason (written locally by the portal) wins over Stripe's coarser one.
    cancellationReason: existing?.cancellationReason ?? details?.feedback ?? details?.reason ?? null,
    cancellationComment: existing?.cancellationComment ?? details?.comment ?? null,
    // The grace period starts when past_due is first seen and survives re-syncs while it lasts.
    pastDueSince: status === 'past_due' ? (existing?.pastDueSince ?? observedAt) : null,
    // A lapse by the grace-period job belongs to this past_due spell: a new spell may lapse again.
    graceLapsedAt: status === 'past_due' ? (existing?.graceLapsedAt ?? null) : null,
    defaultPaymentMethodId: idOf(subscription.default_payment_method),
    latestInvoiceId: idOf(subscription.latest_invoice),
    stripeSyncedAt: observedAt,
  };
}

/** Recurring revenue of a row for the ledger: amount × quantity while paying, else 0, and its interval in months. */
function revenueOf(row: Pick<SubscriptionRow, 'status' | 'unitAmount' | 'quantity' | 'interval'> | null) {
  if (!row) return { amount: 0, months: 1 };
  const months = row.interval === 'year' ? 12 : 1;
  return { amount: PAYING_STATUSES.has(row.status) ? row.unitAmount * row.quantity : 0, months };
}

/** Appends the ledger row when status, tier or recurring revenue changed; a replayed cause is dropped by its key. */
async function recordChange(
  tx: Tx,
  deps: ServiceDeps,
  row: SubscriptionRow,
  before: SubscriptionRow | null,
  options: ApplyOptions,
): Promise<void> {
  const was = revenueOf(before);
  const is = revenueOf(row);
  const changed =
    !before ||
    before.status !== row.status ||
    before.tierId !== row.tierId ||
    was.amount !== is.amount ||
    (is.amount !== 0 && was.months !== is.months);
  if (!changed) return;
  await tx
    .insert(subscriptionChanges)
    .values({
      tenantId: row.tenantId,
      id: billingId(deps, 'sch'),
      subscriptionId: row.id,
      memberId: row.memberId,
      occurredAt: options.observedAt,
      statusBefore: before?.status ?? null,
      statusAfter: row.status,
      tierBefore: before?.tierId ?? null,
      tierAfter: row.tierId,
      amountBefore: was.amount,
      intervalMonthsBefore: was.months,
      amountAfter: is.amount,
      intervalMonthsAfter: is.months,
      currency: row.currency,
      cause: options.cause,
    })
    .onConflictDoNothing();
}

/** The member's tier and status after the subscription's status or tier changed. */
async function moveMember(
  tx: Tx,
  deps: ServiceDeps,
  row: SubscriptionRow,
  before: SubscriptionRow | null,
  cause: string,
): Promise<void> {
  if (row.status === 'active' || row.status === 'trialing') {
    await grantSubscriptionAccess(tx, deps, row.tenantId, row.memberId, row.tierId, cause);
    return;
  }
  if (row.status === 'past_due') {
    // Grace period: access stays as it is; a subscription first seen past_due, or a plan change, gives the tier.
    if (!before || before.tierId !== row.tierId)
      await grantSubscriptionAccess(tx, deps, row.tenantId, row.memberId, row.tierId, cause);
    return;
  }
  if (LAPSED_STATUSES.includes(row.status)) {
    const held = before && before.tierId !== row.tierId ? [row.tierId, before.tierId] : [row.tierId];
    await lapseMember(tx, deps, row.tenantId, row.memberId, held, row.id, cause);
  }
  // incomplete: the first payment is not through yet; nothing changes for the member.
}
