import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { invoices, subscriptions, tenantBilling, type InvoiceRow, type SubscriptionRow } from '../db/schema/index.js';
import { applyInvoiceObject } from './apply-invoice.js';
import { applySubscriptionObject } from './apply-subscription.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { tenantStripe } from './stripe-account.js';

/** One field a reconciliation changed: what the local row said, and what Stripe says. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** An object whose local row a reconciliation created or changed. */
export interface ReconcileChange {
  object: 'subscription' | 'invoice';
  /** Stripe's id (`sub_…`, `in_…`). */
  id: string;
  /** True when there was no local row at all (the webhook that would have created it was lost). */
  created: boolean;
  fields: Record<string, FieldChange>;
}

/** What a reconciliation of one tenant found. */
export interface ReconcileReport {
  object: 'billing_reconciliation';
  run_id: string;
  tenant_id: string;
  /** Stripe objects looked at (subscriptions and invoices of every status). */
  checked: number;
  changed: ReconcileChange[];
}

/** The row fields a reconciliation reports on (the rest follows them). */
const SUBSCRIPTION_FIELDS = [
  'status',
  'tierId',
  'interval',
  'unitAmount',
  'quantity',
  'currentPeriodEnd',
  'cancelAtPeriodEnd',
  'canceledAt',
  'endedAt',
  'trialEnd',
] as const satisfies readonly (keyof SubscriptionRow)[];
const INVOICE_FIELDS = [
  'status',
  'total',
  'amountDue',
  'amountPaid',
  'attemptCount',
  'paidAt',
] as const satisfies readonly (keyof InvoiceRow)[];

const SNAKE: Record<string, string> = {
  tierId: 'tier_id',
  unitAmount: 'unit_amount',
  currentPeriodEnd: 'current_period_end',
  cancelAtPeriodEnd: 'cancel_at_period_end',
  canceledAt: 'canceled_at',
  endedAt: 'ended_at',
  trialEnd: 'trial_end',
  amountDue: 'amount_due',
  amountPaid: 'amount_paid',
  attemptCount: 'attempt_count',
  paidAt: 'paid_at',
};

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

/** The reported fields that differ between the row before and after, under their API names. */
function diff<T extends Record<string, unknown>>(
  fields: readonly (keyof T & string)[],
  before: T | undefined,
  after: T,
): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const field of fields) {
    const from = before ? plain(before[field]) : null;
    const to = plain(after[field]);
    if (from !== to) out[SNAKE[field] ?? field] = { from, to };
  }
  return out;
}

/**
 * Reconciles one tenant with Stripe: lists every subscription (all statuses) and
 * invoice of its account (auto-paginated) and applies each through the same
 * apply functions the webhooks use, with cause `reconcile:<run id>`, so whatever
 * a lost or failed webhook left behind is repaired and recorded once. States
 * observed before the listing started never overwrite newer ones a webhook
 * applied meanwhile. Reports what it changed, field by field.
 * @throws the errors of {@link tenantStripe} (billing not set up); Stripe errors
 */
export async function reconcileTenant(
  deps: BillingServiceDeps,
  tenantId: string,
  options: { runId?: string } = {},
): Promise<ReconcileReport> {
  const runId = options.runId ?? deps.ids.generate('req').replace(/^req_/, 'rec_');
  const cause = `reconcile:${runId}`;
  const account = await tenantStripe(deps, tenantId);
  const report: ReconcileReport = {
    object: 'billing_reconciliation',
    run_id: runId,
    tenant_id: tenantId,
    checked: 0,
    changed: [],
  };

  const observedAt = deps.clock.now();
  const subscriptionList = account.stripe.subscriptions.list({ status: 'all', limit: 100 }, account.requestOptions());
  for await (const subscription of subscriptionList as AsyncIterable<Stripe.Subscription>) {
    report.checked += 1;
    const before = await readRow(deps, tenantId, 'subscription', subscription.id);
    const after = await applySubscriptionObject(deps, tenantId, subscription, { cause, observedAt });
    if (!after) continue;
    const fields = diff(SUBSCRIPTION_FIELDS, before as SubscriptionRow | undefined, after);
    if (!before || Object.keys(fields).length > 0)
      report.changed.push({ object: 'subscription', id: subscription.id, created: !before, fields });
  }

  const invoiceList = account.stripe.invoices.list({ limit: 100 }, account.requestOptions());
  for await (const invoice of invoiceList as AsyncIterable<Stripe.Invoice>) {
    report.checked += 1;
    const before = await readRow(deps, tenantId, 'invoice', invoice.id);
    const after = await applyInvoiceObject(deps, tenantId, invoice, { cause, observedAt });
    if (!after) continue;
    const fields = diff(INVOICE_FIELDS, before as InvoiceRow | undefined, after);
    if (!before || Object.keys(fields).length > 0)
      report.changed.push({ object: 'invoice', id: invoice.id, created: !before, fields });
  }
  return report;
}

async function readRow(
  deps: BillingServiceDeps,
  tenantId: string,
  kind: 'subscription' | 'invoice',
  stripeId: string,
): Promise<SubscriptionRow | InvoiceRow | undefined> {
  return deps.db.withTenant(tenantId, async (tx) => {
    if (kind === 'subscription') {
      const [row] = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.stripeSubscriptionId, stripeId)));
      return row;
    }
    const [row] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, stripeId)));
    return row;
  });
}

/** The tenants with billing set up (read as the platform role), optionally only some. */
export async function billingTenants(
  deps: Pick<BillingServiceDeps, 'db'>,
  onlyTenants?: readonly string[],
): Promise<string[]> {
  const rows = await deps.db.withPlatform((tx) =>
    tx.select({ tenantId: tenantBilling.tenantId }).from(tenantBilling).orderBy(tenantBilling.tenantId),
  );
  const ids = rows.map((r) => r.tenantId);
  return onlyTenants ? ids.filter((id) => onlyTenants.includes(id)) : ids;
}

/**
 * Reconciles every tenant with billing (the periodic job); one tenant's failure is
 * logged and does not stop the others. Returns the reports of those that ran.
 */
export async function reconcileAll(
  deps: BillingServiceDeps,
  options: { onlyTenants?: readonly string[]; runId?: string } = {},
): Promise<ReconcileReport[]> {
  const reports: ReconcileReport[] = [];
  for (const tenantId of await billingTenants(deps, options.onlyTenants)) {
    try {
      reports.push(await reconcileTenant(deps, tenantId, options.runId ? { runId: options.runId } : {}));
    } catch (error) {
      deps.logger.error('billing reconciliation failed for a tenant', {
        tenant_id: tenantId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return reports;
}
