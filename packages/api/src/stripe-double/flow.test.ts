import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/clock.js';
import { type StripeDouble, startStripeDouble } from '../testing/index.js';

const DAY = 86_400;

let clock: ReturnType<typeof createManualClock>;
let double: StripeDouble;
let stripe: Stripe;
let secret: string;
let account: string;
/** Events the platform's Connect endpoint received, each verified with `constructEvent`. */
let received: Stripe.Event[];

beforeEach(async () => {
  clock = createManualClock(new Date('2026-01-15T10:00:00Z'));
  double = await startStripeDouble({ clock });
  stripe = double.client();
  secret = double.billingDeps({ webhookBaseUrl: 'http://app.test' }).platform!.webhookSecret;
  received = [];
  double.webhooks.deliverTo(async (request) => {
    const body = await request.text();
    const event = stripe.webhooks.constructEvent(body, request.headers.get('stripe-signature')!, secret);
    received.push(event);
    return new Response('ok');
  });
  account = (await stripe.accounts.create({ type: 'express' })).id;
});
afterEach(() => double.close());

const on = { stripeAccount: '' };
function opts() {
  on.stripeAccount = account;
  return on;
}
const types = () => received.map((e) => e.type);

async function monthlyPrice(amount: number) {
  const product = await stripe.products.create({ name: `Plan ${amount}` }, opts());
  return stripe.prices.create(
    { product: product.id, currency: 'eur', unit_amount: amount, recurring: { interval: 'month' } },
    opts(),
  );
}

async function subscribedCustomer(priceId: string, pm = 'pm_card_visa') {
  const customer = await stripe.customers.create({ email: 'm@example.com' }, opts());
  const method = await stripe.paymentMethods.attach(pm, { customer: customer.id }, opts());
  const sub = await stripe.subscriptions.create(
    { customer: customer.id, items: [{ price: priceId }], default_payment_method: method.id },
    opts(),
  );
  return { customer, sub };
}

