import { defineErrorCodes } from '../lib/errors.js';
import type { IdGenerator, IdPrefix } from '../lib/ids.js';

/** Errors of the member's self-service billing (beyond the shared `BillingErrors`). */
export const PortalErrors = defineErrorCodes({
  TIER_NOT_AVAILABLE: { status: 422, title: 'Tier not available' },
  SUBSCRIPTION_EXISTS: { status: 409, title: 'Already subscribed' },
  PLAN_UNCHANGED: { status: 422, title: 'Already on this plan' },
  CANCEL_NOW_NOT_ALLOWED: { status: 403, title: 'Immediate cancellation not allowed' },
  PAYMENT_METHOD_NOT_FOUND: { status: 404, title: 'Payment method not found' },
  PAYMENT_METHOD_IN_USE: { status: 409, title: 'Payment method in use' },
});

/** Local id prefixes of the portal's rows (SPEC: `bchk_` checkouts, `bprev_` previews). */
export type PortalIdPrefix = 'bchk' | 'bprev';

/**
 * A new portal id. `IdPrefix` does not list the billing prefixes yet (lib/ids.ts is the
 * lead's); the generator only concatenates prefix and ULID, so the cast is safe.
 */
export function portalId(ids: IdGenerator, prefix: PortalIdPrefix): string {
  return ids.generate(prefix as unknown as IdPrefix);
}
