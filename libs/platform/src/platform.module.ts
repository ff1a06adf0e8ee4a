import { DynamicModule, Module, type Type } from '@nestjs/common';
import { AuthModule } from '@loyalty/auth';
import { BaseServiceConfig, ConfigModule } from '@loyalty/config';
import {
  MessagingModule,
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
}

/**
 * Everything a service stands on, wired the same way in every service: validated config, logs,
 * metrics and health, JWT auth, its Postgres database (with the messaging tables), Redis and Kafka.
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
            ...(options.migrations as unknown[] as Type<unknown>[]),
          ],
        }),
        RedisModule,
        MessagingModule.forRoot(options.messaging),
      ],
    };
  }
}
