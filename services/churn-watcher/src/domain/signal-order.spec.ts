import { downgradeStands, isNewestAnswer } from './signal-order';
import { instantOf } from './instant';

const day = (n: number) => instantOf(new Date(Date.UTC(2031, 2, n, 9)).toISOString());

describe('the order of survey answers and tier changes', () => {
  it('should take an answer as the newest when none was handled before or it is newer', () => {
    expect(isNewestAnswer(day(2), null)).toBe(true);
    expect(isNewestAnswer(day(3), day(2))).toBe(true);
    expect(isNewestAnswer(day(2), day(2))).toBe(true);
  });

  it('should ignore an answer older than one already handled', () => {
    expect(isNewestAnswer(day(1), day(2))).toBe(false);
  });

  it('should keep a downgrade when the guest has not moved up since', () => {
    expect(downgradeStands(day(2), null)).toBe(true);
    expect(downgradeStands(day(3), day(2))).toBe(true);
  });

  it('should clear a downgrade when the guest moved up later or at the same instant', () => {
    expect(downgradeStands(day(2), day(3))).toBe(false);
    expect(downgradeStands(day(2), day(2))).toBe(false);
  });
});
