import { decodeRecord, type EventRecord } from './event-record';
import { ReplayLog } from './replay-log';
import {
  lostOrigins,
  outlineLetter,
  planReplay,
  ReasonCounts,
  replayMessage,
  selectsLetter,
  whyNotReplayable,
  type ReadLetter,
} from './dead-letters';

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
    const counts = new ReasonCounts();
    letters.forEach((one) => counts.add(one));
    expect(counts.groups()).toEqual([
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

  it('should select by event id whatever case it is typed or written in', () => {
    const upper = letter(4, 'HANDLER_FAILED', 'points-earned.dlq', 'AB12');
    expect(selectsLetter(upper, { eventIds: ['ab12'] })).toBe(true);
    expect(selectsLetter(letters[0], { eventIds: ['E-1'] })).toBe(true);
    expect(selectsLetter(letters[0], { eventIds: ['E-2'] })).toBe(false);
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
    /** Every letter read, and selected. */
    const selectedAll = (letters: EventRecord[]): ReadLetter[] =>
      letters.map((one) => ({ outline: outlineLetter(one), selected: one }));
    /** Read, but not selected. */
    const unselected = (one: EventRecord): ReadLetter => ({ outline: outlineLetter(one) });
    const noneReplayedBefore = new Set<string>();

    it('should send an event once when its letters name different records, as after a relay duplicate', () => {
      const plan = planReplay(
        selectedAll([failed(1, 'E', 10, 'ledger'), failed(2, 'E', 11, 'ledger')]),
        new Date(),
        noneReplayedBefore,
      );
      expect(steps(plan)).toEqual([
        ['1', 'send'],
        [
          '2',
          'another letter of the same event (E) is replayed above, and one replay reaches every consumer group',
        ],
      ]);
    });

    it('should send an event once when its letters write its id in different cases', () => {
      const plan = planReplay(
        selectedAll([failed(1, 'ab12', 10, 'ledger'), failed(2, 'AB12', 11, 'profiles')]),
        new Date(),
        noneReplayedBefore,
      );
      expect(steps(plan).map(([offset, step]) => [offset, step === 'send'])).toEqual([
        ['1', true],
        ['2', false],
      ]);
    });

    it('should send in the order of the records on their own topic when consumer groups interleave letters', () => {
      const plan = planReplay(
        selectedAll([
          failed(3, 'E2', 2, 'ledger'),
          failed(4, 'E1', 1, 'profiles'),
          failed(5, 'E2', 2, 'profiles'),
        ]),
        new Date(),
        noneReplayedBefore,
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
        selectedAll([
          malformed(1, 'not json', 'ledger'),
          malformed(2, 'not json', 'surveys'),
          malformed(3, 'other', 'ledger'),
        ]),
        new Date(),
        noneReplayedBefore,
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
        selectedAll([
          keyed(1, 'g-1', 10, true),
          keyed(2, 'g-2', 11),
          keyed(3, 'g-1', 12),
          keyed(4, 'g-1', 13),
        ]),
        new Date(),
        noneReplayedBefore,
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

    it('should hold back a selected letter when an earlier letter of its key is read but not selected', () => {
      const e1 = failed(1, 'e1', 10, 'ledger');
      const e2 = failed(2, 'e2', 20, 'ledger');
      const otherGuest = letter(3, 'HANDLER_FAILED', 'points-earned.dlq', 'e3', {
        'dlq-source-partition': '0',
        'dlq-source-offset': '30',
      });
      otherGuest.rawKey = Buffer.from('g-2');
      const plan = planReplay(
        [unselected(e1), { outline: outlineLetter(e2), selected: e2 }, ...selectedAll([otherGuest])],
        new Date(),
        noneReplayedBefore,
      );
      expect(steps(plan)).toEqual([
        [
          '2',
          'an earlier letter of the same key (points-earned.dlq:0:1, e1) is not selected, and sending this one first would reverse their order; add --event-id e1 to replay them together (an event handled already is skipped by its consumers)',
        ],
        ['3', 'send'],
      ]);
    });

    it('should send a selected letter behind an earlier letter of its key that an earlier replay put back', () => {
      const e1 = failed(1, 'e1', 10, 'ledger');
      const e2 = failed(2, 'e2', 20, 'ledger');
      const plan = planReplay(
        [unselected(e1), { outline: outlineLetter(e2), selected: e2 }],
        new Date(),
        new Set(['points-earned.dlq:0:1']),
      );
      expect(steps(plan)).toEqual([['2', 'send']]);
    });

    it('should send a selected letter behind a record an earlier replay put back, whose other letters it did not send', () => {
      // Two consumer groups dead-lettered e1's record; the replay sent one letter, and its copy reached both.
      const e1 = failed(1, 'e1', 10, 'ledger');
      const e1OtherGroup = failed(2, 'e1', 10, 'profiles');
      const e2 = failed(3, 'e2', 20, 'ledger');
      const plan = planReplay(
        [unselected(e1), unselected(e1OtherGroup), { outline: outlineLetter(e2), selected: e2 }],
        new Date(),
        new Set(['points-earned.dlq:0:1']),
      );
      expect(steps(plan)).toEqual([['3', 'send']]);
    });

    it('should still hold back a letter when the copy an earlier replay put back of its key failed again', () => {
      const e1 = failed(1, 'e1', 10, 'ledger');
      const e1CopyFailed = letter(2, 'HANDLER_FAILED', 'points-earned.dlq', 'e1', {
        'dlq-source-partition': '0',
        'dlq-source-offset': '50',
        'dlq-replayed-from': 'points-earned.dlq:0:1',
      });
      const e2 = failed(3, 'e2', 20, 'ledger');
      const read = [unselected(e1), unselected(e1CopyFailed), { outline: outlineLetter(e2), selected: e2 }];
      expect(steps(planReplay(read, new Date(), new Set(['points-earned.dlq:0:1'])))).toEqual([
        [
          '3',
          'an earlier letter of the same key (points-earned.dlq:0:1, e1) is not selected, and sending this one first would reverse their order; add --event-id e1 to replay them together (an event handled already is skipped by its consumers)',
        ],
      ]);
      // Once a replay puts the failed copy back too, the event is back.
      const both = new Set(['points-earned.dlq:0:1', 'points-earned.dlq:0:2']);
      expect(steps(planReplay(read, new Date(), both))).toEqual([['3', 'send']]);
    });

    it('should hold back a letter behind one at a position an earlier replay recorded before the dead-letter topic was made again', () => {
      // e0 was put back from points-earned.dlq:0:1; the topic was deleted since, and e1 now stands there.
      const replays = new ReplayLog();
      const entry = { letter: 'points-earned.dlq:0:1', eventId: 'e0', copy: 'points-earned:0:90' };
      replays.add(
        decodeRecord('dlq-replays', 0, {
          offset: '0',
          timestamp: '0',
          key: null,
          value: Buffer.from(
            JSON.stringify({ ...entry, replayedAt: '2026-11-01T00:00:00.000Z', by: 'oncall' }),
          ),
        }),
      );
      const e1 = failed(1, 'e1', 10, 'ledger');
      const e2 = failed(2, 'e2', 20, 'ledger');
      const plan = planReplay(
        [unselected(e1), { outline: outlineLetter(e2), selected: e2 }],
        new Date(),
        replays,
      );
      expect(steps(plan)).toEqual([
        ['2', expect.stringContaining('(points-earned.dlq:0:1, e1) is not selected')],
      ]);
    });

    it('should send an event in the place of its earliest letter when only its copy that failed again is selected', () => {
      // e1 failed at source offset 10, was replayed, and failed again at 50; a --since selects the copy and e2.
      const e1 = failed(1, 'e1', 10, 'ledger');
      const e2 = failed(2, 'e2', 20, 'ledger');
      const e1Again = failed(3, 'e1', 50, 'ledger');
      const plan = planReplay(
        [unselected(e1), ...selectedAll([e2, e1Again])],
        new Date(),
        noneReplayedBefore,
      );
      expect(steps(plan)).toEqual([
        ['3', 'send'],
        ['2', 'send'],
      ]);
    });

    it('should send a record without an event id once when a replayed copy of it failed again in two groups', () => {
      /** A letter of a malformed record at stay-recorded:0:<sourceOffset>, as `group` dead-lettered it. */
      const malformed = (offset: number, sourceOffset: number, group: string, replayedFrom?: string) =>
        decodeRecord('stay-recorded.dlq', 0, {
          offset: String(offset),
          timestamp: '0',
          key: Buffer.from('g-1'),
          value: Buffer.from('not json'),
          headers: {
            ...(replayedFrom ? { 'dlq-replayed-from': replayedFrom } : {}),
            'dlq-reason': 'NOT_JSON',
            'dlq-source-topic': 'stay-recorded',
            'dlq-source-partition': '0',
            'dlq-source-offset': String(sourceOffset),
            'dlq-consumer-group': group,
          },
        });
      const plan = planReplay(
        selectedAll([
          malformed(1, 7, 'ledger'),
          malformed(2, 7, 'surveys'),
          malformed(3, 40, 'ledger', 'stay-recorded.dlq:0:1'),
          malformed(4, 40, 'surveys', 'stay-recorded.dlq:0:1'),
        ]),
        new Date(),
        noneReplayedBefore,
      );
      expect(steps(plan).filter(([, step]) => step === 'send')).toEqual([['1', 'send']]);
      expect(steps(plan)).toContainEqual([
        '3',
        'another letter of the same record (stay-recorded:0:7) is replayed above, and one replay reaches every consumer group',
      ]);
    });

    it('should warn of a selected copy whose first letter is no longer on the topic, and of no other', () => {
      const kept = failed(1, 'e1', 10, 'ledger');
      const copyOfKept = letter(2, 'HANDLER_FAILED', 'points-earned.dlq', 'e1', {
        'dlq-replayed-from': 'points-earned.dlq:0:1',
      });
      const copyOfLost = letter(3, 'HANDLER_FAILED', 'points-earned.dlq', 'e0', {
        'dlq-replayed-from': 'points-earned.dlq:0:0',
      });
      expect(lostOrigins([unselected(kept), ...selectedAll([copyOfKept, copyOfLost])])).toEqual([
        'points-earned.dlq:0:3 is a replayed copy of points-earned.dlq:0:0, which is no longer on its topic: the letters of its key are ordered by this copy, which may be later than its first record stood',
      ]);
    });
  });
});
