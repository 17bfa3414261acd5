import { createWakeableLoop } from '../lib/wakeable-loop.js';
import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { BillingServiceDeps } from '../billing/billing-deps.js';
import { applyStripeEvent, NotYetApplicable } from '../billing/webhook-worker.js';
import { executeRows } from '../db/database.js';

export interface StripeEventWorkerOptions {
  /** Events claimed per run (each is applied in its own transactions). Default 25. */
  batchSize?: number;
  /** How long a claimed event is reserved: a worker that dies mid-event leaves it to be retried after this. Default 5 min. */
  leaseMs?: number;
  /** Attempts before an event is given up (kept with `last_error`; reconciliation repairs what it missed). Default 10. */
  maxAttempts?: number;
  /** How soon after a `wake()` the worker runs. Default 20 ms. */
  wakeDelayMs?: number;
  /** Only these tenants (tests sharing a database); all when omitted. */
  onlyTenants?: readonly string[];
}

export interface StripeEventRun {
  applied: number;
  failed: number;
  /** True when the run stopped at its batch size with more due. */
  more: boolean;
}

/** Applies the Stripe event inbox (`stripe_events`). */
export interface StripeEventWorker {
  runOnce(): Promise<StripeEventRun>;
  /** Runs until no event is due (tests; retries scheduled for later are left). */
  drain(): Promise<void>;
  /** Asks for a run soon (after a webhook stored an event); a no-op unless started. */
  wake(): void;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

interface Claimed extends Record<string, unknown> {
  tenant_id: string;
  id: string;
  attempts: number;
  payload: Stripe.Event;
}

/** Retry delay after the n-th failed attempt: 10 s, 20 s, 40 s … at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

/**
 * Creates the webhook worker. Claims due events of every tenant as the platform
 * role (`FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows) by
 * leasing them (`next_attempt_at` moved past the lease, `attempts` + 1) in a short
 * transaction, then applies each outside any transaction (applying calls Stripe),
 * entering the event's tenant for every write, and marks it processed, or records
 * `last_error` and the next attempt with backoff.
 *
 * @example
 * const worker = createStripeEventWorker(deps);
 * worker.start(5_000); // and deps.billingEvents = worker, so webhooks wake it
 */
export function createStripeEventWorker(
  deps: BillingServiceDeps,
  options: StripeEventWorkerOptions = {},
): StripeEventWorker {
  const { db, clock, logger } = deps;
  const batchSize = options.batchSize ?? 25;
  const leaseMs = options.leaseMs ?? 5 * 60 * 1000;
  const maxAttempts = options.maxAttempts ?? 10;
  const wakeDelayMs = options.wakeDelayMs ?? 20;
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;

  async function claim(): Promise<Claimed[]> {
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return db.withPlatform((tx) =>
      executeRows<Claimed>(
        tx.execute(sql`
          update stripe_events e set attempts = e.attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
          from (
            select tenant_id, id from stripe_events
            where processed_at is null and next_attempt_at <= ${now.toISOString()}::timestamptz
              ${onlyTenants ? sql`and tenant_id = any(${sql.param(onlyTenants)}::text[])` : sql``}
            order by stripe_created_at, id
            limit ${batchSize}
            for update skip locked
          ) due
          where e.tenant_id = due.tenant_id and e.id = due.id
          returning e.tenant_id, e.id, e.attempts, e.payload`),
      ),
    );
  }

  async function finish(row: Claimed, error: unknown): Promise<void> {
    const now = clock.now();
    if (error === null) {
      await db.withPlatform((tx) =>
        tx.execute(sql`update stripe_events set processed_at = ${now.toISOString()}::timestamptz, last_error = null
          where tenant_id = ${row.tenant_id} and id = ${row.id}`),
      );
      return;
    }
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
    const giveUp = row.attempts >= maxAttempts;
    const next = new Date(now.getTime() + retryDelayMs(row.attempts));
    await db.withPlatform((tx) =>
      tx.execute(sql`update stripe_events set last_error = ${message},
          next_attempt_at = ${next.toISOString()}::timestamptz
          ${giveUp ? sql`, processed_at = ${now.toISOString()}::timestamptz` : sql``}
        where tenant_id = ${row.tenant_id} and id = ${row.id}`),
    );
    const log = error instanceof NotYetApplicable ? logger.warn : logger.error;
    log.call(logger, giveUp ? 'stripe event given up' : 'stripe event failed, will retry', {
      tenant_id: row.tenant_id,
      event_id: row.id,
      attempts: row.attempts,
      reason: message,
    });
  }

  async function run(): Promise<StripeEventRun> {
    const claimed = await claim();
    let applied = 0;
    let failed = 0;
    for (const row of claimed) {
      try {
        await applyStripeEvent(deps, row.tenant_id, row.payload);
        await finish(row, null);
        applied += 1;
      } catch (error) {
        failed += 1;
        await finish(row, error);
      }
    }
    return { applied, failed, more: claimed.length >= batchSize };
  }

  const loop = createWakeableLoop(
    async () => (await run()).more,
    (error) =>
      logger.error('stripe event run failed', { reason: error instanceof Error ? error.message : String(error) }),
    wakeDelayMs,
  );

  return {
    runOnce: run,
    async drain() {
      for (let i = 0; i < 10_000; i++) {
        const result = await run();
        if (result.applied === 0 && result.failed === 0) return;
      }
    },
    wake: loop.wake,
    start: loop.start,
    stop: loop.stop,
  };
}

/**
 * Applies every due Stripe event now: what the worker does in the background of a
 * running server. Tests call it after Stripe delivered webhooks (and before
 * reading what they changed).
 * @example
 * await stripe.webhooks.flush();
 * await drainStripeEvents(t.deps);
 */
export async function drainStripeEvents(
  deps: BillingServiceDeps,
  options: Pick<StripeEventWorkerOptions, 'onlyTenants'> = {},
): Promise<void> {
  await createStripeEventWorker(deps, options).drain();
}
