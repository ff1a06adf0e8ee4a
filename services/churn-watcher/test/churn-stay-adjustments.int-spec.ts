import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { GuestHistoryService } from '../src/watch/guest-history.service';
import { VisitStore } from '../src/watch/visit-store';
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

  /** A guest staying every 30 days from day 0 to `to`, and their stays. */
  async function monthlyStays(
    to: number,
  ): Promise<{ guestId: string; stays: EventEnvelope<'stay-recorded'>[] }> {
    const guestId = randomUUID();
    const days = Array.from({ length: to / 30 + 1 }, (_, i) => 30 * i);
    const stays = days.map((day) => churn.stay(guestId, day));
    await churn.send(...stays);
    return { guestId, stays };
  }

  /** A guest staying every 30 days from day 0 to `to`. */
  async function monthly(to: number): Promise<string> {
    return (await monthlyStays(to)).guestId;
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
    await churn.stage.awaitPublished('visit-frequency-restored');
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

  it('should still show the open alert of a guest whose every stay is then adjusted to 0 nights', async () => {
    const { guestId, stays } = await monthlyStays(300);
    await churn.at(420).runNow();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    await churn.at(421).send(...stays.map((stay) => churn.adjusted(stay, 0, 421)));
    expect(await churn.stage.db.query('select 1 from guests where guest_id = $1', [guestId])).toEqual([]);

    // No visit left to score, but the alert is still open: it stays in view.
    expect(await churn.http('GET', `/churn/guests/${guestId}`)).toMatchObject({
      status: 200,
      body: {
        guestId,
        lastStay: null,
        repeatStays: null,
        model: null,
        openAlert: { riskLevel: dropped.riskLevel, evidence: { lastDeparture: dayDate(300) } },
      },
    });
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

  describe('when an adjustment and a stay are handled at the same time (different topics)', () => {
    const NOW = new Date(`${dayDate(500)}T12:00:00Z`);
    const noPublishing = async () => undefined;
    type Work = (manager: EntityManager) => Promise<unknown>;

    /**
     * Runs `first` in a transaction left open and starts `second` in another; once `second` waits for a
     * lock or has finished, runs `meanwhile` in the first transaction and commits both. Says whether
     * `second` had to wait.
     */
    async function overlapping(
      first: Work,
      second: Work,
      meanwhile: Work = async () => undefined,
    ): Promise<'waited' | 'finished'> {
      const dataSource = churn.provider(DataSource);
      const [one, two] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
      try {
        await one.startTransaction();
        await first(one.manager);
        await two.startTransaction();
        // The second's own backend: the app's consumers wait for locks in this database too.
        const [{ pid }]: { pid: number }[] = await two.query('select pg_backend_pid() as pid');
        let finished = false;
        const running = second(two.manager).finally(() => (finished = true));
        const outcome = await waitUntil('the second to wait for the first, or finish', async () => {
          if (finished) return 'finished' as const;
          const [{ waiting }] = await churn.stage.db.query<{ waiting: boolean }>(
            `select exists (select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock')
               as waiting`,
            [pid],
          );
          return waiting ? ('waited' as const) : undefined;
        });
        await meanwhile(one.manager);
        await one.commitTransaction();
        await running;
        await two.commitTransaction();
        return outcome;
      } finally {
        for (const runner of [one, two]) {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          await runner.release();
        }
      }
    }

    function adjustment(stay: EventEnvelope<'stay-recorded'>, nights = 0, posted = 499) {
      const { data } = churn.adjusted(stay, nights, posted);
      return {
        propertyId: data.propertyId,
        reservationId: data.reservationId,
        adjustmentKey: `${data.propertyId}/${data.adjustmentId}`,
        nights,
        adjustedAt: data.adjustedAt,
        publish: noPublishing,
      };
    }

    const history = () => churn.provider(GuestHistoryService);
    const record =
      (stay: EventEnvelope<'stay-recorded'>): Work =>
      (manager) =>
        history().recordStays(manager, [{ stay: stay.data, publish: noPublishing }], NOW);
    const adjust =
      (stay: EventEnvelope<'stay-recorded'>): Work =>
      (manager) =>
        history().adjustNights(manager, [adjustment(stay)], NOW);

    it.each([
      ['the adjustment', 'the stay', 'no posting'],
      ['the stay', 'the adjustment', 'no posting'],
      ['the adjustment', 'the stay', 'a posting that gave it nights'],
      ['the stay', 'the adjustment', 'a posting that gave it nights'],
    ])(
      'should not count the stay when %s commits while %s is handled, after %s',
      async (first, _, before) => {
        const guestId = await monthly(120);
        const stay = churn.stay(guestId, 150);
        // Kept before: the stay's row is there, neither side inserts it.
        if (before !== 'no posting') await churn.send(churn.adjusted(stay, 2, 498));
        const waited = await (first === 'the adjustment'
          ? overlapping(adjust(stay), record(stay))
          : overlapping(record(stay), adjust(stay)));
        expect(waited).toBe('waited');
        expect((await score(guestId)).lastStay).toBe(dayDate(120));
      },
    );

    it.each([
      ['a stay batch', 'an adjustment'],
      ['an adjustment', 'a stay batch'],
    ])('should not make %s wait while %s of another reservation is handled', async (second, first) => {
      const [one, other] = [await monthly(120), await monthly(120)];
      const [stay, unrelated] = [churn.stay(one, 150), churn.stay(other, 150)];
      const handling = (what: string, of: EventEnvelope<'stay-recorded'>) =>
        what === 'a stay batch' ? record(of) : adjust(of);
      expect(await overlapping(handling(first, stay), handling(second, unrelated))).toBe('finished');
    });

    it('should lock the summaries it refreshes in id order, as the scan does, when one is left without a visit', async () => {
      // Ids at either end of the order.
      const [low, high] = ['00000000', 'ffffffff'].map((head) => `${head}${randomUUID().slice(8)}`);
      const [lowStay, highStay] = [churn.stay(low, 150), churn.stay(high, 150)];
      await churn.send(lowStay, highStay);
      // `high`'s only stay at 0 nights, its summary not refreshed yet: the refresh deletes it.
      await churn.stage.db.query(
        `insert into stay_nights (property_id, reservation_id, nights, adjusted_at, adjustment_key)
         values ($1, $2, 0, now(), 'test/zeroed')
         on conflict (property_id, reservation_id) do update set nights = 0,
           adjusted_at = excluded.adjusted_at, adjustment_key = excluded.adjustment_key`,
        [highStay.data.propertyId, highStay.data.reservationId],
      );
      const visits = churn.provider(VisitStore);
      const lock = (guestId: string) => (manager: EntityManager) => visits.lockSummaries(manager, [guestId]);
      const refresh = (manager: EntityManager) => visits.refreshSummaries(manager, [high, low], NOW);
      // The scan locks `low`, then `high`: the refresh waits for `low` before it touches `high`.
      expect(await overlapping(lock(low), refresh, lock(high))).toBe('waited');
      const left = await churn.stage.db.query<{ guestId: string }>(
        'select guest_id as "guestId" from guests where guest_id = any($1::uuid[])',
        [[low, high]],
      );
      expect(left).toEqual([{ guestId: low }]);
    });
  });
});
