import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@loyalty/testing';
import { ChurnWatcher1760000005000 } from '../src/migrations/1760000005000-churn-watcher';
import { StayTimeZones1760000005200 } from '../src/migrations/1760000005200-stay-time-zones';

describe('churn-watcher migration 1760000005200, stay time zones (real Postgres)', () => {
  let db: TestDatabase;
  // The suite's database answers `query` as a query runner does, which is all the migrations use.
  const runner = () => db as unknown as QueryRunner;

  beforeAll(async () => {
    db = await createTestDatabase('churn_zones_migration');
    await new ChurnWatcher1760000005000().up(runner());
  });

  afterAll(() => db?.drop());

  it('should count the stays and guests recorded before it, or by a pod of the earlier version after it, in UTC', async () => {
    const visit = (guestId: string, reservationId: string) =>
      db.query(
        `insert into guest_visits (guest_id, stay_id, property_id, reservation_id, arrival, departure, visit_day, channel)
         values ($1, $2, 'AMS01', $3, '2031-01-08', '2031-01-10', 22290, 'direct')`,
        [guestId, randomUUID(), reservationId],
      );
    const summary = (guestId: string) =>
      db.query(
        `insert into guests (guest_id, segment, first_day, last_day, repeat_visits, mean_interval_days,
           interval_deviation_days, updated_at)
         values ($1, 'leisure', 22290, 22290, 0, 0, 0, now())`,
        [guestId],
      );
    const [before, duringRollout] = [randomUUID(), randomUUID()];
    await visit(before, 'R-1');
    await summary(before);

    await new StayTimeZones1760000005200().up(runner());
    // As the earlier version writes them, naming no zone.
    await visit(duringRollout, 'R-2');
    await summary(duringRollout);

    for (const table of ['guest_visits', 'guests']) {
      expect(
        await db.query(`select time_zone from ${table} where guest_id = any($1::uuid[])`, [
          [before, duringRollout],
        ]),
      ).toEqual([{ time_zone: 'UTC' }, { time_zone: 'UTC' }]);
    }
  });
});
