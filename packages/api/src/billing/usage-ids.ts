import { ID_PREFIXES, isId, type IdGenerator } from '../lib/ids.js';

/** Id prefixes of usage billing: `feat_` features, `tmp_` tier metered prices, `use_` usage records. */
export const USAGE_ID_PREFIXES = {
  feature: ID_PREFIXES.meteredFeature,
  meteredPrice: ID_PREFIXES.tierMeteredPrice,
  usageRecord: ID_PREFIXES.usageRecord,
} as const;
type UsagePrefix = (typeof USAGE_ID_PREFIXES)[keyof typeof USAGE_ID_PREFIXES];

/** A new `feat_…`/`tmp_…`/`use_…` id. */
export function usageId(ids: IdGenerator, prefix: UsagePrefix): string {
  return ids.generate(prefix);
}

/** True when `value` is a well-formed id of `prefix`. */
export function isUsageId(value: string, prefix: UsagePrefix): boolean {
  return isId(value, prefix);
}
