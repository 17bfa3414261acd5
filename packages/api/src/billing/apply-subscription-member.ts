import { and, eq, gt, inArray, isNull, ne, or } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { members, subscriptions, type MemberRow, type SubscriptionStatus } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit, diffOf } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { canTransition } from '../services/member-status.js';
import {
  applyMemberPatch,
  memberFields,
  MemberErrors,
  recordMemberEvents,
  type MemberEventInput,
  type MemberPatch,
} from '../services/members.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { TierErrors } from '../services/tiers.js';
import { readTenantBilling } from './stripe-account.js';

/** Statuses in which a subscription gives its member the tier. `past_due` keeps access during the grace period. */
export const ACCESS_STATUSES: readonly SubscriptionStatus[] = ['active', 'trialing', 'past_due', 'comp'];
/** Statuses after which the member lapses: nothing is paid any more. */
export const LAPSED_STATUSES: readonly SubscriptionStatus[] = ['unpaid', 'canceled', 'incomplete_expired', 'paused'];

/** The audit context of a change billing makes on its own (a Stripe event, reconciliation, the grace-period job). */
export function billingContext(cause: string): AuditContext {
  // requestId carries the cause (the Stripe event id, `reconcile:<run>`, `grace:<sub>`), so audit entries trace back to it.
  return { actorType: 'system', actorId: 'billing', requestId: cause, ip: null };
}

/**
 * Changes a member's tier/status through the member service (events, growth
 * rollup, audit). A paying subscriber is never refused their tier: when the
 * tier is full or archived (the capacity check is for staff assignments; Stripe
 * has already charged), the same writes are made without that check.
 * A deleted member is left alone. Returns the member after the change, or null.
 */
export async function patchMemberForBilling(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  patch: Pick<MemberPatch, 'status' | 'tierId'>,
  cause: string,
): Promise<MemberRow | null> {
  const ctx = billingContext(cause);
  try {
    return await applyMemberPatch(tx, deps, tenantId, ctx, memberId, patch);
  } catch (error) {
    if (error instanceof ApiError && error.code === MemberErrors.MEMBER_NOT_FOUND.code) return null;
    const capacity =
      error instanceof ApiError &&
      (error.code === TierErrors.TIER_FULL.code || error.code === TierErrors.TIER_ARCHIVED.code);
    if (!capacity) throw error;
    // The tier check throws before applyMemberPatch writes anything, so the transaction is clean here.
    return forceMemberPatch(tx, deps, tenantId, memberId, patch, ctx);
  }
}

/** {@link applyMemberPatch}'s writes (row, lifecycle events, audit) without the capacity check. */
async function forceMemberPatch(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  patch: Pick<MemberPatch, 'status' | 'tierId'>,
  ctx: AuditContext,
): Promise<MemberRow | null> {
  const [current] = await tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)))
    .for('update');
  if (!current || current.deletedAt) return null;
  const next = {
    status: patch.status ?? current.status,
    tierId: patch.tierId !== undefined ? patch.tierId : current.tierId,
  };
  const diff = diffOf(memberFields(current), memberFields({ ...current, ...next }));
  if (Object.keys(diff).length === 0) return current;
  const [row] = await tx
    .update(members)
    .set({ ...next, updatedAt: deps.clock.now() })
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)))
    .returning();
  const events: MemberEventInput[] = [];
  if (next.status !== current.status)
    events.push({ memberId, type: 'status_changed', from: current.status, to: next.status });
  if (next.tierId !== current.tierId)
    events.push({ memberId, type: 'tier_changed', from: current.tierId, to: next.tierId });
  await recordMemberEvents(tx, deps, tenantId, ctx, events);
  await appendAudit(tx, deps, tenantId, ctx, [
    { action: 'member.updated', targetType: 'member', targetId: memberId, diff },
  ]);
  return row ?? null;
}

/**
 * Gives the member the subscription's tier, active. A suspended member stays
 * suspended (a staff decision billing does not overrule) but gets the tier.
 */
export async function grantSubscriptionAccess(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  tierId: string,
  cause: string,
): Promise<MemberRow | null> {
  const [member] = await tx
    .select({ status: members.status })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
  if (!member) return null;
  const status = member.status === 'suspended' ? 'suspended' : 'active';
  return patchMemberForBilling(tx, deps, tenantId, memberId, { tierId, status }, cause);
}

/**
 * Lapses a member whose paid membership ended: to the tenant's lapse tier, or
 * status `inactive` (tier kept for the record) when it has none. Nothing happens
 * while another subscription of the member still gives access, or when the
 * member no longer holds the ended subscription's tier (staff moved them).
 * Returns the member when it changed, else null.
 * @param heldTiers the tier(s) the ended subscription gave
 * @param exceptSubscriptionId the ended subscription itself (not counted as "another")
 */
export async function lapseMember(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  heldTiers: readonly string[],
  exceptSubscriptionId: string,
  cause: string,
): Promise<MemberRow | null> {
  const [member] = await tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
  if (!member || member.deletedAt) return null;
  if (!member.tierId || !heldTiers.includes(member.tierId)) return null;
  if (await hasOtherAccess(tx, deps, tenantId, memberId, exceptSubscriptionId)) return null;
  const settings = await readTenantBilling(tx, tenantId);
  if (settings?.lapseTierId) {
    if (member.tierId === settings.lapseTierId) return null;
    return patchMemberForBilling(tx, deps, tenantId, memberId, { tierId: settings.lapseTierId }, cause);
  }
  if (member.status === 'inactive' || !canTransition(member.status, 'inactive')) return null;
  return patchMemberForBilling(tx, deps, tenantId, memberId, { status: 'inactive' }, cause);
}

/** Whether another subscription of the member (Stripe or comp) still gives access now. */
async function hasOtherAccess(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  exceptSubscriptionId: string,
): Promise<boolean> {
  const now = deps.clock.now();
  const rows = await tx
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.tenantId, tenantId),
        eq(subscriptions.memberId, memberId),
        ne(subscriptions.id, exceptSubscriptionId),
        inArray(subscriptions.status, [...ACCESS_STATUSES]),
        or(isNull(subscriptions.compEndsAt), gt(subscriptions.compEndsAt, now)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
