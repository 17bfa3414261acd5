import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
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

/** `mk.tiers`: membership tiers. */
export class TiersResource extends Resource {
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
}
