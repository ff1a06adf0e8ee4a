import { chunksOf, type PendingRow } from './outbox-relay';

function row(id: number, payloadBytes: number): PendingRow {
  return {
    id: String(id),
    event_type: 'points-earned',
    topic: 'points-earned',
    partition_key: 'guest',
    payload: 'x'.repeat(payloadBytes),
    headers: { ce_id: String(id) },
  };
}

describe('chunksOf', () => {
  it('should cut rows into runs under the byte limit, keeping their order', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, 300));
    const chunks = chunksOf(rows, 1_000);
    expect(chunks.map((chunk) => chunk.map((r) => Number(r.id)))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
  });

  it('should send a row larger than the limit on its own rather than hold it back', () => {
    const chunks = chunksOf([row(1, 100), row(2, 5_000), row(3, 100)], 1_000);
    expect(chunks.map((chunk) => chunk.map((r) => r.id))).toEqual([['1'], ['2'], ['3']]);
  });

  it('should keep one chunk when everything fits', () => {
    expect(chunksOf([row(1, 10), row(2, 10)], 1_000)).toHaveLength(1);
  });
});
