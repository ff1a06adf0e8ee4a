import { DynamicModule, Module, type Type } from '@nestjs/common';
import { AuthModule } from '@loyalty/auth';
import { BaseServiceConfig, ConfigModule } from '@loyalty/config';
import {
  MessagingModule,
  InboxByAge1760000000200,
  DeadLetterMarks1760000000300,
  DeadLetterRecordTimestamp1760000000400,
  MessagingTables1760000000000,
  OutboxJsonPayload1760000000100,
  type MessagingOptions,
} from '@loyalty/messaging';
import { ObservabilityModule } from '@loyalty/observability';
import { PersistenceModule, RedisModule, type PersistenceOptions } from '@loyalty/persistence';

export interface ServicePlatformOptions<C extends BaseServiceConfig> extends PersistenceOptions {
  service: string;
  config: Type<C>;
  messaging?: MessagingOptions;
  /**
   * The service uses Redis: the `REDIS` client is provided and Redis joins the readiness checks. Off by
   * default, so a Redis outage leaves the services that never touch it ready.
   */
  redis?: boolean;
}

/**
 * Everything a service stands on, wired the same way in every service: validated config, logs,
 * metrics and health, JWT auth, its Postgres database (with the messaging tables), Kafka, and Redis
 * when the service asks for it.
 */
@Module({})
export class ServicePlatformModule {
  static forService<C extends BaseServiceConfig>(options: ServicePlatformOptions<C>): DynamicModule {
    return {
      module: ServicePlatformModule,
      imports: [
        ConfigModule.forRoot(options.config),
        ObservabilityModule.forRoot({ service: options.service }),
        AuthModule.forRoot(),
        PersistenceModule.forRoot({
          entities: options.entities,
          migrations: [
            MessagingTables1760000000000,
            OutboxJsonPayload1760000000100,
            InboxByAge1760000000200,
            DeadLetterMarks1760000000300,
            DeadLetterRecordTimestamp1760000000400,
            ...(options.migrations as unknown[] as Type<unknown>[]),
          ],
        }),
        ...(options.redis ? [RedisModule] : []),
        MessagingModule.forRoot(options.messaging),
      ],
    };
  }
}
