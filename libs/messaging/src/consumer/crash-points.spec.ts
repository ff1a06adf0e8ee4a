import { CrashPoints } from './crash-points';

describe('CrashPoints', () => {
  it('should crash once the armed point has passed the given number of events, counting no other point', () => {
    const crash = jest.fn();
    const points = new CrashPoints({ point: 'after-db-commit', after: 300 }, crash);
    points.reached('before-db-commit', 500);
    points.reached('after-db-commit', 200);
    points.reached('after-db-commit', 99);
    expect(crash).not.toHaveBeenCalled();
    points.reached('after-db-commit', 1);
    expect(crash).toHaveBeenCalledTimes(1);
  });

  it('should crash at the first pass that carries it past the count, however many events that pass holds', () => {
    const crash = jest.fn();
    const points = new CrashPoints({ point: 'after-offset-commit', after: 300 }, crash);
    points.reached('after-offset-commit', 1_000);
    expect(crash).toHaveBeenCalledTimes(1);
  });

  it('should refuse a malformed specification with the variable name', () => {
    expect(() => CrashPoints.parse('sometime:3')).toThrow(/MESSAGING_CRASH_POINT/);
    expect(() => CrashPoints.parse('after-db-commit:x')).toThrow(/MESSAGING_CRASH_POINT/);
  });

  it('should parse a valid specification and do nothing when unset', () => {
    expect(() => CrashPoints.parse(undefined).reached('after-db-commit', 1)).not.toThrow();
    expect(CrashPoints.parse('after-offset-commit:1')).toBeInstanceOf(CrashPoints);
  });
});
