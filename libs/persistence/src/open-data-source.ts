import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, MigrationExecutor, type DataSourceOptions, type QueryRunner } from 'typeorm';

// Replicas starting together would each run a pending migration, and all but one would fail and
// crash-loop. Under this lock they take turns: the next one finds nothing pending.
const MIGRATION_LOCK_KEY = 'persistence_migrations';
const MIGRATION_LOCK_POLL_MS = 250;

/**
 * Connects and, when `migrationsRun` asks for it, runs the pending migrations under the database's
 * migration lock; TypeORM would run them in `initialize` without one. On failure nothing is left open.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!options.migrationsRun) return dataSource;
  try {
    await migrateUnderLock(dataSource);
    return dataSource;
  } catch (error) {
    // Closing the pool ends the session too, so a lock left held by a failed migration goes with it.
    await dataSource.destroy();
    throw error;
  }
}

async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  // The lock and the migrations share one connection, so a pool of one is enough.
  const runner = dataSource.createQueryRunner();
  try {
    await takeMigrationLock(runner);
    const migrations = new MigrationExecutor(dataSource, runner);
    migrations.transaction = dataSource.options.migrationsTransactionMode ?? 'all';
    await migrations.executePendingMigrations();
    await runner.query(`select pg_advisory_unlock(hashtextextended($1, 0))`, [MIGRATION_LOCK_KEY]);
  } finally {
    await runner.release();
  }
}

/**
 * Asked for again and again rather than waited for: a session waiting in `pg_advisory_lock` holds its
 * statement's snapshot, and a migration building an index `concurrently` waits for every older snapshot to
 * go, so the replica holding the lock and the one waiting for it would deadlock (Postgres aborts one).
 */
async function takeMigrationLock(runner: QueryRunner): Promise<void> {
  for (;;) {
    const [{ locked }]: { locked: boolean }[] = await runner.query(
      `select pg_try_advisory_lock(hashtextextended($1, 0)) as locked`,
      [MIGRATION_LOCK_KEY],
    );
    if (locked) return;
    await sleep(MIGRATION_LOCK_POLL_MS);
  }
}
