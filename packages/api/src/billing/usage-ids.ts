import type { IdGenerator, IdPrefix } from '../lib/ids.js';
import { isId } from '../lib/ids.js';

/**
 * Id prefixes of usage billing (SPEC: `feat_` features, `tmp_` tier metered prices,
 * `use_` usage records). They are not in `ID_PREFIXES` (lib/ids.ts, not ours to
 * edit) yet: the casts below are the one place that knows, and go when the lead
 * adds `meteredFeature: 'feat'`, `tierMeteredPrice: 'tmp'`, `usageRecord: 'use'`.
 */
export const USAGE_ID_PREFIXES = { feature: 'feat', meteredPrice: 'tmp', usageRecord: 'use' } as const;
type UsagePrefix = (typeof USAGE_ID_PREFIXES)[keyof typeof USAGE_ID_PREFIXES];

/** A new `feat_…`/`tmp_…`/`use_…` id. */
export function usageId(ids: IdGenerator, prefix: UsagePrefix): string {
  // The generator only prepends the prefix; the type is narrower than what it accepts (see above).
  return ids.generate(prefix as unknown as IdPrefix);
}

/** True when `value` is a well-formed id of `prefix`. */
export function isUsageId(value: string, prefix: UsagePrefix): boolean {
  return isId(value, prefix as unknown as IdPrefix);
}
