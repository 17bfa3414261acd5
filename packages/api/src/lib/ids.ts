import type { Clock } from './clock.js';
import { base32Crockford } from './encoding.js';

/** Resource prefixes of public ids, as Stripe's `cus_`/`sub_`. */
export const ID_PREFIXES = {
  tenant: 'tnt',
  apiKey: 'key',
  member: 'mem',
  tier: 'tier',
  request: 'req',
  memberEvent: 'mev',
  invite: 'inv',
  mail: 'mail',
  audit: 'aud',
  bulk: 'bulk',
  session: 'ses',
  staff: 'stf',
  report: 'rpt',
  subscription: 'msub',
  subscriptionChange: 'sch',
  tierPrice: 'tpr',
  checkout: 'bchk',
  billingPreview: 'bprev',
  billingPayment: 'bpay',
  meteredFeature: 'feat',
  tierMeteredPrice: 'tmp',
  usageRecord: 'use',
  realtimeTicket: 'rtt',
  notification: 'ntf',
  notificationBatch: 'nbat',
  feedPost: 'post',
  feedComment: 'cmt',
  contentReport: 'rep',
  conversation: 'cnv',
  message: 'msg',
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

/** Makes public ids. Injected so tests can make them predictable. */
export interface IdGenerator {
  /** A new id such as `mem_01jdx3v4k7m9q2w8e5r6t0y1zc`. */
  generate(prefix: IdPrefix): string;
}

/** Length of the id body: a 26-character ULID (48-bit time + 80 random bits). */
export const ID_BODY_LENGTH = 26;
const ID_BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

/**
 * Ids are ULIDs: they sort by creation time, which keeps B-tree inserts local
 * and makes `(created_at, id)` keyset order match id order.
 */
export function createUlidGenerator(clock: Clock): IdGenerator {
  return {
    generate(prefix) {
      return `${prefix}_${ulidBody(clock.now().getTime())}`;
    },
  };
}

export function ulidBody(timeMs: number): string {
  const bytes = new Uint8Array(16);
  let time = BigInt(timeMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(time & 0xffn);
    time >>= 8n;
  }
  bytes.set(crypto.getRandomValues(new Uint8Array(10)), 6);
  return base32Crockford(bytes, ID_BODY_LENGTH);
}

/** True when `value` is `<prefix>_<ulid>`. Lets routes answer 404 early without touching the database. */
export function isId(value: string, prefix: IdPrefix): boolean {
  return value.startsWith(`${prefix}_`) && ID_BODY.test(value.slice(prefix.length + 1));
}

/** The 26-character body of an id (`tnt_01j…` → `01j…`). */
export function idBody(id: string): string {
  return id.slice(id.indexOf('_') + 1);
}

export function isIdBody(value: string): boolean {
  return ID_BODY.test(value);
}
