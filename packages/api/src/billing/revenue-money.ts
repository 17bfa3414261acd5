/**
 * Exact money arithmetic of revenue analytics. Recurring revenue is summed as
 * integer "annual amounts" (minor units per year: a monthly amount × 12, a
 * yearly amount × 1), so MRR (= annual / 12) is an exact rational whatever the
 * mix of intervals; every figure is rounded once, when it leaves the service.
 */

/** Months per interval of a ledger row (1 or 12) → factor to an annual amount. */
export function annualFactor(intervalMonths: number): bigint {
  if (intervalMonths !== 1 && intervalMonths !== 12)
    throw new Error(`interval_months must be 1 or 12, got ${intervalMonths}`);
  return BigInt(12 / intervalMonths);
}

/** The annual amount of `amount` minor units per `intervalMonths` months. */
export function annualAmount(amount: number, intervalMonths: number): bigint {
  return BigInt(amount) * annualFactor(intervalMonths);
}

/** ⌊a / b⌋ for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/**
 * `numerator / denominator` rounded to an integer, half up: ties go toward
 * +∞ (2.5 → 3, −2.5 → −2). The one rounding rule of revenue figures.
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('denominator must be positive');
  return floorDiv(2n * numerator + denominator, 2n * denominator);
}

/** A bigint of minor units as a JSON number (amounts stay far below 2^53 minor units in practice). */
export function toAmount(value: bigint): number {
  return Number(value);
}

/** MRR in minor units of an annual amount: annual / 12, rounded half up. */
export function monthlyOf(annual: bigint): number {
  return toAmount(roundHalfUp(annual, 12n));
}
