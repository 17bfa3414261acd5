import type { PageHandler } from './server.js';
import type { DoubleState } from './state.js';

/** Hosted pages (filled in by the checkout step). */
export function createPages(_state: DoubleState): PageHandler {
  return () => null;
}
