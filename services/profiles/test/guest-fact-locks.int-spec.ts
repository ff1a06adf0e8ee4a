import { randomUUID } from 'node:crypto';
import { waitUntil } from '@loyalty/testing';
import { DataSource, type QueryRunner } from 'typeorm';
import { setNewestGuestFacts } from '../src/guests/newest-guest-facts';
import { ProfilesHarness } from './profiles-harness';

// Stay recording updates its guests' rows and inserts rows that reference them, holding those locks to
// its commit, while points-earned and tier-changed batches set facts on the same guests. The two must not
// wait for each other: the facts took `for update` on the guest row once, and a stay batch and a facts
// batch deadlocked; later, on the guest row, they waited for every stay in flight.
describe('guest facts and stay recording on the same guests', () => {
  let harness: ProfilesHarness;
  let dataSource: DataSource;

  beforeAll(async () => {
    harness = await ProfilesHarness.create('fact_locks');
    dataSource = harness.service.app.get(DataSource);
  });

  afterAll(() => harness?.close());

  async function transaction(lockTimeout = '3s'): Promise<QueryRunner> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    // Waiting for a lock fails fast instead of hanging the test.
    await runner.query(`set local lock_timeout = '${lockTimeout}'`);
    return runner;
  }

  const backendOf = async (runner: QueryRunner): Promise<number> =>
    (await runner.query('select pg_backend_pid() as pid'))[0].pid;

  /** How many connections wait for a lock the backend `pid` holds. */
  async function waitingFor(pid: number): Promise<number> {
    const [{ waiting }] = await dataSource.query<{ waiting: number }[]>(
      'select count(*)::int as waiting from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
      [pid],
    );
    return waiting;
  }

  /**
   * Postgres looks for a deadlock once in each wait, deadlock_timeout after it began. Once the waits begun
   * so far are past that look, a cycle closed later is found by the transaction whose wait closes it, and
   * that one fails: which one does is no longer up to timing.
   */
  async function pastDeadlockChecks(): Promise<void> {
    const [{ ms }] = await dataSource.query<{ ms: number }[]>(
      `select setting::int as ms from pg_settings where name = 'deadlock_timeout'`,
    );
    await new Promise((resolve) => setTimeout(resolve, ms + 1000));
  }

  /** Runs a stay transaction and a facts transaction side by side; facts commits first, then the stay. */
  async function staysAndFacts(work: (stays: QueryRunner, facts: QueryRunner) => Promise<void>) {
    const stays = await transaction();
    const facts = await transaction();
    try {
      await work(stays, facts);
      await facts.commitTransaction();
      await stays.commitTransaction();
    } finally {
      if (facts.isTransactionActive) await facts.rollbackTransaction();
      if (stays.isTransactionActive) await stays.rollbackTransaction();
      await Promise.all([facts.release(), stays.release()]);
    }
  }

  const referenceGuest = (runner: QueryRunner, guestId: string) =>
    runner.query(`insert into guest_identities (source, reference, guest_id) values ('pms:test', $1, $2)`, [
      randomUUID(),
      guestId,
    ]);

  const tiersOf = (...guestIds: string[]) =>
    dataSource.query<{ id: string; tier: string }[]>(
      `select guest_id as id, tier from guest_facts where guest_id = any($1::uuid[]) order by guest_id`,
      [guestIds],
    );

  it('should keep, of a run of balances some of which have no sequence, what the events one at a time would keep', async () => {
    const balanceOf = async (guestId: string) =>
      (
        await dataSource.query<{ points_balance: number }[]>(
          'select points_balance from guest_facts where guest_id = $1',
          [guestId],
        )
      )[0]?.points_balance;
    const run = [
      // A redemption numbered by the ledger, then a credit from a pod that numbered none, booked later.
      { value: 600, asOf: '2026-06-01T10:00:00Z', sequence: 4 },
      { value: 1_600, asOf: '2026-06-01T10:00:05Z' },
    ];
    const [together, apart] = [randomUUID(), randomUUID()];
    await dataSource.query('insert into guests (id) values ($1), ($2)', [together, apart]);
    await dataSource.transaction((manager) =>
      setNewestGuestFacts(
        manager,
        'pointsBalance',
        run.map((fact) => ({ guestId: together, ...fact })),
      ),
    );
    for (const fact of run)
      await dataSource.transaction((manager) =>
        setNewestGuestFacts(manager, 'pointsBalance', [{ guestId: apart, ...fact }]),
      );
    expect([await balanceOf(together), await balanceOf(apart)]).toEqual([1_600, 1_600]);
  });

  it('should set facts on guests whose rows an open stay transaction has updated', async () => {
    const guestId = randomUUID();
    await dataSource.query(`insert into guests (id) values ($1)`, [guestId]);
    await staysAndFacts(async (stays, facts) => {
      // What recording a stay does to its guest: the upsert of the guest's details.
      await stays.query(`update guests set country_code = 'DE', updated_at = now() where id = $1`, [guestId]);
      await setNewestGuestFacts(facts.manager, 'pointsBalance', [
        { guestId, value: 1200, asOf: '2026-06-01T00:00:00Z' },
      ]);
    });
    const [row] = await dataSource.query<{ country_code: string; points_balance: number }[]>(
      `select g.country_code, f.points_balance from guests g join guest_facts f on f.guest_id = g.id
       where g.id = $1`,
      [guestId],
    );
    expect(row).toEqual({ country_code: 'DE', points_balance: 1200 });
  });

  it('should set facts on guests that an open stay transaction references, and let it go on', async () => {
    const [first, second] = [randomUUID(), randomUUID()].sort();
    await dataSource.query(`insert into guests (id) values ($1), ($2)`, [first, second]);
    await staysAndFacts(async (stays, facts) => {
      await referenceGuest(stays, second);
      await setNewestGuestFacts(facts.manager, 'tier', [
        { guestId: first, value: 'gold', asOf: '2026-06-01T00:00:00Z' },
        { guestId: second, value: 'silver', asOf: '2026-06-01T00:00:00Z' },
      ]);
      await referenceGuest(stays, first);
    });
    expect(await tiersOf(first, second)).toEqual([
      { id: first, tier: 'gold' },
      { id: second, tier: 'silver' },
    ]);
    const [{ n }] = await dataSource.query<{ n: string }[]>(
      `select count(*) as n from guest_identities where guest_id = any($1::uuid[])`,
      [[first, second]],
    );
    expect(Number(n)).toBe(2);
  });

  it('should lock the survivor of a guest merged while the facts waited in order with the others, letting a merge of the survivor that waits for them go first', async () => {
    const [survivor, other, mergedAway, busy] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ].sort();
    await dataSource.query('insert into guests (id) select unnest($1::uuid[])', [
      [survivor, other, mergedAway, busy],
    ]);
    // The waits span Postgres' deadlock checks, longer than the usual lock timeout.
    const [merging, holdingBusy, staffMerging, facts] = await Promise.all(
      Array.from({ length: 4 }, () => transaction('30s')),
    );
    const [mergingPid, holdingBusyPid, factsPid] = await Promise.all(
      [merging, holdingBusy, facts].map(backendOf),
    );
    const mergeLocks = (runner: QueryRunner, guestIds: string[]) =>
      runner.query('select 1 from guests where id = any($1::uuid[]) order by id for update', [guestIds]);
    try {
      // A merge of `mergedAway` into `survivor` in flight, and another transaction holding `busy`.
      await mergeLocks(merging, [survivor, mergedAway]);
      await merging.query(`update guests set status = 'merged', merged_into = $1 where id = $2`, [
        survivor,
        mergedAway,
      ]);
      await mergeLocks(holdingBusy, [busy]);
      // The facts lock `other` and wait for `mergedAway`; a staff merge of `survivor` and `other` waits for
      // `survivor`.
      const settingFacts = setNewestGuestFacts(facts.manager, 'lastSurveyScore', [
        { guestId: other, value: 7, asOf: '2026-06-01T00:00:00Z' },
        { guestId: mergedAway, value: 9, asOf: '2026-06-01T00:00:00Z' },
        { guestId: busy, value: 5, asOf: '2026-06-01T00:00:00Z' },
      ]).then(
        (written) => ({ written }),
        (error: Error) => ({ error: error.message }),
      );
      await waitUntil('the facts waiting for the merge', async () => (await waitingFor(mergingPid)) === 1);
      const staffLocking = mergeLocks(staffMerging, [survivor, other]);
      await waitUntil('the staff merge waiting too', async () => (await waitingFor(mergingPid)) === 2);
      await merging.commitTransaction();
      // The staff merge takes `survivor` and waits for the facts, which wait for `busy`.
      await waitUntil(
        'the staff merge waiting for the facts',
        async () => (await waitingFor(factsPid)) === 1,
      );
      await waitUntil('the facts waiting for `busy`', async () => (await waitingFor(holdingBusyPid)) === 1);
      await pastDeadlockChecks();
      // The facts find `mergedAway` merged into `survivor`, which the staff merge holds.
      await holdingBusy.commitTransaction();
      await staffLocking;
      await staffMerging.commitTransaction();
      expect(await settingFacts).toEqual({ written: [other, survivor, busy] });
      await facts.commitTransaction();
    } finally {
      for (const runner of [merging, holdingBusy, staffMerging, facts]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
    const scores = await dataSource.query<{ guest_id: string; last_survey_score: number }[]>(
      `select guest_id, last_survey_score from guest_facts where guest_id = any($1::uuid[]) order by guest_id`,
      [[survivor, other, mergedAway, busy]],
    );
    expect(scores).toEqual([
      { guest_id: survivor, last_survey_score: 9 },
      { guest_id: other, last_survey_score: 7 },
      { guest_id: busy, last_survey_score: 5 },
    ]);
  });
});
