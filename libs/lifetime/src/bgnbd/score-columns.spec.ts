import { conditionalExpectedTransactions, expectedInterval, probabilityAlive } from './score';
import { scoreCustomers } from './score-columns';

describe('scoreCustomers', () => {
  it('should give each row what the scalar formulas give', () => {
    const p = { r: 1.2, alpha: 30, a: 0.6, b: 2.1 };
    const customers = {
      frequency: Float64Array.of(0, 3, 12),
      recency: Float64Array.of(0, 100, 300),
      T: Float64Array.of(50, 200, 310),
    };
    const scores = scoreCustomers(p, customers, 90);
    for (let i = 0; i < 3; i++) {
      const [x, tx, T] = [customers.frequency[i], customers.recency[i], customers.T[i]];
      expect(scores.probabilityAlive[i]).toBe(probabilityAlive(p, x, tx, T));
      expect(scores.expectedTransactions[i]).toBe(conditionalExpectedTransactions(p, 90, x, tx, T));
      expect(scores.expectedInterval[i]).toBe(expectedInterval(p, x, tx));
    }
  });
});
