import { randomUUID } from 'node:crypto';
import { ChurnStage, dayDate } from './churn-stage';

describe('churn-watcher and guests who object to profiling (real broker and Postgres)', () => {
  let churn: ChurnStage;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_profiling');
    await churn.regulars([20, 30, 40], 300);
  });

  afterAll(async () => {
    await churn.close();
  });

  /** How each of the guest's episodes was closed, oldest first (null: still open). */
  async function episodesOf(guestId: string): Promise<(string | null)[]> {
    const rows = await churn.stage.db.query<{ closedBy: string | null }>(
      'select closed_by as "closedBy" from churn_episodes where guest_id = $1 order by opened_at',
      [guestId],
    );
    return rows.map((row) => row.closedBy);
  }

  it('should neither alert on nor fit the model on a guest who objects, where an identical guest is alerted', async () => {
    const [watched, objecting, registeredObjecting] = [randomUUID(), randomUUID(), randomUUID()];
    const monthly = [0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300];
    await churn.send(
      ...[watched, objecting, registeredObjecting].flatMap((guestId) =>
        monthly.map((day) => churn.stay(guestId, day)),
      ),
    );
    await churn.send(
      churn.profiling(objecting, false, 305),
      churn.event('guest-registered', {
        guestId: registeredObjecting,
        enrolledAt: `${dayDate(0)}T09:00:00.000Z`,
        attributes: { profilingConsent: false },
      }),
    );

    const reports = await churn.at(360).runDue();
    expect(reports.map((report) => report.ran)).toEqual([true, true]);
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, watched);
    expect(dropped.evidence).toMatchObject({ daysSinceLastStay: 60, previousCadenceDays: 30 });
    await churn.stage.awaitPublished('visit-frequency-dropped');
    expect(churn.records('visit-frequency-dropped', objecting)).toEqual([]);
    expect(churn.records('visit-frequency-dropped', registeredObjecting)).toEqual([]);
    // The refit fitted every guest the watch knows but the two.
    const [{ guests }] = await churn.stage.db.query<{ guests: number }>(
      'select count(*)::int as guests from guests',
    );
    expect(reports[0].result).toEqual({ models: 1 });
    const models = await churn.http<{ items: { guests: number }[] }>('GET', '/churn/models');
    expect(models.body.items[0].guests).toBe(guests - 2);
    // Asked for, the guest's visits are shown, not scored.
    const score = await churn.http('GET', `/churn/guests/${objecting}`);
    expect(score.body).toMatchObject({ repeatStays: 10, lastStay: dayDate(300), model: null });
    expect(score.body).not.toHaveProperty('probabilityAlive');
  });

  it('should close the alert of a guest who objects, keep the objection over older news of consent, and watch them again when they consent again', async () => {
    const guestId = randomUUID();
    await churn.send(...[440, 460, 480, 500].map((day) => churn.stay(guestId, day)));
    await churn.at(560).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, guestId);

    await churn.at(561).send(churn.profiling(guestId, false, 561));
    expect(await episodesOf(guestId)).toEqual(['profiling-objection']);
    const alerts = await churn.http<{ items: { guestId: string }[] }>('GET', '/churn/alerts?limit=500');
    expect(alerts.body.items.map((item) => item.guestId)).not.toContain(guestId);

    // Consent given before the objection, handled after it (a dead letter replayed): the objection stands.
    await churn.send(churn.profiling(guestId, true, 555));
    await churn.at(562).runDue();
    await churn.stage.awaitPublished('visit-frequency-dropped');
    expect(churn.records('visit-frequency-dropped', guestId)).toHaveLength(1);
    expect(await episodesOf(guestId)).toEqual(['profiling-objection']);

    await churn.send(churn.profiling(guestId, true, 563));
    await churn.at(564).runDue();
    const [, again] = await churn.awaitRecords('visit-frequency-dropped', 2, guestId);
    expect(again.evidence).toMatchObject({ lastDeparture: dayDate(500), daysSinceLastStay: 64 });
    expect(await episodesOf(guestId)).toEqual(['profiling-objection', null]);
  });

  it("should hold the merged guest's objection for the survivor: their alert is closed, not restored", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(...[600, 620, 640, 660].map((day) => churn.stay(survivorId, day)));
    await churn.at(720).runDue();
    await churn.awaitRecords('visit-frequency-dropped', 1, survivorId);

    // The merged profile objected, and stayed after the survivor's lapse: without the objection the merge
    // would announce the guest's return.
    await churn.at(722).send(churn.profiling(mergedId, false, 721), churn.stay(mergedId, 722));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: `${dayDate(723)}T09:00:00.000Z` }),
    );
    expect(await episodesOf(survivorId)).toEqual(['profiling-objection']);

    await churn.at(800).runDue();
    await churn.stage.awaitPublished('visit-frequency-dropped', 'visit-frequency-restored');
    expect(churn.records('visit-frequency-restored', survivorId)).toEqual([]);
    expect(churn.records('visit-frequency-dropped', survivorId)).toHaveLength(1);
    expect(await episodesOf(survivorId)).toEqual(['profiling-objection']);
  });
});
