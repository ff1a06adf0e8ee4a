import { Controller, Injectable, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { BaseServiceConfig } from '@loyalty/config';
import type { EventData, ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';

/**
 * A minimal service on the platform, for tests of the backbone and of tools that need a real consumer:
 * it records every `points-earned` and `stay-recorded` it applies, and can be told to fail or stall.
 */
export class FixtureConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'messaging-fixture';
}

class FixtureTables1760000000100 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`create table applied (
      seq bigserial primary key, event_id uuid not null, event_type text not null, subject text, instance text not null)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table applied');
  }
}

/** What the test wants the handlers to do besides recording the event: fail, stall, count. */
@Injectable()
export class HandlerScript {
  readonly invocations = new Map<string, number>();
  failuresLeft = new Map<string, number>();
  stallMs = new Map<string, number>();
  permanentFailures = new Set<string>();
  /** Events whose handler publishes an event that breaks its contract, as a service with a bug would. */
  publishesInvalid = new Set<string>();
  instance = 'a';
  /** Per event, what each after-commit action of its handler saw: its applied rows, read outside the transaction. */
  readonly afterCommit = new Map<string, number[]>();

  async committed(dataSource: DataSource, events: ValidatedEvent[]): Promise<void> {
    const rows = await dataSource.query<{ event_id: string; n: string }[]>(
      'select event_id, count(*) as n from applied where event_id = any($1::uuid[]) group by event_id',
      [events.map((event) => event.envelope.id)],
    );
    const seen = new Map(rows.map((row) => [row.event_id, Number(row.n)]));
    for (const { envelope } of events) {
      this.afterCommit.set(envelope.id, [
        ...(this.afterCommit.get(envelope.id) ?? []),
        seen.get(envelope.id) ?? 0,
      ]);
    }
  }

  async before(event: ValidatedEvent): Promise<void> {
    const id = event.envelope.id;
    this.invocations.set(id, (this.invocations.get(id) ?? 0) + 1);
    const stall = this.stallMs.get(id);
    if (stall) await new Promise((resolve) => setTimeout(resolve, stall));
    const left = this.failuresLeft.get(id) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(id, left - 1);
      throw new Error(`scripted failure of ${id}`);
    }
    if (this.permanentFailures.has(id)) throw new Error(`scripted permanent failure of ${id}`);
  }
}

async function record(ctx: EventContext, events: ValidatedEvent[], instance: string): Promise<void> {
  await ctx.manager.query(
    `insert into applied (event_id, event_type, subject, instance)
     select unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), $4`,
    [
      events.map((e) => e.envelope.id),
      events.map((e) => e.envelope.type),
      events.map((e) => e.envelope.subject ?? null),
      instance,
    ],
  );
}

@Controller()
export class FixtureHandlers {
  constructor(
    private readonly script: HandlerScript,
    private readonly dataSource: DataSource,
  ) {}

  @EventPattern('points-earned')
  async onPointsEarned(@Payload() event: ValidatedEvent, @Ctx() ctx: EventContext): Promise<void> {
    // Deferred before the scripted failures, so an attempt that rolls back has one too.
    ctx.afterCommit(() => this.script.committed(this.dataSource, [event]));
    await this.script.before(event);
    await record(ctx, [event], this.script.instance);
    if (this.script.publishesInvalid.has(event.envelope.id))
      ctx.publish('points-earned', { ...event.data, points: -1 } as EventData<'points-earned'>);
  }

  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(@Payload() events: ValidatedEvent[], @Ctx() ctx: EventContext): Promise<void> {
    ctx.afterCommit(() => this.script.committed(this.dataSource, events));
    for (const event of events) await this.script.before(event);
    await record(ctx, events, this.script.instance);
  }
}

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'messaging-fixture',
      config: FixtureConfig,
      entities: [],
      migrations: [FixtureTables1760000000100],
      // The platform's own tests check the Redis client and its readiness check.
      redis: true,
      // A short session timeout, so a handler that outlives it is quick to test; fast retries; stays in a
      // lane of their own, so points-earned and stay-recorded have a fetch cycle each.
      messaging: {
        transport: {
          lanes: [{ types: ['stay-recorded'] }],
          sessionTimeoutMs: 6_000,
          heartbeatIntervalMs: 1_000,
          retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000 },
        },
      },
    }),
  ],
  controllers: [FixtureHandlers],
  providers: [HandlerScript],
})
export class FixtureModule {}
