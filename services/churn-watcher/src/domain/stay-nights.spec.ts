import { latestNightsPerStay, postedAfter, type NightsPosting } from './stay-nights';

const posting = (
  adjustmentId: string,
  nights: number,
  adjustedAt: string,
  reservationId = 'R-1',
): NightsPosting => ({
  propertyId: 'AMS01',
  reservationId,
  adjustmentKey: `AMS01/${adjustmentId}`,
  nights,
  adjustedAt,
});

describe('postedAfter', () => {
  it('should put the later posted adjustment after the earlier, whatever the order they are compared in', () => {
    const [earlier, later] = [
      posting('A-2', 0, '2031-03-06T10:00:00Z'),
      posting('A-1', 2, '2031-03-07T10:00:00Z'),
    ];
    expect(postedAfter(later, earlier)).toBe(true);
    expect(postedAfter(earlier, later)).toBe(false);
  });

  it('should compare instants, not their text, when they are written with offsets', () => {
    // 11:00 at +02:00 is 09:00 UTC, before 10:00 UTC, though its text sorts after it.
    const [offset, utc] = [
      posting('A-1', 0, '2031-03-06T11:00:00+02:00'),
      posting('A-2', 2, '2031-03-06T10:00:00Z'),
    ];
    expect(postedAfter(utc, offset)).toBe(true);
  });

  it('should order two posted at the same instant by adjustment key, so arrival order does not matter', () => {
    const [a, b] = [posting('A-1', 0, '2031-03-06T10:00:00Z'), posting('A-2', 2, '2031-03-06T10:00:00.000Z')];
    expect(postedAfter(b, a)).toBe(true);
    expect(postedAfter(a, b)).toBe(false);
  });
});

describe('latestNightsPerStay', () => {
  it('should keep the latest posted nights of each stay, in whatever order a run brings them', () => {
    const run = [
      posting('A-3', 2, '2031-03-08T10:00:00Z'),
      posting('B-1', 0, '2031-03-06T10:00:00Z', 'R-2'),
      posting('A-1', 0, '2031-03-06T10:00:00Z'),
      posting('A-2', 1, '2031-03-07T10:00:00Z'),
    ];
    const latest = (postings: NightsPosting[]) =>
      latestNightsPerStay(postings)
        .map((kept) => kept.adjustmentKey)
        .sort();
    expect(latest(run)).toEqual(['AMS01/A-3', 'AMS01/B-1']);
    expect(latest([...run].reverse())).toEqual(['AMS01/A-3', 'AMS01/B-1']);
  });
});
