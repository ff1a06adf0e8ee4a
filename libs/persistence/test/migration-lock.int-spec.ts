import type { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { dataSourceOptions, openDataSource } from '@loyalty/persistence';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';

/** Fails if run twice (no `if not exists`), and lasts long enough for replicas starting together to overlap. */
class CreateOnce1760000009000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`select pg_sleep(0.5)`);
    await runner.query(`create table created_once (id int primary key)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table created_once`);
  }
}

/** Builds an index as a release's migration does while pods keep writing, once the other replica is waiting. */
class IndexConcurrently1760000009100 implements MigrationInterface {
  transaction = false;

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`select pg_sleep(0.5)`);
    await runner.query(`create index concurrently indexed_concurrently on stays_to_index (id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index if exists indexed_concurrently`);
  }
}

describe('migrations on start-up, against the real Postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migration_lock');
  });

  afterAll(() => db?.drop());

  /** Starts two replicas together, each running `migrations` when it holds the lock. */
  async function startTwo(migrations: NonNullable<DataSourceOptions['migrations']>) {
    const options = dataSourceOptions({
      url: db.url,
      // The lock and the migrations must make do with one connection.
      poolSize: 1,
      applicationName: 'migration-lock-test',
      entities: [],
      migrations,
      migrateOnStart: true,
    });
    return Promise.allSettled([openDataSource(options), openDataSource(options)]);
  }

  it('should run a pending migration once when two replicas start together, and both should start', async () => {
    const started = await startTwo([CreateOnce1760000009000]);
    const opened = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      expect(
        started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started')),
      ).toEqual(['started', 'started']);
      expect(await db.query(`select name from migrations`)).toEqual([{ name: 'CreateOnce1760000009000' }]);
      // Held only while migrating: the replicas' open sessions no longer hold it.
      expect(
        await db.query(
          `select count(*)::int as held from pg_locks where locktype = 'advisory'
           and database = (select oid from pg_database where datname = current_database())`,
        ),
      ).toEqual([{ held: 0 }]);
    } finally {
      await Promise.all(opened.map((dataSource: DataSource) => dataSource.destroy()));
    }
  });

  it('should let one replica build an index concurrently while the other waits for the migration lock', async () => {
    await db.query(`create table stays_to_index (id int)`);
    const started = await startTwo([CreateOnce1760000009000, IndexConcurrently1760000009100]);
    const opened = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      expect(
        started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started')),
      ).toEqual(['started', 'started']);
      expect(
        await db.query(
          `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
           where c.relname = 'indexed_concurrently'`,
        ),
      ).toEqual([{ valid: true }]);
    } finally {
      await Promise.all(opened.map((dataSource: DataSource) => dataSource.destroy()));
    }
  });
});
