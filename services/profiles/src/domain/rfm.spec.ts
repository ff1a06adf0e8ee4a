import { scoreRfm } from './rfm';

describe('scoreRfm', () => {
  const guests = Array.from({ length: 100 }, (_, i) => ({
    guestId: `g${i}`,
    recencyDays: i,
    stays: 100 - i,
    revenueMinor: (100 - i) * 1000,
  }));

  it('should put the top 1% in VIP, the next 4% in major, the next 15% in ordinary and the rest in small', () => {
    const segments = scoreRfm(guests).map((s) => s.segment);
    expect(segments.filter((s) => s === 'vip')).toHaveLength(1);
    expect(segments.filter((s) => s === 'major')).toHaveLength(4);
    expect(segments.filter((s) => s === 'ordinary')).toHaveLength(15);
    expect(segments.filter((s) => s === 'small')).toHaveLength(80);
    expect(segments[0]).toBe('vip');
  });

  it('should give the most recent, most frequent, highest spender quintile 5 on every axis', () => {
    const [best] = scoreRfm(guests);
    expect(best).toMatchObject({ recency: 5, frequency: 5, monetary: 5 });
    expect(scoreRfm(guests)[99]).toMatchObject({ recency: 1, frequency: 1, monetary: 1 });
  });

  it('should give equal spenders the same segment whatever order they come in when they tie at a boundary', () => {
    const tied = guests.map((g, i) => (i === 1 ? { ...g, revenueMinor: guests[0].revenueMinor } : g));
    const segmentsOf = (input: typeof guests) =>
      Object.fromEntries(scoreRfm(input).map((s) => [s.guestId, s.segment]));
    const forward = segmentsOf(tied);
    expect([forward.g0, forward.g1]).toEqual(['vip', 'vip']);
    expect(segmentsOf([...tied].reverse())).toEqual(forward);
  });

  it('should honour configured shares', () => {
    const segments = scoreRfm(guests, { vip: 0.1, major: 0.1, ordinary: 0.1 }).map((s) => s.segment);
    expect(segments.filter((s) => s === 'vip')).toHaveLength(10);
  });
});
