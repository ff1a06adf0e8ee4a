import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import {
  buildEvent,
  DEAD_LETTER_HEADERS,
  deterministicUuid,
  sampleEventData,
  type EventData,
  type EventEnvelope,
} from '@loyalty/contracts';
import {
  createNewTopics,
  createTestDatabase,
  deleteTopicsWithPrefix,
  FixtureConfig,
  FixtureModule,
  HandlerScript,
  KafkaProbe,
  serviceEnv,
  startInProcess,
  testInfrastructure,
  uniqueTopicPrefix,
  waitUntil,
  WORKSPACE_ROOT,
  type InProcessService,
  type TestDatabase,
} from '@loyalty/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { announcedGroups, exitOf, RunningCli, runCli } from './cli-harness';

describe('loyalty CLI next to a real consuming service: dlq, lag, and tail leaving groups alone', () => {
  const prefix = uniqueTopicPrefix();
  const groupId = `fixture-${randomUUID()}`;
  const env = { KAFKA_TOPIC_PREFIX: prefix };
  const topic = (name: string) => `${prefix}${name}`;
  let db: TestDatabase;
  let service: InProcessService;
  let script: HandlerScript;
  let probe: KafkaProbe;
  let admin: Admin;

  const appliedCount = async (eventId: string) =>
    Number(
      (await db.query<{ n: string }>('select count(*) as n from applied where event_id = $1', [eventId]))[0]
        .n,
    );
  const pointsEarned = (guest: string): EventEnvelope<'points-earned'> =>
    buildEvent(
      'points-earned',
      {
        ...sampleEventData('points-earned'),
        guestId: deterministicUuid(guest),
      } as EventData<'points-earned'>,
      {
        source: 'test/cli',
      },
    );
  const send = (...events: EventEnvelope<'points-earned'>[]) =>
    probe.produceJson(
      topic('points-earned'),
      events.map((e) => ({ key: e.subject, event: e })),
    );
  const caughtUp = () => probe.awaitGroupCaughtUp(groupId, [topic('points-earned')], { timeoutMs: 60_000 });

  const poison = pointsEarned('guest-poison');
  const next = pointsEarned('guest-poison');

  beforeAll(async () => {
    db = await createTestDatabase('cli');
    service = await startInProcess(
      FixtureModule,
      FixtureConfig,
      serviceEnv(db.url, prefix, { KAFKA_CONSUMER_GROUP: groupId }),
    );
    script = service.app.get(HandlerScript);
    probe = new KafkaProbe();
    admin = probe.admin();
    await admin.connect();
    await probe.watch(topic('points-earned'), topic('points-earned.dlq'));
    script.permanentFailures.add(poison.id);
    await send(poison, next, ...[1, 2, 3, 4, 5].map((i) => pointsEarned(`guest-${i}`)));
    await waitUntil('the next event to be applied', async () => (await appliedCount(next.id)) > 0, {
      timeoutMs: 60_000,
    });
    await probe.awaitRecords(topic('points-earned.dlq'), 1);
    await caughtUp();
  });

  let serviceStopped = false;
  const stopService = async () => {
    if (serviceStopped) return;
    serviceStopped = true;
    await service?.close();
  };

  afterAll(async () => {
    await stopService();
    await admin?.disconnect();
    await probe?.close();
    await db?.drop();
    await deleteTopicsWithPrefix(prefix);
  });

  describe('dlq', () => {
    it('should list dead letters grouped by reason with counts and topics', async () => {
      const result = await runCli(['dlq', 'list', '--json'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      expect(JSON.parse(result.stdout)).toEqual([
        expect.objectContaining({ reason: 'HANDLER_FAILED', count: 1, topics: [topic('points-earned.dlq')] }),
      ]);
      const text = await runCli(['dlq', 'list'], env);
      expect(text.stdout).toMatch(/HANDLER_FAILED\s+1\s+\S+points-earned\.dlq/);
    });

    it('should show one letter in full, by event id or by position', async () => {
      const byId = await runCli(['dlq', 'show', poison.id], env);
      expect(exitOf(byId)).toEqual({ code: 0 });
      expect(byId.stdout).toMatch(/dlq-reason\s+HANDLER_FAILED/);
      expect(byId.stdout).toMatch(/dlq-attempts\s+3/);
      expect(byId.stdout).toMatch(/dlq-detail\s+scripted permanent failure/);
      expect(byId.stdout).toContain(`"id": "${poison.id}"`);
      const [letter] = probe.seen(topic('points-earned.dlq'));
      const byPosition = await runCli(
        ['dlq', 'show', `points-earned.dlq:${letter.partition}:${letter.offset}`, '--json'],
        env,
      );
      expect(exitOf(byPosition)).toEqual({ code: 0 });
      expect(JSON.parse(byPosition.stdout)).toMatchObject({
        offset: letter.offset,
        event: { id: poison.id },
      });
      const missing = await runCli(['dlq', 'show', randomUUID()], env);
      expect(missing.code).toBe(3);
    });

    it('should replay nothing on a dry run', async () => {
      const result = await runCli(['dlq', 'replay', '--event-id', poison.id, '--dry-run'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      expect(result.stdout).toContain('dry run: would replay 1 of 1');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(probe.seen(topic('points-earned')).filter((r) => r.headers['dlq-replayed-from'])).toHaveLength(
        0,
      );
    });

    it('should replay a record once when it has two letters, as when two consumer groups dead-lettered it', async () => {
      const [letter] = probe.seen(topic('points-earned.dlq'));
      const otherGroups = { ...letter.rawHeaders, [DEAD_LETTER_HEADERS.consumerGroup]: 'another-service' };
      await probe.produce(topic('points-earned.dlq'), [
        { key: letter.key, value: letter.value, headers: otherGroups },
      ]);
      await probe.awaitRecords(topic('points-earned.dlq'), 2, (r) => r.key === letter.key);
      const result = await runCli(['dlq', 'replay', '--event-id', poison.id, '--dry-run'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      expect(result.stdout).toContain('dry run: would replay 1 of 2');
      const source = `${topic('points-earned')}:${letter.headers[DEAD_LETTER_HEADERS.sourcePartition]}:${letter.headers[DEAD_LETTER_HEADERS.sourceOffset]}`;
      expect(result.stderr).toContain(`another letter of the same record (${source}) is replayed above`);
    });

    it('should replay a dead letter to its topic once fixed, and have it applied once even when replayed twice', async () => {
      script.permanentFailures.delete(poison.id);
      const [letter] = probe.seen(topic('points-earned.dlq'));
      const first = await runCli(['dlq', 'replay', '--event-id', poison.id], env);
      expect(exitOf(first)).toEqual({ code: 0 });
      // The poison event has two letters by now (the test above): its record is put back once.
      expect(first.stdout).toContain('replayed 1 of 2');
      await waitUntil('the replayed event to be applied', async () => (await appliedCount(poison.id)) > 0, {
        timeoutMs: 60_000,
      });

      const [replayed] = await probe.awaitRecords(
        topic('points-earned'),
        1,
        (r) => r.headers['dlq-replayed-from'] !== undefined,
      );
      expect(replayed.headers['dlq-replayed-from']).toBe(
        `${topic('points-earned.dlq')}:${letter.partition}:${letter.offset}`,
      );
      expect(Date.parse(replayed.headers['replayed-at'])).not.toBeNaN();
      expect(replayed.headers[DEAD_LETTER_HEADERS.reason]).toBeUndefined();
      expect(replayed.key).toBe(letter.key);
      expect(replayed.value).toEqual(letter.value);

      const again = await runCli(
        ['dlq', 'replay', '--topic', 'points-earned', '--reason', 'HANDLER_FAILED'],
        env,
      );
      expect(exitOf(again)).toEqual({ code: 0 });
      await probe.awaitRecords(
        topic('points-earned'),
        2,
        (r) => r.headers['dlq-replayed-from'] !== undefined,
      );
      await caughtUp();
      expect(await appliedCount(poison.id)).toBe(1);
    });

    it('should replay a letter that fits only compressed, and report one the broker refuses without stopping, exit 1', async () => {
      // The event topic takes 8 KB a message; the dead-letter topic, the default. A topic of this test's
      // own, with its limit given at creation: the broker creates the partition with it, whereas a limit
      // altered afterwards is enforced only once the broker has applied the change, which a broker busy
      // creating another suite's topics does seconds after alterConfigs has answered. One partition, so
      // the records arrive in the order they were replayed.
      const target = topic('size-limited');
      await createNewTopics(admin, [
        { topic: target, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '8192' }] },
        { topic: topic('size-limited.dlq'), numPartitions: 1 },
      ]);
      const letter = (name: string, padding: string) => ({
        key: name,
        partition: 0,
        value: JSON.stringify({ name, padding }),
        headers: {
          [DEAD_LETTER_HEADERS.sourceTopic]: target,
          [DEAD_LETTER_HEADERS.reason]: 'HANDLER_FAILED',
        },
      });
      const compressible = letter('compressible', 'a'.repeat(64_000));
      await probe.produce(
        topic('size-limited.dlq'),
        [
          compressible,
          letter('incompressible', randomBytes(48_000).toString('base64')),
          letter('small', 'b'),
        ],
        { compressed: true },
      );
      await probe.watch(target);

      const result = await runCli(['dlq', 'replay', '--topic', 'size-limited', '--all'], env);
      expect(result.stdout).toContain('replayed 2 of 3');
      expect(result.stderr).toMatch(
        /failed \S+size-limited\.dlq:0:1 .*-> \S+size-limited: .*larger than the max message size/,
      );
      expect(result.code).toBe(1);
      const replayed = await probe.awaitRecords(target, 2);
      expect(replayed.map((record) => record.key)).toEqual(['compressible', 'small']);
      expect(replayed[0].value?.toString()).toBe(compressible.value);
    });

    it('should put a letter back with its binary header and repeated one byte for byte', async () => {
      const invalid = { ...pointsEarned('guest-headers'), data: { nonsense: true } };
      const ofInvalid = (r: { key: string | null }) => r.key === invalid.subject;
      await probe.produce(topic('points-earned'), [
        {
          key: invalid.subject,
          value: JSON.stringify(invalid),
          headers: { 'x-bin': Buffer.from([0xff, 0x00, 0xfe]), 'x-a': ['1', '2'] },
        },
      ]);
      const [letter] = await probe.awaitRecords(topic('points-earned.dlq'), 1, ofInvalid);
      const result = await runCli(['dlq', 'replay', '--event-id', invalid.id], env);
      expect(exitOf(result)).toEqual({ code: 0 });

      const [replayed] = await probe.awaitRecords(
        topic('points-earned'),
        1,
        (r) => ofInvalid(r) && r.headers['dlq-replayed-from'] !== undefined,
      );
      const replayHeaders = ['dlq-replayed-from', 'replayed-at'];
      expect(Object.keys(replayed.rawHeaders).slice(-2)).toEqual(replayHeaders);
      expect(Object.entries(replayed.rawHeaders).filter(([name]) => !replayHeaders.includes(name))).toEqual([
        ['x-bin', Buffer.from([0xff, 0x00, 0xfe])],
        ['x-a', [Buffer.from('1'), Buffer.from('2')]],
      ]);
      expect(replayed.value).toEqual(letter.value);
      // Still invalid, it is dead-lettered again: wait for that, so later tests count settled topics.
      await probe.awaitRecords(topic('points-earned.dlq'), 2, ofInvalid);
      await caughtUp();
    });
  });

  describe('tail', () => {
    it('should leave consumer groups’ committed offsets and members untouched, and no loyalty-cli group behind', async () => {
      await caughtUp();
      const ours = [topic('points-earned'), topic('points-earned.dlq'), topic('stay-recorded')];
      const others = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((id) => id !== groupId && !id.startsWith('loyalty-cli-'));
      const snapshot = async () => ({
        fixture: await admin.fetchOffsets({ groupId }),
        // Other engineers' groups move on their own topics; on ours nothing may change.
        others: await Promise.all(
          others.map(async (id) => [id, await admin.fetchOffsets({ groupId: id, topics: ours })]),
        ),
        members: (await admin.describeGroups([groupId])).groups[0].members.map((m) => m.memberId),
      });
      const before = await snapshot();
      expect(before.fixture.flatMap((t) => t.partitions).some((p) => Number(p.offset) > 0)).toBe(true);

      const bounded = await runCli(
        ['tail', 'points-earned', 'points-earned.dlq', '--from-beginning', '--exit', '--json'],
        env,
      );
      expect(exitOf(bounded)).toEqual({ code: 0 });
      expect(bounded.stdout.trim().split('\n')).toHaveLength(
        probe.seen(topic('points-earned')).length + probe.seen(topic('points-earned.dlq')).length,
      );
      const following = new RunningCli(['tail', 'points-earned', '--since', '1h'], env);
      await following.waitForStderr(/tailing/);
      await waitUntil('the tail to print', () => following.lines().length >= 7);
      expect(await following.interrupt()).toBe(0);

      expect(await snapshot()).toEqual(before);
      // Only this test's CLI groups: the other CLI suite may be tailing at the same moment.
      const cliGroups = [...announcedGroups(bounded.stderr), ...announcedGroups(following.stderr)];
      expect(cliGroups).toHaveLength(2);
      const existing = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(existing.filter((id) => cliGroups.includes(id))).toEqual([]);
    });
  });

  describe('lag', () => {
    interface LagRow {
      topic: string;
      partition: number;
      committed?: number;
      end: number;
      lag?: number;
      uncommitted?: true;
    }

    /** Kafka's own `kafka-consumer-groups --describe`, as rows of topic/partition/current/end/lag. */
    async function kafkaToolRows(group: string): Promise<string[][]> {
      const { stdout } = await promisify(execFile)(
        'bash',
        [
          'infra/local',
          'kafka-java',
          'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
          '--bootstrap-server',
          testInfrastructure().kafkaBrokers,
          '--describe',
          '--group',
          group,
        ],
        { cwd: WORKSPACE_ROOT, timeout: 120_000 },
      );
      return stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((cells) => cells[0] === group)
        .map((cells) => cells.slice(1, 6));
    }

    it('should agree with Kafka’s consumer-group tool per partition', async () => {
      // A backlog on one partition, so the lag is not zero everywhere.
      await stopService();
      await send(pointsEarned('guest-backlog'), pointsEarned('guest-backlog'), pointsEarned('guest-backlog'));
      const result = await runCli(['lag', groupId, '--json'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      const [ours] = JSON.parse(result.stdout) as { group: string; partitions: LagRow[]; totalLag: number }[];
      const theirs = await kafkaToolRows(groupId);
      const committedByKafka = theirs.filter(([, , current]) => current !== '-');
      expect(committedByKafka.length).toBeGreaterThan(0);
      const asCells = (row: LagRow) => [
        row.topic,
        String(row.partition),
        String(row.committed ?? '-'),
        String(row.end),
        String(row.lag ?? '-'),
      ];
      expect(
        ours.partitions
          .filter((row) => row.committed !== undefined)
          .map(asCells)
          .sort(),
      ).toEqual(committedByKafka.sort());
      expect(ours.totalLag).toBe(3);
      const table = await runCli(['lag', groupId], env);
      expect(table.stdout).toContain(`total lag of ${groupId}: 3`);
    });

    it('should count and flag the partitions of a group whose member never committed', async () => {
      const idle = `idle-${randomUUID()}`;
      const kafka = new Kafka({
        brokers: testInfrastructure().kafkaBrokers.split(','),
        logLevel: logLevel.NOTHING,
      });
      const consumer = kafka.consumer({ groupId: idle });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic('points-earned')], fromBeginning: true });
        // Joined and assigned, but it never reads far enough to commit.
        consumer.on(consumer.events.GROUP_JOIN, () => consumer.pause([{ topic: topic('points-earned') }]));
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async () => undefined,
        });
        await waitUntil('the member to be assigned', async () => {
          const [group] = (await admin.describeGroups([idle])).groups;
          return group.state === 'Stable' && group.members.length === 1;
        });
        const logs = await admin.fetchTopicOffsets(topic('points-earned'));
        const unread = logs.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
        expect(unread).toBeGreaterThan(0);

        const result = await runCli(['lag', idle, '--json'], env);
        expect(exitOf(result)).toEqual({ code: 0 });
        const [ours] = JSON.parse(result.stdout) as { partitions: LagRow[]; totalLag: number }[];
        expect(ours.partitions).toHaveLength(logs.length);
        expect(ours.partitions.every((row) => row.committed === undefined && row.uncommitted)).toBe(true);
        expect(ours.totalLag).toBe(unread);
        const table = await runCli(['lag', idle], env);
        expect(table.stdout).toContain('(no commit)');
        expect(table.stdout).toContain(
          `${idle} never committed on ${logs.length} partition(s) of its topics`,
        );
        expect(table.stdout).toContain(`total lag of ${idle}: ${unread}`);
      } finally {
        await consumer.disconnect();
      }
    });

    it('should refresh with --watch until Ctrl-C', async () => {
      const watching = new RunningCli(['lag', groupId, '--watch', '1'], env);
      await waitUntil('two refreshes', () => watching.stdout.split(`total lag of ${groupId}: 3`).length > 2, {
        timeoutMs: 60_000,
      });
      expect(await watching.interrupt()).toBe(0);
    });

    it('should stop on Ctrl-C at once, not when the wait between refreshes runs out', async () => {
      const watching = new RunningCli(['lag', groupId, '--watch', '600'], env);
      await waitUntil('the first refresh', () => watching.stdout.includes(`total lag of ${groupId}`), {
        timeoutMs: 60_000,
      });
      const startedAt = Date.now();
      expect(await watching.interrupt()).toBe(0);
      expect(Date.now() - startedAt).toBeLessThan(30_000);
    });
  });
});
