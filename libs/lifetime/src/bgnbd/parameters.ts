/**
 * BG/NBD parameters (Fader, Hardie & Lee 2005): transaction rates are Gamma(r, α) across customers
 * (α in the data's time unit), and the dropout probability after each repeat transaction is Beta(a, b).
 */
export interface BgNbdParameters {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * One column per quantity, one row per customer: `frequency` is the number of repeat transactions x,
 * `recency` the time of the last one t_x, and `T` the time since the first, all from the first
 * transaction and in one time unit.
 */
export interface CustomerColumns {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
}

export function customerColumns(count: number): CustomerColumns {
  return { frequency: new Float64Array(count), recency: new Float64Array(count), T: new Float64Array(count) };
}

/** Throws a RangeError naming the first customer whose summary is impossible. */
export function assertValidCustomers(customers: CustomerColumns): void {
  const { frequency, recency, T } = customers;
  if (recency.length !== frequency.length || T.length !== frequency.length) {
    throw new RangeError('frequency, recency and T must have the same length');
  }
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const ok =
      Number.isInteger(x) && x >= 0 && recency[i] >= 0 && recency[i] <= T[i] && (x > 0 || recency[i] === 0);
    if (!ok) {
      throw new RangeError(
        `customer ${i}: need a whole frequency >= 0 and 0 <= recency <= T (recency 0 when frequency is 0), ` +
          `got frequency=${x}, recency=${recency[i]}, T=${T[i]}`,
      );
    }
  }
}
