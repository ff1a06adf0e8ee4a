import { computeLag } from './lag';

describe('computeLag', () => {
  it('should subtract the committed offset from the log end and total the lag', () => {
    const lag = computeLag(
      'profiles',
      [
        { topic: 'stay-completed', partition: 1, offset: '7' },
        { topic: 'stay-completed', partition: 0, offset: '10' },
      ],
      [
        { topic: 'stay-completed', partition: 0, high: '12' },
        { topic: 'stay-completed', partition: 1, high: '7' },
      ],
    );
    expect(lag.partitions.map((p) => [p.partition, p.committed, p.end, p.lag])).toEqual([
      [0, 10, 12, 2],
      [1, 7, 7, 0],
    ]);
    expect(lag.totalLag).toBe(2);
  });

  it('should leave lag undefined for a partition without a commit, like Kafka’s tool', () => {
    const lag = computeLag(
      'g',
      [{ topic: 't', partition: 0, offset: '-1' }],
      [{ topic: 't', partition: 0, high: '3' }],
    );
    expect(lag.partitions[0]).toEqual({ group: 'g', topic: 't', partition: 0, end: 3 });
    expect(lag.totalLag).toBe(0);
  });

  it('should never report negative lag when the end offset was read before the commit', () => {
    const lag = computeLag(
      'g',
      [{ topic: 't', partition: 0, offset: '9' }],
      [{ topic: 't', partition: 0, high: '8' }],
    );
    expect(lag.partitions[0].lag).toBe(0);
  });
});
