import type { Clock } from '../lib/clock.js';
import type { Store } from './store.js';
import type { Obj } from './types.js';

/** Where an account sits: the platform, a connected account of it, or a standalone (direct-mode) account. */
export interface AccountRecord {
  id: string;
  /** The platform that created it (Connect), or null for the platform and direct accounts. */
  platform: string | null;
  object: Obj;
}

/** Policy when every retry of a renewal invoice failed (Stripe's "subscription status after all retries fail"). */
export type AfterRetries = 'cancel' | 'unpaid' | 'past_due';

/** The double's whole state: its objects, accounts, keys and clock. Handlers receive it. */
export interface DoubleState {
  store: Store;
  /** Base URL the double listens on (hosted pages and `url` fields). */
  url: string;
  platformAccountId: string;
  accounts: Map<string, AccountRecord>;
  /** Secret key → the account it authenticates. */
  keys: Map<string, string>;
  /** The double's current time in unix seconds (the time of the work being done while catching up). */
  now(): number;
  /** While `advanceTime` catches up: the moment being processed (renewals happen at their due time). */
  processingAt: number | null;
  /** Reminders already sent (`trial_will_end:<sub>`, `upcoming:<sub>:<period end>`, `expiring:<pm>`). */
  remindersSent: Set<string>;
  /** Days before a renewal that `invoice.upcoming` is sent (Stripe's "upcoming renewal events" setting). */
  upcomingDays: number;
  /** Days after the first failed renewal charge on which Stripe retries it. */
  retryDays: number[];
  afterRetries: AfterRetries;
  /** When a renewal invoice first failed (retries are scheduled from then), by invoice id. */
  firstFailure: Map<string, number>;
  /** Records an event in `account` and hands it to the webhook sender. */
  emit(account: string, type: string, object: Obj, previousAttributes?: Obj): Obj;
}

/** A clock the double can move: the given one when it can advance, else an offset over it. */
export interface DoubleClock {
  nowMs(): number;
  advance(ms: number): void;
}

/** Wraps `clock`: advancing moves it when it is a manual clock (so the app sees the same time), else an offset. */
export function doubleClock(clock: Clock & { advance?: (ms: number) => void }): DoubleClock {
  let offset = 0;
  return {
    nowMs: () => clock.now().getTime() + offset,
    advance(ms) {
      if (typeof clock.advance === 'function') clock.advance(ms);
      else offset += ms;
    },
  };
}
