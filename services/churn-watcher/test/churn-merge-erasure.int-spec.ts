import { randomUUID } from 'node:crypto';
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
});
