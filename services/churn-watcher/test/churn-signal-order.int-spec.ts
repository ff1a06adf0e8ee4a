import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Tier } from '@loyalty/contracts';
import { CHAIN_WIDE } from '../src/domain';
import { ModelStore } from '../src/watch/model-store';
import { ChurnStage, dayDate } from './churn-stage';

describe('churn-watcher signal order and models in use (real broker and Postgres)', () => {
  let churn: ChurnStage;
  const at = (day: number) => `${dayDate(day)}T09:00:00.000Z`;

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_order');
    await churn.regulars([20, 30, 40], 300);
  });

  afterAll(async () => {
    await churn.close();
  });

  async function kindsOf(guestId: string, kind: string): Promise<string[]> {
    const rows = await churn.stage.db.query<{ reference: string }>(
      'select reference from churn_signals where guest_id = $1 and kind = $2 order by reference',
      [guestId, kind],
    );
    return rows.map((row) => row.reference);
  }

  const answered = (guestId: string, nps: number, day: number) => churn.answered(guestId, nps, day);
  const tierChanged = (guestId: string, from: Tier, to: Tier, day: number) =>
    churn.tierChanged(guestId, from, to, day);

  it('should ignore an older detractor answer handled after a newer promoter one', async () => {
    const guestId = randomUUID();
    await churn.send(churn.stay(guestId, 310));
    await churn.send(answered(guestId, 10, 320));
    await churn.send(answered(guestId, 2, 315));
    expect(await kindsOf(guestId, 'detractor')).toEqual([]);
  });

  it("should not give the survivor the merged guest's detractor when the survivor answered later as a promoter", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(churn.stay(survivorId, 310), churn.stay(mergedId, 311));
    await churn.send(answered(mergedId, 1, 315), answered(survivorId, 10, 320));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    expect(await kindsOf(survivorId, 'detractor')).toEqual([]);
  });

  it("should keep the merged guest's detractor when it is the newer answer", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(churn.stay(survivorId, 310), churn.stay(mergedId, 311));
    await churn.send(answered(survivorId, 10, 315), answered(mergedId, 1, 320));
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    expect(await kindsOf(survivorId, 'detractor')).toHaveLength(1);
  });

  it('should clear a tier downgrade when a later change moves the guest back up, in either handling order', async () => {
    const [inOrder, reversed] = [randomUUID(), randomUUID()];
    await churn.send(
      tierChanged(inOrder, 'gold', 'silver', 315),
      tierChanged(inOrder, 'silver', 'gold', 320),
    );
    await churn.send(
      tierChanged(reversed, 'silver', 'gold', 320),
      tierChanged(reversed, 'gold', 'silver', 315),
    );
    expect(await kindsOf(inOrder, 'tier-downgrade')).toEqual([]);
    expect(await kindsOf(reversed, 'tier-downgrade')).toEqual([]);
  });

  it('should clear a merged downgrade older than the other guest’s upgrade', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await churn.send(churn.stay(survivorId, 310), churn.stay(mergedId, 311));
    await churn.send(
      tierChanged(mergedId, 'gold', 'silver', 315),
      tierChanged(survivorId, 'silver', 'gold', 320),
    );
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    expect(await kindsOf(survivorId, 'tier-downgrade')).toEqual([]);
  });

  it('should keep the outcome of the newest close when an older unresolved close is handled after it, under one id or two merged', async () => {
    const [guestId, survivorId, mergedId] = [randomUUID(), randomUUID(), randomUUID()];
    const [complaintId, mergedComplaintId] = [randomUUID(), randomUUID()];
    const closed = (guestId: string, complaintId: string, outcome: 'resolved' | 'unresolved', day: number) =>
      churn.event('complaint-closed', { guestId, complaintId, outcome, closedAt: at(day) });
    await churn.send(churn.stay(guestId, 310), churn.stay(survivorId, 310), churn.stay(mergedId, 311));

    // Closed unresolved on day 315, reopened, and closed resolved on day 320: the resolved close comes first.
    await churn.send(closed(guestId, complaintId, 'resolved', 320));
    await churn.send(closed(guestId, complaintId, 'unresolved', 315));
    expect(await kindsOf(guestId, 'complaint-unresolved')).toEqual([]);

    // The same turns handled under the two ids of a guest before their merge.
    await churn.send(
      closed(mergedId, mergedComplaintId, 'unresolved', 315),
      closed(survivorId, mergedComplaintId, 'resolved', 320),
    );
    await churn.send(
      churn.event('guest-merged', { survivorId, mergedId, mergedAt: new Date().toISOString() }),
    );
    expect(await kindsOf(survivorId, 'complaint-unresolved')).toEqual([]);

    // An unresolved close the merge brought, then a newer resolved close under the survivor.
    const [laterSurvivorId, laterMergedId, broughtComplaintId] = [randomUUID(), randomUUID(), randomUUID()];
    await churn.send(churn.stay(laterSurvivorId, 310), churn.stay(laterMergedId, 311));
    await churn.send(closed(laterMergedId, broughtComplaintId, 'unresolved', 315));
    await churn.send(
      churn.event('guest-merged', {
        survivorId: laterSurvivorId,
        mergedId: laterMergedId,
        mergedAt: new Date().toISOString(),
      }),
    );
    await churn.send(closed(laterSurvivorId, broughtComplaintId, 'resolved', 320));
    await churn.send(churn.reopened(laterMergedId, broughtComplaintId, 317));
    expect(await kindsOf(laterSurvivorId, 'complaint-unresolved')).toEqual([]);

    // Closed unresolved last, it stands.
    await churn.send(closed(guestId, complaintId, 'unresolved', 325));
    expect(await kindsOf(guestId, 'complaint-unresolved')).toEqual([complaintId]);
  });

  it('should keep a complaint still open after 180 days in the alert’s evidence', async () => {
    const [guestId, complaintId] = [randomUUID(), randomUUID()];
    await churn.send(...[100, 120, 140, 160].map((day) => churn.stay(guestId, day)));
    await churn.send(churn.event('complaint-opened', { guestId, complaintId, openedAt: at(150) }));
    await churn.at(400).runDue();
    const [dropped] = await churn.awaitRecords('visit-frequency-dropped', 1, guestId);
    expect(dropped.evidence.recentSignals).toEqual([
      { kind: 'complaint-opened', reference: complaintId, at: at(150) },
    ]);
  });

  it('should use the chain-wide model for a segment the latest refit did not fit', async () => {
    const manager = churn.provider(DataSource).manager;
    const models = churn.provider(ModelStore);
    const fit = (customers: number) => ({
      parameters: { r: 0.8, alpha: 40, a: 0.5, b: 3 },
      logLikelihood: -100,
      customers,
      evaluations: 1,
    });
    const [first, second] = [new Date('2100-01-01T03:00:00Z'), new Date('2100-01-08T03:00:00Z')];
    await models.save(manager, CHAIN_WIDE, fit(3000), first);
    await models.save(manager, 'business', fit(1500), first);
    const chainWide = await models.save(manager, CHAIN_WIDE, fit(3100), second);

    const inUse = await models.latest(manager);
    expect(inUse.get('business')).toBeUndefined();
    expect(inUse.get(CHAIN_WIDE)?.id).toBe(chainWide.id);
  });
});
