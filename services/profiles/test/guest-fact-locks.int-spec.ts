import { randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { setNewestGuestFacts } from '../src/guests/newest-guest-facts';
import { ProfilesHarness } from './profiles-harness';

// Stay recording inserts rows that reference its guests (a key-share lock on each guest row) while
// points-earned and tier-changed batches set facts on the same guests. The two must not wait for each
// other: before, the facts took `for update`, and a stay batch and a facts batch deadlocked.
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

  const referenceGuest = (runner: QueryRunner, guestId: string) =>
    runner.query(`insert into guest_identities (source, reference, guest_id) values ('pms:test', $1, $2)`, [
      randomUUID(),
      guestId,
    ]);

  it('should set facts on guests that an open stay transaction references, and let it go on', async () => {
    const [first, second] = [randomUUID(), randomUUID()].sort();
    await dataSource.query(`insert into guests (id) values ($1), ($2)`, [first, second]);
    const stays = await transaction();
    const facts = await transaction();
    try {
      await referenceGuest(stays, second);
      await setNewestGuestFacts(facts.manager, 'tier', [
        { guestId: first, value: 'gold', asOf: '2026-06-01T00:00:00Z' },
        { guestId: second, value: 'silver', asOf: '2026-06-01T00:00:00Z' },
      ]);
      await referenceGuest(stays, first);
      await facts.commitTransaction();
      await stays.commitTransaction();
    } finally {
      if (facts.isTransactionActive) await facts.rollbackTransaction();
      if (stays.isTransactionActive) await stays.rollbackTransaction();
      await Promise.all([facts.release(), stays.release()]);
    }
    const rows = await dataSource.query<{ id: string; tier: string }[]>(
      `select id, tier from guests where id = any($1::uuid[]) order by id`,
      [[first, second]],
    );
    expect(rows).toEqual([
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
