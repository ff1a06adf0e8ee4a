import { KafkaJSProtocolError } from 'kafkajs';
import type { Connection } from '../connection';
import type { CommandContext } from '../context';
import { EXIT } from '../errors';
import { palette } from '../lib/colour';
import { decodeRecord, type EventRecord } from '../lib/event-record';
import { scanTopics, type ScanOptions } from '../scan';
import { dlqListCommand, dlqReplayCommand, dlqShowCommand } from './dlq.command';

const send = jest.fn();
const createTopics = jest.fn();
const fetchTopicMetadata = jest.fn();
const listTopics = jest.fn();

jest.mock('../scan');
jest.mock('../kafka', () => ({
  ...jest.requireActual<object>('../kafka'),
  withAdmin: (_: unknown, work: (admin: unknown) => Promise<unknown>) =>
    work({
      listTopics,
      createTopics,
      fetchTopicMetadata,
    }),
  kafkaClient: () => ({
    producer: () => ({ connect: async () => undefined, disconnect: async () => undefined, send }),
  }),
}));

/** A letter at dev.points-earned.dlq:2:<offset>, made of the record at dev.points-earned:2:<sourceOffset>. */
function letter(
  offset: number,
  sourceOffset: number,
  key = 'g-1',
  reason = 'HANDLER_FAILED',
  writtenAt = 0,
): EventRecord {
  return decodeRecord('dev.points-earned.dlq', 2, {
    offset: String(offset),
    timestamp: String(writtenAt),
    key: Buffer.from(key),
    value: Buffer.from(JSON.stringify({ id: `e-${offset}`, type: 'points-earned' })),
    headers: {
      'dlq-reason': reason,
      'dlq-source-topic': 'dev.points-earned',
      'dlq-source-partition': '2',
      'dlq-source-offset': String(sourceOffset),
    },
  });
}

/** The dead-letter topics hold `letters`, and a scan reads them all. */
function holding(letters: EventRecord[]): void {
  jest.mocked(scanTopics).mockImplementation(async (_connection, _admin, options: ScanOptions) => {
    for (const one of letters) await options.onRecord(one);
    return { interrupted: false };
  });
}

function context(): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    connection: { prefix: 'dev.', settings: { brokers: ['kafka:9092'] } } as unknown as Connection,
    paint: palette(false),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    outDrained: () => undefined,
    stopped: new Promise(() => undefined),
  };
  return { ctx, out, err };
}

/** What the broker answers a send: where its first record landed. */
const landed = (topic: string, partition: number, baseOffset: string) => [
  { topicName: topic, partition, errorCode: 0, baseOffset },
];

type SendRequest = {
  topic: string;
  messages: { key?: string; value: string; headers?: Record<string, string> }[];
};

/** The requests sent to `topic`. */
const sentTo = (topic: string): SendRequest[] =>
  send.mock.calls.map(([request]: [SendRequest]) => request).filter((request) => request.topic === topic);

beforeEach(() => {
  jest.resetAllMocks();
  send.mockImplementation(async ({ topic }: SendRequest) => landed(topic, 2, '40'));
  listTopics.mockResolvedValue(['dev.points-earned', 'dev.points-earned.dlq']);
  createTopics.mockResolvedValue(true);
  fetchTopicMetadata.mockResolvedValue(replayLogMetadata(1));
});

/** A protocol error as kafkajs makes it of the broker's error code. */
const brokerAnswer = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));

/** The replay log's metadata as the broker shows it, its one partition led by `leader` (-1: none yet). */
function replayLogMetadata(leader: number) {
  return { topics: [{ name: 'dev.dlq-replays', partitions: [{ partitionId: 0, leader }] }] };
}

