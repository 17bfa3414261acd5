import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { Booleanish, BodyOf, QueryOf, ResponseOf, Schema } from '../core/types.js';

/** A membership tier: price, interval, capacity. */
export type Tier = Schema<'Tier'>;
/** One page of tiers. */
export type TierList = Schema<'TierList'>;
/** Body of {@link TiersResource.create}. */
export type CreateTierParams = BodyOf<'createTier'>;
/** Body of {@link TiersResource.update}. */
export type UpdateTierParams = BodyOf<'updateTier'>;
/** Query of {@link TiersResource.list}. */
export type ListTiersParams = Booleanish<Omit<QueryOf<'listTiers'>, 'cursor'>>;
/** Answer of {@link TiersResource.del}: the tier was deleted. */
export type DeletedTier = ResponseOf<'deleteTier'>;

/** Body of {@link TiersResource.migrateSubscribers}: the interval to move to and how to prorate. */
export type MigrateSubscribersParams = BodyOf<'migrateTierSubscribers'>;
/** What {@link TiersResource.migrateSubscribers} did. */
export type SubscriberMigration = ResponseOf<'migrateTierSubscribers'>;
/** Body of {@link TierMeteredPricesResource.set}: included units, graduated steps, interval. */
export type SetMeteredPriceParams = BodyOf<'setTierMeteredPrice'>;
/** A metered feature's price on a tier. */
export type TierMeteredPrice = ResponseOf<'setTierMeteredPrice'>;
/** Which interval {@link TierMeteredPricesResource.del} removes (both when left out). */
export type DeleteMeteredPriceParams = QueryOf<'deleteTierMeteredPrice'>;
/** The metered prices of a tier. */
export type TierMeteredPriceList = ResponseOf<'listTierMeteredPrices'>;

/** `mk.tiers.meteredPrices`: what a tier charges for metered features. */
export class TierMeteredPricesResource extends Resource {
  /** Lists what a tier charges for metered features (`GET /v1/tiers/{id}/metered-prices`). */
  list(tierId: string, options?: CallOptions): Promise<TierMeteredPriceList> {
    return this.call({ method: 'GET', path: `/v1/tiers/${seg(tierId)}/metered-prices` }, options);
  }

  /**
   * Sets a feature's price on a tier (`PUT /v1/tiers/{id}/metered-prices/{feature_id}`):
   * units included each period, then graduated steps per unit.
   *
   * @example
   * await mk.tiers.meteredPrices.set(gold.id, hours.id, { included_units: 10, interval: 'month', steps: [{ up_to: null, unit_amount: 250 }] });
   */
  set(
    tierId: string,
    featureId: string,
    params: SetMeteredPriceParams,
    options?: CallOptions,
  ): Promise<TierMeteredPrice> {
    return this.call(
      { method: 'PUT', path: `/v1/tiers/${seg(tierId)}/metered-prices/${seg(featureId)}`, body: params },
      options,
    );
  }

  /**
   * Stops charging a feature on a tier (`DELETE /v1/tiers/{id}/metered-prices/{feature_id}`),
   * for one `interval` or both.
   */
  del(
    tierId: string,
    featureId: string,
    params?: DeleteMeteredPriceParams,
    options?: CallOptions,
  ): Promise<ResponseOf<'deleteTierMeteredPrice'>> {
    return this.call(
      {
        method: 'DELETE',
        path: `/v1/tiers/${seg(tierId)}/metered-prices/${seg(featureId)}`,
        query: toQuery(params),
      },
      options,
    );
  }
}

/** `mk.tiers`: membership tiers. */
export class TiersResource extends Resource {
  /** Prices of metered features per tier. */
  readonly meteredPrices: TierMeteredPricesResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.meteredPrices = new TierMeteredPricesResource(transport);
  }

  /**
   * Creates a tier (`POST /v1/tiers`).
   *
   * @example
   * const gold = await mk.tiers.create({ name: 'Gold', interval: 'year', price: { amount: 9900, currency: 'eur' } });
   */
  create(params: CreateTierParams, options?: CallOptions): Promise<Tier> {
    return this.call({ method: 'POST', path: '/v1/tiers', body: params }, options);
  }

  /** Retrieves a tier (`GET /v1/tiers/{id}`). */
  retrieve(id: string, options?: CallOptions): Promise<Tier> {
    return this.call({ method: 'GET', path: `/v1/tiers/${seg(id)}` }, options);
  }

  /** Updates a tier (`PATCH /v1/tiers/{id}`). */
  update(id: string, params: UpdateTierParams, options?: CallOptions): Promise<Tier> {
    return this.call({ method: 'PATCH', path: `/v1/tiers/${seg(id)}`, body: params }, options);
  }

  /**
   * Deletes a tier nobody uses (`DELETE /v1/tiers/{id}`). A tier members hold (or a pending
   * invite offers) is refused with a `ConflictError` of code `TIER_IN_USE`: archive it instead.
   *
   * @example
   * await mk.tiers.update(tierId, { archived: true }); // members keep it; nobody new gets it
   */
  del(id: string, options?: CallOptions): Promise<DeletedTier> {
    return this.call({ method: 'DELETE', path: `/v1/tiers/${seg(id)}` }, options);
  }

  /** Lists tiers (`GET /v1/tiers`). */
  list(params?: ListTiersParams, options?: CallOptions): ListPromise<TierList> {
    return this.paginate({ path: '/v1/tiers', query: toQuery(params) }, options);
  }

  /**
   * Moves a tier's subscribers onto its current prices (`POST /v1/tiers/{id}/migrate-subscribers`):
   * after a price change, existing subscribers keep the old price until staff migrate them.
   *
   * @example
   * await mk.tiers.migrateSubscribers(gold.id, { proration_behavior: 'none' });
   */
  migrateSubscribers(
    id: string,
    params: MigrateSubscribersParams,
    options?: CallOptions,
  ): Promise<SubscriberMigration> {
    return this.call({ method: 'POST', path: `/v1/tiers/${seg(id)}/migrate-subscribers`, body: params }, options);
  }
}
