import { instantOf } from './instant';

describe('an event’s instant as Postgres keeps it', () => {
  it('should write every instant to the microsecond at one width', () => {
    expect(instantOf('2031-03-02T09:00:00Z')).toBe('2031-03-02T09:00:00.000000Z');
    expect(instantOf('2031-03-02T09:00:00.5Z')).toBe('2031-03-02T09:00:00.500000Z');
    expect(instantOf('2031-03-02T09:00:00.123456Z')).toBe('2031-03-02T09:00:00.123456Z');
  });

  it('should order instants written with different numbers of decimals by time', () => {
    expect(instantOf('2031-03-02T09:00:00Z') < instantOf('2031-03-02T09:00:00.5Z')).toBe(true);
    expect(instantOf('2031-03-02T09:00:00.000Z')).toBe(instantOf('2031-03-02T09:00:00Z'));
  });

  // Each expected value is what `to_char(…::timestamptz at time zone 'UTC', …US…)` gave on Postgres 15.
  it('should round decimals past the sixth as Postgres does, ties to even', () => {
    expect(instantOf('2031-03-02T09:00:00.1234564Z')).toBe('2031-03-02T09:00:00.123456Z');
    expect(instantOf('2031-03-02T09:00:00.1234566Z')).toBe('2031-03-02T09:00:00.123457Z');
    expect(instantOf('2031-03-02T09:00:00.0000005Z')).toBe('2031-03-02T09:00:00.000000Z');
    expect(instantOf('2031-03-02T09:00:00.0000015Z')).toBe('2031-03-02T09:00:00.000002Z');
    expect(instantOf('2031-03-02T09:00:00.000000499Z')).toBe('2031-03-02T09:00:00.000000Z');
  });

  it('should carry a fraction rounded up to a whole second into the date', () => {
    expect(instantOf('2031-12-31T23:59:59.9999995Z')).toBe('2032-01-01T00:00:00.000000Z');
    expect(instantOf('2028-02-28T23:59:59.999999999Z')).toBe('2028-02-29T00:00:00.000000Z');
  });

  it('should refuse what is no UTC instant', () => {
    expect(() => instantOf('2031-03-02T09:00:00+01:00')).toThrow(RangeError);
  });
});
