import { createTestDatabase, waitUntil, type TestDatabase } from '@loyalty/testing';
import { Client } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { openForRefresh, refreshIdentityKeys } from '../src/identity/refresh-identity-keys';
import { earlierNormalForm } from '../src/migrations/1760000003400-name-keys-in-every-script';
import { evidenceOf, type IdentityInput } from '../src/identity/identity-evidence';
import { PersonalDataCipher } from '../src/privacy/personal-data-cipher';
import { identity, ProfilesHarness, sameGuest, type Identity } from './profiles-harness';

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

describe('refreshing identity keys beside the running service', () => {
  let h: ProfilesHarness;
  let dataSource: DataSource;
  const NAME_SOURCES = ['family-name', 'full-name', 'name-dob', 'similar-name'];

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_refresh_beside_service');
    dataSource = await openForRefresh(h.db.url);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await h?.close();
  });

  async function guestWithStay(who: Identity, checkedOutAt = '2025-03-04T10:00:00Z') {
    const stay = h.stay(who, { checkedOutAt });
    await h.sendStays([stay]);
    return { who, guestId: await h.guestOfReservation(stay.data.reservationId) };
  }

  /** The guest's name keys, each as its source and the name it keys. */
  const nameKeysOf = (who: IdentityInput, normalise?: (name: string) => string) =>
    evidenceOf(who, undefined, h.service.app.get(PersonalDataCipher), normalise)
      .filter((key) => NAME_SOURCES.includes(key.source))
      .map(({ source, reference }) => ({ source, reference }));

  const nameKeysHeldBy = (guestId: string) =>
    h.db.query<{ source: string; reference: string }>(
      `select source, reference from guest_identities where guest_id = $1 and source = any($2::text[])
       order by source, reference`,
      [guestId, NAME_SOURCES],
    );

  /** The data source, its query runners recording the SQL of every statement they send. */
  const recordingStatements = (source: DataSource, statements: string[]): DataSource =>
    // The runner itself, not a proxy of it: TypeORM releases and forgets a runner by its identity.
    new Proxy(source, {
      get: (target, property, receiver) =>
        property === 'createQueryRunner'
          ? () => {
              const runner = target.createQueryRunner();
              const query = runner.query.bind(runner);
              runner.query = ((sql: string, parameters?: unknown[]) => {
                statements.push(sql);
                return query(sql, parameters);
              }) as QueryRunner['query'];
              return runner;
            }
          : Reflect.get(target, property, receiver),
    });

  it('should walk, lock and read the guests once for every earlier way of keying', async () => {
    await guestWithStay(identity());
    const statements: string[] = [];

    await refreshIdentityKeys(recordingStatements(dataSource, statements));
    const sent = (pattern: RegExp) => statements.filter((sql) => pattern.test(sql)).length;
    // One batch of guests, and a look for the next, which finds none.
    expect({
      walked: sent(/select guest_id from guest_keys/),
      locked: sent(/order by id for share$/),
      read: sent(/from guest_personal_data/),
    }).toEqual({ walked: 2, locked: 1, read: 1 });
  });

  it("should keep the keys a merged profile's name gives the current way, though the earlier way keyed the name on file so", async () => {
    // `Strau` is keyed the current way as `Strauß` was the earlier way.
    const strauss = await guestWithStay(
      identity({ givenName: 'Jürgen', familyName: 'Strauß' }),
      '2025-06-01T10:00:00Z',
    );
    const strau = await guestWithStay(identity({ givenName: 'Jürgen', familyName: 'Strau' }));
    const merged = await h.http('POST', '/merges', {
      token: h.token(['chain-admin']),
      body: { guestA: strauss.guestId, guestB: strau.guestId },
    });
    // The older profile survives, and its newer name stays on file.
    expect(merged).toMatchObject({ status: 201, body: { survivorId: strauss.guestId } });
    // A guest no profile was merged into, whose keys a pod of the version before names in every script wrote.
    const weiss = await guestWithStay(identity({ givenName: 'Gerd', familyName: 'Weiß' }));
    await h.db.query(`delete from guest_identities where guest_id = $1 and source = any($2::text[])`, [
      weiss.guestId,
      NAME_SOURCES,
    ]);
    const earlierKeys = nameKeysOf(weiss.who, earlierNormalForm);
    await h.db.query(
      `insert into guest_identities (source, reference, guest_id)
       select source, reference, $3::uuid from unnest($1::text[], $2::text[]) as k (source, reference)`,
      [earlierKeys.map((key) => key.source), earlierKeys.map((key) => key.reference), weiss.guestId],
    );

    expect(await refreshIdentityKeys(dataSource)).toEqual({
      emailsAsTyped: 0,
      namesWithVowelMarks: 0,
      namesInLatinLettersOnly: 1,
      fullNamesMissing: 0,
    });
    expect(await nameKeysHeldBy(strauss.guestId)).toEqual(
      expect.arrayContaining([...nameKeysOf(strauss.who), ...nameKeysOf(strau.who)]),
    );
    const bySourceAndReference = (a: { source: string; reference: string }, b: typeof a) =>
      a.source === b.source ? (a.reference < b.reference ? -1 : 1) : a.source < b.source ? -1 : 1;
    expect(await nameKeysHeldBy(weiss.guestId)).toEqual(nameKeysOf(weiss.who).sort(bySourceAndReference));
    // The merged profile's phone with its name: the same-phone rule needs its full-name key.
    const again = h.stay(sameGuest(strau.who, { phone: strau.who.phone }));
    await h.sendStays([again]);
    expect(await h.guestOfReservation(again.data.reservationId)).toBe(strauss.guestId);
  });

  it('should run a batch again when it deadlocks with a stay that merges two of its guests, and say so', async () => {
    const [first, second] = (await Promise.all([guestWithStay(identity()), guestWithStay(identity())]))
      .map((guest) => guest.guestId)
      .sort();
    // Something for the batch to do: a full-name key missing, as pods before full-name keys left guests.
    await h.db.query(`delete from guest_identities where guest_id = $1 and source = 'full-name'`, [first]);
    const stay = new Client({ connectionString: h.db.url });
    await stay.connect();
    try {
      // Only the refresh looks for deadlocks soon enough, so it is the transaction Postgres gives up.
      await stay.query(`set deadlock_timeout = '1min'`);
      await stay.query('begin');
      // As a stay's transaction writes its guest, then merges another into it, locking both in id order.
      await stay.query('select 1 from guests where id = $1 for update', [second]);
      const warnings: string[] = [];
      const refreshed = refreshIdentityKeys(dataSource, { warn: (message) => warnings.push(message) });
      await waitUntil('the refresh holds the first guest and waits for the second', async () => {
        const waiting = await h.db.query(
          `select 1 from pg_stat_activity
           where application_name = 'profiles-refresh-identity-keys' and wait_event_type = 'Lock'`,
        );
        return waiting.length > 0;
      });
      await stay.query('select 1 from guests where id = any($1::uuid[]) order by id for update', [
        [first, second],
      ]);
      await stay.query('commit');

      expect(await refreshed).toMatchObject({ fullNamesMissing: 1 });
      expect(warnings).toEqual([expect.stringContaining('(deadlock detected): attempt 2 of 5')]);
    } finally {
      await stay.end();
    }
  });
});