describe('dlq replay selection', () => {
  beforeEach(() => holding([letter(10, 1), letter(11, 2), letter(12, 3, 'g-2', 'INVALID_DATA')]));

  it.each([
    ['a reason no letter has', { reason: 'NOT_JSON' }, '--reason NOT_JSON'],
    ['a mistyped event id', { eventId: ['e-99'] }, '--event-id e-99'],
    [
      'an offset range without letters',
      { topic: ['points-earned'], partition: '2', fromOffset: '40', toOffset: '50' },
      '--topic points-earned --partition 2 --from-offset 40 --to-offset 50',
    ],
  ])('should exit 3 naming the reasons there, and send nothing, for %s', async (_, options, typed) => {
    const { ctx, out } = context();
    await expect(dlqReplayCommand(options, ctx)).rejects.toMatchObject({
      exitCode: EXIT.notFound,
      message: `no dead letter matches ${typed}`,
      hints: expect.arrayContaining([
        'the letters read have these reasons: HANDLER_FAILED (2), INVALID_DATA (1)',
      ]),
    });
    expect(send).not.toHaveBeenCalled();
    expect(out).toEqual([]);
  });

  it('should select a reason typed in lower case', async () => {
    const { ctx, out } = context();
    await dlqReplayCommand({ reason: 'handler_failed', dryRun: true }, ctx);
    expect(out).toEqual([
      'would replay dev.points-earned.dlq:2:10 (e-10) -> dev.points-earned',
      'would replay dev.points-earned.dlq:2:11 (e-11) -> dev.points-earned',
      'dry run: would replay 2 of 2 selected dead letter(s)',
    ]);
  });

  it('should refuse a reversed offset range as bad usage, before reading anything', async () => {
    const { ctx } = context();
    const reversed = { topic: ['points-earned'], partition: '2', fromOffset: '20', toOffset: '10' };
    await expect(dlqReplayCommand(reversed, ctx)).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: '--from-offset 20 is after --to-offset 10: the range holds no offset',
    });
    expect(scanTopics).not.toHaveBeenCalled();
  });

  it('should still end quietly when --all finds no letters: there was nothing to select', async () => {
    holding([]);
    const { ctx, out } = context();
    await dlqReplayCommand({ all: true }, ctx);
    expect(out).toEqual(['replayed 0 of 0 selected dead letter(s)']);
  });
});

describe('dlq show', () => {
  beforeEach(() => holding([letter(17, 5), letter(30, 17)]));

  const shownOffsets = async (ref: string) => {
    const { ctx, out } = context();
    await dlqShowCommand(ref, { json: true }, ctx);
    return out.map((line) => (JSON.parse(line) as EventRecord).offset);
  };

  it('should find the letters of a failed record by its position on its own topic, as services log it', async () => {
    expect(await shownOffsets('points-earned:2:17')).toEqual(['30']);
  });

  it('should find a letter by its event id typed in another case', async () => {
    expect(await shownOffsets('E-30')).toEqual(['30']);
  });

  it('should find a letter by its own position on a .dlq topic', async () => {
    expect(await shownOffsets('points-earned.dlq:2:17')).toEqual(['17']);
  });
});

describe('dlq replay order', () => {
  it('should not send the later letters of a key whose earlier letter failed to send', async () => {
    holding([letter(1, 1, 'g-1'), letter(2, 2, 'g-2'), letter(3, 3, 'g-1')]);
    send.mockRejectedValueOnce(new Error('The request included a message larger than the max message size'));
    const { ctx, out, err } = context();
    await expect(dlqReplayCommand({ all: true }, ctx)).rejects.toMatchObject({
      exitCode: EXIT.failure,
      message: '1 dead letter(s) could not be replayed',
    });
    const sentFrom = sentTo('dev.points-earned').map(
      (request) => request.messages[0].headers?.['dlq-replayed-from'],
    );
    expect(sentFrom).toEqual(['dev.points-earned.dlq:2:1', 'dev.points-earned.dlq:2:2']);
    expect(err).toContain(
      'skipped dev.points-earned.dlq:2:3: an earlier letter of the same key (dev.points-earned.dlq:2:1) is not replayed, and sending this one first would reverse their order; replay them together once it can be',
    );
    expect(out).toEqual([
      'replayed dev.points-earned.dlq:2:2 (e-2) -> dev.points-earned',
      'replayed 1 of 3 selected dead letter(s)',
    ]);
  });
});

