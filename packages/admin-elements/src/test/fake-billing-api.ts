/**
 * A stand-in for the staff billing API, for the billing elements' browser tests while
 * the API's staff billing routes (issue 13) are not there to seed subscriptions and
 * invoices through. It keeps the state in memory, answers in the API's shapes, and
 * refuses what the API refuses with the SDK's errors (problem+json as the SDK turns it
 * into an error), so the elements are tested on what they show and send.
 */
import { ConflictError, InvalidRequestError, type MemberkitError } from '@memberkit/sdk';
import type {
  BillingApi,
  ListSubscriptionsParams,
  MemberBilling,
  Refund,
  RefundBody,
  StaffInvoice,
  StaffSubscription,
  SubscriptionPage,
} from '../billing/billing-api.js';

/** One call the elements made, in order. */
export interface FakeCall {
  method: keyof BillingApi;
  args: unknown[];
}

/** A subscription for tests: every field the API sends, with defaults. */
export function fakeSubscription(
  over: Partial<StaffSubscription> & { id: string; member_id: string },
): StaffSubscription {
  const amount = over.amount ?? 1999;
  return {
    object: 'subscription',
    kind: 'stripe',
    status: 'active',
    tier_id: 'tier_gold',
    tier_name: 'Gold',
    interval: 'month',
    amount,
    unit_amount: amount,
    currency: 'eur',
    quantity: 1,
    stripe_subscription_id: `sub_${over.id}`,
    current_period_start: '2026-12-01T00:00:00.000Z',
    current_period_end: '2027-01-01T00:00:00.000Z',
    trial_end: null,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    cancellation_reason: null,
    comp_ends_at: null,
    past_due_since: null,
    created_at: '2026-06-01T09:00:00.000Z',
    ...over,
  };
}

/** An invoice for tests, paid in full by default. */
export function fakeInvoice(over: Partial<StaffInvoice> & { id: string }): StaffInvoice {
  const invoice: StaffInvoice = {
    object: 'invoice',
    subscription_id: null,
    number: `INV-${over.id.slice(-4)}`,
    status: 'paid',
    billing_reason: 'subscription_cycle',
    total: 1999,
    amount_due: 1999,
    amount_paid: 1999,
    amount_refunded: 0,
    refundable_amount: 0,
    currency: 'eur',
    created_at: '2026-12-01T00:00:00.000Z',
    paid_at: '2026-12-01T00:00:00.000Z',
    period_start: null,
    period_end: null,
    attempt_count: 1,
    hosted_invoice_url: `https://stripe.test/invoices/${over.id}`,
    invoice_pdf: `https://stripe.test/invoices/${over.id}/pdf`,
    refunds: [],
    ...over,
  };
  return { ...invoice, refundable_amount: refundableOf(invoice) };
}

/** What the API says is left to refund: paid minus refunded, of a paid invoice. */
function refundableOf(invoice: StaffInvoice): number {
  return invoice.status === 'paid' ? Math.max(0, invoice.amount_paid - invoice.amount_refunded) : 0;
}

/** A member's billing for tests: current subscription and invoices. */
export function fakeMemberBilling(
  memberId: string,
  subscription: StaffSubscription | null,
  invoices: StaffInvoice[] = [],
): MemberBilling {
  return {
    object: 'staff_member_billing',
    member_id: memberId,
    subscription,
    subscriptions: subscription ? [subscription] : [],
    invoices,
  };
}

/** The fake: state per member, calls recorded, a next failure that can be set. */
export class FakeBillingApi implements BillingApi {
  readonly calls: FakeCall[] = [];
  readonly members = new Map<string, MemberBilling>();
  /** Every subscription the list shows (newest first), in addition to the members' current ones. */
  subscriptions: StaffSubscription[] = [];
  /** Thrown by the next call, once. */
  failNext: MemberkitError | undefined;
  /** Calls wait for this before answering (to see a busy state); resolved by default. */
  gate: Promise<void> = Promise.resolve();

