import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { CONNECTION_LIVENESS } from './connection-liveness';

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
 * connections name the service so `pg_stat_activity` shows who holds what, and end when their peer is
 * gone (`CONNECTION_LIVENESS`). Open it with `openDataSource`.
 */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: settings.migrations,
    // Run by `openDataSource`, under a lock, not by TypeORM's `initialize`.
    migrationsRun: settings.migrateOnStart,
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: settings.poolSize,
    applicationName: settings.applicationName,
    extra: {
      ...CONNECTION_LIVENESS,
      // No JIT: Postgres compiles a query whose estimated cost passes `jit_above_cost`, and the services'
      // statements are short ones over a batch. Rewrites of two hot statements (a merge-chain walk, an
      // identity lookup) each crossed the threshold and spent 5-40 ms a call compiling for a few ms of work.
      options: `${CONNECTION_LIVENESS.options} -c jit=off`,
      // Fail fast when Postgres is down instead of queueing forever; the caller retries.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
