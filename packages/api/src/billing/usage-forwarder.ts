import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { billingCustomers, meteredFeatures, usageRecords, type UsageRecordRow } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { createPeriodicLoop } from '../lib/periodic-loop.js';
import type { BillingServiceDeps } from './billing-deps.js';
import { ensureMeter, type MeteredFeatureRow } from './features.js';
import { openTenantStripe, readTenantBilling, type TenantStripe } from './stripe-account.js';

/*
 * Exactly once per record, across crashes.
 *
 * A record is claimed in a short platform transaction (`FOR UPDATE SKIP LOCKED`,
 * so concurrent forwarders never claim the same one) that counts the attempt and
 * leases it: `next_attempt_at` moves `leaseMs` ahead while it stays `pending`.
 * The meter event is sent after that commits, then the outcome is written by a
 * second transaction fenced on the claimed attempt. The meter event's
 * `identifier` is the record's id, so when a forwarder dies (or loses the
 * database) after Stripe accepted the event and before the `sent` mark, the
 * record's lease runs out, it is sent again, and Stripe refuses the duplicate
 * identifier: that refusal is recorded as `sent`. Stripe keeps identifiers for at
 * least 24 hours; the lease and every retry delay keep all of a record's attempts
 * well inside that (about 8.6 hours from the first to the last by default).
 */

/** Delays before the 1st, 2nd, … retry: 1 min, 5 min, 30 min, 2 h, 6 h (the last repeats). */
export const USAGE_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

/** Options of {@link createUsageForwarder}. */
export interface UsageForwarderOptions {
  deps: BillingServiceDeps;
  /** Records claimed per run. Default 50. */
  batchSize?: number;
  /** Meter events in flight at once within a run. Default 4. */
  concurrency?: number;
  /** Attempts before a record is `failed` for good. Default 6. */
  maxAttempts?: number;
  /** How long a claimed record is left alone before another run may send it again. Default 5 min. */
  leaseMs?: number;
  /** Backoff schedule; the last entry repeats. Default {@link USAGE_RETRY_DELAYS_MS}. */
  retryDelaysMs?: readonly number[];
  /** Only these tenants' records (tests sharing a database); all tenants when omitted. */
  onlyTenants?: readonly string[];
}

/** What one run did. */
export interface UsageForwardResult {
  sent: number;
  /** Not billable: the member has no Stripe customer, or the feature was archived. */
  skipped: number;
  /** Given up for good: out of attempts, or refused by Stripe. */
  failed: number;
  /** Failed this time, pending again with a later `next_attempt_at`. */
  retried: number;
}

/** Forwards `usage_records` to Stripe as meter events. */
export interface UsageForwarder {
  /** Claims one batch of due records across tenants, sends them, records each outcome. */
  runOnce(): Promise<UsageForwardResult>;
  /** Runs every `intervalMs` until stopped; a full batch is followed at once by the next. */
  start(intervalMs: number): void;
  /** Stops the loop and waits for a run in progress. */
  stop(): Promise<void>;
}

type Outcome = keyof UsageForwardResult;
type Mark = Partial<Pick<UsageRecordRow, 'forwardStatus' | 'nextAttemptAt' | 'lastError' | 'forwardedAt'>>;

/** What the records of one tenant need: its Stripe client, their features and their members' customers. */
interface TenantContext {
  account: TenantStripe | ApiError;
  features: Map<string, MeteredFeatureRow>;
  customers: Map<string, string>;
}

/**
 * True for Stripe's refusal of a meter event whose identifier it already has:
 * proof the event was delivered by an earlier attempt. Stripe answers 400
 * `invalid_request_error` "An event already exists with identifier …".
 */
export function isDuplicateMeterEvent(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) return false;
  if (error.code === 'duplicate_meter_event') return true;
  return /already exists with identifier|duplicate identifier|identifier .*already/i.test(error.message);
}

/**
 * Creates the usage forwarder. It claims due records of every tenant as the
 * platform role, reads each tenant's features and customers in that tenant's
 * scope, and sends `stripe.billing.meterEvents.create` through the tenant's Stripe.
 * Start it next to the mail worker (runtime/node-start.ts):
 * @example
 * const usage = createUsageForwarder({ deps });
 * usage.start(10_000);
 * // on shutdown:
 * await usage.stop();
 */
