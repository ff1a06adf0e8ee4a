import type { EntityManager } from 'typeorm';
import type { ScoredAnswer } from '../domain/answer-validation';
import { bucketOf } from '../domain/survey-bucket';
import { AggregateStore, inKeyOrder, type DayIncrement } from './aggregate-store';

describe('counter rows in key order', () => {
  it('should order by property, then day, then dimension, leaving the given rows as they were', () => {
    const rows = [
      { propertyId: 'P7', day: '2025-06-01', dimension: 'tangibles' },
      { propertyId: 'P3', day: '2025-06-02', dimension: 'empathy' },
      { propertyId: 'P7', day: '2025-06-01', dimension: 'empathy' },
      { propertyId: 'P3', day: '2025-05-31', dimension: 'tangibles' },
    ];
    const given = [...rows];
    expect(inKeyOrder(rows)).toEqual([rows[3], rows[1], rows[2], rows[0]]);
    expect(rows).toEqual(given);
  });

  it('should put the same rows in the same order whatever order they come in', () => {
    const rows = ['P7', 'P3', 'P10', 'P3'].map((propertyId, i) => ({ propertyId, day: `2025-06-0${i + 1}` }));
    expect(inKeyOrder([...rows].reverse())).toEqual(inKeyOrder(rows));
  });

  it('should upsert the daily and the score rows in key order whatever order the increments come in', async () => {
    const answer: ScoredAnswer = { nps: 9, quality: { tangibles: 4, empathy: 5 }, departments: {} };
    const increment = (propertyId: string, day: string): DayIncrement => ({
      propertyId,
      day,
      invited: 1,
      bucket: bucketOf(answer),
    });
    const query = jest.fn().mockResolvedValue([]);
    // A chunk meets invitations by due time, not by property.
    await AggregateStore.add({ query } as unknown as EntityManager, [
      increment('P7', '2025-06-01'),
      increment('P3', '2025-06-02'),
      increment('P3', '2025-06-01'),
    ]);

    const [[, daily], [, scores]] = query.mock.calls as [string, string[][]][];
    expect(daily.slice(0, 2)).toEqual([
      ['P3', 'P3', 'P7'],
      ['2025-06-01', '2025-06-02', '2025-06-01'],
    ]);
    expect(scores.slice(0, 3)).toEqual([
      ['P3', 'P3', 'P3', 'P3', 'P7', 'P7'],
      ['2025-06-01', '2025-06-01', '2025-06-02', '2025-06-02', '2025-06-01', '2025-06-01'],
      ['empathy', 'tangibles', 'empathy', 'tangibles', 'empathy', 'tangibles'],
    ]);
  });
});
