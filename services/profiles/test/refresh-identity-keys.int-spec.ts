import { createTestDatabase, type TestDatabase } from '@loyalty/testing';
import type { DataSource } from 'typeorm';
import { openForRefresh, refreshIdentityKeys } from '../src/identity/refresh-identity-keys';

describe('refreshing identity keys on a database the new version has not migrated', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('profiles_refresh_keys');
    dataSource = await openForRefresh(db.url);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('should refuse, naming the migrations still to run, when the keying migrations have not run', async () => {
    await db.query('create table migrations (id serial primary key, timestamp bigint, name text)');
    await db.query(
      `insert into migrations (timestamp, name) values (1760000003300, 'EmailKeysInNfc1760000003300')`,
    );

    await expect(refreshIdentityKeys(dataSource)).rejects.toThrow(
      'migrations NameKeysInEveryScript1760000003400, NameKeysWithoutVowelMarks1760000003500, FullNameKeys1760000003700 have not run on this database',
    );
  });
});
