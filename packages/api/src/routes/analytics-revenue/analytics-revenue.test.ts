import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedDayStart } from '../../lib/time-zone.js';
import { createTestContext, expectProblem, type TestContext, type TestTenant } from '../../testing/index.js';
import { bruteForceRevenue, localDate } from '../../testing/billing/revenue-brute-force.js';
import { generateHistory, insertHistory, type History } from '../../testing/billing/revenue-fixtures.js';

/**
 * Revenue analytics against a brute-force computation (revenue-brute-force.ts) on
 * generated billing histories: a zero-decimal JPY tenant in Auckland and a EUR
 * tenant in Los Angeles, each with rows in another currency, over 15 months.
 */

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

interface World {
  tenant: TestTenant;
  zone: string;
  currency: string;
  tiers: string[];
  history: History;
}

const START = Date.UTC(2025, 8, 1);
const END = Date.UTC(2026, 11, 1);

async function world(
  seed: number,
  zone: string,
  currency: string,
  otherCurrency: string,
  prices: number[],
): Promise<World> {
  const tenant = await t.createTenant(`Revenue ${currency}`);
  const key = tenant.secret_key;
  expect((await t.request('PATCH', '/v1/tenant', { key, body: { time_zone: zone } })).status).toBe(200);
  const tiers: string[] = [];
  for (const name of ['Bronze', 'Silver', 'Gold']) {
    const res = await t.request('POST', '/v1/tiers', { key, body: { name, interval: 'free' } });
    expect(res.status).toBe(201);
    tiers.push(res.body.id);
  }
  const members: string[] = [];
  for (let i = 0; i < 28; i++) {
    const res = await t.request('POST', '/v1/members', {
      key,
      body: { email: `rev-${i}-${seed}@example.org`, first_name: 'R', last_name: `M${i}` },
    });
    expect(res.status).toBe(201);
    members.push(res.body.id);
  }
  const history = generateHistory({
    seed,
    members,
    tiers: tiers.map((id, i) => ({ id, monthly: prices[i]! })),
    currency,
    otherCurrency,
    start: START,
    end: END,
    localMidnight: (at) => zonedDayStart(localDate(new Date(at), zone), zone).getTime(),
  });
  await insertHistory(t.db, tenant.id, currency, history);
  return { tenant, zone, currency, tiers, history };
}

// biome-ignore lint/suspicious/noExplicitAny: API bodies are compared field by field with the brute force
type Body = any;
/** The API's answer with tier rows sorted by id and their names dropped (the brute force knows only ids). */
function comparable(body: Body) {
  const tiersOf = (rows: Body[]) =>
    rows
      .map(({ tier_name: _name, ...rest }: Body) => rest)
      .sort((a: Body, b: Body) => (a.tier_id < b.tier_id ? -1 : 1));
  return {
    skipped_other_currency: body.skipped_other_currency,
    mrr_at_start_amount: body.mrr_at_start_amount,
    summary: { ...body.summary, by_tier: tiersOf(body.summary.by_tier) },
    series: body.series.map((b: Body) => ({ ...b, by_tier: tiersOf(b.by_tier) })),
  };
}

let jpy: World;
let eur: World;
beforeAll(async () => {
  jpy = await world(13, 'Pacific/Auckland', 'jpy', 'usd', [900, 2500, 7000]);
  eur = await world(29, 'America/Los_Angeles', 'eur', 'gbp', [499, 1999, 4999]);
}, 120_000);

