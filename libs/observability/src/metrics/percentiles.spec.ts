import { percentile } from './percentiles';

describe('percentile', () => {
  it('should use the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([5, 1, 3], 100)).toBe(5);
    expect(percentile([7], 1)).toBe(7);
  });

  it('should be NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
