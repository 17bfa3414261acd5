import type { ServerTarget } from './server-target.js';

/** The usage lines of `memberkit billing sync`, for main.ts's USAGE. */
export const BILLING_SYNC_USAGE = `  memberkit billing sync [--tenant <tnt_…>]            Reconcile billing with Stripe now (one tenant or all);
                                                       prints what it changed as JSON`;

/**
 * `memberkit billing sync [--tenant tnt_…]`: asks the running server to reconcile
 * its tenants' billing with Stripe (`POST /v1/platform/billing/sync`, platform
 * key) and returns the reports: what each tenant's local subscriptions and
 * invoices disagreed on, now repaired. Through the server, never `--direct`: the
 * server holds the Stripe connection (and `npm start` its offline double).
 * @throws Error with the server's `CODE: detail` when it refuses
 */
export async function billingSync(
  target: ServerTarget,
  tenantId: string | undefined,
  say: (line: string) => void,
): Promise<unknown> {
  if (!target.platformKey) throw new Error(`No platform key for ${target.url}: ${target.keyHint}.`);
  say(tenantId ? `reconciling ${tenantId} with Stripe` : 'reconciling every tenant with billing with Stripe');
  const response = await fetch(`${target.url}/v1/platform/billing/sync`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${target.platformKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(tenantId ? { tenant_id: tenantId } : {}),
  });
  const payload = (await response.json().catch(() => null)) as {
    code?: string;
    detail?: string;
    data?: { changed: unknown[] }[];
  } | null;
  if (!payload) throw new Error(`${target.url} answered ${response.status} without JSON: is it a Memberkit server?`);
  if (!response.ok)
    throw new Error(payload.code ? `${payload.code}: ${payload.detail ?? ''}` : `HTTP ${response.status}`);
  const changed = (payload.data ?? []).reduce((sum, report) => sum + report.changed.length, 0);
  say(`${payload.data?.length ?? 0} tenant(s) reconciled, ${changed} object(s) changed`);
  return payload;
}
