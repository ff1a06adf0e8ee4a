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
        { topic: 'stay-completed', partition: 0, high: '12', low: '0' },
        { topic: 'stay-completed', partition: 1, high: '7', low: '0' },
      ],
    );
    expect(lag.partitions.map((p) => [p.partition, p.committed, p.end, p.lag])).toEqual([
      [0, 10, 12, 2],
      [1, 7, 7, 0],
    ]);
    expect(lag.totalLag).toBe(2);
  });

  it('should count a partition without a commit from its log start, and flag it, when it reports -1', () => {
    const lag = computeLag(
      'g',
      [{ topic: 't', partition: 0, offset: '-1' }],
      [{ topic: 't', partition: 0, high: '5', low: '2' }],
    );
    expect(lag.partitions[0]).toEqual({
      group: 'g',
      topic: 't',
      partition: 0,
      end: 5,
      lag: 3,
      uncommitted: true,
    });
    expect(lag.totalLag).toBe(3);
  });

  it('should show every assigned partition when the group never committed on some of them', () => {
    const lag = computeLag(
      'g',
      [{ topic: 't', partition: 1, offset: '4' }],
      [
        { topic: 't', partition: 0, high: '6', low: '0' },
        { topic: 't', partition: 1, high: '4', low: '0' },
      ],
      [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 1 },
      ],
    );
    expect(lag.partitions.map((p) => [p.partition, p.committed, p.lag, p.uncommitted])).toEqual([
      [0, undefined, 6, true],
      [1, 4, 0, undefined],
    ]);
    expect(lag.totalLag).toBe(6);
  });

  it('should never report negative lag when the end offset was read before the commit', () => {
    const lag = computeLag(
      'g',
      [{ topic: 't', partition: 0, offset: '9' }],
      [{ topic: 't', partition: 0, high: '8', low: '0' }],
    );
    expect(lag.partitions[0].lag).toBe(0);
  });
});
