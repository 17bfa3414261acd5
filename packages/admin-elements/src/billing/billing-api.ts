import type { Memberkit, RequestSpec, Transport } from '@memberkit/sdk';

/**
 * The staff billing API as the billing elements use it (`GET /v1/billing/subscriptions`,
 * `GET /v1/members/{id}/billing`, refund, cancel, comp). The elements talk to this
 * small interface, not to the SDK directly: {@link sdkBillingApi} implements it on the
 * SDK client of the provider, and a page may pass its own (e.g. a proxy through its
 * backend) as the elements' `billingApi` property.
 */
export interface BillingApi {
  /** One page of the tenant's subscriptions, newest first. */
  listSubscriptions(params: ListSubscriptionsParams): Promise<SubscriptionPage>;
  /** A member's subscription (or none) and invoices. */
  memberBilling(memberId: string): Promise<MemberBilling>;
  /** Refunds an invoice in full (no `amount`) or in part. */
  refundInvoice(invoiceId: string, body: RefundBody): Promise<Refund>;
  /** Cancels a Stripe subscription now or at the end of its period. */
  cancelSubscription(subscriptionId: string, body: { at_period_end: boolean }): Promise<StaffSubscription>;
  /** Grants a complimentary membership on a tier until `ends_at`. */
  grantComp(memberId: string, body: { tier_id: string; ends_at: string }): Promise<StaffSubscription>;
  /** Ends a member's complimentary membership. */
  revokeComp(memberId: string): Promise<unknown>;
}

/** Stripe's subscription statuses, plus `comp` for a complimentary membership granted by staff. */
export const subscriptionStatuses = [
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'paused',
  'comp',
] as const;
/** A subscription status. */
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/** Reasons Stripe accepts for a refund. */
export const refundReasons = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;
/** A refund reason. */
export type RefundReason = (typeof refundReasons)[number];

/** A subscription as staff see it. Amounts are integer minor units of `currency`. */
export interface StaffSubscription {
  id: string;
  member_id: string;
  /** `stripe`: mirrors a Stripe subscription; `comp`: granted by staff, charges nothing. */
  kind?: 'stripe' | 'comp' | undefined;
  status: SubscriptionStatus | (string & {});
  tier_id: string;
  /** The tier's name, when the API includes it (else the elements look it up among the tiers). */
  tier_name?: string | null | undefined;
  interval: 'month' | 'year' | null;
  /** Recurring amount per interval: `unit_amount × quantity` (0 for comps). */
  amount: number;
  currency: string;
  unit_amount?: number | undefined;
  quantity?: number | undefined;
  /** Monthly recurring revenue of this subscription, when the API computes it. */
  mrr_amount?: number | null | undefined;
  current_period_start?: string | null | undefined;
  current_period_end: string | null;
  trial_end: string | null;
  cancel_at_period_end: boolean;
  cancel_at?: string | null | undefined;
  canceled_at?: string | null | undefined;
  comp_ends_at?: string | null | undefined;
  created_at?: string | undefined;
  /** The member, when the list includes it (else only `member_id` is shown). */
  member?: { id: string; email: string; first_name: string; last_name: string } | null | undefined;
}

/** An invoice as staff see it. */
export interface StaffInvoice {
  id: string;
  number: string | null;
  status: string;
  total: number;
  amount_paid: number;
  amount_refunded: number;
  /** What a refund may still return (paid minus refunded, 0 unless paid), when the API says. */
  refundable_amount?: number | undefined;
  currency: string;
  created_at: string;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
}

/** A member's billing: the current subscription (or null) and the invoices, newest first. */
export interface MemberBilling {
  subscription: StaffSubscription | null;
  invoices: StaffInvoice[];
}

