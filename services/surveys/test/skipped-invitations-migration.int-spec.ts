import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, waitUntil, type TestDatabase } from '@loyalty/testing';
import { SURVEYS_MIGRATIONS } from '../src/app.module';
import { SkippedInvitationsUnderSurvivors1760000004500 } from '../src/migrations/1760000004500-skipped-invitations-under-survivors';

describe('surveys migration 1760000004500, skipped invitations under survivors (real Postgres)', () => {
  let db: TestDatabase;
  // The suite's database answers `query` as a query runner does, which is all the migrations use.
  const runner = () => db as unknown as QueryRunner;
  /** A connection of its own as the migration's query runner, which answers a query with its rows. */
  const runnerOn = (client: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) =>
    ({
      query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
    }) as unknown as QueryRunner;

  beforeAll(async () => {
    db = await createTestDatabase('surveys_skipped_migration');
    for (const earlier of SURVEYS_MIGRATIONS.slice(
      0,
      SURVEYS_MIGRATIONS.indexOf(SkippedInvitationsUnderSurvivors1760000004500),
    ))
      await new earlier().up(runner());
  });

  afterAll(() => db?.drop());

  /** Rows of `survey_guests`: an id, the id it was merged into, whether it was erased. */
  const guests = async (...rows: [string, string | null, boolean][]) => {
    for (const [guestId, mergedInto, erased] of rows)
      await db.query(
        `insert into survey_guests (guest_id, merged_into, erased_at, heard_of)
         values ($1, $2, case when $3 then now() end, true)`,
        [guestId, mergedInto, erased],
      );
  };

  /** An invitation in `state` under `guestId`, as the earlier version wrote it; its stay id. */
  const invitation = async (
    guestId: string | null,
    state = 'skipped',
    via: { query(sql: string, params: unknown[]): Promise<unknown> } = db,
  ) => {
    const stayId = randomUUID();
    await via.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, skip_reason, planned_at)
       values ($1, $2, $3, 'AMS01', $4, '2031-01-08', '2031-01-10', '2031-01-11T09:00:00Z', $5,
               case when $5 = 'skipped' then 'excluded-rate-plan' end, now())`,
      [randomUUID(), stayId, guestId, `R-${stayId.slice(0, 8)}`, state],
    );
    return stayId;
  };

  const guestOf = async (stayId: string) => {
    const [row] = await db.query<{ guest_id: string | null }>(
      'select guest_id from invitations where stay_id = $1',
      [stayId],
    );
    return row.guest_id;
  };

  it("should move each skipped invitation to its guest's final survivor, or to no guest once that survivor was erased, and leave the others", async () => {
    const id = () => randomUUID();
    const [merged, survivor, first, middle, last] = [id(), id(), id(), id(), id()];
    const [erased, mergedIntoErased, erasedSurvivor, throughErased, erasedMergedAway] = [
      id(),
      id(),
      id(),
      id(),
      id(),
    ];
    const [own, cycleA, cycleB, dangling, unknown] = [id(), id(), id(), id(), id()];
    await guests(
      [survivor, null, false],
      [merged, survivor, false],
      [last, null, false],
      [middle, last, false],
      [first, middle, false],
      [erased, null, true],
      [erasedSurvivor, null, true],
      [mergedIntoErased, erasedSurvivor, true],
      [throughErased, mergedIntoErased, true],
      [erasedMergedAway, survivor, true],
      [own, null, false],
      [cycleA, cycleB, false],
      [cycleB, cycleA, false],
      [dangling, id(), false],
    );
    const moved = {
      merged: await invitation(merged),
      first: await invitation(first),
      middle: await invitation(middle),
      erased: await invitation(erased),
      mergedIntoErased: await invitation(mergedIntoErased),
      throughErased: await invitation(throughErased),
      erasedMergedAway: await invitation(erasedMergedAway),
    };
    const kept = {
      own: await invitation(own),
      survivor: await invitation(survivor),
      cycle: await invitation(cycleA),
      dangling: await invitation(dangling),
      unknown: await invitation(unknown),
      none: await invitation(null),
      scheduled: await invitation(merged, 'scheduled'),
      sent: await invitation(erased, 'sent'),
    };

    await new SkippedInvitationsUnderSurvivors1760000004500().up(runner());

    expect({
      merged: await guestOf(moved.merged),
      first: await guestOf(moved.first),
      middle: await guestOf(moved.middle),
      erased: await guestOf(moved.erased),
      mergedIntoErased: await guestOf(moved.mergedIntoErased),
      throughErased: await guestOf(moved.throughErased),
      // As a stay of that id skipped today is written: under the guest it stands for, not erased.
      erasedMergedAway: await guestOf(moved.erasedMergedAway),
    }).toEqual({
      merged: survivor,
      first: last,
      middle: last,
      erased: null,
      mergedIntoErased: null,
      throughErased: null,
      erasedMergedAway: survivor,
    });
    expect({
      own: await guestOf(kept.own),
      survivor: await guestOf(kept.survivor),
      cycle: await guestOf(kept.cycle),
      dangling: await guestOf(kept.dangling),
      unknown: await guestOf(kept.unknown),
      none: await guestOf(kept.none),
      scheduled: await guestOf(kept.scheduled),
      sent: await guestOf(kept.sent),
    }).toEqual({
      own,
      survivor,
      cycle: cycleA,
      dangling,
      unknown,
      none: null,
      scheduled: merged,
      sent: erased,
    });
  });

  it('should move an invitation a merge of its survivor held as the statement began to where that merge leads, once it committed', async () => {
    const [merged, survivor, next] = [randomUUID(), randomUUID(), randomUUID()];
    await guests([next, null, false], [survivor, null, false], [merged, survivor, false]);
    const stayId = await invitation(merged);

    const merging = new Client({ connectionString: db.url });
    const migrating = new Client({ connectionString: db.url });
    await Promise.all([merging.connect(), migrating.connect()]);
    try {
      // A merge of the survivor into `next`, as surveys runs it: the invitations of the survivor and of the
      // ids merged into it locked first, then the rows pointed at `next`.
      await merging.query('begin');
      await merging.query('select 1 from invitations where guest_id = any($1::uuid[]) for update', [
        [survivor, merged],
      ]);
      await merging.query(
        'update survey_guests set merged_into = $1 where guest_id = $2 or merged_into = $2',
        [next, survivor],
      );
      const [{ pid: mergingPid }] = (await merging.query('select pg_backend_pid() as pid')).rows;
      const [{ pid: migratingPid }] = (await migrating.query('select pg_backend_pid() as pid')).rows;
      await migrating.query('begin');
      const migration = new SkippedInvitationsUnderSurvivors1760000004500().up(runnerOn(migrating));
      await waitUntil('the migration waiting for the merge', async () => {
        const [{ pids }] = await db.query<{ pids: number[] }>('select pg_blocking_pids($1) as pids', [
          migratingPid,
        ]);
        return pids.includes(mergingPid);
      });
      await merging.query('commit');
      await migration;
      await migrating.query('commit');
    } finally {
      await Promise.all(
        [merging, migrating].map((client) => client.query('rollback').catch(() => undefined)),
      );
      await Promise.all([merging.end(), migrating.end()]);
    }
    expect(await guestOf(stayId)).toBe(next);
  });

  it('should hold up no write of a pod of the previous version but a merge or erasure of the guests it moves invitations of, until it commits', async () => {
    const [merged, survivor, other] = [randomUUID(), randomUUID(), randomUUID()];
    await guests([survivor, null, false], [merged, survivor, false], [other, null, false]);
    await invitation(merged);
    const scheduled = await invitation(merged, 'scheduled');
    const otherSkipped = await invitation(other);

    const migrating = new Client({ connectionString: db.url });
    const writing = new Client({ connectionString: db.url });
    await Promise.all([migrating.connect(), writing.connect()]);
    try {
      await migrating.query('begin');
      await new SkippedInvitationsUnderSurvivors1760000004500().up(runnerOn(migrating));
      // Waiting for any lock the migration holds fails at once.
      await writing.query(`set lock_timeout = '500ms'`);
      // A stay recorded, skipped, under the merged id; a scheduled invitation of it sent; a merge of
      // another guest locking its invitations; the invitation list read.
      await invitation(merged, 'skipped', writing);
      await writing.query(`update invitations set state = 'sent', invited_at = now() where stay_id = $1`, [
        scheduled,
      ]);
      await writing.query('begin');
      await writing.query('select 1 from invitations where guest_id = $1 for update', [other]);
      await writing.query('rollback');
      await writing.query(`select count(*) from invitations where state = 'skipped'`);
      expect(await guestOf(otherSkipped)).toBe(other);
      // A merge or erasure of the guest whose invitation it moved waits for it.
      await expect(
        writing.query('select 1 from invitations where guest_id = any($1::uuid[]) for update', [
          [merged, survivor],
        ]),
      ).rejects.toThrow(/lock timeout/);
    } finally {
      await migrating.query('rollback').catch(() => undefined);
      await Promise.all([migrating.end(), writing.end()]);
    }
  });
});
