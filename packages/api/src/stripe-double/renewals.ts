import type { DoubleState } from './state.js';

/** Runs everything due by the double's current time (filled in by the renewals step). */
export function runDueWork(_state: DoubleState): void {}
