import { and, eq, inArray, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import {
  type BillingMode,
  tenants,
  subscriptions,
  tenantBilling,
  type TenantBillingRow,
  type TierPriceRow,
  tiers,
} from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import type { FieldError } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { BillingErrors } from './billing-errors.js';
import { syncTenantCatalog, syncTierCatalog } from './catalog-sync.js';
import { readTenantBilling, stripeKeyContext, stripeProblem, stripeWebhookSecretContext } from './stripe-account.js';
import { tenantBillingStatus, type TenantBillingStatus } from './tenant-billing-status.js';
import { BILLING_WEBHOOK_EVENTS, directWebhookUrl } from './tenant-billing-webhooks.js';
import { repriceTenant } from './tier-prices.js';

/** Changes to a tenant's billing; absent fields stay as they are. */
export interface TenantBillingUpdate {
  mode?: BillingMode;
  /** Direct mode: the tenant's restricted (`rk_…`) or secret (`sk_…`) key. Replaces the stored one. */
  secretKey?: string;
  /** Connect mode: the kind of connected account created when the tenant has none. */
  accountType?: 'standard' | 'express';
  currency?: string;
  automaticTax?: boolean;
  taxBehavior?: 'exclusive' | 'inclusive';
  gracePeriodDays?: number;
  lapseTierId?: string | null;
  allowCancelNow?: boolean;
  allowPromotionCodes?: boolean;
  /** Where Connect onboarding returns to. */
  returnUrl?: string;
}

/** Subscription statuses that still charge (or may again): the tenant's currency is fixed while any exists. */
const LIVE_STATUSES = ['incomplete', 'trialing', 'active', 'past_due', 'unpaid', 'paused'] as const;

/** The settings as audit diffs show them: API names, the key only as its hint. */
function auditFields(row: Partial<TenantBillingRow> | null): Record<string, unknown> {
  return {
    mode: row?.mode ?? null,
    stripe_account: row?.stripeAccountId ?? null,
    key_hint: row?.secretKeyHint ?? null,
    webhook_endpoint_id: row?.webhookEndpointId ?? null,
    currency: row?.currency ?? null,
    automatic_tax: row?.automaticTax ?? null,
    tax_behavior: row?.taxBehavior ?? null,
    grace_period_days: row?.gracePeriodDays ?? null,
    lapse_tier_id: row?.lapseTierId ?? null,
    allow_cancel_now: row?.allowCancelNow ?? null,
    allow_promotion_codes: row?.allowPromotionCodes ?? null,
  };
}

/** The Stripe side of a change: what was created (to store, or undo) and what the old state left behind. */
interface StripeSide {
  accountId: string | null;
  sealedSecretKey: string | null;
  secretKeyHint: string | null;
  webhookEndpointId: string | null;
  sealedWebhookSecret: string | null;
  /** Created by this change: deleted again when the database write fails. */
  createdEndpoint: { id: string; stripe: Stripe } | null;
  /** The old direct-mode endpoint, replaced: deleted after the change commits. */
  replacedEndpoint: { id: string; sealedKey: string } | null;
}

/**
 * Connects the tenant's Stripe account or changes its billing rules. Connect mode
 * creates the connected account (once; switching back reuses it) and records it in
 * the platform's account directory; direct mode verifies the key with Stripe, seals
 * it, and creates the tenant's webhook endpoint (its signing secret sealed too).
 * Stripe is called before anything is written: a refusal or outage midway stores
 * nothing (an endpoint created before a failed write is deleted again). A new
 * account, currency or tax behaviour replaces the tier prices (Stripe Prices are
 * immutable), and the catalog is synced after the change commits. Audited as
 * `billing.settings_updated`, without secrets.
 * @throws ApiError 422 (bad key, unknown lapse tier, currency change with live
 *   subscriptions, connect mode without a platform key), 503 without Stripe access, 502 when Stripe fails
 */
export async function updateTenantBilling(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: TenantBillingUpdate,
): Promise<TenantBillingStatus> {
  const { current, directoryAccount } = await checkUpdate(deps, tenantId, input);
  const billing = deps.billing;
  if (!billing)
    throw new ApiError(BillingErrors.BILLING_UNAVAILABLE, 'This server has no Stripe connection configured.');

  const side = await applyStripeSide(deps, tenantId, ctx, input, current, directoryAccount);
  const mode = input.mode ?? current!.mode;
  let next: TenantBillingRow;
  let archived: TierPriceRow[];
  let accountChanged: boolean;
  try {
    ({ next, archived, accountChanged } = await deps.db.withTenant(tenantId, async (tx) => {
      const now = deps.clock.now();
      const values = {
        mode,
        stripeAccountId: side.accountId,
        sealedSecretKey: side.sealedSecretKey,
        secretKeyHint: side.secretKeyHint,
        webhookEndpointId: side.webhookEndpointId,
        sealedWebhookSecret: side.sealedWebhookSecret,
        currency: input.currency ?? current?.currency ?? 'eur',
        automaticTax: input.automaticTax ?? current?.automaticTax ?? false,
        taxBehavior: input.taxBehavior ?? current?.taxBehavior ?? 'exclusive',
        gracePeriodDays: input.gracePeriodDays ?? current?.gracePeriodDays ?? 7,
        lapseTierId: input.lapseTierId !== undefined ? input.lapseTierId : (current?.lapseTierId ?? null),
        allowCancelNow: input.allowCancelNow ?? current?.allowCancelNow ?? false,
        allowPromotionCodes: input.allowPromotionCodes ?? current?.allowPromotionCodes ?? true,
        updatedAt: now,
      };
      const [row] = await tx
        .insert(tenantBilling)
        .values({ tenantId, ...values, createdAt: now })
        .onConflictDoUpdate({ target: tenantBilling.tenantId, set: values })
        .returning();
      if (mode === 'connect' && side.accountId && side.accountId !== directoryAccount) {
        await tx.update(tenants).set({ stripeConnectAccountId: side.accountId }).where(eq(tenants.id, tenantId));
      }
      const accountChanged = (current?.stripeAccountId ?? null) !== side.accountId;
      const repriced =
        accountChanged || current?.currency !== row!.currency || current?.taxBehavior !== row!.taxBehavior;
      // A new account starts with an empty catalog: its Products are made again.
      if (accountChanged) await tx.update(tiers).set({ stripeProductId: null }).where(eq(tiers.tenantId, tenantId));
      const archived = repriced ? await repriceTenant(tx, deps, tenantId, row!.currency) : [];
      // Tiers show their price in the billing currency too (`price.currency`).
      if (current?.currency !== row!.currency)
        await tx.update(tiers).set({ currency: row!.currency }).where(eq(tiers.tenantId, tenantId));
      const diff = diffOf(auditFields(current), auditFields(row!));
      if (Object.keys(diff).length > 0)
        await appendAudit(tx, deps, tenantId, ctx, [
          { action: 'billing.settings_updated', targetType: 'tenant', targetId: tenantId, diff },
        ]);
      return { next: row!, archived, accountChanged };
    }));
  } catch (error) {
    if (side.createdEndpoint) await deleteEndpoint(deps, side.createdEndpoint.stripe, side.createdEndpoint.id);
    throw error;
  }

  if (side.replacedEndpoint) {
    const oldKey = await deps.secretBox.open(side.replacedEndpoint.sealedKey, stripeKeyContext(tenantId));
    await deleteEndpoint(deps, billing.stripe(oldKey), side.replacedEndpoint.id);
  }
  await afterCommit(deps, tenantId, next, accountChanged ? [] : archived);
  return tenantBillingStatus(deps, tenantId, input.returnUrl ? { returnUrl: input.returnUrl } : {});
}

/** Checks the change against the stored state (in one short transaction); 422 listing every bad field. */
async function checkUpdate(
  deps: BillingServiceDeps,
  tenantId: string,
  input: TenantBillingUpdate,
): Promise<{ current: TenantBillingRow | null; directoryAccount: string | null }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await readTenantBilling(tx, tenantId);
    const [directory] = await tx
      .select({ account: tenants.stripeConnectAccountId })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    const errors: FieldError[] = [];
    const mode = input.mode ?? current?.mode;
    if (!mode) errors.push({ field: 'mode', message: 'Required to set billing up: "connect" or "direct".' });
    if (input.secretKey !== undefined && mode !== 'direct')
      errors.push({ field: 'secret_key', message: 'Only direct mode stores a key; Connect uses the platform key.' });
    if (mode === 'direct' && input.secretKey === undefined && current?.mode !== 'direct')
      errors.push({ field: 'secret_key', message: "Required for direct mode: the tenant's restricted key (rk_…)." });
    if (input.accountType !== undefined && mode !== 'connect')
      errors.push({ field: 'account_type', message: 'Only Connect mode creates an account.' });
    if (mode === 'connect' && deps.billing && !deps.billing.platform)
      errors.push({
        field: 'mode',
        message: 'This server has no Stripe platform key (MEMBERKIT_STRIPE_SECRET_KEY): use direct mode.',
      });
    if (input.lapseTierId !== undefined && input.lapseTierId !== null) {
      const [tier] = await tx
        .select({ archivedAt: tiers.archivedAt })
        .from(tiers)
        .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, input.lapseTierId)));
      if (!tier) errors.push({ field: 'lapse_tier_id', message: `No tier ${input.lapseTierId}.` });
      else if (tier.archivedAt) errors.push({ field: 'lapse_tier_id', message: 'The tier is archived.' });
    }
    if (input.currency !== undefined && input.currency !== (current?.currency ?? input.currency)) {
      const [live] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.tenantId, tenantId),
            eq(subscriptions.kind, 'stripe'),
            inArray(subscriptions.status, [...LIVE_STATUSES]),
          ),
        );
      if ((live?.n ?? 0) > 0)
        errors.push({
          field: 'currency',
          message: `${live!.n} subscriptions are still charged in ${current!.currency}; the currency can change only when none is.`,
        });
    }
    if (errors.length > 0) throw validationError(errors);
    return { current, directoryAccount: directory?.account ?? null };
  });
}

