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
  /** The event ids replayed (or, in a dry run, that would be), in the order they went. */
  const replayed = (stdout: string) =>
    [...stdout.matchAll(/replay(?:ed)? \S+ \((\S+)\)/g)].map((match) => match[1]);

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

  it('should no longer hold a letter back behind an earlier letter of its key that a replay put back before', async () => {
    // Two consumer groups dead-lettered r1's record: one replay puts it back for both.
    await deadLetter('points-earned', { key: 'guest-r', value: event('r1'), sourceOffset: 110 });
    await deadLetter('points-earned', { key: 'guest-r', value: event('r1'), sourceOffset: 110 });
    const first = await runCli(['dlq', 'replay', '--event-id', 'r1'], env);
    expect(exitOf(first)).toEqual({ code: 0 });
    expect(replayed(first.stdout)).toEqual(['r1']);
    // Recorded: the replay log it made on the way took its first record without a warning.
    expect(first.stderr).not.toContain('warning');

    // The guest's next event fails after the first replay; r1's letter is still on the dead-letter topic.
    await deadLetter('points-earned', { key: 'guest-r', value: event('r2'), sourceOffset: 120 });
    const second = await runCli(['dlq', 'replay', '--event-id', 'r2'], env);
    expect(exitOf(second)).toEqual({ code: 0 });
    expect(replayed(second.stdout)).toEqual(['r2']);
    expect(second.stderr).not.toContain('is not selected');

    // Their copies are on the guest's partition in the order of their records.
    const copies = await runCli(['tail', 'points-earned', '--from-beginning', '--exit', '--json'], env);
    expect(exitOf(copies)).toEqual({ code: 0 });
    const ids = copies.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);
    expect(ids).toEqual(['r1', 'r2']);

    const letterOfR1 = /replayed (\S+) \(r1\)/.exec(first.stdout)![1];
    const shown = await runCli(['dlq', 'show', letterOfR1], env);
    expect(exitOf(shown)).toEqual({ code: 0 });
    expect(shown.stdout).toMatch(
      new RegExp(`replayed +\\S+Z by \\S+ -> ${prefix.replace('.', '\\.')}points-earned:0:0`),
    );
  });

  it('should still hold a letter back behind an earlier letter of its key whose replayed copy failed again', async () => {
    await deadLetter('points-earned', { key: 'guest-c', value: event('c1'), sourceOffset: 310 });
    const first = await runCli(['dlq', 'replay', '--event-id', 'c1'], env);
    expect(exitOf(first)).toEqual({ code: 0 });
    const letterOfC1 = /replayed (\S+) \(c1\)/.exec(first.stdout)![1];
    const copy = /-> (\S+)/.exec(
      (await runCli(['dlq', 'show', letterOfC1], env)).stdout
        .split('\n')
        .find((line) => line.startsWith('replayed'))!,
    )![1];

    // The copy fails again, and the guest's next event after it.
    await deadLetter('points-earned', {
      key: 'guest-c',
      value: event('c1'),
      sourceOffset: Number(copy.split(':').pop()),
      headers: { 'dlq-replayed-from': letterOfC1 },
    });
    await deadLetter('points-earned', { key: 'guest-c', value: event('c2'), sourceOffset: 320 });
    const second = await runCli(['dlq', 'replay', '--event-id', 'c2', '--dry-run'], env);
    expect(exitOf(second)).toEqual({ code: 0 });
    expect(replayed(second.stdout)).toEqual([]);
    expect(second.stderr).toContain(', c1) is not selected');
  });

  it('should still hold a letter back behind an earlier letter of its key that was only tried in a dry run', async () => {
    await deadLetter('points-earned', { key: 'guest-d', value: event('d1'), sourceOffset: 210 });
    await deadLetter('points-earned', { key: 'guest-d', value: event('d2'), sourceOffset: 220 });
    expect(exitOf(await runCli(['dlq', 'replay', '--event-id', 'd1', '--dry-run'], env))).toEqual({
      code: 0,
    });

    const second = await runCli(['dlq', 'replay', '--event-id', 'd2', '--dry-run'], env);
    expect(exitOf(second)).toEqual({ code: 0 });
    expect(replayed(second.stdout)).toEqual([]);
    expect(second.stderr).toContain(', d1) is not selected');
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
