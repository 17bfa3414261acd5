import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, ResponseOf } from '../core/types.js';

/** The signed-in member's subscription, default payment method and next invoice. */
export type MemberBilling = ResponseOf<'getMemberBilling'>;
/** Body of {@link MyBillingResource.checkout}: the tier, the interval and where Checkout returns to. */
export type CheckoutParams = BodyOf<'startCheckout'>;
/** A Checkout Session to send the browser to (`url`), or `url: null` when a free tier was joined at once. */
export type Checkout = ResponseOf<'startCheckout'>;
/** Body of {@link MyBillingResource.preview}: the tier and interval to change to. */
export type BillingPreviewParams = BodyOf<'previewPlanChange'>;
/** What a change costs now (`amount_due`, prorated `lines`), valid until `expires_at`. */
export type BillingPreview = ResponseOf<'previewPlanChange'>;
/** Body of {@link MyBillingResource.change}: the id of the preview the member saw. */
export type BillingChangeParams = BodyOf<'confirmPlanChange'>;
/** Body of {@link MyBillingResource.cancel}: at period end (default) or now, with an optional reason. */
export type CancelSubscriptionParams = BodyOf<'cancelMySubscription'>;
/** This period's usage of each metered feature: used, included and the estimated charge. */
export type UsageSummary = ResponseOf<'getMyUsage'>;
/** The member's saved cards, the default one marked. */
export type PaymentMethodList = ResponseOf<'listMyPaymentMethods'>;
/** One saved card. */
export type PaymentMethod = PaymentMethodList['data'][number];
/** Body of {@link MyPaymentMethodsResource.setup}: where the setup Checkout returns to. */
export type PaymentMethodSetupParams = BodyOf<'setupPaymentMethod'>;
/** The setup Checkout to send the browser to. */
export type PaymentMethodSetup = ResponseOf<'setupPaymentMethod'>;
/** One page of the member's invoices. */
export type MemberInvoiceList = ResponseOf<'listMyInvoices'>;
/** One invoice, with hosted page and PDF links. */
export type MemberInvoice = MemberInvoiceList['data'][number];
/** Page size of {@link MyInvoicesResource.list}. */
export type ListMyInvoicesParams = Omit<QueryOf<'listMyInvoices'>, 'cursor'>;

/** `mk.me.billing.paymentMethods`: the member's saved cards. */
export class MyPaymentMethodsResource extends Resource {
  /** Lists the member's cards (`GET /v1/me/billing/payment-methods`). */
  list(options?: CallOptions): Promise<PaymentMethodList> {
    return this.call({ method: 'GET', path: '/v1/me/billing/payment-methods', auth: 'member' }, options);
  }

  /**
   * Starts adding a card (`POST /v1/me/billing/payment-methods/setup`): a Checkout
   * session in setup mode; send the browser to its `url`.
   *
   * @example
   * const { url } = await mk.me.billing.paymentMethods.setup({ success_url: location.href, cancel_url: location.href });
   * location.assign(url);
   */
  setup(params: PaymentMethodSetupParams, options?: CallOptions): Promise<PaymentMethodSetup> {
    return this.call(
      { method: 'POST', path: '/v1/me/billing/payment-methods/setup', body: params, auth: 'member' },
      options,
    );
  }

  /** Makes a card the one future invoices are charged to (`POST /v1/me/billing/payment-methods/{id}/default`). */
  setDefault(id: string, options?: CallOptions): Promise<ResponseOf<'setDefaultPaymentMethod'>> {
    return this.call(
      { method: 'POST', path: `/v1/me/billing/payment-methods/${seg(id)}/default`, auth: 'member' },
      options,
    );
  }

  /** Removes a card (`DELETE /v1/me/billing/payment-methods/{id}`). */
  del(id: string, options?: CallOptions): Promise<ResponseOf<'removePaymentMethod'>> {
    return this.call({ method: 'DELETE', path: `/v1/me/billing/payment-methods/${seg(id)}`, auth: 'member' }, options);
  }
}

