import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, ResponseOf } from '../core/types.js';

/** One page of subscriptions. */
export type SubscriptionList = ResponseOf<'listSubscriptions'>;
/** A member's subscription as staff see it. */
export type Subscription = SubscriptionList['data'][number];
/** Filters and page size of {@link SubscriptionsResource.list}. */
export type ListSubscriptionsParams = Omit<QueryOf<'listSubscriptions'>, 'cursor'>;
/** Body of {@link SubscriptionsResource.cancel}. */
export type StaffCancelSubscriptionParams = BodyOf<'cancelSubscription'>;
/** Body of {@link BillingInvoicesResource.refund}: an amount in minor units (the whole invoice when left out) and a reason. */
export type RefundInvoiceParams = BodyOf<'refundInvoice'>;
/** A refund. */
export type Refund = ResponseOf<'refundInvoice'>;
/** A member's subscription and invoices as staff see them. */
export type MemberBillingDetail = ResponseOf<'getMemberBillingForStaff'>;
/** Body of {@link CompsResource.create}: the tier and when the complimentary membership ends. */
export type CreateCompParams = BodyOf<'grantComp'>;
/** `mk.billing.subscriptions`: every member's subscription (staff with `billing:read`, or a secret key). */
export class SubscriptionsResource extends Resource {
  /**
   * Lists subscriptions, filtered by status or tier (`GET /v1/billing/subscriptions`):
   * await it for one page, or iterate it for all.
   *
   * @example
   * for await (const sub of mk.billing.subscriptions.list({ status: 'past_due' })) console.log(sub.member_id);
   */
  list(params?: ListSubscriptionsParams, options?: CallOptions): ListPromise<SubscriptionList> {
    return this.paginate({ path: '/v1/billing/subscriptions', query: toQuery(params) }, options);
  }

  /** Cancels a subscription now or at period end (`POST /v1/billing/subscriptions/{id}/cancel`); audited. */
  cancel(
    id: string,
    params: StaffCancelSubscriptionParams,
    options?: CallOptions,
  ): Promise<ResponseOf<'cancelSubscription'>> {
    return this.call({ method: 'POST', path: `/v1/billing/subscriptions/${seg(id)}/cancel`, body: params }, options);
  }
}

/** `mk.billing.invoices`: refunds. */
export class BillingInvoicesResource extends Resource {
  /**
   * Refunds an invoice in full or in part (`POST /v1/billing/invoices/{id}/refund`); audited.
   *
   * @example
   * await mk.billing.invoices.refund('in_…', { amount: 500, reason: 'requested_by_customer' });
   */
  refund(id: string, params: RefundInvoiceParams = {}, options?: CallOptions): Promise<Refund> {
    return this.call({ method: 'POST', path: `/v1/billing/invoices/${seg(id)}/refund`, body: params }, options);
  }
}

/** `mk.billing.comps`: complimentary memberships (a tier without charge, until an end date). */
export class CompsResource extends Resource {
  /**
   * Grants a member a tier free of charge until `ends_at` (`POST /v1/members/{id}/billing/comp`).
   *
   * @example
   * await mk.billing.comps.create('mem_…', { tier_id: gold.id, ends_at: '2027-06-30T00:00:00Z' });
   */
  create(memberId: string, params: CreateCompParams, options?: CallOptions): Promise<ResponseOf<'grantComp'>> {
    return this.call({ method: 'POST', path: `/v1/members/${seg(memberId)}/billing/comp`, body: params }, options);
  }

  /** Ends a member's complimentary membership now (`DELETE /v1/members/{id}/billing/comp`). */
  del(memberId: string, options?: CallOptions): Promise<ResponseOf<'revokeComp'>> {
    return this.call({ method: 'DELETE', path: `/v1/members/${seg(memberId)}/billing/comp` }, options);
  }
}
