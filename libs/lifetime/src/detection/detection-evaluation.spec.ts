import { evaluateDetection } from './detection-evaluation';

describe('evaluateDetection', () => {
  it('should find the planted lapsing guests of a small two-year chain, better than the 180-day rule', () => {
    const report = evaluateDetection({ seed: 11, guests: 500, days: 730, startDate: '2024-01-01' });
    expect(report.plantedLapses).toBeGreaterThan(20);
    expect(report.model.recall).toBeGreaterThanOrEqual(0.8);
    expect(report.model.precision).toBeGreaterThanOrEqual(0.7);
    expect(report.model.medianDelayIntervals).toBeLessThan(2);
    expect(report.model.recall).toBeGreaterThan(report.baseline.recall);
    expect(report.model.medianDelayIntervals).toBeLessThan(report.baseline.medianDelayIntervals as number);
  });
});