describe('dlq replay record', () => {
  it('should create the replay log, and record each letter sent on it with where its copy landed', async () => {
    holding([letter(1, 10), letter(2, 20, 'g-2')]);
    const { ctx } = context();
    await dlqReplayCommand({ all: true }, ctx);

    expect(createTopics).toHaveBeenCalledWith(
      expect.objectContaining({
        topics: [expect.objectContaining({ topic: 'dev.dlq-replays', numPartitions: 1 })],
      }),
    );
    const entries = sentTo('dev.dlq-replays').map((request) => {
      const [message] = request.messages;
      return { key: message.key, entry: JSON.parse(message.value) as Record<string, string> };
    });
    expect(entries).toEqual([
      {
        key: 'dev.points-earned.dlq:2:1',
        entry: expect.objectContaining({
          letter: 'dev.points-earned.dlq:2:1',
          eventId: 'e-1',
          copy: 'dev.points-earned:2:40',
        }),
      },
      {
        key: 'dev.points-earned.dlq:2:2',
        entry: expect.objectContaining({
          letter: 'dev.points-earned.dlq:2:2',
          eventId: 'e-2',
          copy: 'dev.points-earned:2:40',
        }),
      },
    ]);
  });

  it.each([
    ['of every dead-letter topic', { all: true }],
    ['of a topic named', { all: true, topic: ['points-earned'] }],
  ])(
    'should ask the broker for its topics once in a replay %s, the log known from that answer',
    async (_, options) => {
      holding([letter(1, 10)]);
      listTopics.mockResolvedValue(['dev.points-earned', 'dev.points-earned.dlq', 'dev.dlq-replays']);
      const { ctx } = context();
      await dlqReplayCommand(options, ctx);

      expect(listTopics).toHaveBeenCalledTimes(1);
      expect(createTopics).not.toHaveBeenCalled();
      expect(sentTo('dev.dlq-replays')).toHaveLength(1);
    },
  );

  it('should record on a log it has just made only once the broker shows it with a leader', async () => {
    holding([letter(1, 10)]);
    // A busy broker: the topic unknown at first, then without a leader, then led.
    fetchTopicMetadata
      .mockRejectedValueOnce(brokerAnswer('UNKNOWN_TOPIC_OR_PARTITION', true))
      .mockResolvedValueOnce(replayLogMetadata(-1))
      .mockResolvedValueOnce(replayLogMetadata(1));
    const { ctx, err } = context();
    await dlqReplayCommand({ all: true }, ctx);

    expect(createTopics).toHaveBeenCalledWith({
      waitForLeaders: false,
      topics: [expect.objectContaining({ topic: 'dev.dlq-replays' })],
    });
    expect(fetchTopicMetadata).toHaveBeenCalledTimes(3);
    expect(sentTo('dev.dlq-replays')).toHaveLength(1);
    // The record is the last send, after the look that showed a leader.
    expect(send.mock.invocationCallOrder.at(-1)).toBeGreaterThan(
      fetchTopicMetadata.mock.invocationCallOrder[2],
    );
    expect(err).toEqual([]);
  });

  it('should stop waiting for the log at a refusal to describe it, and replay unrecorded with the reason', async () => {
    holding([letter(1, 10)]);
    fetchTopicMetadata.mockRejectedValue(brokerAnswer('TOPIC_AUTHORIZATION_FAILED', false));
    const { ctx, out, err } = context();
    await dlqReplayCommand({ all: true }, ctx);

    expect(fetchTopicMetadata).toHaveBeenCalledTimes(1);
    expect(sentTo('dev.points-earned')).toHaveLength(1);
    expect(sentTo('dev.dlq-replays')).toEqual([]);
    expect(err).toEqual([
      expect.stringMatching(
        /^warning: the replay log dev\.dlq-replays was created but could not be described \(TOPIC_AUTHORIZATION_FAILED\); the letters replayed now are not recorded/,
      ),
    ]);
    expect(out.at(-1)).toBe('replayed 1 of 1 selected dead letter(s)');
  });

  it('should go on replaying when a letter sent cannot be recorded, and say what that letter will hold back', async () => {
    holding([letter(1, 10), letter(2, 20, 'g-2')]);
    send.mockImplementation(async ({ topic }: SendRequest) => {
      if (topic === 'dev.dlq-replays') throw new Error('not authorised to write dev.dlq-replays');
      return landed(topic, 2, '40');
    });
    const { ctx, out, err } = context();
    await dlqReplayCommand({ all: true }, ctx);

    expect(out).toContain('replayed 2 of 2 selected dead letter(s)');
    expect(err).toContain(
      'warning: dev.points-earned.dlq:2:1 is replayed but could not be recorded as replayed (not authorised to write dev.dlq-replays); until it is replayed again, it holds back the later letters of its key',
    );
  });

  it('should replay unrecorded, warning once, when the replay log cannot be created', async () => {
    holding([letter(1, 10), letter(2, 20, 'g-2')]);
    createTopics.mockRejectedValue(new Error('Cluster authorization failed'));
    const { ctx, out, err } = context();
    await dlqReplayCommand({ all: true }, ctx);

    expect(out).toContain('replayed 2 of 2 selected dead letter(s)');
    expect(sentTo('dev.points-earned')).toHaveLength(2);
    expect(sentTo('dev.dlq-replays')).toEqual([]);
    expect(err).toEqual([
      'warning: the replay log dev.dlq-replays could not be created (Cluster authorization failed); the letters replayed now are not recorded, so they hold back the later letters of their keys in the next replay',
    ]);
  });

  it('should neither create nor write the replay log in a dry run', async () => {
    holding([letter(1, 10)]);
    const { ctx } = context();
    await dlqReplayCommand({ all: true, dryRun: true }, ctx);

    expect(createTopics).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });
});

