import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { GuestHistoryService } from '../src/watch/guest-history.service';
import { ChurnStage, dayDate } from './churn-stage';

describe('churn-watcher merges and erasures (real broker and Postgres)', () => {
  let churn: ChurnStage;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_merge');
    await churn.regulars([20, 30, 40], 300);
  });

  afterAll(async () => {
    await churn.close();
  });

  /** How many of the suite's connections wait for a lock. */
  async function lockWaiters(): Promise<number> {
    const [{ waiting }] = await churn.stage.db.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
       where wait_event_type = 'Lock' and datname = current_database()`,
    );
    return waiting;
  }

  /** The `stay_nights` rows kept of the stays, each with its nights (null: no adjustment posted). */
  async function nightsKeptOf(
    ...stays: EventEnvelope<'stay-recorded'>[]
  ): Promise<{ reservationId: string; nights: number | null }[]> {
    return churn.stage.db.query(
      `select reservation_id as "reservationId", nights from stay_nights
       where (property_id, reservation_id) in (select * from unnest($1::text[], $2::text[]))
       order by reservation_id`,
      [stays.map((stay) => stay.data.propertyId), stays.map((stay) => stay.data.reservationId)],
    );
  }

  /** The guest's signals as stored, by kind. */
  async function signalsOf(guestId: string): Promise<{ kind: string; reference: string }[]> {
    return churn.stage.db.query(
      'select kind, reference from churn_signals where guest_id = $1 order by kind, reference',
      [guestId],
    );
  }

  /** A complaint opened, a detractor answer and a tier downgrade on `day`, of the guests given in turn. */
  function signals(day: number, complaintId: string, ...guestIds: [string, string, string]) {
    const at = `${dayDate(day)}T09:00:00.000Z`;
    return [
      churn.event('complaint-opened', { guestId: guestIds[0], complaintId, openedAt: at }),
      churn.event('survey-completed', {
        guestId: guestIds[1],
        surveyId: randomUUID(),
        nps: 2,
        classification: 'detractor',
        completedAt: at,
      }),
      churn.event('tier-changed', {
        guestId: guestIds[2],
        from: 'gold',
        to: 'silver',
        reason: 'requalification-missed',
        changedAt: at,
      }),
    ];
  }

  function closedUnresolved(guestId: string, complaintId: string, day: number) {
    return churn.event('complaint-closed', {
      guestId,
      complaintId,
      outcome: 'unresolved',
      closedAt: `${dayDate(day)}T09:00:00.000Z`,
    });
  }

  it('should judge the survivor on both guests stays when two profiles merge', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    // Alone, neither profile has a pattern (one repeat stay each); together they stay every 30 days.
    await churn.send(
      churn.stay(survivorId, 210),
      churn.stay(survivorId, 270),
      churn.stay(mergedId, 240),
      churn.stay(mergedId, 300),
    );
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );

    await churn.at(360).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);
    expect(dropped.evidence).toMatchObject({ daysSinceLastStay: 60, previousCadenceDays: 30 });
    expect((await churn.http('GET', `/churn/guests/${mergedId}`)).status).toBe(404);
    expect((await churn.http('GET', `/churn/guests/${survivorId}`)).body).toMatchObject({ repeatStays: 3 });
  });

  it('should delete everything about an erased guest and never alert on them', async () => {
    const guestId = randomUUID();
    await churn.send(...[300, 330, 360, 390].map((day) => churn.stay(guestId, day)));
    await churn.send(churn.event('guest-erased', { guestId, erasedAt: new Date().toISOString() }));

    await churn.at(480).runDue();
    expect((await churn.http('GET', `/churn/guests/${guestId}`)).status).toBe(404);
    for (const table of ['guest_visits', 'guests', 'churn_signals', 'churn_episodes']) {
      expect(await churn.stage.db.query(`select 1 from ${table} where guest_id = $1`, [guestId])).toEqual([]);
    }
    await churn.stage.awaitPublished('visit-frequency-dropped');
    expect(churn.records('visit-frequency-dropped', guestId)).toEqual([]);
  });

  it("should close the survivor's alert when the merged profile has stayed since", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(...[380, 400, 420, 440].map((day) => churn.stay(survivorId, day)));
    await churn.at(500).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);

    await churn.at(505).send(churn.stay(mergedId, 505));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, survivorId);
    expect(restored.stay.departure).toBe(dayDate(505));
    expect(churn.records('visit-frequency-restored', mergedId)).toEqual([]);
  });

  it("should close the survivor's alert when the merged profile stayed after the alert's last departure but before the scan", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(...[520, 540, 560, 580].map((day) => churn.stay(survivorId, day)));
    await churn.at(640).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);

    await churn.at(641).send(churn.stay(mergedId, 600));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, survivorId);
    expect(restored.stay.departure).toBe(dayDate(600));
  });

  it("should keep one alert for the lapse, restored by the guest's return, when a guest already alerted is merged into one without an open alert", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(
      churn.stay(survivorId, 650),
      ...[700, 720, 740, 760].map((day) => churn.stay(mergedId, day)),
    );
    await churn.at(820).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, mergedId);

    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    await churn.at(821).runDue();
    const episodes = () =>
      churn.stage.db.query(
        `select guest_id as "guestId", opened_at as "openedAt", closed_by as "closedBy"
         from churn_episodes where guest_id = any($1::uuid[])`,
        [[survivorId, mergedId]],
      );
    expect(await episodes()).toEqual([
      { guestId: survivorId, openedAt: new Date(`${dayDate(820)}T12:00:00Z`), closedBy: null },
    ]);

    const comeback = churn.stay(survivorId, 825);
    await churn.at(825).send(comeback);
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, survivorId);
    expect(restored.stay.stayId).toBe(comeback.data.stayId);
    expect(await episodes()).toEqual([
      expect.objectContaining({ guestId: survivorId, closedBy: `stay:${comeback.data.stayId}` }),
    ]);
    expect(churn.records('visit-frequency-dropped', survivorId)).toEqual([]);
  });

  it("should keep the later lapse's alert open, and announce no return, when both merged guests were alerted", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(
      ...[830, 850, 870, 890].map((day) => churn.stay(survivorId, day)),
      ...[840, 860, 880, 900].map((day) => churn.stay(mergedId, day)),
    );
    await churn.at(960).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);
    await churn.awaitRecords('visit-frequency-dropped', 1, mergedId);

    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    await churn.at(961).runDue();
    const open = await churn.http<{ items: { guestId: string }[] }>('GET', '/churn/alerts?limit=500');
    expect(
      open.body.items.filter(({ guestId }) => guestId === survivorId || guestId === mergedId),
    ).toMatchObject([
      {
        guestId: survivorId,
        openedAt: `${dayDate(960)}T12:00:00.000Z`,
        evidence: { lastDeparture: dayDate(900) },
      },
    ]);

    await churn.at(965).send(churn.stay(survivorId, 965));
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, survivorId);
    expect(restored.stay.departure).toBe(dayDate(965));
    expect(churn.records('visit-frequency-dropped', survivorId)).toHaveLength(1);
  });

  it('should not bring an erased guest back when one of their stays arrives after the erasure', async () => {
    const guestId = randomUUID();
    const late = churn.stay(guestId, 650);
    await churn.send(...[600, 620, 640].map((day) => churn.stay(guestId, day)));
    await churn.send(churn.event('guest-erased', { guestId, erasedAt: new Date().toISOString() }));
    await churn.send(late);

    expect((await churn.http('GET', `/churn/guests/${guestId}`)).status).toBe(404);
    for (const table of ['guest_visits', 'guests']) {
      expect(await churn.stage.db.query(`select 1 from ${table} where guest_id = $1`, [guestId])).toEqual([]);
    }
    expect(await nightsKeptOf(late)).toEqual([]);
  });

  it("should delete the nights of an erased guest's stays, those a merged profile brought too, but not of a reservation another guest stayed on", async () => {
    const [guestId, mergedId, companionId] = [randomUUID(), randomUUID(), randomUUID()];
    const own = churn.stay(guestId, 600);
    const brought = churn.stay(mergedId, 610);
    const shared = churn.stay(guestId, 620);
    const companions = churn.event('stay-recorded', {
      ...shared.data,
      guestId: companionId,
      stayId: randomUUID(),
    });
    await churn.send(own, brought, shared, companions);
    await churn.send(churn.adjusted(own, 1, 601), churn.adjusted(shared, 0, 621));
    await churn.send(
      churn.event('guest-merged', { survivorId: guestId, mergedId, mergedAt: new Date().toISOString() }),
    );
    await churn.send(churn.event('guest-erased', { guestId, erasedAt: new Date().toISOString() }));

    expect(await nightsKeptOf(own, brought)).toEqual([]);
    expect(await nightsKeptOf(shared)).toEqual([{ reservationId: shared.data.reservationId, nights: 0 }]);
  });

  it('should record a stay of a merged id, arriving after the merge, for the final survivor', async () => {
    const [firstId, secondId, survivorId] = [randomUUID(), randomUUID(), randomUUID()];
    await churn.send(churn.stay(firstId, 600), churn.stay(secondId, 620), churn.stay(survivorId, 640));
    const merged = (mergedId: string, into: string) =>
      churn.event('guest-merged', { survivorId: into, mergedId, mergedAt: new Date().toISOString() });
    await churn.send(merged(firstId, secondId));
    await churn.send(merged(secondId, survivorId));
    await churn.send(churn.stay(firstId, 660), churn.stay(secondId, 680));

    for (const gone of [firstId, secondId]) {
      expect((await churn.http('GET', `/churn/guests/${gone}`)).status).toBe(404);
    }
    const survivor = await churn.http('GET', `/churn/guests/${survivorId}`);
    expect(survivor.body).toMatchObject({ repeatStays: 4, lastStay: dayDate(680) });
  });

  it('should move a merged id to the final survivor when its merge is handled after the survivor was merged in turn', async () => {
    const [firstId, secondId, survivorId] = [randomUUID(), randomUUID(), randomUUID()];
    await churn.send(churn.stay(firstId, 600), churn.stay(secondId, 620), churn.stay(survivorId, 640));
    const merged = (mergedId: string, into: string) =>
      churn.event('guest-merged', { survivorId: into, mergedId, mergedAt: new Date().toISOString() });
    // Keyed by survivor, the later merge can be handled first.
    await churn.send(merged(secondId, survivorId));
    await churn.send(merged(firstId, secondId));
    await churn.send(churn.stay(firstId, 660));

    for (const gone of [firstId, secondId]) {
      expect((await churn.http('GET', `/churn/guests/${gone}`)).status).toBe(404);
    }
    const survivor = await churn.http('GET', `/churn/guests/${survivorId}`);
    expect(survivor.body).toMatchObject({ repeatStays: 3, lastStay: dayDate(660) });
  });

  it('should erase a merged id whose merge is handled after its final survivor was erased', async () => {
    const [firstId, secondId, survivorId] = [randomUUID(), randomUUID(), randomUUID()];
    const stays = [churn.stay(firstId, 600), churn.stay(secondId, 620), churn.stay(survivorId, 640)];
    await churn.send(...stays);
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId: secondId, mergedAt: new Date().toISOString() }),
    );
    await churn.send(
      churn.event('guest-erased', { guestId: survivorId, erasedAt: new Date().toISOString() }),
    );
    await churn.send(
      churn.event('guest-merged', {
        survivorId: secondId,
        mergedId: firstId,
        mergedAt: new Date().toISOString(),
      }),
    );
    const late = churn.stay(firstId, 660);
    await churn.send(late);

    for (const table of ['guest_visits', 'guests']) {
      expect(
        await churn.stage.db.query(`select 1 from ${table} where guest_id = any($1::uuid[])`, [
          [firstId, secondId, survivorId],
        ]),
      ).toEqual([]);
    }
    expect(await nightsKeptOf(...stays, late)).toEqual([]);
  });

  describe('when the merge or erasure commits while a stay of the id is being recorded', () => {
    /**
     * Records a stay of `guestId` in a transaction left open while `change` runs in another (the two are
     * handled concurrently: stays are keyed by guest, merges by survivor), then commits the stay.
     */
    async function recordStayDuring(
      guestId: string,
      change: (history: GuestHistoryService, manager: EntityManager) => Promise<void>,
    ) {
      const [history, dataSource] = [churn.provider(GuestHistoryService), churn.provider(DataSource)];
      const runner = dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        const { data } = churn.stay(guestId, 720);
        await history.recordStays(
          runner.manager,
          [{ stay: data, publish: async () => undefined }],
          new Date(),
        );
        const changed = dataSource.transaction((manager) => change(history, manager));
        // Long enough for the change to commit first, were it not made to wait for the stay.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await runner.commitTransaction();
        await changed;
      } finally {
        await runner.release();
      }
    }

    it('should move the stay to the survivor', async () => {
      const [mergedId, survivorId] = [randomUUID(), randomUUID()];
      await churn.send(churn.stay(mergedId, 660), churn.stay(survivorId, 690));
      const merge = { survivorId, mergedId, rule: 'manual' as const, mergedAt: new Date().toISOString() };
      await recordStayDuring(mergedId, (history, manager) =>
        history.merge(manager, merge, new Date(), async () => undefined),
      );
      expect(
        await churn.stage.db.query('select 1 from guest_visits where guest_id = $1', [mergedId]),
      ).toEqual([]);
      expect((await churn.http('GET', `/churn/guests/${survivorId}`)).body).toMatchObject({
        repeatStays: 2,
        lastStay: dayDate(720),
      });
    });

    it('should not keep the stay of an erased guest', async () => {
      const guestId = randomUUID();
      await churn.send(churn.stay(guestId, 660));
      await recordStayDuring(guestId, (history, manager) =>
        history.erase(manager, { guestId, erasedAt: new Date().toISOString(), reason: 'guest-request' }),
      );
      for (const table of ['guest_visits', 'guests']) {
        expect(await churn.stage.db.query(`select 1 from ${table} where guest_id = $1`, [guestId])).toEqual(
          [],
        );
      }
    });
  });

  describe('when the daily scan locks both guests while they merge', () => {
    /**
     * Postgres looks for a deadlock once in each wait, deadlock_timeout after it began: past that look, the
     * waits begun so far are known to close no cycle, and a deadlock found later is one the test closed.
     */
    async function pastDeadlockChecks(): Promise<void> {
      const [{ ms }] = await churn.stage.db.query<{ ms: number }>(
        `select setting::int as ms from pg_settings where name = 'deadlock_timeout'`,
      );
      await new Promise((resolve) => setTimeout(resolve, ms + 1000));
    }

    it('should let the scan and the merge through, one after the other', async () => {
      // The scan locks lapsing guests in id order: the survivor's summary first.
      const [survivorId, mergedId] = [randomUUID(), randomUUID()].sort();
      await churn.send(
        ...[1000, 1020, 1040, 1060].flatMap((day) => [
          churn.stay(survivorId, day),
          churn.stay(mergedId, day),
        ]),
      );
      const [history, dataSource] = [churn.provider(GuestHistoryService), churn.provider(DataSource)];
      const merge = { survivorId, mergedId, rule: 'manual' as const, mergedAt: new Date().toISOString() };
      // Holds the survivor's summary: the scan queues for it first, then the merge.
      const holding = new Client({ connectionString: churn.stage.db.url });
      await holding.connect();
      try {
        await holding.query('begin');
        await holding.query('select 1 from guests where guest_id = $1 for update', [survivorId]);
        const scanning = churn.at(1120).runDue();
        await waitUntil('the scan waiting for the survivor', async () => (await lockWaiters()) === 1);
        const merging = dataSource.transaction((manager) =>
          history.merge(manager, merge, new Date(), async () => undefined),
        );
        await waitUntil('the merge waiting for the survivor', async () => (await lockWaiters()) === 2);
        await pastDeadlockChecks();
        // The scan takes the survivor and goes on to the merged guest.
        await holding.query('commit');
        const outcomes = await Promise.allSettled([scanning, merging]);
        expect(
          outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'done')),
        ).toEqual(['done', 'done']);
      } finally {
        await holding.end();
      }
      // Both were alerted by the scan; the merge kept one alert, the survivor's.
      expect(
        await churn.stage.db.query(
          'select guest_id as "guestId" from churn_episodes where closed_at is null and guest_id = any($1::uuid[])',
          [[survivorId, mergedId]],
        ),
      ).toEqual([{ guestId: survivorId }]);
      expect(await churn.stage.db.query('select 1 from guests where guest_id = $1', [mergedId])).toEqual([]);
    });
  });

  it('should not keep a signal of an erased guest, or of an id merged into them, that arrives after the erasure', async () => {
    const [guestId, mergedId] = [randomUUID(), randomUUID()];
    const [complaintId, mergedComplaintId] = [randomUUID(), randomUUID()];
    await churn.send(...[600, 620, 640].map((day) => churn.stay(guestId, day)));
    await churn.send(
      churn.event('guest-merged', { survivorId: guestId, mergedId, mergedAt: new Date().toISOString() }),
    );
    await churn.send(churn.event('guest-erased', { guestId, erasedAt: new Date().toISOString() }));

    await churn.send(
      ...signals(650, complaintId, guestId, guestId, guestId),
      ...signals(650, mergedComplaintId, mergedId, mergedId, mergedId),
    );
    await churn.send(
      closedUnresolved(guestId, complaintId, 651),
      closedUnresolved(mergedId, mergedComplaintId, 651),
    );

    for (const gone of [guestId, mergedId]) {
      expect(await signalsOf(gone)).toEqual([]);
      expect((await churn.http('GET', `/churn/guests/${gone}`)).status).toBe(404);
    }
  });

  it('should record a signal of a merged id, arriving after the merge, for the final survivor', async () => {
    const [firstId, secondId, survivorId] = [randomUUID(), randomUUID(), randomUUID()];
    const complaintId = randomUUID();
    await churn.send(churn.stay(firstId, 600), churn.stay(secondId, 620), churn.stay(survivorId, 640));
    const merged = (mergedId: string, into: string) =>
      churn.event('guest-merged', { survivorId: into, mergedId, mergedAt: new Date().toISOString() });
    await churn.send(merged(firstId, secondId));
    await churn.send(merged(secondId, survivorId));

    await churn.send(...signals(650, complaintId, firstId, secondId, firstId));
    // Closed under the other merged id: the complaint opened under the first is the survivor's, and closes.
    await churn.send(closedUnresolved(secondId, complaintId, 651));

    for (const gone of [firstId, secondId]) expect(await signalsOf(gone)).toEqual([]);
    expect(await signalsOf(survivorId)).toEqual([
      { kind: 'complaint-closed', reference: complaintId },
      { kind: 'complaint-unresolved', reference: complaintId },
      { kind: 'detractor', reference: expect.any(String) },
      { kind: 'survey-answered', reference: 'newest' },
      { kind: 'tier-downgrade', reference: `gold->silver@${dayDate(650)}T09:00:00.000Z` },
    ]);
  });

  it('should not keep a complaint open when its open and close were handled under different ids of the merged guest', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    const [closedFirst, closedUnderSurvivor] = [randomUUID(), randomUUID()];
    const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;
    await churn.send(churn.stay(survivorId, 600), churn.stay(mergedId, 620));
    // Complaints had moved the guest's complaints to the survivor before this service handled the merge.
    await churn.send(
      churn.event('complaint-opened', {
        guestId: mergedId,
        complaintId: closedUnderSurvivor,
        openedAt: at(630),
      }),
      churn.event('complaint-closed', { guestId: mergedId, complaintId: closedFirst, closedAt: at(632) }),
    );
    await churn.send(
      churn.event('complaint-closed', {
        guestId: survivorId,
        complaintId: closedUnderSurvivor,
        outcome: 'resolved',
        closedAt: at(631),
      }),
    );
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    // The open of the complaint closed first comes last, under the merged id.
    await churn.send(
      churn.event('complaint-opened', { guestId: mergedId, complaintId: closedFirst, openedAt: at(629) }),
    );

    expect(await signalsOf(mergedId)).toEqual([]);
    expect((await signalsOf(survivorId)).filter((signal) => signal.kind === 'complaint-opened')).toEqual([]);
  });

  it('should keep a complaint open by its newest close or reopen when they were handled under different ids of the merged guest', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    const [reopenedUnderSurvivor, closedUnderSurvivor] = [randomUUID(), randomUUID()];
    const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;
    const opened = (guestId: string, complaintId: string) =>
      churn.event('complaint-opened', { guestId, complaintId, openedAt: at(630) });
    const closed = (guestId: string, complaintId: string, day: number) =>
      churn.event('complaint-closed', { guestId, complaintId, outcome: 'unresolved', closedAt: at(day) });
    const reopened = (guestId: string, complaintId: string, day: number) =>
      churn.reopened(guestId, complaintId, day);
    const openOf = async (guestId: string) =>
      (await signalsOf(guestId))
        .filter((signal) => signal.kind === 'complaint-opened' || signal.kind === 'complaint-unresolved')
        .map((signal) => [signal.kind, signal.reference]);

    // Complaints moved the guest's complaints to the survivor before this service handled the merge.
    await churn.send(
      opened(mergedId, reopenedUnderSurvivor),
      opened(mergedId, closedUnderSurvivor),
      closed(mergedId, reopenedUnderSurvivor, 632),
      closed(mergedId, closedUnderSurvivor, 632),
    );
    await churn.send(
      reopened(survivorId, reopenedUnderSurvivor, 634),
      reopened(mergedId, closedUnderSurvivor, 634),
    );
    await churn.send(closed(survivorId, closedUnderSurvivor, 636));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );

    expect(await signalsOf(mergedId)).toEqual([]);
    // Reopened after its close: open, no longer closed unresolved. Closed again after its reopen: closed.
    expect(await openOf(survivorId)).toEqual([
      ['complaint-opened', reopenedUnderSurvivor],
      ['complaint-unresolved', closedUnderSurvivor],
    ]);

    // A reopen of the merged id arriving after the merge is the survivor's.
    await churn.send(reopened(mergedId, closedUnderSurvivor, 638));
    expect(await signalsOf(mergedId)).toEqual([]);
    expect((await openOf(survivorId)).sort()).toEqual(
      [
        ['complaint-opened', reopenedUnderSurvivor],
        ['complaint-opened', closedUnderSurvivor],
      ].sort(),
    );

    // After the erasure, a late reopen of either id brings nothing back.
    await churn.send(
      churn.event('guest-erased', { guestId: survivorId, erasedAt: new Date().toISOString() }),
    );
    await churn.send(
      reopened(mergedId, reopenedUnderSurvivor, 640),
      reopened(survivorId, closedUnderSurvivor, 640),
    );
    for (const gone of [survivorId, mergedId]) expect(await signalsOf(gone)).toEqual([]);
  });

  it("should name the guest's first return after the alert when the merged profile brings several stays", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(...[1140, 1160, 1180, 1200].map((day) => churn.stay(survivorId, day)));
    await churn.at(1260).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);

    // The merged profile's history: a stay from before the lapse and three since the alert, latest first.
    const comeback = churn.stay(mergedId, 1265);
    await churn
      .at(1276)
      .send(churn.stay(mergedId, 1275), churn.stay(mergedId, 1190), comeback, churn.stay(mergedId, 1270));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, survivorId);
    expect(restored.stay).toMatchObject({ stayId: comeback.data.stayId, departure: dayDate(1265) });
    expect(churn.records('visit-frequency-restored', survivorId)).toHaveLength(1);
    expect(
      await churn.stage.db.query('select closed_by as "closedBy" from churn_episodes where guest_id = $1', [
        survivorId,
      ]),
    ).toEqual([{ closedBy: `stay:${comeback.data.stayId}` }]);
  });

  it('should leave to the next scan a guest whose merge, bringing only older stays, commits while the scan locks its guests', async () => {
    // The scan locks lapsing guests in id order: held, the first keeps it from locking the survivor yet.
    const [firstId, survivorId, mergedId] = [randomUUID(), randomUUID(), randomUUID()].sort();
    await churn.send(
      ...[1400, 1420, 1440, 1460].flatMap((day) => [churn.stay(firstId, day), churn.stay(survivorId, day)]),
      // One repeat stay, too few to be scanned itself; merged, they change the survivor's cadence, not its last day.
      ...[1300, 1310].map((day) => churn.stay(mergedId, day)),
    );
    const holding = new Client({ connectionString: churn.stage.db.url });
    await holding.connect();
    try {
      await holding.query('begin');
      await holding.query('select 1 from guests where guest_id = $1 for update', [firstId]);
      const scanning = churn.at(1560).runDue();
      await waitUntil('the scan locking its guests', async () => (await lockWaiters()) === 1);
      await churn.send(
        churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
      );
      await holding.query('commit');
      expect((await scanning).find((report) => report.job === 'scan')?.ran).toBe(true);
    } finally {
      await holding.end();
    }
    expect(
      await churn.stage.db.query('select 1 from churn_episodes where guest_id = $1', [survivorId]),
    ).toEqual([]);

    await churn.at(1561).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);
    // Judged on both guests' stays: 160 days over 5 repeat stays, not the survivor's own 60 over 3.
    expect(dropped.evidence).toMatchObject({ previousCadenceDays: 32, lastDeparture: dayDate(1460) });
  });
});
