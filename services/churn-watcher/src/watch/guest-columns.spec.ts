import { summariseVisits } from '@loyalty/lifetime';
import { localDaysAt } from '../domain';
import { customersOnLocalDays, groupBy } from './guest-columns';
import type { GuestRow } from './visit-store';

describe('groupBy', () => {
  it('should keep each group in the order of the items', () => {
    const groups = groupBy(['b1', 'l1', 'b2', 'l2', 'b3'], (id) => id[0]);
    expect([...groups]).toEqual([
      ['b', ['b1', 'b2', 'b3']],
      ['l', ['l1', 'l2']],
    ]);
  });
});

describe('customersOnLocalDays', () => {
  const guest = (guestId: string, timeZone: string, days: number[]): GuestRow => ({
    guestId,
    segment: 'leisure',
    timeZone,
    ...summariseVisits(days),
  });

  it("should age each guest to the local date at their last stay's property", () => {
    // 03:00 UTC on day 20,001: day 20,001 in Amsterdam and Tokyo, still day 20,000 in Los Angeles.
    const dayIn = localDaysAt(new Date(20_001 * 86_400_000 + 3 * 3_600_000));
    const customers = customersOnLocalDays(
      [
        guest('amsterdam', 'Europe/Amsterdam', [19_900, 19_950]),
        guest('los-angeles', 'America/Los_Angeles', [19_800, 19_900, 19_990]),
        guest('tokyo', 'Asia/Tokyo', [19_990]),
      ],
      dayIn,
    );
    // Grouped by day: Amsterdam and Tokyo first, then Los Angeles.
    expect([...customers.frequency]).toEqual([1, 0, 2]);
    expect([...customers.recency]).toEqual([50, 0, 190]);
    expect([...customers.T]).toEqual([101, 11, 200]);
  });
});
