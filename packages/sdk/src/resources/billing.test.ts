import { describe, expect, it } from 'vitest';
import { Memberkit, type FetchLike } from '../index.js';

const BASE_URL = 'https://api.memberkit.test';

interface Captured {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

/** A fetch stand-in that records requests and answers each with `respond`. */
function recorder(respond: (request: Captured) => unknown): { fetch: FetchLike; calls: Captured[] } {
  const calls: Captured[] = [];
  const fetch: FetchLike = (url, init) => {
    const captured = {
      method: init.method ?? 'GET',
      url,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(captured);
    return new Response(JSON.stringify(respond(captured) ?? {}), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { fetch, calls };
}

describe('mk.me.billing', () => {
  it('calls the portal endpoints with the member token; a preview is sent without an idempotency key', async () => {
    const { fetch, calls } = recorder(() => ({ object: 'member_billing' }));
    const mk = new Memberkit({ accessToken: 'eyJ.member', baseUrl: BASE_URL, fetch });
    const body = { tier_id: 'tier_1', interval: 'year' as const };
    await mk.me.billing.retrieve();
    await mk.me.billing.checkout({ ...body, success_url: 'https://x.test/ok', cancel_url: 'https://x.test/no' });
    await mk.me.billing.preview(body);
    await mk.me.billing.change({ preview_id: 'bprev_1' });
    await mk.me.billing.cancel();
    await mk.me.billing.resume();
    await mk.me.billing.usage();
    await mk.me.billing.paymentMethods.setDefault('pm_1');
    await mk.me.billing.paymentMethods.del('pm/1');
    expect(calls.map((c) => `${c.method} ${c.url.slice(BASE_URL.length)}`)).toEqual([
      'GET /v1/me/billing',
      'POST /v1/me/billing/checkout',
      'POST /v1/me/billing/preview',
      'POST /v1/me/billing/change',
      'POST /v1/me/billing/cancel',
      'POST /v1/me/billing/resume',
      'GET /v1/me/billing/usage',
      'POST /v1/me/billing/payment-methods/pm_1/default',
      'DELETE /v1/me/billing/payment-methods/pm%2F1',
    ]);
    expect(calls.every((c) => c.headers.get('authorization') === 'Bearer eyJ.member')).toBe(true);
    expect(calls[2]?.headers.get('idempotency-key')).toBeNull();
    expect(calls[3]?.headers.get('idempotency-key')).toBeTruthy();
    // Cancel without arguments: at period end, the API's default.
    expect(calls[4]?.body).toEqual({});
  });

  it('iterates every invoice across pages, following next_cursor', async () => {
    const pages: Record<string, unknown> = {
      '': { object: 'list', data: [{ id: 'in_1' }, { id: 'in_2' }], has_more: true, next_cursor: 'c2' },
      c2: { object: 'list', data: [{ id: 'in_3' }], has_more: false, next_cursor: null },
    };
    const { fetch, calls } = recorder((c) => pages[new URL(c.url).searchParams.get('cursor') ?? '']);
    const mk = new Memberkit({ accessToken: 'eyJ.member', baseUrl: BASE_URL, fetch });
    const ids: string[] = [];
    for await (const invoice of mk.me.billing.invoices.list({ limit: 2 })) ids.push(invoice.id);
    expect(ids).toEqual(['in_1', 'in_2', 'in_3']);
    expect(calls.map((c) => c.url.slice(BASE_URL.length))).toEqual([
      '/v1/me/billing/invoices?limit=2',
      '/v1/me/billing/invoices?limit=2&cursor=c2',
    ]);
  });
});

describe('staff billing, usage and settings', () => {
  it('reaches each endpoint with the secret key', async () => {
    const { fetch, calls } = recorder(() => ({ object: 'list', data: [], has_more: false, next_cursor: null }));
    const mk = new Memberkit({ secretKey: 'sk_test_1', baseUrl: BASE_URL, fetch });
    await mk.tenant.billing.retrieve();
    await mk.tenant.billing.update({ mode: 'connect' });
    await mk.tiers.migrateSubscribers('tier_1', { proration_behavior: 'none' });
    await mk.tiers.meteredPrices.del('tier_1', 'feat_1', { interval: 'month' });
    await mk.usage.record({ member_id: 'mem_1', feature: 'desk_hours', quantity: 2, identifier: 'b-1' });
    await mk.billing.subscriptions.list({ status: 'past_due' });
    await mk.billing.subscriptions.cancel('msub_1', { at_period_end: false });
    await mk.billing.invoices.refund('in_1');
    await mk.billing.comps.create('mem_1', { tier_id: 'tier_1', ends_at: '2027-06-30T00:00:00Z' });
    await mk.billing.comps.del('mem_1');
    await mk.billing.member('mem_1');
    await mk.analytics.revenue({ from: '2026-01-01', to: '2026-12-31', interval: 'month' });
    expect(calls.map((c) => `${c.method} ${c.url.slice(BASE_URL.length)}`)).toEqual([
      'GET /v1/tenant/billing',
      'PUT /v1/tenant/billing',
      'POST /v1/tiers/tier_1/migrate-subscribers',
      'DELETE /v1/tiers/tier_1/metered-prices/feat_1?interval=month',
      'POST /v1/usage',
      'GET /v1/billing/subscriptions?status=past_due',
      'POST /v1/billing/subscriptions/msub_1/cancel',
      'POST /v1/billing/invoices/in_1/refund',
      'POST /v1/members/mem_1/billing/comp',
      'DELETE /v1/members/mem_1/billing/comp',
      'GET /v1/members/mem_1/billing',
      'GET /v1/analytics/revenue?from=2026-01-01&to=2026-12-31&interval=month',
    ]);
    expect(calls.every((c) => c.headers.get('authorization') === 'Bearer sk_test_1')).toBe(true);
  });
});