describe('GET /v1/analytics/revenue', () => {
  it('generated histories cover every kind of step', () => {
    for (const w of [jpy, eur])
      for (const what of [
        'new',
        'resubscribe',
        'overlap',
        'trial converted',
        'trial abandoned',
        'upgrade',
        'downgrade',
        'proration credit',
        'interval switch',
        'quantity',
        'recovered',
        'lapsed',
        'canceled',
        'comp',
        'full refund',
        'partial refund',
        'foreign currency',
        'undone within minutes',
      ])
        expect(w.history.done[what] ?? 0, `${w.currency}: ${what}`).toBeGreaterThan(0);
  });

  for (const interval of ['month', 'week', 'day'] as const)
    it(`agrees with the brute force by ${interval} (JPY in Auckland, EUR in Los Angeles)`, async () => {
      for (const w of [jpy, eur]) {
        const from = interval === 'day' ? '2026-02-20' : '2025-10-17';
        const to = interval === 'day' ? '2026-09-03' : '2026-10-09';
        const res = await t.request('GET', `/v1/analytics/revenue?from=${from}&to=${to}&interval=${interval}`, {
          key: w.tenant.secret_key,
        });
        expect(res.status, res.text).toBe(200);
        expect(res.body).toMatchObject({
          object: 'revenue',
          from,
          to,
          interval,
          currency: w.currency,
          time_zone: w.zone,
        });
        const expected = bruteForceRevenue(w.history, {
          from,
          to,
          interval,
          zone: w.zone,
          currency: w.currency,
          tierFilter: null,
        });
        expect(comparable(res.body)).toEqual(expected);
        if (interval !== 'day') expect(res.body.skipped_other_currency).toBeGreaterThan(0);
        expect(res.body.summary.movements.churned.count).toBeGreaterThan(0);
        expect(res.body.summary.movements.reactivated.count).toBeGreaterThan(0);
        expect(res.body.summary.ltv_amount).not.toBeNull();
      }
    }, 60_000);

  it('filters to one tier, as that tier’s breakdown', async () => {
    const tier = jpy.tiers[1]!;
    const query = 'from=2025-11-01&to=2026-08-31&interval=month';
    const res = await t.request('GET', `/v1/analytics/revenue?${query}&tier_id=${tier}`, {
      key: jpy.tenant.secret_key,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.tier_id).toBe(tier);
    const expected = bruteForceRevenue(jpy.history, {
      from: '2025-11-01',
      to: '2026-08-31',
      interval: 'month',
      zone: jpy.zone,
      currency: jpy.currency,
      tierFilter: tier,
    });
    expect(comparable(res.body)).toEqual(expected);
    const all = await t.request('GET', `/v1/analytics/revenue?${query}`, { key: jpy.tenant.secret_key });
    const { tier_name: _n, tier_id: _t, ...row } = all.body.summary.by_tier.find((r: Body) => r.tier_id === tier);
    const { by_tier: _b, ...summary } = res.body.summary;
    expect(summary).toEqual(row);
  });

  it('keeps MRR exact: ARR is 12 × the annual sum, start + net movements = end', async () => {
    const res = await t.request('GET', '/v1/analytics/revenue?from=2025-09-01&to=2026-11-30&interval=month', {
      key: eur.tenant.secret_key,
    });
    expect(res.status).toBe(200);
    let level = res.body.mrr_at_start_amount * 12;
    for (const b of res.body.series) {
      const m = b.movements;
      // Movements are rounded one by one; compare through ARR (exact) within the rounding of five figures.
      const net12 =
        (m.new.amount + m.expansion.amount + m.reactivated.amount - m.contraction.amount - m.churned.amount) * 12;
      expect(Math.abs(level + net12 - b.arr_amount)).toBeLessThanOrEqual(5 * 6);
      level = b.arr_amount;
      expect(Math.abs(b.mrr_amount * 12 - b.arr_amount)).toBeLessThanOrEqual(6);
    }
  });

  it('shows one tenant nothing of another', async () => {
    const other = await t.createTenant('No revenue');
    const res = await t.request('GET', '/v1/analytics/revenue?from=2025-09-01&to=2026-11-30&interval=month', {
      key: other.secret_key,
    });
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('eur');
    expect(res.body.mrr_at_start_amount).toBe(0);
    expect(res.body.skipped_other_currency).toBe(0);
    expect(res.body.summary.by_tier).toEqual([]);
    expect(res.body.summary.mrr_amount).toBe(0);
    expect(res.body.summary.payments.collected.count).toBe(0);
    // Another tenant's tier is unknown here.
    const tier = await t.request('GET', `/v1/analytics/revenue?tier_id=${jpy.tiers[0]}`, { key: other.secret_key });
    expectProblem(tier, 422, 'ANALYTICS_TIER_NOT_FOUND');
  });

  it('answers bad input with 4xx problems', async () => {
    const key = eur.tenant.secret_key;
    expectProblem(
      await t.request('GET', '/v1/analytics/revenue?from=2026-05-02&to=2026-05-01', { key }),
      422,
      'ANALYTICS_INVALID_RANGE',
    );
    expectProblem(
      await t.request('GET', '/v1/analytics/revenue?from=2020-01-01&to=2026-05-01&interval=day', { key }),
      422,
      'ANALYTICS_RANGE_TOO_LONG',
    );
    expectProblem(await t.request('GET', '/v1/analytics/revenue?from=2026-02-30', { key }), 422);
    expectProblem(await t.request('GET', '/v1/analytics/revenue?interval=year', { key }), 422);
    expectProblem(await t.request('GET', '/v1/analytics/revenue?tier_id=nope', { key }), 422);
    expectProblem(
      await t.request('GET', '/v1/analytics/revenue?tier_id=tier_01jdx3v4k7m9q2w8e5r6t0y1zc', { key }),
      422,
      'ANALYTICS_TIER_NOT_FOUND',
    );
  });

  it('needs billing:read: a viewer reads, a key without it is refused', async () => {
    const viewer = await t.signInStaff(eur.tenant, 'viewer');
    const ok = await t.request('GET', '/v1/analytics/revenue', { key: viewer.access_token });
    expect(ok.status).toBe(200);
    expect(ok.body.series).toHaveLength(12);
    expectProblem(await t.request('GET', '/v1/analytics/revenue'), 401);
  });
});
