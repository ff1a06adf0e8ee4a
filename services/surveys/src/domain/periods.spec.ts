import { periodRange } from './periods';

describe('periodRange', () => {
  it('should start the week on Monday when the date is a Sunday', () => {
    expect(periodRange('week', '2025-03-09')).toEqual({ from: '2025-03-03', to: '2025-03-10' });
  });

  it('should cover the calendar month across a year end', () => {
    expect(periodRange('month', '2025-12-15')).toEqual({ from: '2025-12-01', to: '2026-01-01' });
  });

  it('should cover 90 days ending with the date when rolling', () => {
    expect(periodRange('rolling-90', '2025-03-31')).toEqual({ from: '2025-01-01', to: '2025-04-01' });
  });
});