export function createUsageForwarder(options: UsageForwarderOptions): UsageForwarder {
  const { deps } = options;
  const { db, clock, logger } = deps;
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 6;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const retryDelaysMs = options.retryDelaysMs ?? USAGE_RETRY_DELAYS_MS;
  if (retryDelaysMs.length === 0) throw new Error('retryDelaysMs must not be empty');
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  async function claim(): Promise<UsageRecordRow[]> {
    const now = clock.now();
    return db.withPlatform(async (tx) => {
      const due = await tx
        .select({ tenantId: usageRecords.tenantId, id: usageRecords.id })
        .from(usageRecords)
        .where(
          and(
            eq(usageRecords.forwardStatus, 'pending'),
            lte(usageRecords.nextAttemptAt, now),
            onlyTenants ? inArray(usageRecords.tenantId, onlyTenants) : undefined,
          ),
        )
        .orderBy(usageRecords.nextAttemptAt)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const keys = sql.join(
        due.map((row) => sql`(${row.tenantId}, ${row.id})`),
        sql`, `,
      );
      return tx
        .update(usageRecords)
        .set({ attempts: sql`${usageRecords.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(sql`(${usageRecords.tenantId}, ${usageRecords.id}) in (${keys})`)
        .returning();
    });
  }

  /** Records an outcome, fenced on the claimed attempt; false when another run took the record over meanwhile. */
  async function mark(row: UsageRecordRow, set: Mark): Promise<boolean> {
    const updated = await db.withPlatform((tx) =>
      tx
        .update(usageRecords)
        .set(set)
        .where(
          and(
            eq(usageRecords.tenantId, row.tenantId),
            eq(usageRecords.id, row.id),
            eq(usageRecords.forwardStatus, 'pending'),
            eq(usageRecords.attempts, row.attempts),
          ),
        )
        .returning({ id: usageRecords.id }),
    );
    return updated.length === 1;
  }

  async function loadTenant(tenantId: string, rows: UsageRecordRow[]): Promise<TenantContext> {
    const loaded = await db.withTenant(tenantId, async (tx) => {
      const features = await tx
        .select()
        .from(meteredFeatures)
        .where(
          and(
            eq(meteredFeatures.tenantId, tenantId),
            inArray(meteredFeatures.id, [...new Set(rows.map((r) => r.featureId))]),
          ),
        );
      const customers = await tx
        .select({ memberId: billingCustomers.memberId, stripeCustomerId: billingCustomers.stripeCustomerId })
        .from(billingCustomers)
        .where(
          and(
            eq(billingCustomers.tenantId, tenantId),
            inArray(billingCustomers.memberId, [...new Set(rows.map((r) => r.memberId))]),
          ),
        );
      return { features, customers, settings: await readTenantBilling(tx, tenantId) };
    });
    let account: TenantStripe | ApiError;
    try {
      account = await openTenantStripe(deps, loaded.settings);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      account = error;
    }
    return {
      account,
      features: new Map(loaded.features.map((f) => [f.id, f])),
      customers: new Map(loaded.customers.map((c) => [c.memberId, c.stripeCustomerId])),
    };
  }

  function retryDelay(attempt: number): number {
    return retryDelaysMs[Math.min(attempt, retryDelaysMs.length) - 1]!;
  }

  /** Sends one claimed record and records the outcome; never throws. */
  async function forward(row: UsageRecordRow, context: TenantContext): Promise<Outcome | null> {
    const fields = { usage_record_id: row.id, tenant_id: row.tenantId, attempt: row.attempts };
    const finish = async (outcome: Outcome, set: Mark, reason?: string): Promise<Outcome | null> => {
      try {
        const recorded = await mark(row, set);
        const log = outcome === 'failed' ? logger.error : outcome === 'sent' ? logger.info : logger.warn;
        log.call(logger, 'usage forwarding', { ...fields, outcome: recorded ? outcome : 'lease_lost', reason });
        return recorded ? outcome : null;
      } catch (error) {
        // The record stays pending under its lease and is sent again after it; Stripe dedupes by identifier.
        logger.error('usage forwarding', {
          ...fields,
          outcome: 'unrecorded',
          intended: outcome,
          reason: describe(error),
        });
        return null;
      }
    };
    const retryOrFail = (reason: string) =>
      row.attempts >= maxAttempts
        ? finish('failed', { forwardStatus: 'failed', lastError: reason }, reason)
        : finish(
            'retried',
            { nextAttemptAt: new Date(clock.now().getTime() + retryDelay(row.attempts)), lastError: reason },
            reason,
          );
    const skip = (reason: string) => finish('skipped', { forwardStatus: 'skipped', lastError: reason }, reason);

    try {
      if (context.account instanceof ApiError) return await retryOrFail(context.account.detail);
      const account = context.account;
      let feature = context.features.get(row.featureId);
      if (!feature) return await skip('The metered feature no longer exists.');
      if (feature.archivedAt) return await skip('The metered feature was archived before the usage was forwarded.');
      const customer = context.customers.get(row.memberId);
      if (!customer)
        return await skip(
          'The member has no Stripe customer (never checked out): there is nothing to bill the usage to.',
        );
      if (!feature.stripeMeterId) {
        feature = await ensureMeter(deps, feature, account);
        context.features.set(feature.id, feature);
      }
      try {
        await account.stripe.billing.meterEvents.create(
          {
            event_name: feature.eventName,
            identifier: row.id,
            timestamp: Math.floor(row.occurredAt.getTime() / 1000),
            payload: { stripe_customer_id: customer, value: String(row.quantity) },
          },
          account.requestOptions(),
        );
      } catch (error) {
        if (isDuplicateMeterEvent(error))
          return await finish(
            'sent',
            { forwardStatus: 'sent', forwardedAt: clock.now(), lastError: null },
            'duplicate identifier: sent before',
          );
        // A request Stripe refuses as invalid is refused again: only connection trouble, rate limits and 5xx are worth a retry.
        if (error instanceof Stripe.errors.StripeInvalidRequestError)
          return await finish('failed', { forwardStatus: 'failed', lastError: describe(error) }, describe(error));
        return await retryOrFail(describe(error));
      }
      return await finish('sent', { forwardStatus: 'sent', forwardedAt: clock.now(), lastError: null });
    } catch (error) {
      return retryOrFail(describe(error));
    }
  }

  async function runBatch(): Promise<{ result: UsageForwardResult; claimed: number }> {
    const result: UsageForwardResult = { sent: 0, skipped: 0, failed: 0, retried: 0 };
    // Without Stripe access (no key configured) records wait, untouched, rather than spend their attempts.
    if (onlyTenants?.length === 0 || !deps.billing) return { result, claimed: 0 };
    const rows = await claim();
    const byTenant = new Map<string, UsageRecordRow[]>();
    for (const row of rows) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
    const work: { row: UsageRecordRow; context: TenantContext }[] = [];
    for (const [tenantId, tenantRows] of byTenant) {
      try {
        const context = await loadTenant(tenantId, tenantRows);
        for (const row of tenantRows) work.push({ row, context });
      } catch (error) {
        // One tenant's trouble holds up no one else: its records wait for their lease.
        logger.error('usage forwarding: tenant not loaded', { tenant_id: tenantId, reason: describe(error) });
      }
    }
    let next = 0;
    const lane = async () => {
      while (next < work.length) {
        const item = work[next++]!;
        const outcome = await forward(item.row, item.context);
        if (outcome) result[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, lane));
    return { result, claimed: rows.length };
  }

  const loop = createPeriodicLoop(
    async () => (await runBatch()).claimed >= batchSize,
    (error) => logger.error('usage forwarding run failed', { reason: describe(error) }),
  );
  return {
    runOnce: async () => (await runBatch()).result,
    start: (intervalMs) => loop.start(intervalMs),
    stop: () => loop.stop(),
  };
}

/**
 * Forwards every due usage record now (what the forwarder does in the background),
 * and returns what happened. Tests call it after recording usage.
 * @example
 * await t.request('POST', '/v1/usage', { key, body });
 * await drainUsageForwarder(t.deps, { onlyTenants: [tenant.id] });
 */
export async function drainUsageForwarder(
  deps: BillingServiceDeps,
  options: Omit<UsageForwarderOptions, 'deps'> = {},
): Promise<UsageForwardResult> {
  const forwarder = createUsageForwarder({ ...options, deps });
  const total: UsageForwardResult = { sent: 0, skipped: 0, failed: 0, retried: 0 };
  for (let run = 0; run < 10_000; run++) {
    const result = await forwarder.runOnce();
    for (const key of Object.keys(total) as Outcome[]) total[key] += result[key];
    if (result.sent + result.skipped + result.failed + result.retried === 0) return total;
  }
  return total;
}

/** An error as one short log value (Stripe's messages name no secrets). */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
