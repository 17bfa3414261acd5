import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import {
  type BillingInterval,
  meteredFeatures,
  members,
  subscriptions,
  tiers,
  usageRecords,
  type UsageRecordRow,
} from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { MemberErrors } from '../services/members.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { BillingErrors } from './billing-errors.js';
import { FeatureErrors, readFeatureByKey } from './features.js';
import { graduatedAmount, readTierMeteredPrices } from './metered-prices.js';
import { readTenantBilling } from './stripe-account.js';
import { usageId } from './usage-ids.js';

/** Stripe takes meter events up to 35 days old… */
export const USAGE_MAX_AGE_MS = 35 * 24 * 3_600_000;
/** …and up to 5 minutes ahead (clock skew between the integrator and us). */
export const USAGE_MAX_AHEAD_MS = 5 * 60_000;

/** Usage as `POST /v1/usage` reports it. */
export interface UsageInput {
  memberId: string;
  /** The feature's key. */
  feature: string;
  quantity: number;
  identifier: string;
  /** When the usage happened; now when absent. */
  occurredAt?: Date;
}

/** A stored usage record with its feature's key. */
export type UsageRecord = UsageRecordRow & { featureKey: string };

/** Whether a stored record is what `input` describes (the time only when the input names one). */
function sameUsage(row: UsageRecordRow, featureId: string | undefined, input: UsageInput): boolean {
  return (
    row.memberId === input.memberId &&
    row.featureId === featureId &&
    row.quantity === input.quantity &&
    (input.occurredAt === undefined || row.occurredAt.getTime() === input.occurredAt.getTime())
  );
}

function reused(identifier: string): ApiError {
  return new ApiError(
    BillingErrors.USAGE_IDENTIFIER_REUSED,
    `Usage with identifier "${identifier}" was recorded with other values; use a new identifier for new usage.`,
    { errors: [{ field: 'identifier', message: 'Already used for different usage.' }] },
  );
}

/**
 * Records usage of a metered feature by a member, idempotently by `identifier`
 * (unique per tenant): the same identifier with the same member, feature,
 * quantity (and time, when given) returns the stored record; with other values it
 * is a 409. The record is the outbox the usage forwarder sends to Stripe from.
 * Not audited: usage is itself an append-only record, and an audit entry per
 * event would serialize every tenant's usage on its audit chain.
 * @returns the record and whether it was created by this call.
 * @throws 404 MEMBER_NOT_FOUND, FEATURE_NOT_FOUND; 409 FEATURE_ARCHIVED, USAGE_IDENTIFIER_REUSED; 422 for a time Stripe would refuse.
 */