/** Creates what the change needs in Stripe (account, verified key, endpoint) before anything is written. */
async function applyStripeSide(
  deps: BillingServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: TenantBillingUpdate,
  current: TenantBillingRow | null,
  directoryAccount: string | null,
): Promise<StripeSide> {
  const billing = deps.billing!;
  const mode = input.mode ?? current!.mode;
  const side: StripeSide = {
    accountId: current?.stripeAccountId ?? null,
    sealedSecretKey: current?.sealedSecretKey ?? null,
    secretKeyHint: current?.secretKeyHint ?? null,
    webhookEndpointId: current?.webhookEndpointId ?? null,
    sealedWebhookSecret: current?.sealedWebhookSecret ?? null,
    createdEndpoint: null,
    replacedEndpoint: null,
  };
  const oldEndpoint =
    current?.mode === 'direct' && current.webhookEndpointId && current.sealedSecretKey
      ? { id: current.webhookEndpointId, sealedKey: current.sealedSecretKey }
      : null;

  if (mode === 'connect') {
    if (current?.mode !== 'connect' || !side.accountId) {
      side.accountId = directoryAccount ?? (await createConnectedAccount(deps, tenantId, input.accountType));
    }
    Object.assign(side, {
      sealedSecretKey: null,
      secretKeyHint: null,
      webhookEndpointId: null,
      sealedWebhookSecret: null,
    });
    side.replacedEndpoint = oldEndpoint;
    return side;
  }

  if (input.secretKey === undefined) return side;
  const stripe = billing.stripe(input.secretKey);
  let account: Stripe.Account;
  try {
    account = await stripe.accounts.retrieveCurrent();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeConnectionError) throw stripeProblem(error, 'verifying the key');
    const reason = error instanceof Error ? error.message : String(error);
    throw validationError([{ field: 'secret_key', message: `Stripe refused this key: ${reason}` }]);
  }
  let endpoint: Stripe.WebhookEndpoint;
  try {
    endpoint = await stripe.webhookEndpoints.create(
      {
        url: directWebhookUrl(billing.webhookBaseUrl, tenantId),
        enabled_events: [...BILLING_WEBHOOK_EVENTS],
        description: 'Memberkit billing',
        metadata: { memberkit_tenant_id: tenantId },
      },
      { idempotencyKey: `webhook-endpoint:${tenantId}:${ctx.requestId ?? crypto.randomUUID()}` },
    );
  } catch (error) {
    throw stripeProblem(error, 'creating the webhook endpoint');
  }
  side.createdEndpoint = { id: endpoint.id, stripe };
  try {
    if (!endpoint.secret) throw new Error('Stripe returned the webhook endpoint without its signing secret.');
    side.accountId = account.id;
    side.sealedSecretKey = await deps.secretBox.seal(input.secretKey, stripeKeyContext(tenantId));
    side.secretKeyHint = input.secretKey.slice(-4);
    side.webhookEndpointId = endpoint.id;
    side.sealedWebhookSecret = await deps.secretBox.seal(endpoint.secret, stripeWebhookSecretContext(tenantId));
  } catch (error) {
    await deleteEndpoint(deps, stripe, endpoint.id);
    throw error;
  }
  side.replacedEndpoint = oldEndpoint;
  return side;
}

