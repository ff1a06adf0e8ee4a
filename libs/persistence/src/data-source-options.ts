import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  applicationName: string;
  // Classes (or schemas) of the service's entities and migrations.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  migrateOnStart: boolean;
}

/**
 * One way to reach Postgres for every service: migrations, never `synchronize`, and a pool whose
 * connections name the service so `pg_stat_activity` shows who holds what.
 */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsRun: settings.migrateOnStart,
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: settings.poolSize,
    applicationName: settings.applicationName,
    extra: {
      // Fail fast when Postgres is down instead of queueing forever; the caller retries.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
