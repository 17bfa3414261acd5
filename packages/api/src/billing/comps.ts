import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { subscriptionChanges, subscriptions, tiers, type SubscriptionRow } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { billingId } from './apply-subscription.js';
import { grantSubscriptionAccess, lapseMember } from './apply-subscription-member.js';
import { DEFAULT_BILLING_CURRENCY } from './revenue.js';
import { requireMember } from './staff-subscriptions.js';
import { StaffBillingErrors } from './staff-errors.js';
import { readTenantBilling } from './stripe-account.js';

/** Longest complimentary membership: ten years. */
const MAX_COMP_MS = 10 * 366 * 86_400_000;

/** Paid subscription statuses that hold a membership (a comp on top would double it). */
const PAID_LIVE_STATUSES = ['trialing', 'active', 'past_due'] as const;

/** Serializes comp grants and revocations of one member (two staff clicking at once grant one comp). */
async function lockMemberComps(tx: Tx, memberId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('memberkit_comp'), hashtext(${memberId}))`);
}

/** The member's complimentary membership that has not ended, if any. */
async function liveComp(tx: Tx, tenantId: string, memberId: string, now: Date): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.tenantId, tenantId),
        eq(subscriptions.memberId, memberId),
        eq(subscriptions.kind, 'comp'),
        eq(subscriptions.status, 'comp'),
        or(isNull(subscriptions.compEndsAt), gt(subscriptions.compEndsAt, now)),
      ),
    )
    .for('update');
  return row ?? null;
}

/**
 * Grants a member a complimentary membership of `tierId` until `endsAt`: a
 * `kind: 'comp'` subscription (no Stripe object, nothing charged), a ledger row
 * with amount 0 (revenue analytics sees no MRR), the member moved to the tier
 * (active) and an audit entry, in one transaction. The grace-period job ends it
 * at `comp_ends_at`.
 * @throws ApiError 404 MEMBER_NOT_FOUND, 422 COMP_TIER_INVALID / COMP_ENDS_AT_INVALID,
 *   409 COMP_EXISTS / MEMBER_HAS_SUBSCRIPTION.
 */
export async function grantComp(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  memberId: string,
  input: { tierId: string; endsAt: Date },
): Promise<SubscriptionRow> {
  const now = deps.clock.now();
  if (input.endsAt.getTime() <= now.getTime()) {
    const message = `ends_at must be in the future; got ${input.endsAt.toISOString()}.`;
    throw new ApiError(StaffBillingErrors.COMP_ENDS_AT_INVALID, message, { errors: [{ field: 'ends_at', message }] });
  }
  if (input.endsAt.getTime() - now.getTime() > MAX_COMP_MS) {
    const message = 'ends_at may be at most ten years ahead.';
    throw new ApiError(StaffBillingErrors.COMP_ENDS_AT_INVALID, message, { errors: [{ field: 'ends_at', message }] });
  }
  return deps.db.withTenant(tenantId, async (tx) => {
    await requireMember(tx, tenantId, memberId);
    const [tier] = await tx
      .select({ id: tiers.id, archivedAt: tiers.archivedAt })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, input.tierId)));
    if (!tier || tier.archivedAt) {
      const message = tier ? `Tier ${input.tierId} is archived.` : `No tier ${input.tierId}.`;
      throw new ApiError(StaffBillingErrors.COMP_TIER_INVALID, message, { errors: [{ field: 'tier_id', message }] });
    }
    await lockMemberComps(tx, memberId);
    if (await liveComp(tx, tenantId, memberId, now))
      throw new ApiError(
        StaffBillingErrors.COMP_EXISTS,
        `Member ${memberId} already has a complimentary membership; revoke it first.`,
      );
    const [paid] = await tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.tenantId, tenantId),
          eq(subscriptions.memberId, memberId),
          eq(subscriptions.kind, 'stripe'),
          inArray(subscriptions.status, [...PAID_LIVE_STATUSES]),
        ),
      )
      .limit(1);
    if (paid)
      throw new ApiError(
        StaffBillingErrors.MEMBER_HAS_SUBSCRIPTION,
        `Member ${memberId} pays through subscription ${paid.id}; cancel it before granting a complimentary membership.`,
      );
    const settings = await readTenantBilling(tx, tenantId);
    const id = billingId(deps, 'msub');
    const [row] = await tx
      .insert(subscriptions)
      .values({
        tenantId,
        id,
        memberId,
        kind: 'comp',
        status: 'comp',
        tierId: input.tierId,
        unitAmount: 0,
        quantity: 1,
        currency: settings?.currency ?? DEFAULT_BILLING_CURRENCY,
        currentPeriodStart: now,
        currentPeriodEnd: input.endsAt,
        compEndsAt: input.endsAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(subscriptionChanges).values({
      tenantId,
      id: billingId(deps, 'sch'),
      subscriptionId: id,
      memberId,
      occurredAt: now,
      statusBefore: null,
      statusAfter: 'comp',
      tierBefore: null,
      tierAfter: input.tierId,
      currency: row!.currency,
      cause: `comp:granted`,
    });
    await grantSubscriptionAccess(tx, deps, tenantId, memberId, input.tierId, `comp:${id}`);
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'billing.comp_granted',
        targetType: 'subscription',
        targetId: id,
        diff: { member_id: memberId, tier_id: input.tierId, ends_at: input.endsAt.toISOString() },
      },
    ]);
    return row!;
  });
}

/**
 * Ends a member's complimentary membership now: the subscription `canceled`, a
 * ledger row, the member lapsed (the tenant's lapse tier, or inactive) unless
 * another subscription still gives access, and an audit entry, in one transaction.
 * @throws ApiError 404 MEMBER_NOT_FOUND / COMP_NOT_FOUND.
 */
export async function revokeComp(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  memberId: string,
): Promise<SubscriptionRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await requireMember(tx, tenantId, memberId);
    await lockMemberComps(tx, memberId);
    const comp = await liveComp(tx, tenantId, memberId, now);
    if (!comp)
      throw new ApiError(StaffBillingErrors.COMP_NOT_FOUND, `Member ${memberId} has no complimentary membership.`);
    const [row] = await tx
      .update(subscriptions)
      .set({ status: 'canceled', canceledAt: now, endedAt: now, updatedAt: now })
      .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, comp.id)))
      .returning();
    await tx
      .insert(subscriptionChanges)
      .values({
        tenantId,
        id: billingId(deps, 'sch'),
        subscriptionId: comp.id,
        memberId,
        occurredAt: now,
        statusBefore: 'comp',
        statusAfter: 'canceled',
        tierBefore: comp.tierId,
        tierAfter: comp.tierId,
        currency: comp.currency,
        cause: 'comp:revoked',
      })
      .onConflictDoNothing();
    await lapseMember(tx, deps, tenantId, memberId, [comp.tierId], comp.id, `comp:${comp.id}`);
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'billing.comp_revoked',
        targetType: 'subscription',
        targetId: comp.id,
        diff: { member_id: memberId, tier_id: comp.tierId, comp_ends_at: comp.compEndsAt?.toISOString() ?? null },
      },
    ]);
    return row!;
  });
}