describe('Stripe double: checkout, renewal and a failing card', () => {
  it('completes checkout on the hosted page, renews, then fails, retries and cancels', async () => {
    const price = await monthlyPrice(1000);
    const session = await stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: 1 }],
        client_reference_id: 'mem_1',
        customer_email: 'buyer@example.com',
        success_url: 'http://app.test/done?session={CHECKOUT_SESSION_ID}',
        cancel_url: 'http://app.test/cancel',
        subscription_data: { metadata: { memberkit_member_id: 'mem_1' } },
      },
      opts(),
    );
    expect(session.url).toBe(`${double.url}/checkout/${session.id}`);
    expect(session.amount_total).toBe(1000);
    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pay');
    const paid = await fetch(session.url!, {
      method: 'POST',
      body: new URLSearchParams({ card: 'pm_card_visa' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://app.test/done?session=${session.id}`);
    await double.webhooks.idle();

    const done = await stripe.checkout.sessions.retrieve(
      session.id,
      { expand: ['subscription.latest_invoice'] },
      opts(),
    );
    expect(done.status).toBe('complete');
    expect(done.payment_status).toBe('paid');
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe('active');
    expect(sub.metadata).toEqual({ memberkit_member_id: 'mem_1' });
    const item = sub.items.data[0]!;
    expect(item.current_period_start).toBe(Date.parse('2026-01-15T10:00:00Z') / 1000);
    expect(item.current_period_end).toBe(Date.parse('2026-02-15T10:00:00Z') / 1000);
    expect((sub.latest_invoice as Stripe.Invoice).amount_paid).toBe(1000);
    expect(types()).toEqual(
      expect.arrayContaining(['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']),
    );
    expect(received.every((e) => e.account === account)).toBe(true);
    const completed = received.find((e) => e.type === 'checkout.session.completed')!;
    expect((completed.data.object as Stripe.Checkout.Session).client_reference_id).toBe('mem_1');

    received = [];
    await double.advanceTime(31 * DAY);
    const renewed = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] }, opts());
    expect(renewed.items.data[0]!.current_period_end).toBe(Date.parse('2026-03-15T10:00:00Z') / 1000);
    const renewal = renewed.latest_invoice as Stripe.Invoice;
    expect(renewal.billing_reason).toBe('subscription_cycle');
    expect(renewal.status).toBe('paid');
    const updated = received.find((e) => e.type === 'customer.subscription.updated')!;
    expect(updated.data.previous_attributes).toHaveProperty('items');

    const declining = await stripe.paymentMethods.attach(
      'pm_card_chargeDeclined',
      { customer: sub.customer as string },
      opts(),
    );
    await stripe.subscriptions.update(sub.id, { default_payment_method: declining.id }, opts());
    received = [];
    await double.advanceTime(28 * DAY);
    const failing = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] }, opts());
    expect(failing.status).toBe('past_due');
    const open = failing.latest_invoice as Stripe.Invoice;
    expect(open.status).toBe('open');
    expect(open.attempt_count).toBe(1);
    expect(open.next_payment_attempt).toBe(Date.parse('2026-03-18T10:00:00Z') / 1000);
    expect(types()).toContain('invoice.payment_failed');

    received = [];
    await double.advanceTime(8 * DAY);
    const ended = await stripe.subscriptions.retrieve(sub.id, {}, opts());
    expect(ended.status).toBe('canceled');
    expect(ended.cancellation_details?.reason).toBe('payment_failed');
    expect(types().filter((t) => t === 'invoice.payment_failed')).toHaveLength(3);
    expect(types()).toContain('customer.subscription.deleted');
    const invoices = await stripe.invoices.list({ subscription: sub.id }, opts());
    expect(invoices.data.map((i) => i.status)).toEqual(['open', 'paid', 'paid']);
  });

  it('refuses a declined card at checkout and leaves the session open', async () => {
    const price = await monthlyPrice(1000);
    const session = await stripe.checkout.sessions.create(
      { mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], success_url: 'http://app.test/ok' },
      opts(),
    );
    await expect(double.completeCheckout(session.id, { paymentMethod: 'pm_card_chargeDeclined' })).rejects.toThrow(
      'Your card was declined.',
    );
    expect((await stripe.checkout.sessions.retrieve(session.id, {}, opts())).status).toBe('open');
  });

  it('starts a trial with a $0 invoice and charges when it ends', async () => {
    const price = await monthlyPrice(1500);
    const session = await stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: 1 }],
        success_url: 'http://app.test/ok',
        subscription_data: { trial_period_days: 14 },
      },
      opts(),
    );
    const done = await double.completeCheckout(session.id);
    expect(done.payment_status).toBe('no_payment_required');
    const sub = await stripe.subscriptions.retrieve(
      done.subscription as string,
      { expand: ['latest_invoice'] },
      opts(),
    );
    expect(sub.status).toBe('trialing');
    expect(sub.trial_end).toBe(sub.start_date + 14 * DAY);
    expect((sub.latest_invoice as Stripe.Invoice).total).toBe(0);
    await double.advanceTime(15 * DAY);
    expect(types()).toContain('customer.subscription.trial_will_end');
    const active = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] }, opts());
    expect(active.status).toBe('active');
    expect((active.latest_invoice as Stripe.Invoice).amount_paid).toBe(1500);
    expect(active.items.data[0]!.current_period_start).toBe(sub.trial_end);
  });

  it('setup mode saves a card through a SetupIntent', async () => {
    const customer = await stripe.customers.create({ email: 's@example.com' }, opts());
    const session = await stripe.checkout.sessions.create(
      { mode: 'setup', customer: customer.id, currency: 'eur', success_url: 'http://app.test/ok' },
      opts(),
    );
    const done = await double.completeCheckout(session.id, { paymentMethod: 'pm_card_mastercard' });
    const intent = await stripe.setupIntents.retrieve(
      done.setup_intent as string,
      { expand: ['payment_method'] },
      opts(),
    );
    expect(intent.status).toBe('succeeded');
    expect((intent.payment_method as Stripe.PaymentMethod).card?.brand).toBe('mastercard');
    const methods = await stripe.paymentMethods.list({ customer: customer.id }, opts());
    expect(methods.data).toHaveLength(1);
  });
});

