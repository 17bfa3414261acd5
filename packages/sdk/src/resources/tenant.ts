import { Resource } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, ResponseOf, Schema } from '../core/types.js';

/** A tenant: name, branding, locales, time zone and allowed browser origins. */
export type Tenant = Schema<'Tenant'>;
/** Brand tokens of a tenant; widgets render them as `--mk-*` CSS custom properties. */
export type Branding = Schema<'Branding'>;
/** Fields of {@link TenantResource.update}; only the fields sent change. */
export type UpdateTenantParams = BodyOf<'updateTenant'>;

/** How the tenant is connected to Stripe (mode, account, currency, tax, grace period) and what is missing. Never secrets. */
export type TenantBilling = ResponseOf<'getTenantBilling'>;
/** Body of {@link TenantBillingResource.update}. */
export type UpdateTenantBillingParams = BodyOf<'updateTenantBilling'>;

/** `mk.tenant.billing`: the tenant's Stripe connection and billing settings (`billing:read` / `billing:write`). */
export class TenantBillingResource extends Resource {
  /** The tenant's billing settings (`GET /v1/tenant/billing`). */
  retrieve(options?: CallOptions): Promise<TenantBilling> {
    return this.call({ method: 'GET', path: '/v1/tenant/billing' }, options);
  }

  /**
   * Connects Stripe and changes billing settings (`PUT /v1/tenant/billing`). Connect
   * mode answers with an `onboarding_url` for the account's owner; direct mode takes
   * the tenant's own restricted key (sealed, never returned).
   *
   * @example
   * const billing = await mk.tenant.billing.update({ mode: 'connect', currency: 'eur' });
   * if (billing.onboarding_url) console.log('Finish onboarding at', billing.onboarding_url);
   */
  update(params: UpdateTenantBillingParams, options?: CallOptions): Promise<TenantBilling> {
    // PUT sends the whole settings: repeating it is harmless, but the account it may create needs one key per attempt.
    return this.call({ method: 'PUT', path: '/v1/tenant/billing', body: params }, options);
  }
}

/** `mk.tenant`: the settings of the tenant the credential belongs to. */
export class TenantResource extends Resource {
  /** Stripe connection and billing settings. */
  readonly billing: TenantBillingResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.billing = new TenantBillingResource(transport);
  }

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
