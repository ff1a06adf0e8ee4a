import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
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

describe('migrations on start-up, against the real Postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migration_lock');
  });

  afterAll(() => db?.drop());

  it('should run a pending migration once when two replicas start together, and both should start', async () => {
    const options = dataSourceOptions({
      url: db.url,
      // The lock and the migrations must make do with one connection.
      poolSize: 1,
      applicationName: 'migration-lock-test',
      entities: [],
      migrations: [CreateOnce1760000009000],
      migrateOnStart: true,
    });
    const started = await Promise.allSettled([openDataSource(options), openDataSource(options)]);
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
});