/** `mk.me.billing.invoices`: the member's invoices. */
export class MyInvoicesResource extends Resource {
  /**
   * Lists the member's invoices, newest first (`GET /v1/me/billing/invoices`): await it
   * for one page, or iterate it for every invoice.
   *
   * @example
   * for await (const invoice of mk.me.billing.invoices.list()) console.log(invoice.number, invoice.hosted_invoice_url);
   */
  list(params?: ListMyInvoicesParams, options?: CallOptions): ListPromise<MemberInvoiceList> {
    return this.paginate({ path: '/v1/me/billing/invoices', query: toQuery(params), auth: 'member' }, options);
  }
}

/**
 * `mk.me.billing`: the signed-in member's self-service billing: buy a tier through
 * Stripe Checkout, change it with an exact proration preview, cancel or resume,
 * cards, invoices and this period's usage.
 */
export class MyBillingResource extends Resource {
  /** The member's cards. */
  readonly paymentMethods: MyPaymentMethodsResource;
  /** The member's invoices. */
  readonly invoices: MyInvoicesResource;

  /** Made by {@link MeResource}. */
  constructor(transport: Transport) {
    super(transport);
    this.paymentMethods = new MyPaymentMethodsResource(transport);
    this.invoices = new MyInvoicesResource(transport);
  }

  /** The member's subscription, default card and next invoice (`GET /v1/me/billing`). */
  retrieve(options?: CallOptions): Promise<MemberBilling> {
    return this.call({ method: 'GET', path: '/v1/me/billing', auth: 'member' }, options);
  }

  /**
   * Starts paying for a tier (`POST /v1/me/billing/checkout`): send the browser to the
   * answer's `url` (Stripe Checkout), which returns to `success_url` or `cancel_url`
   * (both on an origin the tenant allows). A free tier is joined at once (`url: null`).
   *
   * @example
   * const checkout = await mk.me.billing.checkout({ tier_id, interval: 'year', success_url: location.href, cancel_url: location.href });
   * if (checkout.url) location.assign(checkout.url);
   */
  checkout(params: CheckoutParams, options?: CallOptions): Promise<Checkout> {
    return this.call({ method: 'POST', path: '/v1/me/billing/checkout', body: params, auth: 'member' }, options);
  }

  /**
   * What changing to another tier or interval costs now (`POST /v1/me/billing/preview`):
   * the prorated lines and the amount due, computed for a fixed moment. Show it, then
   * confirm with {@link change} and the preview's id: exactly that amount is charged.
   *
   * @example
   * const preview = await mk.me.billing.preview({ tier_id: gold.id, interval: 'month' });
   * await mk.me.billing.change({ preview_id: preview.id });
   */
  preview(params: BillingPreviewParams, options?: CallOptions): Promise<BillingPreview> {
    // A computation: nothing to deduplicate, and a retry should compute afresh.
    return this.call(
      { method: 'POST', path: '/v1/me/billing/preview', body: params, auth: 'member', idempotent: false },
      options,
    );
  }

  /** Applies a previewed change (`POST /v1/me/billing/change`); an expired preview is refused. */
  change(params: BillingChangeParams, options?: CallOptions): Promise<MemberBilling> {
    return this.call({ method: 'POST', path: '/v1/me/billing/change', body: params, auth: 'member' }, options);
  }

  /**
   * Cancels the subscription (`POST /v1/me/billing/cancel`): at the end of the period
   * by default (the member keeps the tier until then), or now where the tenant allows it.
   *
   * @example
   * await mk.me.billing.cancel({ reason: 'too_expensive', comment: 'Back next year' });
   */
  cancel(params: CancelSubscriptionParams = {}, options?: CallOptions): Promise<MemberBilling> {
    return this.call({ method: 'POST', path: '/v1/me/billing/cancel', body: params, auth: 'member' }, options);
  }

  /** Takes back a cancellation at period end (`POST /v1/me/billing/resume`). */
  resume(options?: CallOptions): Promise<MemberBilling> {
    return this.call({ method: 'POST', path: '/v1/me/billing/resume', auth: 'member' }, options);
  }

  /** This period's usage of the member's metered features (`GET /v1/me/billing/usage`). */
  usage(options?: CallOptions): Promise<UsageSummary> {
    return this.call({ method: 'GET', path: '/v1/me/billing/usage', auth: 'member' }, options);
  }
}
