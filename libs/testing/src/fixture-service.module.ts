import { Controller, Injectable, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BaseServiceConfig } from '@loyalty/config';
import type { ValidatedEvent } from '@loyalty/contracts';
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
  instance = 'a';

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
  constructor(private readonly script: HandlerScript) {}

  @EventPattern('points-earned')
  async onPointsEarned(@Payload() event: ValidatedEvent, @Ctx() ctx: EventContext): Promise<void> {
    await this.script.before(event);
    await record(ctx, [event], this.script.instance);
  }

  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(@Payload() events: ValidatedEvent[], @Ctx() ctx: EventContext): Promise<void> {
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
      // A short session timeout, so a handler that outlives it is quick to test; fast retries.
      messaging: {
        transport: {
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
