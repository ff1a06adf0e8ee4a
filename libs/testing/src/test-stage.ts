import type { Type } from '@nestjs/common';
import type { BaseServiceConfig } from '@loyalty/config';
import { startInProcess, type InProcessService } from './in-process-service';
import { deleteTopicsWithPrefix, KafkaProbe, uniqueTopicPrefix } from './kafka-probe';
import { serviceEnv } from './service-env';
import { waitUntil } from './wait-until';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * What an integration suite stands on: its own database and topic prefix, a probe on the broker, and
 * the services it starts in-process; `close()` takes all of it down again, topics included.
 */
export class TestStage {
  readonly probe = new KafkaProbe();
  private readonly services: InProcessService[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly prefix: string,
  ) {}

  static async create(label: string): Promise<TestStage> {
    return new TestStage(await createTestDatabase(label), uniqueTopicPrefix());
  }

  topic(type: string): string {
    return `${this.prefix}${type}`;
  }

  /** The environment a service needs for this stage's database and topics, plus `extra`. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return serviceEnv(this.db.url, this.prefix, extra);
  }

  async start<C extends BaseServiceConfig>(
    module: Type<unknown>,
    config: Type<C>,
    extra: Record<string, string> = {},
  ): Promise<InProcessService> {
    const service = await startInProcess(module, config, this.env(extra));
    this.services.push(service);
    return service;
  }

  /**
   * Waits until the stage's services have published every event they wrote (none pending in the outbox)
   * and the probe has read the topics of `types` to their end: a check that an event was not published
   * is then final, not early.
   */
  async awaitPublished(...types: string[]): Promise<void> {
    await waitUntil('the outbox to be published', async () => {
      const [{ pending }] = await this.db.query<{ pending: string }>(
        'select count(*) as pending from messaging_outbox where published_at is null',
      );
      return Number(pending) === 0;
    });
    await this.probe.awaitSeenToEnd(types.map((type) => this.topic(type)));
  }

  /** Stops one service early (the rest stop in `close`). */
  async stop(service: InProcessService): Promise<void> {
    this.services.splice(this.services.indexOf(service), 1);
    await service.close();
  }

  async close(): Promise<void> {
    for (const service of this.services.reverse()) await service.close().catch(() => undefined);
    await this.probe.close();
    await this.db.drop();
    await deleteTopicsWithPrefix(this.prefix);
  }
}

/** A test helper built on a stage, showing the stage's database, topic prefix and probe as its own. */
export abstract class OnStage {
  protected constructor(protected readonly stage: TestStage) {}

  get db(): TestDatabase {
    return this.stage.db;
  }

  get prefix(): string {
    return this.stage.prefix;
  }

  get probe(): KafkaProbe {
    return this.stage.probe;
  }

  topic(type: string): string {
    return this.stage.topic(type);
  }

  awaitPublished(...types: string[]): Promise<void> {
    return this.stage.awaitPublished(...types);
  }
}
