import { isNewestTurn } from './complaint-turns';
import { instantOf } from './instant';

const day = (n: number) => instantOf(new Date(Date.UTC(2031, 2, n, 9)).toISOString());
const none = { closedAt: null, reopenedAt: null };

describe('a complaint’s newest turn', () => {
  it('should take a close or reopen as the newest when none was handled before', () => {
    expect(isNewestTurn('closed', day(2), none)).toBe(true);
    expect(isNewestTurn('reopened', day(2), none)).toBe(true);
  });

  it('should keep the complaint open when a close older than its reopen is handled after it', () => {
    expect(isNewestTurn('closed', day(2), { closedAt: null, reopenedAt: day(3) })).toBe(false);
  });

  it('should close the complaint again when a close newer than its reopen is handled', () => {
    expect(isNewestTurn('closed', day(4), { closedAt: day(2), reopenedAt: day(3) })).toBe(true);
  });

  it('should keep the outcome of the newest close when an older close is handled after it', () => {
    expect(isNewestTurn('closed', day(2), { closedAt: day(4), reopenedAt: null })).toBe(false);
    expect(isNewestTurn('closed', day(2), { closedAt: day(4), reopenedAt: day(1) })).toBe(false);
  });

  it('should take the same close handled again as the newest turn still', () => {
    expect(isNewestTurn('closed', day(4), { closedAt: day(4), reopenedAt: day(3) })).toBe(true);
  });

  it('should leave the complaint closed when a reopen older than its close is handled after it', () => {
    expect(isNewestTurn('reopened', day(3), { closedAt: day(4), reopenedAt: null })).toBe(false);
  });

  it('should reopen the complaint when the reopen is newer than its close or at the same instant', () => {
    expect(isNewestTurn('reopened', day(3), { closedAt: day(2), reopenedAt: null })).toBe(true);
    expect(isNewestTurn('reopened', day(2), { closedAt: day(2), reopenedAt: null })).toBe(true);
  });
});
