import { decodeRecord, type EventRecord } from './event-record';
import { groupByReason, planReplay, replayMessage, selectsLetter, whyNotReplayable } from './dead-letters';

function letter(
  offset: number,
  reason: string,
  topic = 'points-earned.dlq',
  id = `e-${offset}`,
  extraHeaders: Record<string, string> = {},
): EventRecord {
  return decodeRecord(topic, 0, {
    offset: String(offset),
    timestamp: '0',
    key: Buffer.from('g-1'),
    value: Buffer.from(JSON.stringify({ id, type: 'points-earned' })),
    headers: {
      ce_id: id,
      'correlation-id': 'c-1',
      'dlq-reason': reason,
      'dlq-source-topic': topic.replace(/\.dlq$/, ''),
      'dlq-failed-at': `2026-11-23T03:00:0${offset}.000Z`,
      ...extraHeaders,
    },
  });
}

describe('dead letters', () => {
  const letters = [
    letter(1, 'HANDLER_FAILED'),
    letter(2, 'NOT_JSON', 'stay-recorded.dlq'),
    letter(3, 'HANDLER_FAILED'),
  ];

  it('should group by reason with counts, topics and the failure window, most frequent first', () => {
    expect(groupByReason(letters)).toEqual([
      {
        reason: 'HANDLER_FAILED',
        count: 2,
        topics: ['points-earned.dlq'],
        firstFailedAt: '2026-11-23T03:00:01.000Z',
        lastFailedAt: '2026-11-23T03:00:03.000Z',
      },
      {
        reason: 'NOT_JSON',
        count: 1,
        topics: ['stay-recorded.dlq'],
        firstFailedAt: '2026-11-23T03:00:02.000Z',
        lastFailedAt: '2026-11-23T03:00:02.000Z',
      },
    ]);
  });

  it('should select by inclusive offset range, event id and reason together', () => {
    const pick = (selection: Parameters<typeof selectsLetter>[1]) =>
      letters.filter((l) => selectsLetter(l, selection)).map((l) => l.offset);
    expect(pick({ fromOffset: 2, toOffset: 3 })).toEqual(['2', '3']);
    expect(pick({ eventIds: ['e-3'] })).toEqual(['3']);
    expect(pick({ reason: 'HANDLER_FAILED', toOffset: 2 })).toEqual(['1']);
    expect(pick({ partition: 1 })).toEqual([]);
  });

  it('should select by reason whatever case it is typed in', () => {
    const pick = (reason: string) => letters.filter((l) => selectsLetter(l, { reason })).map((l) => l.offset);
    expect(pick('handler_failed')).toEqual(['1', '3']);
    expect(pick('Not_Json')).toEqual(['2']);
    expect(pick('HANDLER')).toEqual([]);
  });

  it('should replay to the source topic with the same key and value, without dlq headers, saying where from', () => {
    const message = replayMessage(letters[0], new Date('2026-11-23T04:00:00Z'));
    expect(message).toEqual({
      topic: 'points-earned',
      key: Buffer.from('g-1'),
      value: letters[0].value,
      headers: {
        ce_id: 'e-1',
        'correlation-id': 'c-1',
        'dlq-replayed-from': 'points-earned.dlq:0:1',
        'replayed-at': '2026-11-23T04:00:00.000Z',
      },
    });
  });

  it('should replay a binary key, a binary header and a repeated one byte for byte, in their order, without dlq headers', () => {
    const binary = decodeRecord('points-earned.dlq', 0, {
      offset: '7',
      timestamp: '0',
      key: Buffer.from([0xc3, 0x28]),
      value: null,
      headers: {
        'x-bin': Buffer.from([0xff, 0x00, 0xfe]),
        'x-a': [Buffer.from('1'), Buffer.from('2')],
        'dlq-reason': 'INVALID_DATA',
        'dlq-source-topic': 'points-earned',
      },
    });
    const replay = replayMessage(binary, new Date('2026-11-23T04:00:00Z'));
    expect(replay?.key).toEqual(Buffer.from([0xc3, 0x28]));
    expect(Object.entries(replay?.headers ?? {})).toEqual([
      ['x-bin', Buffer.from([0xff, 0x00, 0xfe])],
      ['x-a', [Buffer.from('1'), Buffer.from('2')]],
      ['dlq-replayed-from', 'points-earned.dlq:0:7'],
      ['replayed-at', '2026-11-23T04:00:00.000Z'],
    ]);
  });

  it('should not replay a letter that does not name its source topic', () => {
    const orphan = decodeRecord('x.dlq', 0, {
      offset: '0',
      timestamp: '0',
      key: null,
      value: null,
      headers: {},
    });
    expect(replayMessage(orphan, new Date())).toBeUndefined();
    expect(whyNotReplayable(orphan)).toBe('no dlq-source-topic header');
  });

  it('should not replay a letter whose value was left out as too large, and say where the value is', () => {
    const cut = decodeRecord('stay-completed.dlq', 0, {
      offset: '0',
      timestamp: '0',
      key: Buffer.from('AMS01:R-1'),
      value: null,
      headers: {
        'dlq-source-topic': 'stay-completed',
        'dlq-source-partition': '4',
        'dlq-source-offset': '1207',
        'dlq-value-omitted': 'too large (1048500 bytes)',
      },
    });
    expect(replayMessage(cut, new Date())).toBeUndefined();
    expect(whyNotReplayable(cut)).toBe(
      'its value was left out, too large (1048500 bytes); read it at stay-completed:4:1207',
    );
    expect(whyNotReplayable(letters[0])).toBeUndefined();
  });

  describe('replay plans', () => {
    /** A letter at `offset` in points-earned.dlq of event `id`, read at `sourceOffset` by `group`. */
    const failed = (offset: number, id: string, sourceOffset: number, group: string) =>
      letter(offset, 'HANDLER_FAILED', 'points-earned.dlq', id, {
        'dlq-source-partition': '0',
        'dlq-source-offset': String(sourceOffset),
        'dlq-consumer-group': group,
      });
    const steps = (plan: ReturnType<typeof planReplay>) =>
      plan.map((step) => [step.letter.offset, 'message' in step ? 'send' : step.skipped]);

    it('should send an event once when its letters name different records, as after a relay duplicate', () => {
      const plan = planReplay([failed(1, 'E', 10, 'ledger'), failed(2, 'E', 11, 'ledger')], new Date());
      expect(steps(plan)).toEqual([
        ['1', 'send'],
        [
          '2',
          'another letter of the same event (E) is replayed above, and one replay reaches every consumer group',
        ],
      ]);
    });

    it('should send in the order of the records on their own topic when consumer groups interleave letters', () => {
      const plan = planReplay(
        [failed(3, 'E2', 2, 'ledger'), failed(4, 'E1', 1, 'profiles'), failed(5, 'E2', 2, 'profiles')],
        new Date(),
      );
      expect(steps(plan)).toEqual([
        ['4', 'send'],
        ['3', 'send'],
        [
          '5',
          'another letter of the same record (points-earned:0:2) is replayed above, and one replay reaches every consumer group',
        ],
      ]);
    });

    it('should send records without an event id once each, telling two at one position apart by their bytes', () => {
      /** A letter of a malformed record (no event id) at source offset 7, as `group` dead-lettered it. */
      const malformed = (offset: number, bytes: string, group: string) =>
        decodeRecord('stay-recorded.dlq', 0, {
          offset: String(offset),
          timestamp: '0',
          key: Buffer.from('g-1'),
          value: Buffer.from(bytes),
          headers: {
            'dlq-reason': 'NOT_JSON',
            'dlq-source-topic': 'stay-recorded',
            'dlq-source-partition': '0',
            'dlq-source-offset': '7',
            'dlq-consumer-group': group,
          },
        });
      // The topic was recreated: another record took position 7, and both were dead-lettered.
      const plan = planReplay(
        [
          malformed(1, 'not json', 'ledger'),
          malformed(2, 'not json', 'surveys'),
          malformed(3, 'other', 'ledger'),
        ],
        new Date(),
      );
      expect(steps(plan)).toEqual([
        ['1', 'send'],
        [
          '2',
          'another letter of the same record (stay-recorded:0:7) is replayed above, and one replay reaches every consumer group',
        ],
        ['3', 'send'],
      ]);
    });

    it('should hold back the later letters of a key when an earlier one cannot be replayed, and only of that key', () => {
      /** A letter of points-earned:0:<sourceOffset> with key `key`; its value left out when `omitted`. */
      const keyed = (offset: number, key: string, sourceOffset: number, omitted = false) =>
        decodeRecord('points-earned.dlq', 0, {
          offset: String(offset),
          timestamp: '0',
          key: Buffer.from(key),
          value: omitted ? null : Buffer.from(JSON.stringify({ id: `e-${offset}` })),
          headers: {
            'dlq-reason': 'HANDLER_FAILED',
            'dlq-source-topic': 'points-earned',
            'dlq-source-partition': '0',
            'dlq-source-offset': String(sourceOffset),
            ...(omitted ? { 'dlq-value-omitted': 'too large (1048500 bytes)' } : {}),
          },
        });
      const plan = planReplay(
        [keyed(1, 'g-1', 10, true), keyed(2, 'g-2', 11), keyed(3, 'g-1', 12), keyed(4, 'g-1', 13)],
        new Date(),
      );
      const held =
        'an earlier letter of the same key (points-earned.dlq:0:1) is not replayed, and sending this one first would reverse their order; replay them together once it can be';
      expect(steps(plan)).toEqual([
        ['1', 'its value was left out, too large (1048500 bytes); read it at points-earned:0:10'],
        ['2', 'send'],
        ['3', held],
        ['4', held],
      ]);
    });
  });
});
