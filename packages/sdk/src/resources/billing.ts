import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, ResponseOf } from '../core/types.js';
import {
  BillingInvoicesResource,
  CompsResource,
  SubscriptionsResource,
  type MemberBillingDetail,
} from './billing-staff.js';

/** A metered feature ("coworking hours"), backed by a Stripe Billing Meter. */
export type MeteredFeature = ResponseOf<'getMeteredFeature'>;
/** The tenant's metered features. */
export type MeteredFeatureList = ResponseOf<'listMeteredFeatures'>;
/** Page size of {@link FeaturesResource.list}. */
export type ListMeteredFeaturesParams = Omit<QueryOf<'listMeteredFeatures'>, 'cursor'>;
/** Body of {@link FeaturesResource.create}. */
export type CreateMeteredFeatureParams = BodyOf<'createMeteredFeature'>;
/** Body of {@link FeaturesResource.update}. */
export type UpdateMeteredFeatureParams = BodyOf<'updateMeteredFeature'>;

/** `mk.billing.features`: metered features staff charge for by usage. */
export class FeaturesResource extends Resource {
  /**
   * Defines a metered feature (`POST /v1/billing/features`); price it per tier with
   * `mk.tiers.meteredPrices.set`.
   *
   * @example
   * const hours = await mk.billing.features.create({ key: 'coworking_hours', name: 'Coworking hours', unit_label: 'hour' });
   */
  create(params: CreateMeteredFeatureParams, options?: CallOptions): Promise<MeteredFeature> {
    return this.call({ method: 'POST', path: '/v1/billing/features', body: params }, options);
  }

  /** Lists the metered features (`GET /v1/billing/features`): await it for one page, or iterate it for all. */
  list(params?: ListMeteredFeaturesParams, options?: CallOptions): ListPromise<MeteredFeatureList> {
    return this.paginate({ path: '/v1/billing/features', query: toQuery(params) }, options);
  }

  /** Retrieves a metered feature (`GET /v1/billing/features/{id}`). */
  retrieve(id: string, options?: CallOptions): Promise<MeteredFeature> {
    return this.call({ method: 'GET', path: `/v1/billing/features/${seg(id)}` }, options);
  }

  /** Updates a metered feature (`PATCH /v1/billing/features/{id}`). */
  update(id: string, params: UpdateMeteredFeatureParams, options?: CallOptions): Promise<MeteredFeature> {
    return this.call({ method: 'PATCH', path: `/v1/billing/features/${seg(id)}`, body: params }, options);
  }

  /**
   * Archives a metered feature (`DELETE /v1/billing/features/{id}`): no new usage is
   * accepted for it, and its key stays taken.
   */
  del(id: string, options?: CallOptions): Promise<ResponseOf<'archiveMeteredFeature'>> {
    return this.call({ method: 'DELETE', path: `/v1/billing/features/${seg(id)}` }, options);
  }
}

/**
 * `mk.billing`: billing as staff manage it: subscriptions, refunds, complimentary
 * memberships, metered features and a member's billing.
 */
export class BillingNamespace extends Resource {
  /** Every member's subscription. */
  readonly subscriptions: SubscriptionsResource;
  /** Refunds of invoices. */
  readonly invoices: BillingInvoicesResource;
  /** Complimentary memberships. */
  readonly comps: CompsResource;
  /** Metered features. */
  readonly features: FeaturesResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.subscriptions = new SubscriptionsResource(transport);
    this.invoices = new BillingInvoicesResource(transport);
    this.comps = new CompsResource(transport);
    this.features = new FeaturesResource(transport);
  }

  /** A member's subscriptions and invoices, with refunds (`GET /v1/members/{id}/billing`). */
  member(memberId: string, options?: CallOptions): Promise<MemberBillingDetail> {
    return this.call({ method: 'GET', path: `/v1/members/${seg(memberId)}/billing` }, options);
  }
}
