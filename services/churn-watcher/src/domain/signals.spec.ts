import { segmentOf } from './segments';
import { isDetractor, isDowngrade, isUpgrade } from './signals';

describe('risk signals and segments', () => {
  it('should count NPS 0 to 6 as a detractor and a skipped answer as nothing', () => {
    expect([0, 6, 7, 10, undefined].map(isDetractor)).toEqual([true, true, false, false, false]);
  });

  it('should see a move to a lower tier as a downgrade', () => {
    expect(isDowngrade('gold', 'silver')).toBe(true);
    expect(isDowngrade('silver', 'gold')).toBe(false);
  });

  it('should see a move to a higher tier as an upgrade', () => {
    expect(isUpgrade('silver', 'gold')).toBe(true);
    expect(isUpgrade('gold', 'silver')).toBe(false);
    expect(isUpgrade('gold', 'gold')).toBe(false);
  });

  it('should put corporate and GDS bookings in the business segment', () => {
    expect([segmentOf('corporate'), segmentOf('gds'), segmentOf('ota')]).toEqual([
      'business',
      'business',
      'leisure',
    ]);
  });
});