export async function recordUsage(
  deps: ServiceDeps,
  tenantId: string,
  input: UsageInput,
): Promise<{ record: UsageRecord; created: boolean }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const feature = await readFeatureByKey(tx, tenantId, input.feature);
    const readExisting = async () => {
      const [row] = await tx
        .select()
        .from(usageRecords)
        .where(and(eq(usageRecords.tenantId, tenantId), eq(usageRecords.identifier, input.identifier)));
      return row;
    };
    const replay = (row: UsageRecordRow) => {
      if (!sameUsage(row, feature?.id, input)) throw reused(input.identifier);
      return { record: { ...row, featureKey: input.feature }, created: false };
    };

    const existing = await readExisting();
    if (existing) return replay(existing);

    const [member] = await tx
      .select({ id: members.id, deletedAt: members.deletedAt })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, input.memberId)));
    if (!member || member.deletedAt)
      throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${input.memberId}.`, {
        errors: [{ field: 'member_id', message: 'No such member.' }],
      });
    if (!feature)
      throw new ApiError(BillingErrors.FEATURE_NOT_FOUND, `No metered feature with key "${input.feature}".`, {
        errors: [{ field: 'feature', message: 'No metered feature has this key.' }],
      });
    if (feature.archivedAt)
      throw new ApiError(FeatureErrors.FEATURE_ARCHIVED, `Metered feature "${input.feature}" is archived.`, {
        errors: [{ field: 'feature', message: 'Archived: it takes no more usage.' }],
      });

    const now = deps.clock.now();
    const occurredAt = input.occurredAt ?? now;
    if (
      occurredAt.getTime() < now.getTime() - USAGE_MAX_AGE_MS ||
      occurredAt.getTime() > now.getTime() + USAGE_MAX_AHEAD_MS
    )
      throw validationError([
        {
          field: 'timestamp',
          message: 'Must be within the last 35 days and at most 5 minutes ahead (Stripe meters take no other).',
        },
      ]);

    const [inserted] = await tx
      .insert(usageRecords)
      .values({
        tenantId,
        id: usageId(deps.ids, 'use'),
        memberId: input.memberId,
        featureId: feature.id,
        identifier: input.identifier,
        quantity: input.quantity,
        occurredAt,
        forwardStatus: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) return { record: { ...inserted, featureKey: feature.key }, created: true };
    // A concurrent request stored the identifier first.
    const raced = await readExisting();
    if (!raced) throw new Error('usage record vanished after a conflicting insert');
    return replay(raced);
  });
}

/** One feature's usage in a period, as the member's portal shows it. */
export interface FeatureUsage {
  key: string;
  name: string;
  unitLabel: string | null;
  used: number;
  included: number;
  /** Minor units of `currency`, under the tier's graduated price; 0 without a price. */
  estimatedAmount: number;
  currency: string;
}

/** A member's usage in the current billing period. */
export interface UsageSummary {
  periodStart: Date;
  periodEnd: Date;
  features: FeatureUsage[];
}

/** Subscription statuses whose current period is the one being billed. */
const BILLED_STATUSES = ['trialing', 'active', 'past_due'] as const;

/** The UTC calendar month around `now`: the period of a member without a subscription. */
function calendarMonth(now: Date): { start: Date; end: Date } {
  return {
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

function toSafeNumber(value: bigint): number {
  // Usage and amounts stay far below 2^53 in practice; refuse to round silently if they do not.
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('usage amount beyond exact number range');
  return Number(value);
}

/**
 * The member's usage this period: the current period of their subscription
 * (trialing, active or past due), or the UTC calendar month without one. For each
 * feature priced on their tier (for the subscription's interval), and each other
 * feature they used: units used (every record, forwarded or not), the included
 * units and the estimated charge under the tier's graduated steps, exactly.
 * @throws 404 MEMBER_NOT_FOUND
 */
export async function usageSummary(deps: ServiceDeps, tenantId: string, memberId: string): Promise<UsageSummary> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [member] = await tx
      .select({ tierId: members.tierId, deletedAt: members.deletedAt, tierInterval: tiers.interval })
      .from(members)
      .leftJoin(tiers, and(eq(tiers.tenantId, members.tenantId), eq(tiers.id, members.tierId)))
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
    if (!member || member.deletedAt) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);

    const [subscription] = await tx
      .select({
        tierId: subscriptions.tierId,
        interval: subscriptions.interval,
        currency: subscriptions.currency,
        start: subscriptions.currentPeriodStart,
        end: subscriptions.currentPeriodEnd,
      })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.tenantId, tenantId),
          eq(subscriptions.memberId, memberId),
          eq(subscriptions.kind, 'stripe'),
          inArray(subscriptions.status, [...BILLED_STATUSES]),
        ),
      )
      .orderBy(desc(subscriptions.createdAt))
      .limit(1);

    const now = deps.clock.now();
    const period =
      subscription?.start && subscription.end
        ? { start: subscription.start, end: subscription.end }
        : calendarMonth(now);
    const tierId = subscription?.tierId ?? member.tierId;
    const interval: BillingInterval = subscription?.interval ?? (member.tierInterval === 'year' ? 'year' : 'month');
    const settings = await readTenantBilling(tx, tenantId);
    const currency = subscription?.currency ?? settings?.currency ?? 'eur';

    const prices = tierId ? await readTierMeteredPrices(tx, tenantId, tierId, interval) : [];
    const sums = await tx
      .select({ featureId: usageRecords.featureId, used: sql<string>`sum(${usageRecords.quantity})::text` })
      .from(usageRecords)
      .where(
        and(
          eq(usageRecords.tenantId, tenantId),
          eq(usageRecords.memberId, memberId),
          gte(usageRecords.occurredAt, period.start),
          lt(usageRecords.occurredAt, period.end),
        ),
      )
      .groupBy(usageRecords.featureId);
    const usedBy = new Map(sums.map((s) => [s.featureId, BigInt(s.used)]));
    const pricedIds = new Set(prices.map((p) => p.featureId));
    const unpricedIds = [...usedBy.keys()].filter((id) => !pricedIds.has(id));
    const unpriced = unpricedIds.length
      ? await tx
          .select()
          .from(meteredFeatures)
          .where(and(eq(meteredFeatures.tenantId, tenantId), inArray(meteredFeatures.id, unpricedIds)))
      : [];

    const features: (FeatureUsage & { id: string })[] = [
      ...prices.map((price) => {
        const used = usedBy.get(price.featureId) ?? 0n;
        return {
          id: price.featureId,
          key: price.featureKey,
          name: price.featureName,
          unitLabel: price.unitLabel,
          used: toSafeNumber(used),
          included: price.includedUnits,
          estimatedAmount: toSafeNumber(graduatedAmount(used, price.includedUnits, price.steps)),
          currency: price.currency,
        };
      }),
      ...unpriced.map((feature) => ({
        id: feature.id,
        key: feature.key,
        name: feature.name,
        unitLabel: feature.unitLabel,
        used: toSafeNumber(usedBy.get(feature.id) ?? 0n),
        included: 0,
        estimatedAmount: 0,
        currency,
      })),
    ];
    features.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      periodStart: period.start,
      periodEnd: period.end,
      features: features.map(({ id: _id, ...rest }) => rest),
    };
  });
}