  async #answer<T>(method: keyof BillingApi, args: unknown[], run: () => T): Promise<T> {
    this.calls.push({ method, args });
    await this.gate;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    // A copy, as JSON over HTTP would be: the element never holds the fake's own objects.
    return structuredClone(run());
  }

  #member(memberId: string): MemberBilling {
    const billing = this.members.get(memberId) ?? fakeMemberBilling(memberId, null);
    this.members.set(memberId, billing);
    return billing;
  }

  listSubscriptions(params: ListSubscriptionsParams): Promise<SubscriptionPage> {
    return this.#answer('listSubscriptions', [params], () => {
      const all = this.subscriptions.filter(
        (s) => (!params.status || s.status === params.status) && (!params.tier_id || s.tier_id === params.tier_id),
      );
      const start = params.cursor ? all.findIndex((s) => s.id === params.cursor) + 1 : 0;
      const limit = params.limit ?? 25;
      const data = all.slice(start, start + limit);
      const hasMore = start + limit < all.length;
      return { data, has_more: hasMore, next_cursor: hasMore ? (data.at(-1)?.id ?? null) : null };
    });
  }

  memberBilling(memberId: string): Promise<MemberBilling> {
    return this.#answer('memberBilling', [memberId], () => this.#member(memberId));
  }

  refundInvoice(invoiceId: string, body: RefundBody): Promise<Refund> {
    return this.#answer('refundInvoice', [invoiceId, body], () => {
      const invoice = [...this.members.values()].flatMap((m) => m.invoices).find((i) => i.id === invoiceId);
      if (!invoice) throw problem(InvalidRequestError, 404, 'INVOICE_NOT_FOUND', 'No such invoice.');
      const left = invoice.refundable_amount;
      const amount = body.amount ?? left;
      if (amount > left)
        throw problem(
          InvalidRequestError,
          422,
          'REFUND_EXCEEDS_PAID',
          `The refund (${amount}) is more than what is left to refund (${left}).`,
        );
      invoice.amount_refunded += amount;
      invoice.refundable_amount = refundableOf(invoice);
      const refund: Refund = {
        object: 'refund',
        id: `re_${this.calls.length}`,
        invoice_id: invoice.id,
        member_id: [...this.members.entries()].find(([, m]) => m.invoices.includes(invoice))?.[0] ?? '',
        amount,
        currency: invoice.currency,
        reason: body.reason ?? null,
        status: 'succeeded',
        created_at: new Date().toISOString(),
      };
      invoice.refunds.push(refund);
      return refund;
    });
  }

  cancelSubscription(subscriptionId: string, body: { at_period_end: boolean }): Promise<StaffSubscription> {
    return this.#answer('cancelSubscription', [subscriptionId, body], () => {
      const billing = [...this.members.values()].find((m) => m.subscription?.id === subscriptionId);
      const sub = billing?.subscription;
      if (!sub) throw problem(InvalidRequestError, 404, 'SUBSCRIPTION_NOT_FOUND', 'No such subscription.');
      if (body.at_period_end) sub.cancel_at_period_end = true;
      else {
        sub.status = 'canceled';
        sub.canceled_at = new Date().toISOString();
      }
      return sub;
    });
  }

  grantComp(memberId: string, body: { tier_id: string; ends_at: string }): Promise<StaffSubscription> {
    return this.#answer('grantComp', [memberId, body], () => {
      const billing = this.#member(memberId);
      if (billing.subscription && billing.subscription.status !== 'canceled')
        throw problem(ConflictError, 409, 'SUBSCRIPTION_EXISTS', 'The member already has a subscription.');
      billing.subscription = fakeSubscription({
        stripe_subscription_id: null,
        id: `msub_comp_${memberId}`,
        member_id: memberId,
        kind: 'comp',
        status: 'comp',
        tier_id: body.tier_id,
        tier_name: null,
        interval: null,
        amount: 0,
        current_period_end: null,
        comp_ends_at: body.ends_at,
      });
      return billing.subscription;
    });
  }

  revokeComp(memberId: string): Promise<unknown> {
    return this.#answer('revokeComp', [memberId], () => {
      const billing = this.#member(memberId);
      if (billing.subscription?.kind !== 'comp')
        throw problem(InvalidRequestError, 404, 'COMP_NOT_FOUND', 'The member has no complimentary membership.');
      billing.subscription = { ...billing.subscription, status: 'canceled', ended_at: new Date().toISOString() };
      return {};
    });
  }
}

/** An SDK error as the SDK builds it from the API's problem+json. */
export function problem(
  Kind: typeof InvalidRequestError | typeof ConflictError,
  status: number,
  code: string,
  detail: string,
): MemberkitError {
  return new Kind({ status, code, title: 'Refused', detail, requestId: 'req_fake' });
}
