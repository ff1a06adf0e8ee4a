import type { DataSource } from 'typeorm';
import { dataSourceOptions, openDataSource } from '@loyalty/persistence';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';

describe("the services' pool sessions, against the real Postgres", () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('pool_sessions');
    dataSource = await openDataSource(
      dataSourceOptions({
        url: db.url,
        poolSize: 1,
        applicationName: 'pool-sessions-test',
        entities: [],
        migrations: [],
        migrateOnStart: false,
      }),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('should compile no query just in time, keeping the keepalives', async () => {
    expect(
      await dataSource.query(
        `select current_setting('jit') as jit, current_setting('tcp_keepalives_idle') as "keepalivesIdle"`,
      ),
    ).toEqual([{ jit: 'off', keepalivesIdle: '10' }]);
  });
});
