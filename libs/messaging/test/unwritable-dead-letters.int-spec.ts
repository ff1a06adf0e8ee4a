import { randomUUID } from 'node:crypto';
import { Controller, Injectable, Logger, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  buildEvent,
  DEAD_LETTER_HEADERS,
  deterministicUuid,
  sampleEventData,
  topicDeclarations,
  type EventData,
  type EventEnvelope,
  type ValidatedEvent,
} from '@loyalty/contracts';
import { PermanentEventError } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import {
  createNewTopics,
  FixtureConfig,
  TestStage,
  waitUntil,
  type InProcessService,
} from '@loyalty/testing';

// Small enough for a test, in the proportion of the defaults' 30 s and 5 min.
const SEND_TIMEOUT_MS = 1_000;
const STUCK_MS = 5_000;

/** What the handlers applied, and the events they are told to refuse for good. */
@Injectable()
class Refusals {
  readonly applied = new Set<string>();
  readonly refused = new Set<string>();
  readonly refusedAt = new Map<string, number>();

  handle(event: ValidatedEvent): void {
    const { id } = event.envelope;
    if (this.refused.has(id)) {
      this.refusedAt.set(id, Date.now());
      throw new PermanentEventError('GUEST_UNKNOWN', `scripted refusal of ${id}`);
    }
    this.applied.add(id);
  }
}

@Controller()
class RefusingHandlers {
  constructor(private readonly refusals: Refusals) {}

  @EventPattern('points-earned')
  onPointsEarned(@Payload() event: ValidatedEvent): void {
    this.refusals.handle(event);
  }

  @EventPattern('stay-recorded')
  onStayRecorded(@Payload() event: ValidatedEvent): void {
    this.refusals.handle(event);
  }
}

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'dead-letter-fixture',
      config: FixtureConfig,
      entities: [],
      migrations: [],
      messaging: {
        transport: {
          deadLetterSendTimeoutMs: SEND_TIMEOUT_MS,
          deadLetterStuckMs: STUCK_MS,
          // A consumer of its own: one consumer fetches again only once each batch of its last fetch is done.
          lanes: [{ types: ['stay-recorded'] }],
        },
      },
    }),
  ],
  controllers: [RefusingHandlers],
  providers: [Refusals],
})
class RefusingModule {}

