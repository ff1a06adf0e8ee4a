import { calendarDate, daysPerSecond, share, via, wholeNumber } from './simulation-arguments';

describe('simulation arguments', () => {
  it('should read whole numbers written in digits and refuse anything else naming the flag', () => {
    expect(wholeNumber('guests', '300', 1)).toBe(300);
    expect(wholeNumber('seed', '0', 0)).toBe(0);
    for (const raw of ['5O', 'seven', '', '1.5', '-3', '1e3', ' 7'])
      expect(() => wholeNumber('guests', raw, 0)).toThrow(
        `--guests takes a whole number of at least 0 (got "${raw}")`,
      );
    expect(() => wholeNumber('days', '0', 1)).toThrow('--days takes a whole number of at least 1');
  });

  it('should read shares as decimals up to their limit', () => {
    expect(share('duplicates', '0.02')).toBe(0.02);
    expect(share('duplicates', '.5')).toBe(0.5);
    expect(share('complaints-resolved', '0.9', 0.9, 'complaints')).toBe(0.9);
    for (const raw of ['abc', '1%', '', '-0.1', '1.01'])
      expect(() => share('malformed', raw)).toThrow(
        `--malformed takes a share of deliveries from 0 to 1 (got "${raw}")`,
      );
    expect(() => share('complaints-resolved', '0.95', 0.9, 'complaints')).toThrow(
      '--complaints-resolved takes a share of complaints from 0 to 0.9',
    );
  });

  it('should take kafka or http, in lower case, for --via', () => {
    expect(via('http')).toBe('http');
    expect(via('kafka')).toBe('kafka');
    expect(() => via('HTTP')).toThrow('--via takes kafka or http (got "HTTP")');
  });

  it('should take a date that exists as YYYY-MM-DD', () => {
    expect(calendarDate('start', '2024-02-29')).toBe('2024-02-29');
    for (const raw of ['2025-02-29', '2025-6-1', '01/06/2025', '2025-06-01T00:00Z'])
      expect(() => calendarDate('start', raw)).toThrow(`--start takes a date as YYYY-MM-DD (got "${raw}")`);
  });

  it('should take simulated days a second above 0', () => {
    expect(daysPerSecond('2.5')).toBe(2.5);
    for (const raw of ['0', 'fast', '-1'])
      expect(() => daysPerSecond(raw)).toThrow(
        `--clock takes simulated days per second above 0 (got "${raw}")`,
      );
  });
});
