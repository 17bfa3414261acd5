import type { Requester } from '../client.js';
import type { components } from '../generated/openapi.js';

/** A tenant: name, branding, locales and allowed browser origins. */
export type Tenant = components['schemas']['Tenant'];

/** Brand tokens of a tenant; widgets render them as `--mk-*` CSS custom properties. */
export type Branding = components['schemas']['Branding'];

/** Fields of {@link TenantResource.update}; only the fields sent change. */
export type UpdateTenantParams = components['schemas']['UpdateTenantBody'];

/** `mk.tenant`: the settings of the tenant the credential belongs to. */
export class TenantResource {
  readonly #request: Requester;

  /** Made by {@link Memberkit}; not meant to be constructed directly. */
  constructor(request: Requester) {
    this.#request = request;
  }

  /** Retrieves the tenant (`GET /v1/tenant`, `getTenant`). */
  retrieve(): Promise<Tenant> {
    return this.#request<Tenant>('GET', '/v1/tenant');
  }

  /**
   * Updates the tenant (`PATCH /v1/tenant`, `updateTenant`). Branding keys merge one
   * by one; `null` resets a branding key to its default.
   *
   * @example
   * await mk.tenant.update({ branding: { color_primary: '#4f46e5', radius: null } });
   */
  update(params: UpdateTenantParams): Promise<Tenant> {
    return this.#request<Tenant>('PATCH', '/v1/tenant', { body: params });
  }
}
