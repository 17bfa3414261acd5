import type { DoubleState } from '../state.js';
import type { Obj } from '../types.js';

/** Completes an open Checkout Session (filled in by the checkout step). */
export function completeCheckoutSession(state: DoubleState, account: string, id: string, _pm: string): Obj {
  return state.store.get(account, id, 'checkout.session', 'checkout session');
}
