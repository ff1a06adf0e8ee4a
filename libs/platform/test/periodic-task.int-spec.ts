import {
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sampleEventData, type EventEnvelope } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { PeriodicTask } from '@loyalty/platform';
import { FixtureConfig, FixtureModule, TestStage } from '@loyalty/testing';

/**
 * A scheduled job as the services write theirs: a `PeriodicTask` stopped in `beforeApplicationShutdown`,
 * whose run publishes through the outbox. Its first run waits until the test lets it commit.
 */
@Injectable()
class GatedJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly published: EventEnvelope<'points-earned'>[] = [];
  readonly runStarted: Promise<void>;
  private markStarted!: () => void;
  private gate?: Promise<void>;
  release!: () => void;
  private readonly task = new PeriodicTask('gated job', () => this.run(), new Logger(GatedJob.name));

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
  ) {
    this.runStarted = new Promise((resolve) => (this.markStarted = resolve));
  }

  onApplicationBootstrap(): void {
    this.task.start(20);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async run(): Promise<void> {
    this.gate ??= new Promise((resolve) => (this.release = resolve));
    this.markStarted();
    await this.gate;
    const event = await this.dataSource.transaction((manager) =>
      this.publisher.publish(manager, 'points-earned', sampleEventData('points-earned')),
    );
    this.published.push(event);
  }
}

@Module({ imports: [FixtureModule], providers: [GatedJob] })
class GatedJobModule {}

describe('a scheduled job of a service on the platform, as the service shuts down', () => {
  let stage: TestStage;

  beforeAll(async () => {
    stage = await TestStage.create('periodic_task');
  });

  afterAll(() => stage?.close());

  it('should have what its run in flight commits published by the outbox relay before the service stops', async () => {
    const service = await stage.start(GatedJobModule, FixtureConfig);
    // The service created the topics as it started.
    await stage.probe.watch(stage.topic('points-earned'));
    const job = service.app.get(GatedJob);
    await job.runStarted;

    const stopped = stage.stop(service);
    // Long enough for the shutdown to reach whatever waits for the job.
    await new Promise((resolve) => setTimeout(resolve, 300));
    job.release();
    await stopped;

    expect(job.published).toHaveLength(1);
    const [event] = job.published;
    // The relay is gone, so anything on the topic now was published on the way out.
    const records = await stage.probe.awaitRecords(
      stage.topic('points-earned'),
      1,
      (record) => record.json<{ id: string }>().id === event.id,
    );
    expect(records).toHaveLength(1);
  });
});
