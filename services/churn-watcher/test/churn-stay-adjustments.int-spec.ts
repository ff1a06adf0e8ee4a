import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { GuestHistoryService } from '../src/watch/guest-history.service';
import { ChurnStage, dayDate } from './churn-stage';

interface Score {
  lastStay: string;
  repeatStays: number;
}

describe('churn-watcher counts a stay adjusted to 0 nights as no visit (real broker and Postgres)', () => {
  let churn: ChurnStage;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_adjust');
    await churn.stage.probe.watch(churn.stage.topic('stay-adjusted.dlq'));
    // A chain of regulars with cadences from 20 to 40 days over the first 300 days.
    await churn.regulars([20, 30, 40], 300);
  });

  afterAll(async () => {
    await churn.close();
  });

  const score = async (guestId: string) => (await churn.http<Score>('GET', `/churn/guests/${guestId}`)).body;

  /** A guest staying every 30 days from day 0 to `to`. */
  async function monthly(to: number): Promise<string> {
    const guestId = randomUUID();
    const days = Array.from({ length: to / 30 + 1 }, (_, i) => 30 * i);
    await churn.send(...days.map((day) => churn.stay(guestId, day)));
    return guestId;
  }

  it('should alert on the lapse a stay adjusted to 0 nights leaves, and restore it once the stay has nights again', async () => {
    const guestId = await monthly(300);
    const noShow = churn.stay(guestId, 330);
    await churn.at(331).send(noShow, churn.adjusted(noShow, 0, 331));
    expect(await score(guestId)).toMatchObject({ lastStay: dayDate(300), repeatStays: 10 });

    // Counted as a visit, day 330 would be 30 days ago: on the guest's cadence.
    await churn.at(360).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    expect(dropped.evidence).toMatchObject({ daysSinceLastStay: 60, lastDeparture: dayDate(300) });

    // A stay whose adjustment to 0 nights comes first (it is sent straight from the property): no return.
    const cancelledLate = churn.stay(guestId, 365);
    await churn.at(366).send(churn.adjusted(cancelledLate, 0, 366));
    await churn.send(cancelledLate);
    expect(churn.records('visit-frequency-restored', guestId)).toEqual([]);

    // Corrected: the guest did stay on day 330, their first return after the lapse.
    await churn.at(367).send(churn.adjusted(noShow, 2, 367));
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, guestId);
    expect(restored.stay).toMatchObject({ stayId: noShow.data.stayId, departure: dayDate(330) });
    expect(await score(guestId)).toMatchObject({ lastStay: dayDate(330), repeatStays: 11, openAlert: null });
  });

  it('should keep the nights of the latest posted adjustment, whether it comes before the stay, again, or before an older one', async () => {
    const guestId = await monthly(300);
    const stay = churn.stay(guestId, 330);
    const at = (hour: string) => `${dayDate(331)}T${hour}:00:00.000Z`;
    const zeroed = churn.adjusted(stay, 0, at('10'));
    await churn.send(zeroed);
    await churn.send(stay);
    expect((await score(guestId)).lastStay).toBe(dayDate(300));

    // Posted before the one that left it at 0 nights, handled after it.
    await churn.send(churn.adjusted(stay, 2, at('09')));
    expect((await score(guestId)).lastStay).toBe(dayDate(300));

    // Given nights by a later posting, the stay keeps them when the one that zeroed it comes again.
    await churn.send(churn.adjusted(stay, 1, at('11')));
    expect((await score(guestId)).lastStay).toBe(dayDate(330));
    await churn.send(churn.event('stay-adjusted', zeroed.data));
    expect((await score(guestId)).lastStay).toBe(dayDate(330));
  });

  it('should take the guest out of the scan and the refit when every stay of theirs is at 0 nights', async () => {
    const guestId = randomUUID();
    const only = churn.stay(guestId, 400);
    await churn.send(only);
    expect((await churn.http('GET', `/churn/guests/${guestId}`)).status).toBe(200);
    await churn.send(churn.adjusted(only, 0, 401));
    expect(await churn.stage.db.query('select 1 from guests where guest_id = $1', [guestId])).toEqual([]);
  });

  it('should dead-letter an adjustment that breaks its contract, and go on', async () => {
    const guestId = await monthly(60);
    const stay = churn.stay(guestId, 90);
    const broken = churn.adjusted(stay, 0, 91);
    (broken.data as { nights: unknown }).nights = 1.5;
    await churn.send(broken, stay, churn.adjusted(stay, 0, 92));
    const [dead] = await churn.stage.probe.awaitRecords(
      churn.stage.topic('stay-adjusted.dlq'),
      1,
      (record) => record.json<{ id: string }>().id === broken.id,
    );
    expect(dead.headers['dlq-reason']).toBe('INVALID_DATA');
    expect((await score(guestId)).lastStay).toBe(dayDate(60));
  });

  describe('when an adjustment and its stay are handled at the same time (different topics)', () => {
    const NOW = new Date(`${dayDate(500)}T12:00:00Z`);
    const noPublishing = async () => undefined;

    /** Runs `first` in a transaction left open, starts `second` in another, and commits `first` once `second` waits or has finished. */
    async function overlapping(
      first: (manager: EntityManager) => Promise<void>,
      second: (manager: EntityManager) => Promise<void>,
    ): Promise<void> {
      const dataSource = churn.provider(DataSource);
      const [one, two] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
      try {
        await one.startTransaction();
        await first(one.manager);
        await two.startTransaction();
        let finished = false;
        const running = second(two.manager).finally(() => (finished = true));
        await waitUntil('the second to wait for the first, or finish', async () => {
          if (finished) return true;
          const [{ waiting }] = await churn.stage.db.query<{ waiting: number }>(
            `select count(*)::int as waiting from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock'`,
          );
          return waiting > 0;
        });
        await one.commitTransaction();
        await running;
        await two.commitTransaction();
      } finally {
        await one.release();
        await two.release();
      }
    }

    function adjustment(stay: EventEnvelope<'stay-recorded'>) {
      const { data } = churn.adjusted(stay, 0, 499);
      return {
        propertyId: data.propertyId,
        reservationId: data.reservationId,
        adjustmentKey: `${data.propertyId}/${data.adjustmentId}`,
        nights: 0,
        adjustedAt: data.adjustedAt,
        publish: noPublishing,
      };
    }

    it.each([
      ['the adjustment', 'the stay'],
      ['the stay', 'the adjustment'],
    ])('should not count the stay when %s commits while %s is handled', async (first) => {
      const guestId = await monthly(120);
      const stay = churn.stay(guestId, 150);
      const history = churn.provider(GuestHistoryService);
      const record = (manager: EntityManager) =>
        history.recordStays(manager, [{ stay: stay.data, publish: noPublishing }], NOW);
      const adjust = (manager: EntityManager) => history.adjustNights(manager, [adjustment(stay)], NOW);
      await (first === 'the adjustment' ? overlapping(adjust, record) : overlapping(record, adjust));
      expect((await score(guestId)).lastStay).toBe(dayDate(120));
    });
  });
});
