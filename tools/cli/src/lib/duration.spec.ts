import { CliError, EXIT } from '../errors';
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

  it.each([
    ['2026-11-23', '2026-11-23T00:00:00.000Z'],
    ['2026-11-23T03:00Z', '2026-11-23T03:00:00.000Z'],
    ['2026-11-23 03:00:30z', '2026-11-23T03:00:30.000Z'],
    ['2026-11-23T04:00+01:00', '2026-11-23T03:00:00.000Z'],
    ['2026-11-22T22:30:00.250-0430', '2026-11-23T03:00:00.250Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  ])('should read %s as %s, a date alone as UTC midnight', (text, iso) => {
    expect(new Date(parseTimePoint(text, '--since', now)).toISOString()).toBe(iso);
  });

  it.each(['2026-11-23T03:00', '2026-11-23 03:00', '2026-11-23T03:00:00.000'])(
    'should refuse %s, a time without its zone, as bad usage rather than read it in the local zone',
    (text) => {
      expect(() => parseTimePoint(text, '--since', now)).toThrow(
        expect.objectContaining({ exitCode: EXIT.usage, message: `--since "${text}" has no time zone` }),
      );
    },
  );

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-11-23T24:00Z',
    '2026-11-23T03:60Z',
    '2026-11-23T03:00+25:00',
  ])('should refuse %s, which does not exist, rather than roll it over', (text) => {
    expect(() => parseTimePoint(text, '--until', now)).toThrow(
      expect.objectContaining({
        exitCode: EXIT.usage,
        message: `--until "${text}" is not a real date and time`,
      }),
    );
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
