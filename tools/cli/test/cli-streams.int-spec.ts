import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import {
  buildEvent,
  causedBy,
  deterministicUuid,
  eventHeaders,
  sampleEventData,
  topicDeclarations,
  type EventData,
  type EventEnvelope,
  type EventType,
} from '@loyalty/contracts';
import {
  createNewTopics,
  deleteTopicsWithPrefix,
  testInfrastructure,
  uniqueTopicPrefix,
} from '@loyalty/testing';
import { announcedGroups, exitOf, RunningCli, runCli, runCliPipedInto } from './cli-harness';

const TYPES: EventType[] = ['stay-completed', 'stay-recorded', 'points-earned', 'tier-changed'];

describe('loyalty CLI against the real broker: tail, trace, topics, errors', () => {
  const prefix = uniqueTopicPrefix();
  const env = { KAFKA_TOPIC_PREFIX: prefix };
  const kafka = new Kafka({
    clientId: 'cli-test',
    brokers: testInfrastructure().kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  let admin: Admin;
  let producer: Producer;

  const guest = (name: string) => deterministicUuid(`cli-${name}`);
  function event<T extends EventType>(
    type: T,
    data: Partial<EventData<T>>,
    meta: { time?: Date; correlationId?: string; causationId?: string } = {},
  ): EventEnvelope<T> {
    return buildEvent(type, { ...sampleEventData(type), ...data } as EventData<T>, {
      source: 'test/cli',
      ...meta,
    });
  }
  async function send(events: EventEnvelope<EventType>[], timestamp?: number): Promise<void> {
    for (const e of events) {
      await producer.send({
        topic: `${prefix}${e.type}`,
        acks: -1,
        messages: [
          {
            key: e.subject ?? null,
            value: JSON.stringify(e),
            headers: eventHeaders(e),
            timestamp: timestamp === undefined ? undefined : String(timestamp),
          },
        ],
      });
    }
  }
  const existingGroups = async () => (await admin.listGroups()).groups.map((g) => g.groupId);

  /** A stay of `nights` nights (the contract checks them against arrival and departure). */
  const stay = (name: string, nights: number, extra: Record<string, string> = {}) =>
    ({
      guestId: guest(name),
      nights,
      arrival: '2025-03-01',
      departure: `2025-03-${String(1 + nights).padStart(2, '0')}`,
      checkedOutAt: `2025-03-${String(1 + nights).padStart(2, '0')}T10:12:00Z`,
      ...extra,
    }) as Partial<EventData<'stay-recorded'>>;

  // Stays of three guests: one long OTA stay, one short OTA stay, one long direct stay at another hotel.
  const longOta = event('stay-recorded', stay('ann', 4, { channel: 'ota' }));
  const shortOta = event('stay-recorded', stay('bob', 1, { channel: 'ota' }));
  const longDirect = event('stay-recorded', stay('cy', 5, { channel: 'direct', propertyId: 'LON02' }));
  const old = event('stay-recorded', stay('old', 2), { time: new Date(Date.now() - 2 * 3_600_000) });

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    const wanted = topicDeclarations(prefix).filter((d) => TYPES.includes(d.eventType));
    await createNewTopics(
      admin,
      wanted.map((d) => ({
        topic: d.topic,
        numPartitions: 3,
        configEntries: Object.entries(d.config).map(([name, value]) => ({ name, value })),
      })),
    );
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    await send([old], Date.now() - 2 * 3_600_000);
    await send([longOta, shortOta, longDirect]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await deleteTopicsWithPrefix(prefix);
  });

  const ids = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { event: { id: string } }).event.id)
      .sort();

  describe('tail', () => {
    it('should print every retained event as NDJSON when started from the beginning with --exit', async () => {
      const result = await runCli(['tail', 'stay-recorded', '--from-beginning', '--exit', '--json'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      expect(ids(result.stdout)).toEqual([old.id, longOta.id, shortOta.id, longDirect.id].sort());
      const first = JSON.parse(result.stdout.split('\n')[0]) as Record<string, unknown>;
      expect(first).toMatchObject({
        topic: `${prefix}stay-recorded`,
        partition: expect.any(Number),
        offset: expect.any(String),
      });
      expect(first.headers).toBeUndefined();
    });

    it('should filter by a --where expression on the payload', async () => {
      const result = await runCli(
        [
          'tail',
          'stay-recorded',
          '--from-beginning',
          '--exit',
          '--json',
          '--where',
          'data.nights>=3 && data.channel=="ota"',
        ],
        env,
      );
      expect(exitOf(result)).toEqual({ code: 0 });
      expect(ids(result.stdout)).toEqual([longOta.id]);
    });

    it('should say which --where path none of the events had, and the close one they had', async () => {
      const result = await runCli(
        ['tail', 'stay-recorded', '--from-beginning', '--exit', '--where', 'data.nigths>=3'],
        env,
      );
      expect(exitOf(result)).toEqual({ code: 0 });
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /--where reads data\.nigths, which none of the \d+ event\(s\) read has; did you mean: data\.nights\?/,
      );
    });

    it('should filter by guest, property and type', async () => {
      const byGuest = await runCli(
        ['tail', 'stay-recorded', '--from-beginning', '--exit', '--json', '--guest', guest('bob')],
        env,
      );
      expect(ids(byGuest.stdout)).toEqual([shortOta.id]);
      const byProperty = await runCli(
        ['tail', 'stay-recorded', '--from-beginning', '--exit', '--json', '-p', 'LON02'],
        env,
      );
      expect(ids(byProperty.stdout)).toEqual([longDirect.id]);
      const byType = await runCli(
        [
          'tail',
          'stay-recorded',
          'points-earned',
          '--from-beginning',
          '--exit',
          '--json',
          '--type',
          'points-earned',
        ],
        env,
      );
      expect(byType.stdout).toBe('');
    });

    it('should start at --since and stop at --until by message time', async () => {
      const recent = await runCli(['tail', 'stay-recorded', '--since', '1h', '--exit', '--json'], env);
      expect(ids(recent.stdout)).toEqual([longOta.id, shortOta.id, longDirect.id].sort());
      const older = await runCli(
        ['tail', 'stay-recorded', '--from-beginning', '--until', '1h', '--json'],
        env,
      );
      expect(ids(older.stdout)).toEqual([old.id]);
    });

    it('should print one readable line per event with key fields, and headers on request', async () => {
      const result = await runCli(
        ['tail', 'stay-recorded', '--from-beginning', '--exit', '--headers', '--guest', guest('ann')],
        env,
      );
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toContain(`stay-recorded guest=${guest('ann')} prop=AMS01 nights=4 channel=ota`);
      expect(result.stdout).toContain(`corr=${longOta.correlationid}`);
      expect(result.stdout).not.toContain('\u001b[');
    });

    it('should follow new events from now until Ctrl-C, then leave no consumer group behind', async () => {
      const tail = new RunningCli(['tail', 'stay-recorded', '--json'], env);
      await tail.waitForStderr(/tailing/);
      const fresh = event('stay-recorded', { guestId: guest('dee') } as Partial<EventData<'stay-recorded'>>);
      await send([fresh]);
      await expect(
        (async () => {
          for (let i = 0; i < 300 && !tail.stdout.includes(fresh.id); i++)
            await new Promise((r) => setTimeout(r, 100));
          return tail.stdout;
        })(),
      ).resolves.toContain(fresh.id);
      // From now: nothing that was there before it started.
      expect(tail.lines()).toHaveLength(1);
      expect(await tail.interrupt()).toBe(0);
      const [group] = announcedGroups(tail.stderr);
      expect(group).toMatch(/^loyalty-cli-tail-/);
      expect(await existingGroups()).not.toContain(group);
    });
  });

  describe('trace', () => {
    const completed = event('stay-completed', {});
    const recorded = event(
      'stay-recorded',
      { guestId: guest('eve') } as Partial<EventData<'stay-recorded'>>,
      {
        ...causedBy(completed),
        time: new Date(Date.parse(completed.time) + 250),
      },
    );
    const earned = event('points-earned', { guestId: guest('eve') } as Partial<EventData<'points-earned'>>, {
      ...causedBy(recorded),
      time: new Date(Date.parse(completed.time) + 1_250),
    });
    const tier = event('tier-changed', { guestId: guest('eve') } as Partial<EventData<'tier-changed'>>, {
      ...causedBy(earned),
      time: new Date(Date.parse(completed.time) + 1_300),
    });

    beforeAll(async () => {
      await send([tier, earned, recorded, completed]);
    });

    it('should print the chain of an event id as a tree with time deltas', async () => {
      const result = await runCli(['trace', earned.id, '--since', '1h'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/ id=.*$/, ''));
      expect(lines).toEqual([
        `${completed.time} stay-completed`,
        '└─ +250ms stay-recorded',
        '   └─ +1.00s points-earned',
        '      └─ +50ms tier-changed',
      ]);
    });

    it('should find the same chain by correlation id, as JSON', async () => {
      const result = await runCli(['trace', completed.correlationid, '--json'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      const [root] = JSON.parse(result.stdout) as {
        id: string;
        children: { id: string; deltaMs: number }[];
      }[];
      expect(root.id).toBe(completed.id);
      expect(root.children.map((c) => [c.id, c.deltaMs])).toEqual([[recorded.id, 250]]);
    });

    it('should exit 3 with advice when nothing matches', async () => {
      const result = await runCli(['trace', randomUUID(), '--since', '10m'], env);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(
        /no event with id or correlation id .*\n.*try: widen the scan with --since/,
      );
    });
  });

  describe('topics', () => {
    it('should list the prefix’s topics with partitions, message counts and retention', async () => {
      const result = await runCli(['topics', '--json'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      const topics = JSON.parse(result.stdout) as {
        topic: string;
        partitions: number;
        messages: number;
        retentionMs: number;
      }[];
      expect(topics.map((t) => t.topic)).toEqual(
        topicDeclarations(prefix)
          .filter((d) => TYPES.includes(d.eventType))
          .map((d) => d.topic)
          .sort(),
      );
      const stays = topics.find((t) => t.topic === `${prefix}stay-recorded`);
      expect(stays).toMatchObject({
        partitions: 3,
        retentionMs: topicDeclarations(prefix).find((d) => d.topic === `${prefix}stay-recorded`)?.retentionMs,
      });
      expect(stays?.messages).toBeGreaterThanOrEqual(5);
      const table = await runCli(['topics'], env);
      expect(table.stdout).toMatch(
        new RegExp(`${prefix.replace('.', '\\.')}stay-recorded\\s+3\\s+\\d+\\s+\\d+d`),
      );
    });
  });

  describe('errors', () => {
    it('should name close matches for an unknown topic, exit 3', async () => {
      const result = await runCli(['tail', 'stay-recordd', '--exit'], env);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('unknown topic "stay-recordd"');
      expect(result.stderr).toContain('did you mean: stay-recorded?');
    });

    it("should not take another environment's topic of the name typed, outside the prefix, exit 3", async () => {
      const bare = `cli-bare-${randomUUID()}`;
      await createNewTopics(admin, [{ topic: bare, numPartitions: 1 }]);
      try {
        const result = await runCli(['tail', bare, '--from-beginning', '--exit'], env);
        expect(result.code).toBe(3);
        expect(result.stderr).toContain(`"${bare}" exists outside the prefix`);
      } finally {
        await admin.deleteTopics({ topics: [bare] });
      }
    });

    it('should stop as on Ctrl-C, not crash, when the reader of both its stdout and stderr goes away', async () => {
      // `true` reads nothing and exits: the CLI's first line to stderr ("tailing ...") meets a closed pipe.
      const result = await runCliPipedInto(
        ['tail', 'stay-recorded', '--from-beginning', '--exit'],
        'true',
        env,
      );
      expect([0, 130]).toContain(result.code);
    });

    it('should say which brokers are unreachable and what to try, exit 69', async () => {
      const result = await runCli(['topics', '--brokers', '127.0.0.1:1'], env);
      expect(result.code).toBe(69);
      expect(result.stderr).toContain('cannot reach Kafka at 127.0.0.1:1');
      expect(result.stderr).toContain('bash infra/local up');
      expect(result.stderr).toMatch(/--brokers.*--ssl.*--sasl/);
    });

    it('should point at a bad filter expression and say what was expected, exit 2', async () => {
      const result = await runCli(['tail', 'stay-recorded', '--where', 'data.nights >= && x'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('expected a value');
      expect(result.stderr).toContain('  data.nights >= && x\n                 ^');
    });

    it('should reject a bad duration and a bad broker list before connecting, exit 2', async () => {
      expect((await runCli(['tail', 'stay-recorded', '--since', 'yesterday'], env)).code).toBe(2);
      const zoneless = await runCli(['tail', 'stay-recorded', '--since', '2026-11-23T03:00', '--exit'], env);
      expect(zoneless.code).toBe(2);
      expect(zoneless.stderr).toContain('--since "2026-11-23T03:00" has no time zone');
      const rolledOver = await runCli(['dlq', 'list', '--since', '2026-02-30'], env);
      expect(rolledOver.code).toBe(2);
      expect(rolledOver.stderr).toContain('--since "2026-02-30" is not a real date and time');
      const untilAlone = await runCli(['tail', 'stay-recorded', '--until', '10m'], env);
      expect(untilAlone.code).toBe(2);
      expect(untilAlone.stderr).toContain('--until needs --since or --from-beginning');
      const brokers = await runCli(['topics', '--brokers', 'nonsense'], env);
      expect(brokers.code).toBe(2);
      expect(brokers.stderr).toContain('KAFKA_BROKERS');
    });

    it('should refuse to replay without a selection, and reject unknown options, exit 2', async () => {
      const replay = await runCli(['dlq', 'replay'], env);
      expect(replay.code).toBe(2);
      expect(replay.stderr).toContain('--dry-run');
      expect((await runCli(['tail', 'stay-recorded', '--bogus'], env)).code).toBe(2);
    });

    it('should refuse an offset range without one topic and a partition, exit 2', async () => {
      for (const args of [
        ['--from-offset', '17', '--to-offset', '17'],
        ['--topic', 'points-earned.dlq', '--from-offset', '17'],
        ['--partition', '2', '--to-offset', '17'],
      ]) {
        const replay = await runCli(['dlq', 'replay', ...args], env);
        expect(replay.code).toBe(2);
        expect(replay.stderr).toContain('exactly one --topic and a --partition');
      }
    });

    it('should name close groups for an unknown consumer group, exit 3', async () => {
      const result = await runCli(['lag', `no-such-group-${randomUUID()}`], env);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('unknown consumer group');
    });

    it("should show a service's group by its name without the prefix, with its lanes, on every partition of its topics", async () => {
      // A stopped service: committed offsets, no member. Its lane consumes stay-completed apart.
      const service = `svc-${randomUUID().slice(0, 8)}`;
      const group = `${prefix}${service}`;
      const lane = `${group}.stay-completed`;
      const commitAt = async (groupId: string, type: EventType, partition: number) => {
        const ends = await admin.fetchTopicOffsets(`${prefix}${type}`);
        const end = ends.find((p) => p.partition === partition)?.high ?? '0';
        await admin.setOffsets({
          groupId,
          topic: `${prefix}${type}`,
          partitions: [{ partition, offset: end }],
        });
      };
      await commitAt(group, 'tier-changed', 0);
      await commitAt(lane, 'stay-completed', 0);
      // The same service of another environment on this broker, with no topic prefix: not this one's group.
      await commitAt(service, 'tier-changed', 0);
      // Events arrive on a partition the group never committed on while it is down.
      const partitions = await admin.fetchTopicOffsets(`${prefix}tier-changed`);
      await producer.send({
        topic: `${prefix}tier-changed`,
        acks: -1,
        messages: [{ partition: partitions.length - 1, value: JSON.stringify(event('tier-changed', {})) }],
      });

      const result = await runCli(['lag', service, '--json'], env);
      expect(exitOf(result)).toEqual({ code: 0 });
      const lags = JSON.parse(result.stdout) as {
        group: string;
        partitions: { partition: number; uncommitted?: true }[];
        totalLag: number;
      }[];
      expect(lags.map((g) => g.group)).toEqual([group, lane]);
      const [shared] = lags;
      expect(shared.partitions).toHaveLength(partitions.length);
      expect(shared.partitions.find((p) => p.partition === partitions.length - 1)).toMatchObject({
        uncommitted: true,
      });
      expect(shared.totalLag).toBeGreaterThanOrEqual(1);
    });
  });
});
