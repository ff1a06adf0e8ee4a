import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, openDataSource } from '@loyalty/persistence';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';

describe('the pool ends sessions whose client is gone, against the real Postgres', () => {
  let db: TestDatabase;
  const opened: DataSource[] = [];

  async function connect(url: string): Promise<DataSource> {
    const dataSource = await openDataSource(
      dataSourceOptions({
        url,
        poolSize: 2,
        applicationName: 'liveness-test',
        entities: [],
        migrations: [],
        migrateOnStart: false,
      }),
    );
    opened.push(dataSource);
    return dataSource;
  }

  const sessionSettings = (dataSource: DataSource) =>
    dataSource.query(
      `select current_setting('idle_in_transaction_session_timeout') as "idleInTransaction",
              current_setting('tcp_keepalives_idle') as idle, current_setting('tcp_keepalives_interval') as interval,
              current_setting('tcp_keepalives_count') as count`,
    );

  beforeAll(async () => {
    db = await createTestDatabase('liveness');
  });

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
    await db?.drop();
  });

  it('should ask the server for keepalives and an idle-in-transaction timeout of a minute', async () => {
    const dataSource = await connect(db.url);
    expect(await sessionSettings(dataSource)).toEqual([
      { idleInTransaction: '5min', idle: '10', interval: '5', count: '3' },
    ]);
  });

  it('should have a transaction left idle past the timeout ended by the server, and serve the next caller', async () => {
    const url = new URL(db.url);
    url.searchParams.set('idle_in_transaction_session_timeout', '500');
    const dataSource = await connect(url.toString());
    // Overriding the timeout keeps the keepalives.
    expect(await sessionSettings(dataSource)).toEqual([
      { idleInTransaction: '500ms', idle: '10', interval: '5', count: '3' },
    ]);

    const stuck = dataSource.createQueryRunner();
    await stuck.startTransaction();
    await stuck.query(`select pg_advisory_xact_lock(42)`);
    await sleep(1_500);
    await expect(stuck.query('select 1')).rejects.toThrow();
    await stuck.release();

    // Its lock went with the session, and the pool hands out only live connections.
    const [one, two] = await Promise.all([
      dataSource.query(`select pg_try_advisory_xact_lock(42) as locked`),
      dataSource.query(`select 1 as alive`),
    ]);
    expect([one, two]).toEqual([[{ locked: true }], [{ alive: 1 }]]);
  });
});
