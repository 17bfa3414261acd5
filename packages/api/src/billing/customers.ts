import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { billingCustomers, members } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { MemberErrors } from '../services/members.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { readTenantBilling, openTenantStripe, stripeProblem, type TenantStripe } from './stripe-account.js';

/** A member's Stripe Customer as stored locally. */
export interface BillingCustomer {
  memberId: string;
  stripeCustomerId: string;
  defaultPaymentMethodId: string | null;
}

/** The Stripe idempotency key of a member's customer: one customer per member, even when two requests race. */
export const customerIdempotencyKey = (tenantId: string, memberId: string) => `customer:${tenantId}:${memberId}`;

/** The member's stored customer, or null before their first checkout. Runs in the caller's tenant transaction. */
export async function readCustomer(tx: Tx, tenantId: string, memberId: string): Promise<BillingCustomer | null> {
  const [row] = await tx
    .select({
      memberId: billingCustomers.memberId,
      stripeCustomerId: billingCustomers.stripeCustomerId,
      defaultPaymentMethodId: billingCustomers.defaultPaymentMethodId,
    })
    .from(billingCustomers)
    .where(and(eq(billingCustomers.tenantId, tenantId), eq(billingCustomers.memberId, memberId)));
  return row ?? null;
}

/**
 * The member's Stripe Customer, created the first time it is needed (checkout,
 * adding a card) with the member's email and name and our metadata, and stored
 * in `billing_customers`. The Stripe call carries the key
 * `customer:<tenant>:<member>`, so concurrent first calls get the same customer;
 * the insert ignores a row the other call stored first.
 *
 * Pass `account` when the caller already opened the tenant's Stripe client.
 * @throws ApiError 404 MEMBER_NOT_FOUND for a deleted or unknown member; the
 *   errors of {@link openTenantStripe}; Stripe failures as {@link stripeProblem}.
 * @example
 * const { customer, account } = await ensureCustomer(deps, tenantId, memberId);
 * await account.stripe.checkout.sessions.create({ customer: customer.stripeCustomerId, … }, account.requestOptions());
 */
export async function ensureCustomer(
  deps: BillingServiceDeps,
  tenantId: string,
  memberId: string,
  account?: TenantStripe,
): Promise<{ customer: BillingCustomer; account: TenantStripe }> {
  const found = await deps.db.withTenant(tenantId, async (tx) => {
    const [member] = await tx
      .select({
        email: members.email,
        firstName: members.firstName,
        lastName: members.lastName,
        deletedAt: members.deletedAt,
      })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
    if (!member || member.deletedAt) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
    const customer = await readCustomer(tx, tenantId, memberId);
    const settings = account ? null : await readTenantBilling(tx, tenantId);
    return { member, customer, settings };
  });
  const opened = account ?? (await openTenantStripe(deps, found.settings));
  if (found.customer) return { customer: found.customer, account: opened };

  let created: { id: string };
  try {
    created = await opened.stripe.customers.create(
      {
        email: found.member.email,
        name: `${found.member.firstName} ${found.member.lastName}`.trim(),
        metadata: { memberkit_tenant_id: tenantId, memberkit_member_id: memberId },
      },
      opened.requestOptions({ idempotencyKey: customerIdempotencyKey(tenantId, memberId) }),
    );
  } catch (error) {
    throw stripeProblem(error, 'creating the customer');
  }
  const customer = await deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await tx
      .insert(billingCustomers)
      .values({ tenantId, memberId, stripeCustomerId: created.id, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
    return readCustomer(tx, tenantId, memberId);
  });
  return { customer: customer!, account: opened };
}
