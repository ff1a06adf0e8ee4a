import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, GuestTombstones, openDataSource } from '@loyalty/persistence';
import { createTestDatabase, waitUntil, type TestDatabase } from '@loyalty/testing';

describe('guest tombstones, against the real Postgres', () => {
  const tombstones = new GuestTombstones();
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('guest_tombstones');
    await db.query(
      `create table guest_tombstones (guest_id uuid primary key, merged_into uuid, erased_at timestamptz)`,
    );
    dataSource = await openDataSource(
      dataSourceOptions({
        url: db.url,
        poolSize: 2,
        applicationName: 'guest-tombstones-test',
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

  const advisoryLocksWaiting = async () => {
    const [{ waiting }] = await db.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted
       and database = (select oid from pg_database where datname = current_database())`,
    );
    return waiting > 0;
  };

  it('should wait for an erasure of the final survivor, and erase the merged guest with it, when the named survivor was merged away', async () => {
    const [mergedId, survivorId, finalId] = [randomUUID(), randomUUID(), randomUUID()];
    await db.query(`insert into guest_tombstones (guest_id, merged_into) values ($1, $2)`, [
      survivorId,
      finalId,
    ]);
    const erasedAt = new Date('2031-03-02T12:00:00Z');

    // The erasure locks only the guest it erases: the final survivor, not the ids the merge names.
    const erasure = dataSource.createQueryRunner();
    await erasure.startTransaction();
    try {
      await tombstones.entombErased(erasure.manager, finalId, erasedAt);
      let merged = false;
      const merge = dataSource
        .transaction((manager) => tombstones.entomb(manager, mergedId, survivorId))
        .finally(() => (merged = true));
      await waitUntil('the merge to wait for a lock', advisoryLocksWaiting, { timeoutMs: 5_000 });
      expect(merged).toBe(false);

      await erasure.commitTransaction();
      expect(await merge).toEqual({ id: finalId, erasedAt });
    } finally {
      await erasure.release();
    }
    expect(
      await db.query(
        `select merged_into as "mergedInto", erased_at as "erasedAt" from guest_tombstones where guest_id = $1`,
        [mergedId],
      ),
    ).toEqual([{ mergedInto: finalId, erasedAt }]);
  });

  it('should move the merged guest to the next survivor when the final survivor is merged on while the merge waits for it', async () => {
    const [mergedId, survivorId, finalId, nextId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await db.query(`insert into guest_tombstones (guest_id, merged_into) values ($1, $2)`, [
      survivorId,
      finalId,
    ]);

    const mergeOn = dataSource.createQueryRunner();
    await mergeOn.startTransaction();
    try {
      await tombstones.entomb(mergeOn.manager, finalId, nextId);
      const merge = dataSource.transaction((manager) => tombstones.entomb(manager, mergedId, survivorId));
      await waitUntil('the merge to wait for a lock', advisoryLocksWaiting, { timeoutMs: 5_000 });

      await mergeOn.commitTransaction();
      expect(await merge).toEqual({ id: nextId, erasedAt: null });
    } finally {
      await mergeOn.release();
    }
    expect(
      await db.query(`select guest_id as "guestId" from guest_tombstones where merged_into = $1 order by 1`, [
        nextId,
      ]),
    ).toEqual([mergedId, survivorId, finalId].sort().map((guestId) => ({ guestId })));
  });

  it("should wait for an erasure of a merged id's final survivor before saying what the id stands for", async () => {
    const [mergedId, finalId] = [randomUUID(), randomUUID()];
    await db.query(`insert into guest_tombstones (guest_id, merged_into) values ($1, $2)`, [
      mergedId,
      finalId,
    ]);

    const erasure = dataSource.createQueryRunner();
    await erasure.startTransaction();
    try {
      await tombstones.entombErased(erasure.manager, finalId, new Date('2031-03-02T12:00:00Z'));
      const late = dataSource.transaction((manager) => tombstones.current(manager, [mergedId]));
      await waitUntil('the late event to wait for a lock', advisoryLocksWaiting, { timeoutMs: 5_000 });

      await erasure.commitTransaction();
      expect(await late).toEqual(new Map([[mergedId, { guestId: finalId, erased: true }]]));
    } finally {
      await erasure.release();
    }
  });
});
