import { CrashPoints } from './crash-points';

describe('CrashPoints', () => {
  it('should crash the n-th time the armed point is reached and not at other points', () => {
    const crash = jest.fn();
    const points = new CrashPoints({ point: 'after-db-commit', after: 2 }, crash);
    points.reached('before-db-commit');
    points.reached('after-db-commit');
    expect(crash).not.toHaveBeenCalled();
    points.reached('after-db-commit');
    expect(crash).toHaveBeenCalledTimes(1);
  });

  it('should refuse a malformed specification with the variable name', () => {
    expect(() => CrashPoints.parse('sometime:3')).toThrow(/MESSAGING_CRASH_POINT/);
    expect(() => CrashPoints.parse('after-db-commit:x')).toThrow(/MESSAGING_CRASH_POINT/);
  });

  it('should parse a valid specification and do nothing when unset', () => {
    expect(() => CrashPoints.parse(undefined).reached('after-db-commit')).not.toThrow();
    expect(CrashPoints.parse('after-offset-commit:1')).toBeInstanceOf(CrashPoints);
  });
});
