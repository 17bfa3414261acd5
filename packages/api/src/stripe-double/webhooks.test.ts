import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StripeDouble, startStripeDouble } from '../testing/index.js';

let double: StripeDouble;
let stripe: Stripe;
let secret: string;
let received: Stripe.Event[];

beforeEach(async () => {
  double = await startStripeDouble();
  stripe = double.client();
  secret = double.billingDeps().platform!.webhookSecret;
  received = [];
  double.webhooks.deliverTo(async (request) => {
    received.push(
      stripe.webhooks.constructEvent(await request.text(), request.headers.get('stripe-signature')!, secret),
    );
    return new Response(null, { status: 204 });
  });
});
afterEach(() => double.close());

/** Makes `n` customers in a new connected account: `n` `customer.created` events. */
async function customers(n: number): Promise<string[]> {
  const account = await stripe.accounts.create({ type: 'express' });
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await stripe.customers.create({ name: `c${i}` }, { stripeAccount: account.id })).id);
  return ids;
}

describe('Stripe double: webhook delivery', () => {
  it('signs Connect events so constructEvent verifies them, and lists them at /v1/events', async () => {
    const [id] = await customers(1);
    await double.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(received[0]!.type).toBe('customer.created');
    expect((received[0]!.data.object as Stripe.Customer).id).toBe(id);
    const account = received[0]!.account!;
    const events = await stripe.events.list({ type: 'customer.created' }, { stripeAccount: account });
    expect(events.data.map((e) => e.id)).toEqual([received[0]!.id]);
    expect(double.webhooks.sent).toEqual([
      expect.objectContaining({ eventId: received[0]!.id, type: 'customer.created', account, status: 204 }),
    ]);
  });

  it('duplicates each delivery', async () => {
    double.webhooks.mode({ duplicate: 3 });
    await customers(2);
    await double.webhooks.idle();
    expect(received).toHaveLength(6);
    expect(new Set(received.map((e) => e.id)).size).toBe(2);
  });

  it('holds deliveries until flush, then sends them shuffled', async () => {
    double.webhooks.mode({ shuffle: true });
    const ids = await customers(8);
    await double.webhooks.idle();
    expect(received).toHaveLength(0);
    await double.webhooks.flush();
    expect(received.map((e) => (e.data.object as Stripe.Customer).id).sort()).toEqual([...ids].sort());
  });

  it('loses the next n deliveries', async () => {
    double.webhooks.drop(1);
    await customers(2);
    await double.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(double.webhooks.sent.map((d) => d.status)).toEqual(['dropped', 204]);
  });

  it('delivers by real HTTP to a direct account’s own endpoint', async () => {
    const bodies: Array<{ body: string; signature: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        bodies.push({ body, signature: String(req.headers['stripe-signature']) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      double.webhooks.deliverTo(null);
      const direct = double.createDirectAccount();
      const client = double.client(direct.secretKey);
      const port = (server.address() as AddressInfo).port;
      const endpoint = await client.webhookEndpoints.create({
        url: `http://127.0.0.1:${port}/hook`,
        enabled_events: ['customer.created'],
      });
      await client.customers.create({ email: 'd@example.com' });
      await client.products.create({ name: 'not subscribed' });
      await double.webhooks.idle();
      expect(bodies).toHaveLength(1);
      const event = stripe.webhooks.constructEvent(bodies[0]!.body, bodies[0]!.signature, endpoint.secret!);
      expect(event.type).toBe('customer.created');
      expect(event.account).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('re-sends failed deliveries on redeliver', async () => {
    let fail = true;
    double.webhooks.deliverTo(async (request) => {
      if (fail) return new Response('down', { status: 503 });
      received.push(
        stripe.webhooks.constructEvent(await request.text(), request.headers.get('stripe-signature')!, secret),
      );
      return new Response(null, { status: 200 });
    });
    await customers(2);
    await double.webhooks.idle();
    expect(received).toHaveLength(0);
    fail = false;
    await double.webhooks.redeliver();
    expect(received).toHaveLength(2);
    expect(double.webhooks.sent.map((d) => d.status)).toEqual([503, 503, 200, 200]);
  });
});
