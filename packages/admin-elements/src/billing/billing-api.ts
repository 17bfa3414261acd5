import type {
  Memberkit,
  RefundInvoiceParams,
  Schema,
  ListSubscriptionsParams as SdkListSubscriptionsParams,
} from '@memberkit/sdk';

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

/**
 * A subscription as staff see it (the API's `StaffSubscription`). Amounts are integer
 * minor units of `currency`; `amount` is per interval (`unit_amount × quantity`).
 * The optional extras are shown when an API sends them: the tier's name and the
 * member (else the elements look them up) and the subscription's MRR.
 */
export type StaffSubscription = Schema<'StaffSubscription'> & {
  tier_name?: string | null | undefined;
  member?: { id: string; email: string; first_name: string; last_name: string } | null | undefined;
  mrr_amount?: number | null | undefined;
};

/** An invoice as staff see it, with its refunds (the API's `StaffInvoice`). */
export type StaffInvoice = Schema<'StaffInvoice'>;

/** A member's billing: the subscription that counts now (or null), all of them, and the invoices, newest first. */
export type MemberBilling = Omit<Schema<'StaffMemberBilling'>, 'subscription' | 'subscriptions'> & {
  subscription: StaffSubscription | null;
  subscriptions: StaffSubscription[];
};

/** Filters and page of {@link BillingApi.listSubscriptions}. */
export interface ListSubscriptionsParams {
  status?: SubscriptionStatus | undefined;
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
export type RefundBody = RefundInvoiceParams;

/** A refund the API made. */
export type Refund = Schema<'Refund'>;

/** {@link BillingApi} on the provider's SDK client (staff token): `mk.billing`. */
export function sdkBillingApi(client: Memberkit): BillingApi {
  const billing = client.billing;
  return {
    listSubscriptions: async ({ cursor, ...params }) => {
      // The SDK pages by itself from the first page; "load more" goes on from the cursor it was given.
      const query: SdkListSubscriptionsParams & { cursor?: string } = { ...params, ...(cursor ? { cursor } : {}) };
      const page = await billing.subscriptions.list(query);
      return { data: page.data, has_more: page.has_more, next_cursor: page.next_cursor ?? null };
    },
    memberBilling: (memberId) => billing.member(memberId),
    refundInvoice: (id, body) => billing.invoices.refund(id, body),
    cancelSubscription: (id, body) => billing.subscriptions.cancel(id, body),
    grantComp: (memberId, body) => billing.comps.create(memberId, body),
    revokeComp: (memberId) => billing.comps.del(memberId),
  };
}
