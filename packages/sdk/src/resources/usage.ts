import { Resource } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, ResponseOf } from '../core/types.js';

/** Body of {@link UsageResource.record}: who used how much of which feature, under your own `identifier`. */
export type RecordUsageParams = BodyOf<'recordUsage'>;
/** A usage record as stored (and forwarded to Stripe). */
export type UsageRecord = ResponseOf<'recordUsage'>;

/** `mk.usage`: usage of metered features (secret key, server side). */
export class UsageResource extends Resource {
  /**
   * Records usage (`POST /v1/usage`), once per `identifier`: sending the same
   * identifier with the same values again returns the stored record (so retries are
   * safe), with other values it is refused (`ConflictError`). The record is kept for
   * the member's usage display and forwarded to Stripe.
   *
   * @example
   * await mk.usage.record({ member_id: 'mem_…', feature: 'coworking_hours', quantity: 3, identifier: `booking-${booking.id}` });
   */
  record(params: RecordUsageParams, options?: CallOptions): Promise<UsageRecord> {
    // The identifier is the idempotency key the API keeps: the transport's own key adds nothing but is harmless.
    return this.call({ method: 'POST', path: '/v1/usage', body: params }, options);
  }
}
