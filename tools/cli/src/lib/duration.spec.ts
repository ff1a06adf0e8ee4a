import { CliError } from '../errors';
import { formatDuration, parseDuration, parseTimePoint } from './duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
  ])('should read %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '15', 'm15', '15 minutes', '1h-', '2026-01-01'])('should reject %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseTimePoint', () => {
  const now = Date.parse('2026-11-23T03:00:00Z');

  it('should count a duration back from now', () => {
    expect(parseTimePoint('15m', '--since', now)).toBe(now - 900_000);
  });

  it('should read an ISO timestamp as given', () => {
    expect(parseTimePoint('2026-11-23T02:00:00Z', '--since', now)).toBe(now - 3_600_000);
  });

  it('should throw a usage error naming the option when the text is neither', () => {
    expect(() => parseTimePoint('yesterday', '--until', now)).toThrow(CliError);
    expect(() => parseTimePoint('yesterday', '--until', now)).toThrow(/--until "yesterday"/);
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [1_234, '1.23s'],
    [12_345, '12.3s'],
    [185_000, '3m05s'],
    [7_800_000, '2h10m'],
    [-40, '-40ms'],
  ])('should write %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
