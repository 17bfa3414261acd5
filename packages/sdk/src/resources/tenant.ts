import { Resource } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, Schema } from '../core/types.js';

/** A tenant: name, branding, locales, time zone and allowed browser origins. */
export type Tenant = Schema<'Tenant'>;
/** Brand tokens of a tenant; widgets render them as `--mk-*` CSS custom properties. */
export type Branding = Schema<'Branding'>;
/** Fields of {@link TenantResource.update}; only the fields sent change. */
export type UpdateTenantParams = BodyOf<'updateTenant'>;

/** `mk.tenant`: the settings of the tenant the credential belongs to. */
export class TenantResource extends Resource {
  /** Retrieves the tenant (`GET /v1/tenant`). */
  retrieve(options?: CallOptions): Promise<Tenant> {
    return this.call({ method: 'GET', path: '/v1/tenant' }, options);
  }

  /**
   * Updates the tenant (`PATCH /v1/tenant`). Branding keys merge one by one; `null`
   * resets a branding key to its default.
   *
   * @example
   * await mk.tenant.update({ branding: { color_primary: '#4f46e5', radius: null } });
   */
  update(params: UpdateTenantParams, options?: CallOptions): Promise<Tenant> {
    return this.call({ method: 'PATCH', path: '/v1/tenant', body: params }, options);
  }
}
