import type { ListPromise } from '../core/pagination.js';
import { Resource, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** A tenant created by the platform operator, with its first keys (shown once). */
export type CreatedTenant = Schema<'CreatedTenant'>;
/** One page of tenants. */
export type TenantList = Schema<'TenantList'>;
/** Body of {@link PlatformTenantsResource.create}. */
export type CreateTenantParams = BodyOf<'createPlatformTenant'>;
/** Query of {@link PlatformTenantsResource.list}. */
export type ListTenantsParams = Omit<QueryOf<'listPlatformTenants'>, 'cursor'>;

/** `mk.platform.tenants`: tenants, for the platform operator key. */
export class PlatformTenantsResource extends Resource {
  /**
   * Creates a tenant (`POST /v1/platform/tenants`); its keys are in the answer only.
   *
   * @example
   * const platform = new Memberkit({ secretKey: process.env.MEMBERKIT_PLATFORM_KEY, baseUrl });
   * const tenant = await platform.platform.tenants.create({ name: 'Chess Club', slug: 'chess-club' });
   */
  create(params: CreateTenantParams, options?: CallOptions): Promise<CreatedTenant> {
    return this.call({ method: 'POST', path: '/v1/platform/tenants', body: params }, options);
  }

  /** Lists tenants (`GET /v1/platform/tenants`). */
  list(params?: ListTenantsParams, options?: CallOptions): ListPromise<TenantList> {
    return this.paginate({ path: '/v1/platform/tenants', query: toQuery(params) }, options);
  }
}

/** `mk.platform`: the platform operator's endpoints. */
export class PlatformNamespace {
  /** Tenants of the platform. */
  readonly tenants: PlatformTenantsResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    this.tenants = new PlatformTenantsResource(transport);
  }
}
