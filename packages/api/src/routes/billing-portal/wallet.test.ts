import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMemberInvoices } from '../../testing/billing/portal-fixtures.js';
import { expectProblem } from '../../testing/index.js';
import { RETURN, sessionIdOf, startPortalWorld, type PortalWorld } from '../../testing/billing/portal-test-world.js';

let w: PortalWorld;
beforeAll(async () => {
  w = await startPortalWorld();
});
afterAll(() => w.close());

describe('payment methods', () => {
  it('lists the card paid with, adds one through setup mode, switches the default, and keeps the default while subscribed', async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    const member = await w.t.signUpMember(tenant);
    const key = member.access_token;

    const empty = await w.t.request('GET', '/v1/me/billing/payment-methods', { key });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ object: 'list', data: [] });

    await w.subscribe(tenant, member, tier);
    const listed = await w.t.request('GET', '/v1/me/billing/payment-methods', { key });
    expect(listed.body.data).toHaveLength(1);
    const first = listed.body.data[0];
    expect(first).toMatchObject({ brand: 'visa', last4: '4242', default: true });

    const setup = await w.t.request('POST', '/v1/me/billing/payment-methods/setup', { key, body: RETURN });
    expect(setup.status, setup.text).toBe(200);
    expect(setup.body.object).toBe('payment_method_setup');
    const setupSession = await w.stripe
      .client()
      .checkout.sessions.retrieve(sessionIdOf(setup.body.url), {}, w.account(tenant.accountId));
    expect(setupSession.mode).toBe('setup');
    await w.stripe.completeCheckout(setupSession.id, {
      paymentMethod: 'pm_card_mastercard',
    });

    const two = await w.t.request('GET', '/v1/me/billing/payment-methods', { key });
    expect(two.body.data).toHaveLength(2);
    const second = two.body.data.find((pm: { id: string }) => pm.id !== first.id);
    expect(second.default).toBe(false);

    expectProblem(
      await w.t.request('DELETE', `/v1/me/billing/payment-methods/${first.id}`, { key }),
      409,
      'PAYMENT_METHOD_IN_USE',
    );
    const switched = await w.t.request('POST', `/v1/me/billing/payment-methods/${second.id}/default`, { key });
    expect(switched.status, switched.text).toBe(200);
    expect(switched.body.data.find((pm: { id: string }) => pm.id === second.id).default).toBe(true);
    const billing = await w.t.request('GET', '/v1/me/billing', { key });
    expect(billing.body.default_payment_method.id).toBe(second.id);

    const removed = await w.t.request('DELETE', `/v1/me/billing/payment-methods/${first.id}`, { key });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.data.map((pm: { id: string }) => pm.id)).toEqual([second.id]);
  });

  it("never touches another member's payment method", async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    const owner = await w.t.signUpMember(tenant);
    const other = await w.t.signUpMember(tenant);
    await w.subscribe(tenant, owner, tier);
    const [card] = (await w.t.request('GET', '/v1/me/billing/payment-methods', { key: owner.access_token })).body.data;
    await w.subscribe(tenant, other, tier);
    for (const [method, path] of [
      ['POST', `/v1/me/billing/payment-methods/${card.id}/default`],
      ['DELETE', `/v1/me/billing/payment-methods/${card.id}`],
      ['DELETE', '/v1/me/billing/payment-methods/not-a-card'],
    ] as const) {
      expectProblem(await w.t.request(method, path, { key: other.access_token }), 404, 'PAYMENT_METHOD_NOT_FOUND');
    }
  });
});

describe('GET /v1/me/billing/invoices', () => {
  it("pages through the member's own invoices, never another member's", async () => {
    const tenant = await w.tenant();
    const tier = await w.tier(tenant, 'Supporter', { month: 1500 });
    const member = await w.t.signUpMember(tenant);
    const other = await w.t.signUpMember(tenant);
    await w.subscribe(tenant, member, tier);
    // Two renewals: three invoices in all.
    await w.stripe.advanceTime(31 * 86_400);
    await w.stripe.advanceTime(31 * 86_400);
    await w.sync(tenant, member.member.id);
    member.access_token = await w.signIn(tenant, member);
    other.access_token = await w.signIn(tenant, other);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await w.t.request('GET', `/v1/me/billing/invoices${query}`, { key: member.access_token });
      expect(page.status, page.text).toBe(200);
      for (const invoice of page.body.data) seen.push(invoice.id);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);

    const first = await w.t.request('GET', '/v1/me/billing/invoices', { key: member.access_token });
    expect(first.body.data[0]).toMatchObject({
      object: 'invoice',
      status: 'paid',
      total: 1500,
      amount_paid: 1500,
      currency: 'eur',
    });
    expect(first.body.data[0].hosted_invoice_url).toContain(w.stripe.url);
    expect(first.body.data[0].invoice_pdf).toContain('/pdf');
    const times = first.body.data.map((i: { created_at: string }) => Date.parse(i.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const theirs = await w.t.request('GET', '/v1/me/billing/invoices', { key: other.access_token });
    expect(theirs.body.data).toEqual([]);
    // A cursor of one member's list is refused on another's.
    const page = await w.t.request('GET', '/v1/me/billing/invoices?limit=1', { key: member.access_token });
    const stolen = await w.t.request(
      'GET',
      `/v1/me/billing/invoices?cursor=${encodeURIComponent(page.body.next_cursor)}`,
      { key: other.access_token },
    );
    expectProblem(stolen, 400, 'INVALID_CURSOR');
  });

  it('pages invoices of the local mirror (seeded as the fuzz suite does) and refuses an altered cursor', async () => {
    const tenant = await w.tenant();
    const member = await w.t.signUpMember(tenant);
    const ids = await seedMemberInvoices(w.t.deps, tenant.id, member.member.id, 3);
    const first = await w.t.request('GET', '/v1/me/billing/invoices?limit=2', { key: member.access_token });
    expect(first.body.data.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const next = await w.t.request('GET', `/v1/me/billing/invoices?limit=2&cursor=${first.body.next_cursor}`, {
      key: member.access_token,
    });
    expect(next.body.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(next.body.has_more).toBe(false);
    const forged = `${first.body.next_cursor.slice(0, -1)}${first.body.next_cursor.endsWith('0') ? '1' : '0'}`;
    expectProblem(
      await w.t.request('GET', `/v1/me/billing/invoices?cursor=${forged}`, { key: member.access_token }),
      400,
      'INVALID_CURSOR',
    );
  });

  it('needs a member token', async () => {
    const tenant = await w.tenant();
    expectProblem(await w.t.request('GET', '/v1/me/billing/invoices', { key: tenant.secret_key }), 403);
    expectProblem(await w.t.request('GET', '/v1/me/billing'), 401);
  });
});
