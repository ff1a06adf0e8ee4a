import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '@loyalty/contracts';
import {
  createNewTopics,
  deleteTopicsWithPrefix,
  testInfrastructure,
  uniqueTopicPrefix,
} from '@loyalty/testing';
import { exitOf, runCli } from './cli-harness';

/** Dead letters written straight to a `.dlq` topic, as consumer groups write them, then planned by the CLI. */
describe('loyalty dlq replay against the real broker: what a replay puts back, and in which order', () => {
  const prefix = uniqueTopicPrefix();
  const env = { KAFKA_TOPIC_PREFIX: prefix };
  const kafka = new Kafka({
    clientId: 'cli-replay-plan-test',
    brokers: testInfrastructure().kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  let admin: Admin;
  let producer: Producer;

  /** Writes a letter of the record at `<source>:0:<sourceOffset>` to `<source>.dlq`. */
  async function deadLetter(
    source: string,
    letter: {
      key: string;
      value: string;
      sourceOffset: number;
      reason?: string;
      headers?: Record<string, string>;
    },
  ): Promise<void> {
    await producer.send({
      topic: `${prefix}${source}.dlq`,
      acks: -1,
      messages: [
        {
          key: letter.key,
          value: letter.value,
          headers: {
            ...letter.headers,
            [DEAD_LETTER_HEADERS.reason]: letter.reason ?? 'HANDLER_FAILED',
            [DEAD_LETTER_HEADERS.sourceTopic]: `${prefix}${source}`,
            [DEAD_LETTER_HEADERS.sourcePartition]: '0',
            [DEAD_LETTER_HEADERS.sourceOffset]: String(letter.sourceOffset),
            [DEAD_LETTER_HEADERS.consumerGroup]: 'points-ledger',
          },
        },
      ],
    });
  }

  const event = (id: string) => JSON.stringify({ id, type: 'points-earned' });
  const replayed = (stdout: string) => [...stdout.matchAll(/replay \S+ \((\S+)\)/g)].map((match) => match[1]);

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    const topics = ['points-earned', 'points-earned.dlq', 'stay-recorded', 'stay-recorded.dlq'];
    await createNewTopics(
      admin,
      topics.map((name) => ({ topic: `${prefix}${name}`, numPartitions: 1 })),
    );
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await deleteTopicsWithPrefix(prefix);
  });

  it('should hold back a selected letter behind an earlier letter of its guest that is not selected', async () => {
    await deadLetter('points-earned', { key: 'guest-g', value: event('e1'), sourceOffset: 10 });
    await deadLetter('points-earned', { key: 'guest-g', value: event('e2'), sourceOffset: 20 });

    const partial = await runCli(['dlq', 'replay', '--event-id', 'e2', '--dry-run'], env);
    expect(exitOf(partial)).toEqual({ code: 0 });
    expect(replayed(partial.stdout)).toEqual([]);
    expect(partial.stderr).toContain(`(${prefix}points-earned.dlq:0:0, e1) is not selected`);

    // Ids compare as UUIDs do, whatever case they are typed in.
    const together = await runCli(['dlq', 'replay', '--event-id', 'E2,E1', '--dry-run'], env);
    expect(exitOf(together)).toEqual({ code: 0 });
    expect(replayed(together.stdout)).toEqual(['e1', 'e2']);
  });

  it('should put a record without an event id back once, however often replayed copies of it failed again', async () => {
    const notJson = { key: 'guest-h', value: 'not json', reason: 'NOT_JSON' };
    // Two groups dead-lettered the record at offset 7, then both the copy a replay wrote at offset 40.
    await deadLetter('stay-recorded', { ...notJson, sourceOffset: 7 });
    await deadLetter('stay-recorded', { ...notJson, sourceOffset: 7 });
    const replayedFrom = { 'dlq-replayed-from': `${prefix}stay-recorded.dlq:0:0` };
    await deadLetter('stay-recorded', { ...notJson, sourceOffset: 40, headers: replayedFrom });
    await deadLetter('stay-recorded', { ...notJson, sourceOffset: 40, headers: replayedFrom });

    const result = await runCli(['dlq', 'replay', '--reason', 'not_json', '--dry-run'], env);
    expect(exitOf(result)).toEqual({ code: 0 });
    expect(result.stdout).toContain('dry run: would replay 1 of 4 selected dead letter(s)');
  });

  it('should warn when the letter a failed copy was replayed from is no longer on the topic', async () => {
    const gone = `${prefix}points-earned.dlq:0:999`;
    await deadLetter('points-earned', {
      key: 'guest-k',
      value: event('e9'),
      sourceOffset: 90,
      headers: { 'dlq-replayed-from': gone },
    });
    const result = await runCli(['dlq', 'replay', '--event-id', 'e9', '--dry-run'], env);
    expect(exitOf(result)).toEqual({ code: 0 });
    expect(result.stderr).toContain(`is a replayed copy of ${gone}, which is no longer on its topic`);
    expect(replayed(result.stdout)).toEqual(['e9']);
  });
});
