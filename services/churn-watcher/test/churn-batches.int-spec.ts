import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventData, EventEnvelope, Tier } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { recording } from '@loyalty/testing';
import { CHAIN_WIDE } from '../src/domain';
import { EpisodeStore } from '../src/watch/episode-store';
import { LapseScanService } from '../src/watch/lapse-scan.service';
import { ModelStore } from '../src/watch/model-store';
import { ChurnStage, dayDate } from './churn-stage';

describe('churn-watcher batches: each in order, in as many statements whatever its length (real Postgres)', () => {
  let churn: ChurnStage;
  const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_batches');
  });

  afterAll(async () => {
    await churn.close();
  });

  /** The guest's rows of a kind: reference and instant. */
  async function rowsOf(guestId: string, kind: string): Promise<[string, string][]> {
    const rows = await churn.stage.db.query<{ reference: string; at: Date }>(
      'select reference, at from churn_signals where guest_id = $1 and kind = $2 order by reference',
      [guestId, kind],
    );
    return rows.map((row) => [row.reference, row.at.toISOString()]);
  }

  const tierChanged = (guestId: string, from: Tier, to: Tier, day: number) =>
    churn.tierChanged(guestId, from, to, day);
  const upgraded = (guestId: string, day: number) => tierChanged(guestId, 'silver', 'gold', day);
  const downgraded = (guestId: string, day: number) => tierChanged(guestId, 'gold', 'silver', day);
  const answered = (guestId: string, nps: number, day: number) => churn.answered(guestId, nps, day);
  const opened = (guestId: string, complaintId: string, day: number) =>
    churn.event('complaint-opened', { guestId, complaintId, openedAt: at(day) });
  const closed = (guestId: string, complaintId: string, outcome: 'resolved' | 'unresolved', day: number) =>
    churn.event('complaint-closed', { guestId, complaintId, outcome, closedAt: at(day) });

  const tierBatch = (events: EventEnvelope<'tier-changed'>[]) =>
    churn.inOneBatch('tier-changed', events, (consumer, batch, ctx) => consumer.onTiersChanged(batch, ctx));
  const surveyBatch = (events: EventEnvelope<'survey-completed'>[]) =>
    churn.inOneBatch('survey-completed', events, (consumer, batch, ctx) =>
      consumer.onSurveysCompleted(batch, ctx),
    );
  const openBatch = (events: EventEnvelope<'complaint-opened'>[]) =>
    churn.inOneBatch('complaint-opened', events, (consumer, batch, ctx) =>
      consumer.onComplaintsOpened(batch, ctx),
    );
  const closeBatch = (events: EventEnvelope<'complaint-closed'>[]) =>
    churn.inOneBatch('complaint-closed', events, (consumer, batch, ctx) =>
      consumer.onComplaintsClosed(batch, ctx),
    );
  const reopenBatch = (events: EventEnvelope<'complaint-reopened'>[]) =>
    churn.inOneBatch('complaint-reopened', events, (consumer, batch, ctx) =>
      consumer.onComplaintsReopened(batch, ctx),
    );
  const stayBatch = (events: EventEnvelope<'stay-recorded'>[]) =>
    churn.inOneBatch('stay-recorded', events, (consumer, batch, ctx) => consumer.onStaysRecorded(batch, ctx));

  it('should record no downgrade older than an upgrade of the same batch, in either order, under a merged id too', async () => {
    const [upFirst, downFirst, newer, survivorId, mergedId, erasedId] = Array.from({ length: 6 }, () =>
      randomUUID(),
    );
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
      churn.event('guest-erased', { guestId: erasedId, erasedAt: new Date().toISOString() }),
    );
    await tierBatch([
      upgraded(upFirst, 320),
      downgraded(upFirst, 315),
      downgraded(downFirst, 315),
      upgraded(downFirst, 320),
      upgraded(newer, 315),
      downgraded(newer, 320),
      upgraded(mergedId, 320),
      downgraded(survivorId, 315),
      downgraded(erasedId, 315),
    ]);
    for (const guestId of [upFirst, downFirst, survivorId]) {
      expect(await rowsOf(guestId, 'tier-downgrade')).toEqual([]);
      expect(await rowsOf(guestId, 'tier-raised')).toEqual([['newest', at(320)]]);
    }
    expect(await rowsOf(newer, 'tier-downgrade')).toEqual([[`gold->silver@${at(320)}`, at(320)]]);
    const underGone = await churn.stage.db.query('select 1 from churn_signals where guest_id = any($1)', [
      [mergedId, erasedId],
    ]);
    expect(underGone).toEqual([]);
  });

  it('should keep the newest survey answer of one batch, in either order', async () => {
    const [promoterLast, promoterFirst] = [randomUUID(), randomUUID()];
    await surveyBatch([
      answered(promoterLast, 2, 315),
      answered(promoterLast, 10, 320),
      answered(promoterFirst, 10, 320),
      answered(promoterFirst, 2, 315),
    ]);
    expect(await rowsOf(promoterLast, 'detractor')).toEqual([]);
    expect(await rowsOf(promoterFirst, 'detractor')).toEqual([]);
    const [detractorLast, detractorFirst] = [randomUUID(), randomUUID()];
    await surveyBatch([
      answered(detractorLast, 10, 315),
      answered(detractorLast, 2, 320),
      answered(detractorFirst, 2, 320),
      answered(detractorFirst, 10, 315),
    ]);
    expect(await rowsOf(detractorLast, 'detractor')).toHaveLength(1);
    expect(await rowsOf(detractorFirst, 'detractor')).toHaveLength(1);
  });

  it('should let the newest close of one batch decide a complaint’s outcome, and the newest reopen its open instant, in either order', async () => {
    const [guestId, resolvedLast, resolvedFirst] = [randomUUID(), randomUUID(), randomUUID()];
    await openBatch([opened(guestId, resolvedLast, 310), opened(guestId, resolvedFirst, 310)]);
    await closeBatch([
      closed(guestId, resolvedLast, 'unresolved', 315),
      closed(guestId, resolvedLast, 'resolved', 320),
      closed(guestId, resolvedFirst, 'resolved', 320),
      closed(guestId, resolvedFirst, 'unresolved', 315),
    ]);
    expect(await rowsOf(guestId, 'complaint-unresolved')).toEqual([]);
    expect(await rowsOf(guestId, 'complaint-opened')).toEqual([]);

    await reopenBatch([
      churn.reopened(guestId, resolvedLast, 319),
      churn.reopened(guestId, resolvedLast, 322),
      churn.reopened(guestId, resolvedFirst, 322),
      churn.reopened(guestId, resolvedFirst, 319),
    ]);
    expect(await rowsOf(guestId, 'complaint-opened')).toEqual(
      [resolvedLast, resolvedFirst].sort().map((complaintId) => [complaintId, at(322)]),
    );
  });

  it('should handle a batch of signals in as many statements whatever its length', async () => {
    /** The statements of each batch, for `count` guests with one complaint each. */
    const statementsFor = async (count: number): Promise<number[]> => {
      const guests = Array.from({ length: count }, () => ({
        guestId: randomUUID(),
        complaintId: randomUUID(),
      }));
      const batches = [
        await tierBatch(guests.map(({ guestId }) => downgraded(guestId, 315))),
        // Clears the downgrades: a delete and an upsert.
        await tierBatch(guests.map(({ guestId }) => upgraded(guestId, 320))),
        await surveyBatch(guests.map(({ guestId }) => answered(guestId, 2, 315))),
        await surveyBatch(guests.map(({ guestId }) => answered(guestId, 10, 320))),
        await openBatch(guests.map(({ guestId, complaintId }) => opened(guestId, complaintId, 310))),
        await closeBatch(
          guests.map(({ guestId, complaintId }) => closed(guestId, complaintId, 'unresolved', 315)),
        ),
        await reopenBatch(
          guests.map(({ guestId, complaintId }) => churn.reopened(guestId, complaintId, 319)),
        ),
      ];
      return batches.map((batch) => batch.statements.length);
    };
    const one = await statementsFor(1);
    expect(await statementsFor(200)).toEqual(one);
  });

  it('should restore every lapsed guest of a stay batch by their own first return, in as many statements as one', async () => {
    const dataSource = churn.provider(DataSource);
    const model = await churn.provider(ModelStore).save(
      dataSource.manager,
      CHAIN_WIDE,
      {
        parameters: { r: 3, alpha: 90, a: 0.3, b: 6 },
        logLikelihood: -100,
        customers: 1000,
        evaluations: 1,
      },
      new Date(),
    );
    /** Guests last seen on day 100 and alerted since. */
    const lapsed = async (count: number): Promise<string[]> => {
      const guests = Array.from({ length: count }, () => randomUUID());
      await stayBatch(guests.map((guestId) => churn.stay(guestId, 100)));
      await churn.provider(EpisodeStore).open(
        dataSource.manager,
        guests.map((guestId) => ({
          guestId,
          riskLevel: 'elevated',
          evidence: {
            expectedIntervalDays: 30,
            daysSinceLastStay: 60,
            lastDeparture: dayDate(100),
            probabilityAlive: 0.1,
            recentSignals: [],
          },
          modelId: model.id,
          openedAt: new Date(),
        })),
      );
      return guests;
    };
    /** A batch of each guest's stay on day 210, then their return on day 200. */
    const comingBack = async (guests: string[]) => {
      const returns = guests.map((guestId) => churn.stay(guestId, 200));
      const batch = await stayBatch([...guests.map((guestId) => churn.stay(guestId, 210)), ...returns]);
      const closedBy = await churn.stage.db.query<{ guest_id: string; closed_by: string }>(
        'select guest_id, closed_by from churn_episodes where guest_id = any($1) order by guest_id',
        [guests],
      );
      expect(closedBy).toEqual(
        returns
          .map(({ data }) => ({ guest_id: data.guestId, closed_by: `stay:${data.stayId}` }))
          .sort((a, b) => a.guest_id.localeCompare(b.guest_id)),
      );
      const restored = batch.published
        .filter((event) => event.type === 'visit-frequency-restored')
        .map((event) => event.data as EventData<'visit-frequency-restored'>);
      expect(restored.map((data) => [data.guestId, data.stay.stayId]).sort()).toEqual(
        returns.map(({ data }) => [data.guestId, data.stayId]).sort(),
      );
      return batch.statements.length;
    };
    const one = await comingBack(await lapsed(1));
    expect(await comingBack(await lapsed(50))).toBe(one);
  });

  it('should open the episodes of a scan in as many statements however many guests lapse', async () => {
    const dataSource = churn.provider(DataSource);
    await churn.provider(ModelStore).save(
      dataSource.manager,
      CHAIN_WIDE,
      {
        parameters: { r: 3, alpha: 90, a: 0.3, b: 6 },
        logLikelihood: -100,
        customers: 1000,
        evaluations: 1,
      },
      new Date(),
    );
    /**
     * Scans on day 400 after `count` guests stayed every 10 days until day 100; the statements of the scan
     * and of its outbox write.
     */
    const scanWith = async (count: number): Promise<number> => {
      const guests = Array.from({ length: count }, () => randomUUID());
      const days = Array.from({ length: 11 }, (_, i) => i * 10);
      await stayBatch(guests.flatMap((guestId) => days.map((day) => churn.stay(guestId, day))));
      const statements: string[] = [];
      const dropped = await dataSource.transaction(async (manager) => {
        const recorded = recording(manager, statements);
        const alerts: EventData<'visit-frequency-dropped'>[] = [];
        await churn
          .provider(LapseScanService)
          .scan(recorded, new Date(`${dayDate(400)}T03:00:00Z`), (events) => {
            alerts.push(...events);
            const items = events.map((data) => ({ data }));
            return churn.provider(EventPublisher).publishAll(recorded, 'visit-frequency-dropped', items);
          });
        return alerts.map((alert) => alert.guestId);
      });
      expect(dropped).toEqual(expect.arrayContaining(guests));
      const open = await churn.stage.db.query(
        'select 1 from churn_episodes where closed_at is null and guest_id = any($1)',
        [guests],
      );
      expect(open).toHaveLength(count);
      return statements.length;
    };
    const one = await scanWith(1);
    expect(await scanWith(30)).toBe(one);
  });
});
