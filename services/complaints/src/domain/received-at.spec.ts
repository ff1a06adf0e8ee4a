import { ComplaintErrorCode } from './complaint-error';
import { CLOCK_AHEAD_ALLOWANCE_MS, RECEIVED_WITHIN_DAYS, vetReceivedAt } from './received-at';

describe('vetReceivedAt', () => {
  const now = new Date('2026-03-06T12:00:00Z');
  const DAY_MS = 24 * 3_600_000;
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

  it('should take a complaint as received when it is logged, unless staff say when the guest raised it', () => {
    expect(vetReceivedAt(undefined, now)).toEqual(now);
    expect(vetReceivedAt(at(-2 * DAY_MS), now)).toEqual(at(-2 * DAY_MS));
  });

  it('should take a time a device clock puts slightly ahead of ours as now', () => {
    expect(vetReceivedAt(at(CLOCK_AHEAD_ALLOWANCE_MS), now)).toEqual(now);
  });

  it.each([
    ['later than a device clock could be ahead', at(CLOCK_AHEAD_ALLOWANCE_MS + 1), 'is in the future'],
    ['older than a complaint may be logged', at(-RECEIVED_WITHIN_DAYS * DAY_MS - 1), 'more than 30 days ago'],
  ])('should refuse a time %s, naming the field', (_, stated, says) => {
    expect(() => vetReceivedAt(stated, now)).toThrow(
      expect.objectContaining({
        code: ComplaintErrorCode.INVALID_ARGUMENT,
        message: expect.stringContaining(says),
        details: { field: 'receivedAt' },
      }),
    );
  });

  it('should accept the oldest time a complaint may still be logged with', () => {
    const oldest = at(-RECEIVED_WITHIN_DAYS * DAY_MS);
    expect(vetReceivedAt(oldest, now)).toEqual(oldest);
  });
});
