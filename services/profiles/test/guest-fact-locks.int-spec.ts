import { randomUUID } from 'node:crypto';
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

  async function transaction(): Promise<QueryRunner> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    // Waiting for a lock fails fast instead of hanging the test.
    await runner.query(`set local lock_timeout = '3s'`);
    return runner;
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
});