describe('Stripe double: proration', () => {
  it('charges exactly the previewed amount (always_invoice)', async () => {
    const basic = await monthlyPrice(1000);
    const pro = await monthlyPrice(3000);
    const { customer, sub } = await subscribedCustomer(basic.id);
    clock.advance(10 * DAY * 1000 + 12_345_000);
    const prorationDate = Math.floor(clock.now().getTime() / 1000);
    const item = sub.items.data[0]!;
    const preview = await stripe.invoices.createPreview(
      {
        customer: customer.id,
        subscription: sub.id,
        subscription_details: {
          items: [{ id: item.id, price: pro.id }],
          proration_date: prorationDate,
          proration_behavior: 'always_invoice',
        },
      },
      opts(),
    );
    const total = item.current_period_end - item.current_period_start;
    const remaining = item.current_period_end - prorationDate;
    const expected = -Math.round((1000 * remaining) / total) + Math.round((3000 * remaining) / total);
    expect(preview.amount_due).toBe(expected);
    expect(preview.lines.data.every((l) => l.parent?.subscription_item_details?.proration)).toBe(true);
    clock.advance(5_000);
    const updated = await stripe.subscriptions.update(
      sub.id,
      {
        items: [{ id: item.id, price: pro.id }],
        proration_date: prorationDate,
        proration_behavior: 'always_invoice',
        expand: ['latest_invoice'],
      },
      opts(),
    );
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe('subscription_update');
    expect(invoice.amount_paid).toBe(preview.amount_due);
    expect(invoice.lines.data.map((l) => l.amount)).toEqual(preview.lines.data.map((l) => l.amount));
  });

  it('puts create_prorations on the next invoice, as previewed', async () => {
    const basic = await monthlyPrice(1000);
    const pro = await monthlyPrice(3000);
    const { customer, sub } = await subscribedCustomer(basic.id);
    clock.advance(20 * DAY * 1000);
    const prorationDate = Math.floor(clock.now().getTime() / 1000);
    const item = sub.items.data[0]!;
    const details = { items: [{ id: item.id, price: pro.id }], proration_date: prorationDate };
    const preview = await stripe.invoices.createPreview(
      { customer: customer.id, subscription: sub.id, subscription_details: details },
      opts(),
    );
    await stripe.subscriptions.update(sub.id, { ...details, proration_behavior: 'create_prorations' }, opts());
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true }, opts());
    expect(pending.data).toHaveLength(2);
    await double.advanceTime(12 * DAY);
    const renewed = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] }, opts());
    const invoice = renewed.latest_invoice as Stripe.Invoice;
    expect(invoice.amount_paid).toBe(preview.amount_due);
    expect(invoice.amount_paid).toBe(3000 + pending.data.reduce((s, ii) => s + ii.amount, 0));
  });

  it('refunds a paid invoice’s payment in parts, never more than was paid', async () => {
    const price = await monthlyPrice(2500);
    const { sub } = await subscribedCustomer(price.id);
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string, { expand: ['payments'] }, opts());
    const intent = invoice.payments!.data[0]!.payment.payment_intent as string;
    const part = await stripe.refunds.create({ payment_intent: intent, amount: 1000 }, opts());
    expect(part.amount).toBe(1000);
    await expect(stripe.refunds.create({ payment_intent: intent, amount: 2000 }, opts())).rejects.toMatchObject({
      statusCode: 400,
      param: 'amount',
    });
    const rest = await stripe.refunds.create({ payment_intent: intent }, opts());
    expect(rest.amount).toBe(1500);
    const charge = await stripe.charges.retrieve(rest.charge as string, {}, opts());
    expect(charge.refunded).toBe(true);
    expect((await stripe.refunds.list({ payment_intent: intent }, opts())).data).toHaveLength(2);
    const pdf = await fetch(invoice.invoice_pdf!);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('applies a promotion code and refuses one that does not apply', async () => {
    const price = await monthlyPrice(1000);
    const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'once' }, opts());
    const promo = await stripe.promotionCodes.create(
      { promotion: { type: 'coupon', coupon: coupon.id }, code: 'SPRING' },
      opts(),
    );
    const [found] = (await stripe.promotionCodes.list({ code: 'spring' }, opts())).data;
    expect(found?.id).toBe(promo.id);
    const session = await stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: 1 }],
        discounts: [{ promotion_code: promo.id }],
        success_url: 'http://app.test/ok',
      },
      opts(),
    );
    expect(session.amount_total).toBe(800);
    const done = await double.completeCheckout(session.id);
    const sub = await stripe.subscriptions.retrieve(
      done.subscription as string,
      { expand: ['latest_invoice'] },
      opts(),
    );
    expect((sub.latest_invoice as Stripe.Invoice).amount_paid).toBe(800);
    const withDiscount = await stripe.subscriptions.retrieve(sub.id, { expand: ['discounts'] }, opts());
    expect(withDiscount.discounts).toEqual([]);
    const [discount] = (sub.latest_invoice as Stripe.Invoice).discounts as string[];
    const expanded = await stripe.invoices.retrieve(
      (sub.latest_invoice as Stripe.Invoice).id,
      { expand: ['discounts'] },
      opts(),
    );
    expect((expanded.discounts[0] as Stripe.Discount).id).toBe(discount);
    expect((expanded.discounts[0] as Stripe.Discount).source.coupon).toBe(coupon.id);
    const usd = await stripe.coupons.create({ amount_off: 500, currency: 'usd', duration: 'once' }, opts());
    await expect(
      stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          line_items: [{ price: price.id, quantity: 1 }],
          discounts: [{ coupon: usd.id }],
          success_url: 'http://app.test/ok',
        },
        opts(),
      ),
    ).rejects.toMatchObject({ statusCode: 400, param: 'discounts[0]' });
  });

  it('bills metered usage from meter events at renewal and rejects a duplicate identifier', async () => {
    const meter = await stripe.billing.meters.create(
      { display_name: 'Hours', event_name: 'hours', default_aggregation: { formula: 'sum' } },
      opts(),
    );
    const product = await stripe.products.create({ name: 'Coworking hours' }, opts());
    const metered = await stripe.prices.create(
      {
        product: product.id,
        currency: 'eur',
        recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
        billing_scheme: 'tiered',
        tiers_mode: 'graduated',
        tiers: [
          { up_to: 10, unit_amount: 0 },
          { up_to: 'inf', unit_amount: 200 },
        ],
      },
      opts(),
    );
    const base = await monthlyPrice(1000);
    const customer = await stripe.customers.create({}, opts());
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id }, opts());
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } }, opts());
    const sub = await stripe.subscriptions.create(
      { customer: customer.id, items: [{ price: base.id }, { price: metered.id }] },
      opts(),
    );
    for (const [identifier, value] of [
      ['u1', '8'],
      ['u2', '5'],
    ] as const)
      await stripe.billing.meterEvents.create(
        { event_name: 'hours', identifier, payload: { stripe_customer_id: customer.id, value } },
        opts(),
      );
    await expect(
      stripe.billing.meterEvents.create(
        { event_name: 'hours', identifier: 'u1', payload: { stripe_customer_id: customer.id, value: '8' } },
        opts(),
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'duplicate_meter_event' });
    const upcoming = await stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id }, opts());
    expect(upcoming.amount_due).toBe(1000 + 3 * 200);
    await double.advanceTime(32 * DAY);
    const renewed = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] }, opts());
    expect((renewed.latest_invoice as Stripe.Invoice).amount_paid).toBe(1600);
  });

  it('resets the cycle on a change of interval and charges the previewed amount', async () => {
    const monthly = await monthlyPrice(1000);
    const product = await stripe.products.create({ name: 'Yearly' }, opts());
    const yearly = await stripe.prices.create(
      { product: product.id, currency: 'eur', unit_amount: 10000, recurring: { interval: 'year' } },
      opts(),
    );
    const { customer, sub } = await subscribedCustomer(monthly.id);
    clock.advance(15 * DAY * 1000);
    const prorationDate = Math.floor(clock.now().getTime() / 1000);
    const details = { items: [{ id: sub.items.data[0]!.id, price: yearly.id }], proration_date: prorationDate };
    const preview = await stripe.invoices.createPreview(
      { customer: customer.id, subscription: sub.id, subscription_details: details },
      opts(),
    );
    const updated = await stripe.subscriptions.update(sub.id, { ...details, expand: ['latest_invoice'] }, opts());
    expect((updated.latest_invoice as Stripe.Invoice).amount_paid).toBe(preview.amount_due);
    expect(preview.amount_due).toBeGreaterThan(9000);
    expect(updated.items.data[0]!.current_period_start).toBe(prorationDate);
    expect(updated.items.data[0]!.current_period_end).toBe(Date.parse('2027-01-30T10:00:00Z') / 1000);
  });

  it('ends a subscription set to cancel at period end, and credits unused time on a prorated cancel', async () => {
    const price = await monthlyPrice(3000);
    const first = await subscribedCustomer(price.id);
    const pending = await stripe.subscriptions.update(first.sub.id, { cancel_at_period_end: true }, opts());
    expect(pending.cancel_at).toBe(first.sub.items.data[0]!.current_period_end);
    await double.advanceTime(10 * DAY);
    const upcoming = received.find((e) => e.type === 'invoice.upcoming');
    expect(upcoming).toBeUndefined();
    await double.advanceTime(25 * DAY);
    const ended = await stripe.subscriptions.retrieve(first.sub.id, {}, opts());
    expect(ended.status).toBe('canceled');
    expect(ended.ended_at).toBe(first.sub.items.data[0]!.current_period_end);
    expect((await stripe.invoices.list({ subscription: first.sub.id }, opts())).data).toHaveLength(1);

    const second = await subscribedCustomer(price.id);
    await double.advanceTime(24 * DAY);
    expect(received.some((e) => e.type === 'invoice.upcoming')).toBe(true);
    const canceled = await stripe.subscriptions.cancel(second.sub.id, { prorate: true, invoice_now: true }, opts());
    expect(canceled.status).toBe('canceled');
    const customer = (await stripe.customers.retrieve(second.customer.id, {}, opts())) as Stripe.Customer;
    expect(customer.balance).toBeLessThan(0);
  });
});
