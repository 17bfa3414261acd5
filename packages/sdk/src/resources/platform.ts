import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';
import type { Staff } from './staff.js';

/** A tenant created by the platform operator, with its first keys (shown once). */
export type CreatedTenant = Schema<'CreatedTenant'>;
/** One page of tenants. */
export type TenantList = Schema<'TenantList'>;
/** Body of {@link PlatformTenantsResource.create}. */
export type CreateTenantParams = BodyOf<'createPlatformTenant'>;
/** Body of {@link PlatformTenantsResource.inviteOwner}. */
export type InviteOwnerParams = BodyOf<'invitePlatformTenantOwner'>;
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

  /**
   * Invites a tenant's owner (`POST /v1/platform/tenants/{id}/owners`): how a new tenant
   * gets its first owner, as its own keys cannot appoint one.
   *
   * @example
   * await platform.platform.tenants.inviteOwner(tenant.id, { email: 'chair@chess.example', name: 'Ada' });
   */
  inviteOwner(tenantId: string, params: InviteOwnerParams, options?: CallOptions): Promise<Staff> {
    return this.call({ method: 'POST', path: `/v1/platform/tenants/${seg(tenantId)}/owners`, body: params }, options);
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