describe('a dead letter whose topic is missing, against the real broker', () => {
  let stage: TestStage;
  let service: InProcessService;
  let refusals: Refusals;
  const groupId = `dead-letter-fixture-${randomUUID()}`;
  const key = deterministicUuid('guest-unwritable-dlq');

  function pointsEarned(): EventEnvelope<'points-earned'> {
    const data = { ...sampleEventData('points-earned'), guestId: key } as EventData<'points-earned'>;
    return buildEvent('points-earned', data, { source: 'test/fixture' });
  }

  function stayRecorded(): EventEnvelope<'stay-recorded'> {
    const data = { ...sampleEventData('stay-recorded'), guestId: key } as EventData<'stay-recorded'>;
    return buildEvent('stay-recorded', data, { source: 'test/fixture' });
  }

  /** Deletes a dead-letter topic the service created at start-up, as an operator might. */
  async function deleteTopic(topic: string): Promise<void> {
    const admin = stage.probe.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      await waitUntil(`${topic} to be gone`, async () => !(await admin.listTopics()).includes(topic));
    } finally {
      await admin.disconnect();
    }
  }

  /** Creates a dead-letter topic again as the service would. */
  async function createTopic(topic: string): Promise<void> {
    const declaration = topicDeclarations(stage.prefix).find((t) => t.topic === topic);
    const admin = stage.probe.admin();
    await admin.connect();
    try {
      await createNewTopics(admin, [{ topic, numPartitions: declaration?.partitions }]);
    } finally {
      await admin.disconnect();
    }
  }

  async function metrics(): Promise<string> {
    return (await fetch(`${service.url}/metrics`)).text();
  }

  beforeAll(async () => {
    stage = await TestStage.create('unwritable-dlq');
    service = await stage.start(RefusingModule, FixtureConfig, { KAFKA_CONSUMER_GROUP: groupId });
    refusals = service.app.get(Refusals);
  });

  afterAll(() => stage?.close());

  it('should report the unwritten letter within its deadline, fail liveness after the bound, commit nothing past the record, and write it once when the topic is back', async () => {
    const topic = stage.topic('points-earned');
    const deadLetters = stage.topic('points-earned.dlq');
    const errors = jest.spyOn(Logger.prototype, 'error');
    const [before, refused, after] = [pointsEarned(), pointsEarned(), pointsEarned()];
    await stage.probe.produceJson(topic, [{ key, event: before }]);
    await stage.probe.awaitGroupCaughtUp(groupId, [topic]);
    await deleteTopic(deadLetters);

    refusals.refused.add(refused.id);
    await stage.probe.produceJson(topic, [
      { key, event: refused },
      { key, event: after },
    ]);
    const failure = await waitUntil('the failed write to be logged', () =>
      errors.mock.calls.map(([message]) => String(message)).find((message) => message.includes(deadLetters)),
    );
    const refusedAt = refusals.refusedAt.get(refused.id) as number;
    expect(Date.now() - refusedAt).toBeLessThan(SEND_TIMEOUT_MS + 2_000);
    expect(failure).toMatch(
      new RegExp(`dead letter of ${topic}\\[\\d+\\]@\\d+ to ${deadLetters}, failing for \\d+\\.\\d s`),
    );
    expect(await metrics()).toMatch(
      new RegExp(`^dead_letter_write_failures_total\\{topic="${topic}",.*\\} [1-9]`, 'm'),
    );

    // Another consumer's letter, to another topic, is written meanwhile: it does not queue behind the one
    // that waits.
    const otherRefused = stayRecorded();
    refusals.refused.add(otherRefused.id);
    await stage.probe.watch(stage.topic('stay-recorded.dlq'));
    await stage.probe.produceJson(stage.topic('stay-recorded'), [{ key, event: otherRefused }]);
    await stage.probe.awaitRecords(
      stage.topic('stay-recorded.dlq'),
      1,
      (r) => r.json<{ id: string }>().id === otherRefused.id,
    );
    expect(refusals.applied.has(after.id)).toBe(false);

    const unlive = await waitUntil('liveness to fail', async () => {
      const response = await fetch(`${service.url}/health/live`);
      return response.status === 503 ? ((await response.json()) as { failures: string[] }) : undefined;
    });
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(STUCK_MS);
    expect(unlive.failures).toEqual([
      expect.stringMatching(
        new RegExp(`^dead letters of ${topic}\\[\\d+\\] not written to ${deadLetters} for over 5\\.0 s$`),
      ),
    ]);

    const [partition, at] = failure
      .match(/\[(\d+)\]@(\d+)/)
      ?.slice(1)
      .map(Number) as number[];
    const committed = await stage.probe.committedOffsets(groupId, topic);
    expect(committed.get(partition)).toBe(at);
    expect(refusals.applied.has(after.id)).toBe(false);

    await createTopic(deadLetters);
    await stage.probe.watch(deadLetters);
    await stage.probe.awaitGroupCaughtUp(groupId, [topic]);
    expect(refusals.applied.has(after.id)).toBe(true);
    // Long enough for a second letter, had one been queued behind the first, to land too.
    await new Promise((resolve) => setTimeout(resolve, 2 * SEND_TIMEOUT_MS));
    const letters = await stage.probe.awaitRecords(
      deadLetters,
      1,
      (r) => r.json<{ id: string }>().id === refused.id,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].headers[DEAD_LETTER_HEADERS.sourceOffset]).toBe(String(at));
    // A restart is still due: liveness fails for good (see the messaging README).
    expect((await fetch(`${service.url}/health/live`)).status).toBe(503);
  });

  it('should shut down promptly while a dead letter cannot be written', async () => {
    const topic = stage.topic('stay-recorded');
    const other = await stage.start(RefusingModule, FixtureConfig, {
      KAFKA_CONSUMER_GROUP: `dead-letter-fixture-${randomUUID()}`,
    });
    await deleteTopic(stage.topic('stay-recorded.dlq'));
    const refused = stayRecorded();
    const otherRefusals = other.app.get(Refusals);
    otherRefusals.refused.add(refused.id);
    await stage.probe.produceJson(topic, [{ key, event: refused }]);
    await waitUntil('the event to be refused', () => otherRefusals.refusedAt.has(refused.id));
    await new Promise((resolve) => setTimeout(resolve, 2 * SEND_TIMEOUT_MS));

    const closing = Date.now();
    await stage.stop(other);
    expect(Date.now() - closing).toBeLessThan(10_000);
    // The send kafkajs still retries lands, and its connections close: nothing of the service is left running.
    await createTopic(stage.topic('stay-recorded.dlq'));
  }, 60_000);
});
