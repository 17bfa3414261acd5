import type { BillingServiceDeps } from '../billing/billing-deps.js';
import { runGracePeriod, scanExpiringCards } from '../billing/grace-period.js';
import { billingTenants, reconcileAll } from '../billing/reconcile.js';
import { createPeriodicLoop, type PeriodicLoop } from '../lib/periodic-loop.js';
import { createStripeEventWorker, type StripeEventWorker } from './billing-webhook-worker.js';

export interface BillingJobsOptions {
  /** How often the webhook inbox is polled (it is also woken by each webhook). Default 5 s. */
  eventsIntervalMs?: number;
  /** How often past_due grace periods, comp ends and renewal reminders are checked. Default 15 min. */
  graceIntervalMs?: number;
  /** How often every tenant is reconciled with Stripe and default cards are checked for expiry. Default 6 h. */
  reconcileIntervalMs?: number;
}

/** The background work of billing: the webhook inbox, the grace-period clock, the reconciliation. */
export interface BillingJobs {
  /** The webhook worker: put it on the deps as `billingEvents` so webhooks wake it. */
  events: StripeEventWorker;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Creates billing's background jobs for a server process.
 * @example
 * // runtime/node-start.ts, when deps.billing is set:
 * const billingJobs = createBillingJobs({ ...deps, billing: deps.billing });
 * deps.billingEvents = billingJobs.events; // before createApp(deps), so webhooks wake the worker
 * billingJobs.start();
 * // on shutdown: await billingJobs.stop();
 */
export function createBillingJobs(deps: BillingServiceDeps, options: BillingJobsOptions = {}): BillingJobs {
  const events = createStripeEventWorker(deps);
  const fail = (job: string) => (error: unknown) =>
    deps.logger.error(`billing ${job} failed`, { reason: error instanceof Error ? error.message : String(error) });
  const grace: PeriodicLoop = createPeriodicLoop(async () => {
    await runGracePeriod(deps);
    return false;
  }, fail('grace-period job'));
  const reconcile: PeriodicLoop = createPeriodicLoop(async () => {
    await reconcileAll(deps);
    for (const tenantId of await billingTenants(deps)) {
      try {
        await scanExpiringCards(deps, tenantId);
      } catch (error) {
        fail('card-expiry scan')(error);
      }
    }
    return false;
  }, fail('reconciliation'));
  return {
    events,
    start() {
      events.start(options.eventsIntervalMs ?? 5000);
      grace.start(options.graceIntervalMs ?? 15 * 60 * 1000);
      reconcile.start(options.reconcileIntervalMs ?? 6 * 60 * 60 * 1000);
    },
    async stop() {
      await Promise.all([events.stop(), grace.stop(), reconcile.stop()]);
    },
  };
}