describe('dlq replay of part of a key’s letters', () => {
  const heldBehindE1 =
    'skipped dev.points-earned.dlq:2:2: an earlier letter of the same key (dev.points-earned.dlq:2:1, e-1) is not selected';

  it('should not send a selected letter before an earlier letter of its key that is not selected', async () => {
    holding([letter(1, 10), letter(2, 20)]);
    const { ctx, out, err } = context();
    await dlqReplayCommand({ eventId: ['e-2'] }, ctx);
    expect(send).not.toHaveBeenCalled();
    expect(err.join('\n')).toContain(heldBehindE1);
    expect(out).toEqual(['replayed 0 of 1 selected dead letter(s)']);
  });

  it('should read letters before --since too, and hold back the later letters of their keys', async () => {
    const hourAgo = Date.now() - 3_600_000;
    holding([
      letter(1, 10, 'g-1', 'HANDLER_FAILED', hourAgo - 60_000),
      letter(2, 20, 'g-1', 'HANDLER_FAILED', hourAgo + 60_000),
    ]);
    const { ctx, out, err } = context();
    await dlqReplayCommand({ since: '1h', all: true }, ctx);
    expect(jest.mocked(scanTopics).mock.calls[0][2].from).toBe('beginning');
    expect(send).not.toHaveBeenCalled();
    expect(err.join('\n')).toContain(heldBehindE1);
    expect(out).toEqual(['replayed 0 of 1 selected dead letter(s)']);
  });
});

describe('dlq list', () => {
  it('should count letters as they are read, and keep none to look at after the read', async () => {
    let reading = true;
    const readAfterwards: string[] = [];
    /** The letter, noting any property read once the scan is over: a letter kept in memory. */
    const watched = (one: EventRecord) =>
      new Proxy(one, {
        get: (target, name) => {
          if (!reading) readAfterwards.push(String(name));
          return Reflect.get(target, name) as unknown;
        },
      });
    jest.mocked(scanTopics).mockImplementation(async (_connection, _admin, options: ScanOptions) => {
      for (const one of [letter(1, 1), letter(2, 2, 'g-2', 'INVALID_DATA'), letter(3, 3)])
        await options.onRecord(watched(one));
      reading = false;
      return { interrupted: false };
    });
    const { ctx, out } = context();
    await dlqListCommand({ json: true }, ctx);
    expect(JSON.parse(out[0])).toMatchObject([
      { reason: 'HANDLER_FAILED', count: 2 },
      { reason: 'INVALID_DATA', count: 1 },
    ]);
    expect(readAfterwards).toEqual([]);
  });
});
