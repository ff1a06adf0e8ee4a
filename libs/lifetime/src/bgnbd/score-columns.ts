import type { BgNbdParameters, CustomerColumns } from './parameters';
import { conditionalExpectedTransactions, expectedInterval, probabilityAlive } from './score';

export interface ScoreColumns {
  readonly probabilityAlive: Float64Array;
  readonly expectedTransactions: Float64Array;
  readonly expectedInterval: Float64Array;
}

/** Scores every customer in one pass over the columns: P(alive), E[Y(horizon)] and the expected interval. */
export function scoreCustomers(
  p: BgNbdParameters,
  customers: CustomerColumns,
  horizon: number,
): ScoreColumns {
  const { frequency, recency, T } = customers;
  const n = frequency.length;
  const scores: ScoreColumns = {
    probabilityAlive: new Float64Array(n),
    expectedTransactions: new Float64Array(n),
    expectedInterval: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    scores.probabilityAlive[i] = probabilityAlive(p, frequency[i], recency[i], T[i]);
    scores.expectedTransactions[i] = conditionalExpectedTransactions(
      p,
      horizon,
      frequency[i],
      recency[i],
      T[i],
    );
    scores.expectedInterval[i] = expectedInterval(p, frequency[i], recency[i]);
  }
  return scores;
}