/** A connected account for the tenant, created once (the idempotency key is the tenant's). */
async function createConnectedAccount(
  deps: BillingServiceDeps,
  tenantId: string,
  type: 'standard' | 'express' = 'standard',
): Promise<string> {
  const billing = deps.billing!;
  const platform = billing.stripe(billing.platform!.secretKey);
  try {
    const account = await platform.accounts.create(
      { type, metadata: { memberkit_tenant_id: tenantId } },
      { idempotencyKey: `account:${tenantId}` },
    );
    return account.id;
  } catch (error) {
    throw stripeProblem(error, 'creating the connected account');
  }
}

/** Deletes a webhook endpoint; a failure is logged, not raised (the key may already be revoked). */
async function deleteEndpoint(deps: BillingServiceDeps, stripe: Stripe, endpointId: string): Promise<void> {
  try {
    await stripe.webhookEndpoints.del(endpointId);
  } catch (error) {
    deps.logger.warn('old Stripe webhook endpoint not deleted; remove it in the Stripe dashboard', {
      webhook_endpoint_id: endpointId,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** After the change committed: archive replaced Stripe Prices and create the catalog (failures only logged). */
async function afterCommit(
  deps: BillingServiceDeps,
  tenantId: string,
  settings: TenantBillingRow,
  archived: TierPriceRow[],
): Promise<void> {
  const byTier = new Map<string, TierPriceRow[]>();
  for (const row of archived) byTier.set(row.tierId, [...(byTier.get(row.tierId) ?? []), row]);
  for (const [tierId, rows] of byTier) {
    try {
      await syncTierCatalog(deps, tenantId, tierId, { archived: rows });
    } catch (error) {
      deps.logger.warn('tier prices not synced after a billing change', {
        tenant_id: tenantId,
        tier_id: tierId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const result = await syncTenantCatalog(deps, tenantId);
  for (const failure of result.failed)
    deps.logger.warn('tier not synced to Stripe after connecting billing', {
      tenant_id: tenantId,
      mode: settings.mode,
      ...failure,
    });
}
