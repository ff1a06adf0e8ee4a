import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';
import { BaseServiceConfig } from '@loyalty/config';
import { HealthRegistry, LOGGER } from '@loyalty/observability';
import type { Logger } from 'pino';
import { dataSourceOptions, DatabaseSettings } from './data-source-options';
import { openDataSource } from './open-data-source';

export type PersistenceOptions = Pick<DatabaseSettings, 'entities' | 'migrations'>;

/** Readiness check, and the pool closed last: Nest shuts the Kafka transport down before this hook. */
@Injectable()
class PostgresLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.info('database pool closed');
  }

  onModuleInit(): void {
    this.health.register('postgres', async () => {
      await this.dataSource.query('select 1');
    });
  }
}

/** The service's Postgres database through TypeORM, migrated at start-up, with a readiness check. */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseServiceConfig],
          useFactory: (config: BaseServiceConfig): DataSourceOptions =>
            dataSourceOptions({
              ...options,
              url: config.DATABASE_URL,
              poolSize: config.DATABASE_POOL_SIZE,
              applicationName: config.SERVICE_NAME,
              migrateOnStart: config.DATABASE_MIGRATE_ON_START,
            }),
          dataSourceFactory: (options) => openDataSource(options as DataSourceOptions),
        }),
      ],
      providers: [PostgresLifecycle],
    };
  }
}
