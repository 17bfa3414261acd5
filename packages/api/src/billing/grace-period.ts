import { and, eq, sql } from 'drizzle-orm';
import { executeRows } from '../db/database.js';
import { billingCustomers, subscriptionChanges, subscriptions } from '../db/schema/index.js';
import { lapseMember } from './apply-subscription-member.js';
import { billingId } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { queueCardExpiringMail, queueRenewalReminderMail } from './dunning.js';
import { tenantStripe } from './stripe-account.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Days before a yearly renewal that its reminder goes out (when Stripe's `invoice.upcoming` did not come first). */
export const RENEWAL_REMINDER_DAYS = 7;

export interface GracePeriodRun {
  /** Members lapsed because their subscription stayed past_due longer than the tenant's grace period. */
  lapsed: number;
  /** Complimentary memberships that reached their end. */
  compsEnded: number;
  /** Renewal reminders queued. */
  reminders: number;
}

interface Due extends Record<string, unknown> {
  tenant_id: string;
  id: string;
  member_id: string;
  tier_id: string;
}

/**
 * The billing clock's work, for every tenant (found as the platform role, each
 * change made in a transaction of its tenant):
 * - a subscription `past_due` for longer than the tenant's `grace_period_days`
 *   lapses its member (the tenant's lapse tier, or `inactive`); the subscription
 *   stays as Stripe has it, and a payment that goes through later gives the tier back;
 * - a complimentary membership past `comp_ends_at` ends (status `canceled`, its
 *   ledger row) and its member lapses likewise;
 * - yearly renewals within {@link RENEWAL_REMINDER_DAYS} get their reminder mail.
 * Idempotent: a lapsed member is not lapsed again, an ended comp not ended again,
 * a reminder is queued once per renewal.
 */
export async function runGracePeriod(
  deps: BillingServiceDeps,
  options: { onlyTenants?: readonly string[] } = {},
): Promise<GracePeriodRun> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const only = options.onlyTenants ? sql`and s.tenant_id = any(${sql.param([...options.onlyTenants])}::text[])` : sql``;
  const [overdue, comps, renewals] = await deps.db.withPlatform(async (tx) => [
    await executeRows<Due>(
      tx.execute(sql`select s.tenant_id, s.id, s.member_id, s.tier_id
        from subscriptions s left join tenant_billing b on b.tenant_id = s.tenant_id
        where s.status = 'past_due' and s.past_due_since is not null and s.grace_lapsed_at is null
          and s.past_due_since + make_interval(days => coalesce(b.grace_period_days, 7)) <= ${nowIso}::timestamptz
          ${only}
        order by s.tenant_id, s.id`),
    ),
    await executeRows<Due>(
      tx.execute(sql`select s.tenant_id, s.id, s.member_id, s.tier_id from subscriptions s
        where s.kind = 'comp' and s.status = 'comp' and s.comp_ends_at <= ${nowIso}::timestamptz ${only}
        order by s.tenant_id, s.id`),
    ),
    await executeRows<Due & { current_period_end: string; unit_amount: number; quantity: number; currency: string }>(
      tx.execute(sql`select s.tenant_id, s.id, s.member_id, s.tier_id, s.current_period_end, s.unit_amount,
          s.quantity, s.currency
        from subscriptions s
        where s.kind = 'stripe' and s.status = 'active' and s.interval = 'year' and not s.cancel_at_period_end
          and s.current_period_end > ${nowIso}::timestamptz
          and s.current_period_end <= ${new Date(now.getTime() + RENEWAL_REMINDER_DAYS * DAY_MS).toISOString()}::timestamptz
          ${only}
        order by s.tenant_id, s.id`),
    ),
  ]);

  const run: GracePeriodRun = { lapsed: 0, compsEnded: 0, reminders: 0 };
  for (const sub of overdue) {
    await guarded(deps, sub, async () => {
      const lapsed = await deps.db.withTenant(sub.tenant_id, async (tx) => {
        const done = await lapseMember(
          tx,
          deps,
          sub.tenant_id,
          sub.member_id,
          [sub.tier_id],
          sub.id,
          `grace:${sub.id}`,
        );
        // Once per past_due spell: staff who reactivate the member while it lasts are not overruled at the next run.
        await tx
          .update(subscriptions)
          .set({ graceLapsedAt: now })
          .where(and(eq(subscriptions.tenantId, sub.tenant_id), eq(subscriptions.id, sub.id)));
        return done;
      });
      if (lapsed) run.lapsed += 1;
    });
  }
  for (const comp of comps) {
    await guarded(deps, comp, async () => {
      if (await endComp(deps, comp, now)) run.compsEnded += 1;
    });
  }
  for (const sub of renewals) {
    await guarded(deps, sub, async () => {
      const queued = await deps.db.withTenant(sub.tenant_id, (tx) =>
        queueRenewalReminderMail(tx, deps, sub.tenant_id, sub.member_id, {
          subscriptionId: sub.id,
          renewsAt: new Date(sub.current_period_end),
          amount: Number(sub.unit_amount) * Number(sub.quantity),
          currency: sub.currency,
        }),
      );
      if (queued) run.reminders += 1;
    });
  }
  return run;
}

