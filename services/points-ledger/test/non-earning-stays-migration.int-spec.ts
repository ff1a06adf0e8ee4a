import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';
import { LEDGER_MIGRATIONS } from '../src/app.module';
import { CreditedStayEarning1760000004000 } from '../src/migrations/1760000004000-credited-stay-earning';
import { NonEarningStaysCreditedBefore1760000015000 } from '../src/migrations/1760000015000-non-earning-stays-credited-before';

describe('points-ledger migration 1760000015000, non-earning stays credited before 4000 (real Postgres)', () => {
  let db: TestDatabase;
  // The suite's database answers `query` as a query runner does, which is all the migrations use.
  const runner = () => db as unknown as QueryRunner;
  const migrations = (from: number, to: number) => LEDGER_MIGRATIONS.slice(from, to);

  beforeAll(async () => {
    db = await createTestDatabase('ledger_non_earning_stays');
  });

  afterAll(() => db?.drop());

  /** A credited stay as the release before 4000 wrote it: no `earning` column yet. */
  async function creditedBefore(
    stayKey: string,
    counts: { points: number; basePoints: number; stays: number },
  ) {
    const accountId = randomUUID();
    await db.query(
      `insert into accounts (id, guest_id, opened_at, last_activity_at) values ($1, $2, now(), now())`,
      [accountId, accountId],
    );
    await db.query(
      `insert into credited_stays (stay_key, account_id, stay_id, property_id, entry_key, points, base_points,
         qualifying_revenue_minor, nights, stays, qualifying_year, source_event_id, credited_at)
       values ($1, $2, gen_random_uuid(), 'AMS01', $3, $4, $5, 50000, $6, $6, 2025, gen_random_uuid(), now())`,
      [stayKey, accountId, stayKey, counts.points, counts.basePoints, counts.stays],
    );
  }

  it('should mark the stays of channels that earn nothing as not earning, and leave earning stays, complimentary ones and those a correction took to 0 nights included', async () => {
    const before4000 = LEDGER_MIGRATIONS.indexOf(CreditedStayEarning1760000004000);
    for (const migration of migrations(0, before4000)) await new migration().up(runner());
    await creditedBefore('AMS01/OTA-1', { points: 0, basePoints: 0, stays: 0 });
    await creditedBefore('AMS01/DIRECT-1', { points: 600, basePoints: 500, stays: 1 });
    await creditedBefore('AMS01/COMP-1', { points: 0, basePoints: 0, stays: 1 });
    await creditedBefore('AMS01/AWARD-1', { points: 0, basePoints: 0, stays: 1 });
    const repair = LEDGER_MIGRATIONS.indexOf(NonEarningStaysCreditedBefore1760000015000);
    for (const migration of migrations(before4000, repair)) await new migration().up(runner());
    // An award night, earning with no revenue, whose nights a correction set to 0 since: it counts no stay.
    await db.query(
      `update credited_stays set nights = 0, stays = 0, nights_adjusted_at = now() where stay_key = 'AMS01/AWARD-1'`,
    );
    expect(await db.query('select count(*)::int as earning from credited_stays where earning')).toEqual([
      { earning: 4 },
    ]);

    await new NonEarningStaysCreditedBefore1760000015000().up(runner());

    expect(await db.query('select stay_key, earning from credited_stays order by stay_key')).toEqual([
      { stay_key: 'AMS01/AWARD-1', earning: true },
      { stay_key: 'AMS01/COMP-1', earning: true },
      { stay_key: 'AMS01/DIRECT-1', earning: true },
      { stay_key: 'AMS01/OTA-1', earning: false },
    ]);
  });
});