/** Filters and page of {@link BillingApi.listSubscriptions}. */
export interface ListSubscriptionsParams {
  status?: string | undefined;
  tier_id?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** One page of subscriptions. */
export interface SubscriptionPage {
  data: StaffSubscription[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Body of a refund: no amount refunds what is left. */
export interface RefundBody {
  amount?: number | undefined;
  reason?: RefundReason | undefined;
}

/** A refund the API made. */
export interface Refund {
  id: string;
  amount: number;
  currency: string;
  reason?: string | null | undefined;
  status?: string | undefined;
}

/**
 * The SDK's `mk.billing` methods {@link sdkBillingApi} calls (issue 13 adds them to the
 * SDK while these elements are written): looked up at run time, so the elements say
 * clearly which method is missing in an older SDK build.
 */
interface SdkBilling {
  billing?: {
    subscriptions?: {
      list?(params: ListSubscriptionsParams): PromiseLike<SubscriptionPage>;
      cancel?(id: string, body: { at_period_end: boolean }): Promise<StaffSubscription>;
    };
    invoices?: { refund?(id: string, body: RefundBody): Promise<Refund> };
    comps?: {
      create?(memberId: string, body: { tier_id: string; ends_at: string }): Promise<StaffSubscription>;
      del?(memberId: string): Promise<unknown>;
    };
    member?(memberId: string): Promise<MemberBilling>;
  };
}

/**
 * Until the SDK has the staff billing methods (asked for in issue 13), the adapter sends
 * the documented requests itself through the client's own transport, so they carry the
 * staff session, retries, idempotency keys and the SDK's typed errors. The transport is
 * a protected field of the SDK's resources: read here and nowhere else, and unused as
 * soon as the SDK's methods exist.
 */
function transportOf(client: Memberkit): Transport | undefined {
  return (client.members as unknown as { transport?: Transport }).transport;
}

const enc = encodeURIComponent;

function bridge(client: Memberkit): BillingApi | undefined {
  const transport = transportOf(client);
  if (!transport) return undefined;
  const send = <T>(spec: RequestSpec): Promise<T> => transport.request<T>(spec);
  return {
    listSubscriptions: (params) =>
      send({ method: 'GET', path: '/v1/billing/subscriptions', query: { ...params } as RequestSpec['query'] }),
    memberBilling: (memberId) => send({ method: 'GET', path: `/v1/members/${enc(memberId)}/billing` }),
    refundInvoice: (id, body) => send({ method: 'POST', path: `/v1/billing/invoices/${enc(id)}/refund`, body }),
    cancelSubscription: (id, body) =>
      send({ method: 'POST', path: `/v1/billing/subscriptions/${enc(id)}/cancel`, body }),
    grantComp: (memberId, body) => send({ method: 'POST', path: `/v1/members/${enc(memberId)}/billing/comp`, body }),
    revokeComp: (memberId) => send({ method: 'DELETE', path: `/v1/members/${enc(memberId)}/billing/comp` }),
  };
}

function missingMethod(name: string): never {
  throw new Error(`This version of @memberkit/sdk has no mk.${name}: update it, or pass a billingApi.`);
}

/** {@link BillingApi} on the provider's SDK client (staff token). */
export function sdkBillingApi(client: Memberkit): BillingApi {
  const sdk = client as unknown as SdkBilling;
  const raw = bridge(client);
  const fallback = (name: string): BillingApi => raw ?? missingMethod(name);
  return {
    listSubscriptions: async (params) =>
      sdk.billing?.subscriptions?.list
        ? await sdk.billing.subscriptions.list(params)
        : fallback('billing.subscriptions.list').listSubscriptions(params),
    memberBilling: (memberId) =>
      sdk.billing?.member ? sdk.billing.member(memberId) : fallback('billing.member').memberBilling(memberId),
    refundInvoice: (id, body) =>
      sdk.billing?.invoices?.refund
        ? sdk.billing.invoices.refund(id, body)
        : fallback('billing.invoices.refund').refundInvoice(id, body),
    cancelSubscription: (id, body) =>
      sdk.billing?.subscriptions?.cancel
        ? sdk.billing.subscriptions.cancel(id, body)
        : fallback('billing.subscriptions.cancel').cancelSubscription(id, body),
    grantComp: (memberId, body) =>
      sdk.billing?.comps?.create
        ? sdk.billing.comps.create(memberId, body)
        : fallback('billing.comps.create').grantComp(memberId, body),
    revokeComp: (memberId) =>
      sdk.billing?.comps?.del ? sdk.billing.comps.del(memberId) : fallback('billing.comps.del').revokeComp(memberId),
  };
}