/** One subscription's failure is logged and does not stop the run. */
async function guarded(deps: BillingServiceDeps, sub: Due, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    deps.logger.error('billing grace-period job failed for a subscription', {
      tenant_id: sub.tenant_id,
      subscription_id: sub.id,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Ends a comp: status `canceled` at its end, its ledger row, the member's lapse. False when already ended. */
async function endComp(deps: BillingServiceDeps, comp: Due, now: Date): Promise<boolean> {
  return deps.db.withTenant(comp.tenant_id, async (tx) => {
    const [row] = await tx
      .update(subscriptions)
      .set({ status: 'canceled', endedAt: sql`${subscriptions.compEndsAt}`, updatedAt: now })
      .where(
        and(
          eq(subscriptions.tenantId, comp.tenant_id),
          eq(subscriptions.id, comp.id),
          eq(subscriptions.status, 'comp'),
        ),
      )
      .returning();
    if (!row) return false;
    const cause = `comp-end:${row.id}`;
    await tx
      .insert(subscriptionChanges)
      .values({
        tenantId: row.tenantId,
        id: billingId(deps, 'sch'),
        subscriptionId: row.id,
        memberId: row.memberId,
        occurredAt: row.compEndsAt ?? now,
        statusBefore: 'comp',
        statusAfter: 'canceled',
        tierBefore: row.tierId,
        tierAfter: row.tierId,
        amountBefore: 0,
        amountAfter: 0,
        currency: row.currency,
        cause,
      })
      .onConflictDoNothing();
    await lapseMember(tx, deps, row.tenantId, row.memberId, [row.tierId], row.id, cause);
    return true;
  });
}

/**
 * Card-expiry scan of one tenant (monthly is enough; daily is harmless): the
 * default card of every member with a live Stripe subscription, fetched from
 * Stripe; a card that expires this month or next gets the expiring-card mail,
 * once per card and expiry. Returns the number of mails queued.
 */
export async function scanExpiringCards(deps: BillingServiceDeps, tenantId: string): Promise<number> {
  const customers = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .selectDistinct({ memberId: billingCustomers.memberId, paymentMethod: billingCustomers.defaultPaymentMethodId })
      .from(billingCustomers)
      .innerJoin(
        subscriptions,
        and(
          eq(subscriptions.tenantId, billingCustomers.tenantId),
          eq(subscriptions.memberId, billingCustomers.memberId),
        ),
      )
      .where(
        and(
          eq(billingCustomers.tenantId, tenantId),
          sql`${billingCustomers.defaultPaymentMethodId} is not null`,
          sql`${subscriptions.status} in ('active', 'trialing', 'past_due')`,
          eq(subscriptions.cancelAtPeriodEnd, false),
        ),
      ),
  );
  if (customers.length === 0) return 0;
  const account = await tenantStripe(deps, tenantId);
  const now = deps.clock.now();
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  let queued = 0;
  for (const customer of customers) {
    if (!customer.paymentMethod) continue;
    const pm = await account.stripe.paymentMethods.retrieve(customer.paymentMethod, {}, account.requestOptions());
    const card = pm.card;
    if (!card) continue;
    const expires = card.exp_year * 12 + (card.exp_month - 1);
    if (expires < thisMonth || expires > thisMonth + 1) continue;
    const sent = await deps.db.withTenant(tenantId, (tx) =>
      queueCardExpiringMail(tx, deps, tenantId, customer.memberId, {
        id: pm.id,
        brand: card.brand,
        last4: card.last4,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
      }),
    );
    if (sent) queued += 1;
  }
  return queued;
}
