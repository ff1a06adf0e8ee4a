import type { ChurnEvidenceDto } from '@loyalty/contracts';
import { dayNumber } from '@loyalty/lifetime';
import { endsLapse } from './lapse-episodes';

const evidence: ChurnEvidenceDto = {
  expectedIntervalDays: 30,
  daysSinceLastStay: 60,
  lastDeparture: '2031-01-01',
  probabilityAlive: 0.2,
  recentSignals: [],
};
const openedAt = new Date('2031-03-02T12:00:00Z');

describe('endsLapse', () => {
  it('should end the lapse when the stay departed after the last departure the alert was based on', () => {
    expect(endsLapse({ evidence, openedAt }, dayNumber('2031-01-02'))).toBe(true);
  });

  it('should not end the lapse when a stay recorded late departed before the last departure', () => {
    expect(endsLapse({ evidence, openedAt }, dayNumber('2030-12-01'))).toBe(false);
    expect(endsLapse({ evidence, openedAt }, dayNumber('2031-01-01'))).toBe(false);
  });

  it('should end the lapse when a stay fell between the last departure and the scan day', () => {
    expect(endsLapse({ evidence, openedAt }, dayNumber('2031-02-15'))).toBe(true);
  });

  it('should count back from the scan day when the evidence names no last departure', () => {
    const withoutDate = { ...evidence, lastDeparture: undefined };
    expect(endsLapse({ evidence: withoutDate, openedAt }, dayNumber('2031-01-01'))).toBe(false);
    expect(endsLapse({ evidence: withoutDate, openedAt }, dayNumber('2031-01-02'))).toBe(true);
  });
});
