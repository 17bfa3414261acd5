import { invoices } from '../../db/schema/index.js';
import type { ServiceDeps } from '../../services/service-deps.js';

/**
 * Writes `count` paid invoices of a member straight into the local mirror, as the
 * webhook worker would have: for suites that need a member's invoice list to page
 * (the fuzz suite) on a server without Stripe. Ids look like Stripe's (`in_…`).
 * @example
 * const me = await t.request('GET', '/v1/me', { key: memberToken });
 * await seedMemberInvoices(t.deps, tenant.id, me.body.id, 2);
 */
export async function seedMemberInvoices(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  count: number,
): Promise<string[]> {
  const base = deps.clock.now().getTime();
  const rows = Array.from({ length: count }, (_, i) => {
    const created = new Date(base - (count - i) * 31 * 86_400_000);
    const periodEnd = new Date(created.getTime() + 31 * 86_400_000);
    return {
      tenantId,
      id: `in_fixture${memberId.slice(-10)}${String(i).padStart(4, '0')}`,
      memberId,
      status: 'paid' as const,
      number: `FIX-${String(i + 1).padStart(4, '0')}`,
      billingReason: i === 0 ? 'subscription_create' : 'subscription_cycle',
      currency: 'eur',
      subtotal: 1500,
      total: 1500,
      amountDue: 1500,
      amountPaid: 1500,
      periodStart: created,
      periodEnd,
      lines: [
        {
          description: '1 × Supporter (at €15.00 / month)',
          amount: 1500,
          proration: false,
          period_start: created.toISOString(),
          period_end: periodEnd.toISOString(),
        },
      ],
      paidAt: created,
      stripeCreatedAt: created,
      stripeSyncedAt: created,
    };
  });
  await deps.db.withTenant(tenantId, (tx) => tx.insert(invoices).values(rows).onConflictDoNothing());
  return rows.map((row) => row.id);
}
