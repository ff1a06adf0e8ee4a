import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { waitUntil } from '@loyalty/testing';
import { VisitStore } from '../src/watch/visit-store';
import { ChurnStage, dayDate } from './churn-stage';

describe('churn-watcher alerts (real broker and Postgres)', () => {
  let churn: ChurnStage;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_alerts');
    // A chain of regulars with cadences from 20 to 40 days over the first 300 days.
    await churn.regulars([20, 30, 40], 300);
  });

  afterAll(async () => {
    await churn.close();
  });

  it('should raise one visit-frequency-dropped per lapse, with evidence, and close it with the next stay', async () => {
    const guestId = randomUUID();
    await churn.send(
      ...[0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300].map((day) => churn.stay(guestId, day)),
    );
    await churn.send(
      churn.event('complaint-opened', {
        guestId,
        complaintId: randomUUID(),
        openedAt: `${dayDate(290)}T09:00:00.000Z`,
      }),
      churn.event('survey-completed', {
        guestId,
        surveyId: randomUUID(),
        nps: 3,
        classification: 'detractor',
        completedAt: `${dayDate(292)}T09:00:00.000Z`,
      }),
      churn.event('tier-changed', {
        guestId,
        from: 'gold',
        to: 'silver',
        reason: 'requalification-missed',
        changedAt: `${dayDate(295)}T09:00:00.000Z`,
      }),
    );

    const fresh = await churn.at(310).runDue();
    expect(fresh.map((report) => report.ran)).toEqual([true, true]);
    await churn.stage.awaitPublished('visit-frequency-dropped');
    expect(churn.records('visit-frequency-dropped', guestId)).toHaveLength(0);

    await churn.at(360).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    expect(dropped).toMatchObject({
      guestId,
      riskLevel: 'high',
      evidence: {
        daysSinceLastStay: 60,
        lastDeparture: dayDate(300),
        previousCadenceDays: 30,
        // Newest first.
        recentSignals: [{ kind: 'tier-downgrade' }, { kind: 'detractor' }, { kind: 'complaint-opened' }],
      },
    });
    expect(dropped.evidence.expectedIntervalDays).toBeGreaterThan(20);
    expect(dropped.evidence.expectedIntervalDays).toBeLessThan(37.5);
    expect(dropped.modelVersion).toMatch(/^bgnbd-chain-\d+$/);

    // Later scans see the same lapse: still one alert for the episode.
    await churn.at(361).runDue();
    await churn.at(390).runDue();
    const alerts = await churn.http<{ items: { guestId: string }[] }>('GET', '/churn/alerts?limit=500');
    expect(alerts.body.items.filter((item) => item.guestId === guestId)).toHaveLength(1);
    expect(churn.records('visit-frequency-dropped', guestId)).toHaveLength(1);

    // The comeback arrives twice (the second time under a new event id) with the next stay in one run:
    // the episode is restored once, by the comeback.
    const comeback = churn.stay(guestId, 395);
    const resent = churn.event('stay-recorded', comeback.data);
    await churn.at(396).send(comeback, resent, churn.stay(guestId, 396));
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, guestId);
    expect(restored.stay).toMatchObject({ stayId: comeback.data.stayId, departure: dayDate(395) });
    const score = await churn.http('GET', `/churn/guests/${guestId}`);
    expect(score.body).toMatchObject({
      openAlert: null,
      lastStay: dayDate(396),
      lapsing: false,
      expectedStays: { nextDays: 90 },
    });
    expect(churn.records('visit-frequency-restored', guestId)).toHaveLength(1);
  });

  it('should run a due scan once when two instances ask at the same time, and not again until it is due', async () => {
    churn.at(420);
    const [first, second] = await Promise.all([churn.runDue(), churn.runDue()]);
    const scans = [first, second].map((reports) => reports.find((report) => report.job === 'scan')?.ran);
    expect(scans.sort()).toEqual([false, true]);
    expect((await churn.runDue()).map((report) => report.ran)).toEqual([false, false]);
  });

  it('should neither repeat nor skip the daily scan across a restart', async () => {
    await churn.restart();
    const again = await churn.at(420).runDue();
    expect(again.find((report) => report.job === 'scan')?.ran).toBe(false);
    const nextDay = await churn.at(421).runDue();
    expect(nextDay.find((report) => report.job === 'scan')?.ran).toBe(true);
  });

  it('should refit and scan at once when asked, whatever the schedule, and then wait for the next due time', async () => {
    churn.at(430);
    await churn.runDue();
    expect((await churn.runDue()).map((report) => report.ran)).toEqual([false, false]);
    const models = async () =>
      (await churn.http<{ items: unknown[] }>('GET', '/churn/models?limit=500')).body.items;
    const fitted = (await models()).length;

    const now = await churn.runNow();
    expect(now.map((report) => [report.job, report.ran])).toEqual([
      ['refit', true],
      ['scan', true],
    ]);
    expect(now[0].result).toEqual({ models: 1 });
    expect(now[1].result).toEqual({ scored: expect.any(Number), alerts: expect.any(Number) });
    expect(await models()).toHaveLength(fitted + 1);
    expect((await churn.runDue()).map((report) => report.ran)).toEqual([false, false]);
  });

  it('should store every fitted model with its log-likelihood, data size and time', async () => {
    const { body } = await churn.http<{
      items: { segment: string; logLikelihood: number; guests: number; fittedAt: string }[];
    }>('GET', '/churn/models');
    expect(body.items.length).toBeGreaterThanOrEqual(1);
    expect(body.items[0]).toMatchObject({ segment: 'chain', guests: expect.any(Number) });
    expect(body.items[0].logLikelihood).toBeLessThan(0);
    expect(body.items[0].guests).toBeGreaterThanOrEqual(18);
  });

  it("should keep the alert open, and alert once, when a stay from before the alert's last departure is recorded late", async () => {
    const guestId = randomUUID();
    await churn.send(...[440, 460, 480, 500].map((day) => churn.stay(guestId, day)));
    await churn.at(560).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, guestId);

    // A back-filled stay from before the alert: the guest has not come back.
    await churn.at(561).send(churn.stay(guestId, 470));
    await churn.at(562).runDue();
    const comeback = churn.stay(guestId, 563);
    await churn.at(563).send(comeback);
    const [restored] = await churn.awaitRecords('visit-frequency-restored', 1, guestId);
    expect(restored.stay.stayId).toBe(comeback.data.stayId);
    expect(churn.records('visit-frequency-restored', guestId)).toHaveLength(1);
    expect(churn.records('visit-frequency-dropped', guestId)).toHaveLength(1);
  });

  it('should not open an episode for a guest whose stay commits while the scan is running', async () => {
    const guestId = randomUUID();
    await churn.send(...[600, 620, 640, 660].map((day) => churn.stay(guestId, day)));
    // The stay's transaction has updated the guest's summary but not committed when the scan reads it.
    const stay = new Client({ connectionString: churn.stage.db.url });
    await stay.connect();
    try {
      await stay.query('begin');
      await stay.query('update guests set last_day = last_day + 59 where guest_id = $1', [guestId]);
      let finished = false;
      const scan = churn
        .at(720)
        .runDue()
        .finally(() => (finished = true));
      await waitUntil('the scan to wait for the stay, or finish', async () => {
        if (finished) return true;
        const [{ waiting }] = await churn.stage.db.query<{ waiting: number }>(
          `select count(*)::int as waiting from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return waiting > 0;
      });
      await stay.query('commit');
      expect((await scan).find((report) => report.job === 'scan')?.ran).toBe(true);
    } finally {
      await stay.end();
    }
    expect(await churn.stage.db.query('select 1 from churn_episodes where guest_id = $1', [guestId])).toEqual(
      [],
    );
  });

  it('should count a complaint whose close was handled before its open as neither open nor evidence', async () => {
    const [guestId, complaintId] = [randomUUID(), randomUUID()];
    await churn.send(...[740, 760, 780, 800].map((day) => churn.stay(guestId, day)));
    // Opens and closes are on different topics: the close can be handled first.
    await churn.send(
      churn.event('complaint-closed', {
        guestId,
        complaintId,
        outcome: 'resolved',
        closedAt: `${dayDate(792)}T09:00:00.000Z`,
      }),
    );
    await churn.send(
      churn.event('complaint-opened', { guestId, complaintId, openedAt: `${dayDate(790)}T09:00:00.000Z` }),
    );
    expect(
      await churn.stage.db.query(
        `select 1 from churn_signals where guest_id = $1 and kind = 'complaint-opened'`,
        [guestId],
      ),
    ).toEqual([]);

    await churn.at(860).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    expect(dropped.evidence.recentSignals).toEqual([]);
    const alerts = await churn.http<{ items: { guestId: string; evidence: { recentSignals: unknown[] } }[] }>(
      'GET',
      '/churn/alerts?limit=500',
    );
    const alert = alerts.body.items.find((item) => item.guestId === guestId);
    expect(alert?.evidence.recentSignals).toEqual([]);
  });

  /** The complaint's open signal as stored (the instant it counts from), or nothing when it is not open. */
  async function openSignal(guestId: string, complaintId: string): Promise<string[]> {
    const rows = await churn.stage.db.query<{ at: Date }>(
      `select at from churn_signals where guest_id = $1 and kind = 'complaint-opened' and reference = $2`,
      [guestId, complaintId],
    );
    return rows.map((row) => new Date(row.at).toISOString());
  }

  it('should count a complaint closed without the guest’s answer as open again once reopened, in the alert’s evidence', async () => {
    const [guestId, complaintId] = [randomUUID(), randomUUID()];
    const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;
    await churn.send(...[900, 920, 940, 960].map((day) => churn.stay(guestId, day)));
    await churn.send(churn.event('complaint-opened', { guestId, complaintId, openedAt: at(950) }));
    // The follow-up went unanswered: closed as unresolved, without a satisfaction score.
    await churn.send(
      churn.event('complaint-closed', { guestId, complaintId, outcome: 'unresolved', closedAt: at(955) }),
    );
    expect(await openSignal(guestId, complaintId)).toEqual([]);

    await churn.send(churn.reopened(guestId, complaintId, 958));
    expect(await openSignal(guestId, complaintId)).toEqual([at(958)]);

    await churn.at(1020).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    expect(dropped).toMatchObject({ riskLevel: 'high' });
    expect(dropped.evidence.recentSignals).toEqual([
      { kind: 'complaint-opened', reference: complaintId, at: at(958) },
    ]);
  });

  it('should decide whether a complaint is open by its newest close or reopen, whichever is handled first', async () => {
    const [guestId, complaintId] = [randomUUID(), randomUUID()];
    const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;
    const closed = (day: number) =>
      churn.event('complaint-closed', { guestId, complaintId, outcome: 'resolved', closedAt: at(day) });
    const reopened = (day: number) => churn.reopened(guestId, complaintId, day);

    // Each on its own topic: the reopen is handled before the close it undoes, and the open comes last.
    await churn.send(reopened(12));
    await churn.send(closed(11));
    await churn.send(churn.event('complaint-opened', { guestId, complaintId, openedAt: at(10) }));
    expect(await openSignal(guestId, complaintId)).toEqual([at(12)]);

    // Closed again after the reopen: a newer close.
    await churn.send(closed(14));
    expect(await openSignal(guestId, complaintId)).toEqual([]);

    // An earlier reopen handled late does not undo the newer close.
    await churn.send(reopened(13));
    expect(await openSignal(guestId, complaintId)).toEqual([]);
  });

  it('should count an unresolved close as evidence only until a reopen or a newer close, and for 180 days, never as a lapse of its own', async () => {
    const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;
    const [stillClosed, longAgo, reopenedFirst, closedAgain] = [1, 2, 3, 4].map(() => ({
      guestId: randomUUID(),
      complaintId: randomUUID(),
    }));
    const opened = ({ guestId, complaintId }: typeof stillClosed, day: number) =>
      churn.event('complaint-opened', { guestId, complaintId, openedAt: at(day) });
    const closed = (
      { guestId, complaintId }: typeof stillClosed,
      outcome: 'resolved' | 'unresolved',
      day: number,
    ) => churn.event('complaint-closed', { guestId, complaintId, outcome, closedAt: at(day) });
    const reopened = ({ guestId, complaintId }: typeof stillClosed, day: number) =>
      churn.reopened(guestId, complaintId, day);
    const guests = [stillClosed, longAgo, reopenedFirst, closedAgain];
    await churn.send(
      ...guests.flatMap(({ guestId }) => [1100, 1120, 1140, 1160].map((day) => churn.stay(guestId, day))),
    );
    // The follow-up went unanswered: closed as unresolved, 190 days before the scan for `longAgo`.
    await churn.send(opened(stillClosed, 1145), closed(stillClosed, 'unresolved', 1150));
    await churn.send(opened(longAgo, 1025), closed(longAgo, 'unresolved', 1030));
    // The reopen that undoes the close is handled before it (another topic).
    await churn.send(opened(reopenedFirst, 1145), reopened(reopenedFirst, 1152));
    await churn.send(closed(reopenedFirst, 'unresolved', 1150));
    // Reopened, then closed with the guest satisfied.
    await churn.send(opened(closedAgain, 1145), closed(closedAgain, 'unresolved', 1150));
    await churn.send(reopened(closedAgain, 1152), closed(closedAgain, 'resolved', 1155));

    // Still on their cadence: no complaint makes a lapse (the scan opens an episode for every alert it raises).
    await churn.at(1165).runDue();
    const ids = guests.map(({ guestId }) => guestId);
    expect(
      await churn.stage.db.query('select 1 from churn_episodes where guest_id = any($1::uuid[])', [ids]),
    ).toEqual([]);

    await churn.at(1220).runDue();
    const dropped = async ({ guestId }: typeof stillClosed) =>
      (await churn.awaitRecords('visit-frequency-dropped', 1, guestId))[0];
    const [unresolved, expired, reopenedAgain, resolved] = await Promise.all(guests.map(dropped));
    expect(unresolved.riskLevel).toBe('high');
    expect(unresolved.evidence.recentSignals).toEqual([
      { kind: 'complaint-unresolved', reference: stillClosed.complaintId, at: at(1150) },
    ]);
    expect(expired.evidence.recentSignals).toEqual([]);
    expect(reopenedAgain.evidence.recentSignals).toEqual([
      { kind: 'complaint-opened', reference: reopenedFirst.complaintId, at: at(1152) },
    ]);
    expect(resolved.evidence.recentSignals).toEqual([]);
  });

  it("should count the days since a guest's last stay to the local date at that stay's property", async () => {
    const [amsterdamGuest, movedToLosAngeles] = [randomUUID(), randomUUID()];
    const losAngeles = { propertyId: 'LAX01', timeZone: 'America/Los_Angeles' };
    await churn.send(
      ...[1300, 1320, 1340, 1360].map((day) => churn.stay(amsterdamGuest, day)),
      ...[1300, 1320, 1340].map((day) => churn.stay(movedToLosAngeles, day)),
      churn.stay(movedToLosAngeles, 1360, losAngeles),
    );

    // 03:00 UTC, the scan hour: the date has turned in Amsterdam, not yet in Los Angeles.
    await churn.at(1420, 3).runDue();
    const [inAmsterdam] = await churn.awaitRecords('visit-frequency-dropped', 1, amsterdamGuest);
    const [inLosAngeles] = await churn.awaitRecords('visit-frequency-dropped', 1, movedToLosAngeles);
    expect(inAmsterdam.evidence).toMatchObject({ daysSinceLastStay: 60, lastDeparture: dayDate(1360) });
    expect(inLosAngeles.evidence).toMatchObject({ daysSinceLastStay: 59, lastDeparture: dayDate(1360) });
    expect((await churn.http('GET', `/churn/guests/${movedToLosAngeles}`)).body).toMatchObject({
      daysSinceLastStay: 59,
    });
  });

  it('should judge a guest whose zone this runtime does not know on the UTC date, and scan everyone else', async () => {
    const [inNewerZone, inLosAngeles] = [randomUUID(), randomUUID()];
    const losAngeles = { propertyId: 'LAX01', timeZone: 'America/Los_Angeles' };
    await churn.send(
      ...[1500, 1520, 1540, 1560].map((day) => churn.stay(inNewerZone, day)),
      ...[1500, 1520, 1540, 1560].map((day) => churn.stay(inLosAngeles, day, losAngeles)),
    );
    // Recorded by a pod whose ICU data has a zone of a newer tz release, which this runtime's does not.
    const zone = 'America/Zone_Of_A_Newer_Tz_Release';
    for (const table of ['guest_visits', 'guests']) {
      await churn.stage.db.query(`update ${table} set time_zone = $2 where guest_id = $1`, [
        inNewerZone,
        zone,
      ]);
    }

    // 03:00 UTC: the UTC date has turned, Los Angeles's not yet.
    const reports = await churn.at(1620, 3).runDue();
    expect(reports.find((report) => report.job === 'scan')?.ran).toBe(true);
    const [unknown] = await churn.awaitRecords('visit-frequency-dropped', 1, inNewerZone);
    const [known] = await churn.awaitRecords('visit-frequency-dropped', 1, inLosAngeles);
    expect(unknown.evidence.daysSinceLastStay).toBe(60);
    expect(known.evidence.daysSinceLastStay).toBe(59);
    const score = await churn.http('GET', `/churn/guests/${inNewerZone}`);
    expect(score).toMatchObject({ status: 200, body: { daysSinceLastStay: 60 } });
  });

  it('should answer GET /churn/guests/{id} while a stay batch holds the guest’s open episode', async () => {
    const guestId = randomUUID();
    await churn.send(...[1700, 1720, 1740, 1760].map((day) => churn.stay(guestId, day)));
    await churn.at(1820).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    // As a stay batch restoring the guest holds it until its commit.
    const batch = new Client({ connectionString: churn.stage.db.url });
    await batch.connect();
    try {
      await batch.query('begin');
      await batch.query('select 1 from churn_episodes where guest_id = $1 and closed_at is null for update', [
        guestId,
      ]);
      const answered = churn.http('GET', `/churn/guests/${guestId}`);
      const waited = new Promise<'still waiting'>((resolve) =>
        setTimeout(() => resolve('still waiting'), 5_000),
      );
      expect(await Promise.race([answered, waited])).toMatchObject({
        status: 200,
        body: { guestId, openAlert: { evidence: { lastDeparture: dayDate(1760) } } },
      });
    } finally {
      await batch.query('commit');
      await batch.end();
    }
  });

  it('should answer GET /churn/guests/{id} from one snapshot: a comeback committing between its reads shows not at all', async () => {
    const guestId = randomUUID();
    await churn.send(...[1900, 1920, 1940, 1960].map((day) => churn.stay(guestId, day)));
    await churn.at(2020).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    const visits = churn.provider(VisitStore);
    const readGuest = visits.guest.bind(visits);
    // The comeback is recorded, and restores the guest, after the guest's visits are read and before the
    // alert is.
    const between = jest.spyOn(visits, 'guest').mockImplementationOnce(async (manager, id) => {
      const read = await readGuest(manager, id);
      await churn.at(2021).send(churn.stay(guestId, 2021));
      await churn.awaitRecords('visit-frequency-restored', 1, guestId);
      return read;
    });
    try {
      expect((await churn.http('GET', `/churn/guests/${guestId}`)).body).toMatchObject({
        lastStay: dayDate(1960),
        openAlert: { evidence: { lastDeparture: dayDate(1960) } },
      });
    } finally {
      between.mockRestore();
    }
    expect((await churn.http('GET', `/churn/guests/${guestId}`)).body).toMatchObject({
      lastStay: dayDate(2021),
      openAlert: null,
    });
  });
});
