import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  mailOutbox,
  memberCredentials,
  members,
  subscriptions,
  tenants,
  tiers,
  type InvoiceRow,
} from '../db/schema/index.js';
import type { OutboxData } from '../mail/outbox-mail.js';
import type { ServiceDeps } from '../services/service-deps.js';

/**
 * Dunning mails (payment failed, card expiring, renewal reminder), queued in the
 * mail outbox in the caller's transaction, in the member's language (their
 * account's locale, else the tenant's default). Each carries a `dedupe_key`:
 * a mail with the same key is never queued twice, so a re-run scan or a
 * replayed event sends nothing more.
 */

type DunningTemplate = 'billing_payment_failed' | 'billing_card_expiring' | 'billing_renewal_reminder';

interface Recipient {
  email: string;
  firstName: string;
  locale: string;
}

/** The member's address, first name and mail language; null for a deleted member. */
async function recipient(tx: Tx, tenantId: string, memberId: string): Promise<Recipient | null> {
  const [row] = await tx
    .select({
      email: members.email,
      firstName: members.firstName,
      deletedAt: members.deletedAt,
      locale: memberCredentials.locale,
      tenantLocale: tenants.defaultLocale,
    })
    .from(members)
    .innerJoin(tenants, eq(tenants.id, members.tenantId))
    .leftJoin(
      memberCredentials,
      and(eq(memberCredentials.tenantId, members.tenantId), eq(memberCredentials.memberId, members.id)),
    )
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
  if (!row || row.deletedAt) return null;
  return { email: row.email, firstName: row.firstName, locale: row.locale ?? row.tenantLocale };
}

/**
 * Queues one dunning mail unless one with `dedupeKey` was queued before.
 * @returns whether a mail was queued
 */
async function queueDunningMail<K extends DunningTemplate>(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  tenantId: string,
  memberId: string,
  template: K,
  dedupeKey: string,
  data: (to: Recipient) => OutboxData[K],
): Promise<boolean> {
  const to = await recipient(tx, tenantId, memberId);
  if (!to) return false;
  // Concurrent scans queue the same key one after the other, and the second finds the first.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('memberkit_dunning'), hashtext(${dedupeKey}))`);
  const [seen] = await tx
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.tenantId, tenantId),
        eq(mailOutbox.template, template),
        sql`${mailOutbox.data}->>'dedupe_key' = ${dedupeKey}`,
      ),
    )
    .limit(1);
  if (seen) return false;
  const now = deps.clock.now();
  await tx.insert(mailOutbox).values({
    tenantId,
    id: deps.ids.generate('mail'),
    template,
    toAddress: to.email,
    locale: to.locale,
    data: { ...data(to), dedupe_key: dedupeKey, member_id: memberId },
    createdAt: now,
    nextAttemptAt: now,
  });
  return true;
}

async function tierName(tx: Tx, tenantId: string, subscriptionId: string | null): Promise<string | null> {
  if (!subscriptionId) return null;
  const [row] = await tx
    .select({ name: tiers.name })
    .from(subscriptions)
    .innerJoin(tiers, and(eq(tiers.tenantId, subscriptions.tenantId), eq(tiers.id, subscriptions.tierId)))
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, subscriptionId)));
  return row?.name ?? null;
}

/** "Your payment did not go through", with the hosted invoice link; once per invoice and attempt. */
export async function queuePaymentFailedMail(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  invoice: InvoiceRow,
): Promise<boolean> {
  const tier = await tierName(tx, invoice.tenantId, invoice.subscriptionId);
  return queueDunningMail(
    tx,
    deps,
    invoice.tenantId,
    invoice.memberId,
    'billing_payment_failed',
    `payment_failed:${invoice.id}:${invoice.attemptCount}`,
    (to) => ({
      first_name: to.firstName,
      tier_name: tier,
      amount: invoice.amountDue,
      currency: invoice.currency,
      invoice_url: invoice.hostedInvoiceUrl,
      next_attempt_at: invoice.nextPaymentAttemptAt?.toISOString() ?? null,
    }),
  );
}

/** A card as the expiring-card mail shows it. */
export interface ExpiringCard {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/** "Your card expires soon"; once per card and expiry. */
export async function queueCardExpiringMail(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  tenantId: string,
  memberId: string,
  card: ExpiringCard,
): Promise<boolean> {
  return queueDunningMail(
    tx,
    deps,
    tenantId,
    memberId,
    'billing_card_expiring',
    `card_expiring:${card.id}:${card.exp_year}-${card.exp_month}`,
    (to) => ({
      first_name: to.firstName,
      brand: card.brand,
      last4: card.last4,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      manage_url: null,
    }),
  );
}

/** "Your membership renews soon"; once per subscription and renewal date. */
export async function queueRenewalReminderMail(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  tenantId: string,
  memberId: string,
  renewal: { subscriptionId: string; renewsAt: Date; amount: number; currency: string },
): Promise<boolean> {
  const tier = await tierName(tx, tenantId, renewal.subscriptionId);
  return queueDunningMail(
    tx,
    deps,
    tenantId,
    memberId,
    'billing_renewal_reminder',
    `renewal:${renewal.subscriptionId}:${renewal.renewsAt.toISOString().slice(0, 10)}`,
    (to) => ({
      first_name: to.firstName,
      tier_name: tier,
      amount: renewal.amount,
      currency: renewal.currency,
      renews_at: renewal.renewsAt.toISOString(),
      manage_url: null,
    }),
  );
}
