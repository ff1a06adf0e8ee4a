import { randomUUID } from 'node:crypto';
import { waitUntil } from '@loyalty/testing';
import { endOfYear } from '../src/domain';
import { LedgerApp } from './ledger-app';

describe('points-ledger merging the year of two guests (real broker and Postgres)', () => {
  let app: LedgerApp;
  const thisYear = new Date().getUTCFullYear();

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_merge_milestones', ['points-earned', 'tier-changed']);
  });

  afterAll(async () => {
    await app.close();
  });

  async function merge(survivor: string, merged: string, nights: number): Promise<void> {
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil(
      'the merge',
      async () => ((await app.balance(survivor)).progress as { nights: number }).nights === nights,
    );
  }

  it('should pay at the merge a nights milestone neither side reached, and not again with the next stay', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await app.send(app.stayOfNights(survivor, 35), app.stayOfNights(merged, 10));
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    await merge(survivor, merged, 45);
    expect(await app.milestonesPaid(survivor)).toEqual([40]);
    const [, milestone] = await app.awaitRecords('points-earned', 2, survivor);
    expect(milestone).toMatchObject({
      points: 10_000,
      source: { kind: 'promotion', reference: 'every-10-nights-from-40' },
    });
    await app.send(app.stayOfNights(survivor, 2));
    await app.awaitRecords('points-earned', 3, survivor);
    expect(await app.milestonesPaid(survivor)).toEqual([40]);
    expect((await app.reconcile()).differences).toEqual([]);
  });

  it('should pay no milestone of a year older than the last at the merge, nor with a late stay of that year after it', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const old = thisYear - 3;
    await app.send(
      app.stay(survivor, { arrival: `${old}-03-01`, departure: `${old}-04-05`, nights: 35 }),
      app.stay(merged, { arrival: `${old}-05-01`, departure: `${old}-05-11`, nights: 10 }),
      app.stayOfNights(survivor, 2),
      app.stayOfNights(merged, 1),
    );
    await app.awaitRecords('points-earned', 2, survivor);
    await app.awaitRecords('points-earned', 2, merged);
    await merge(survivor, merged, 3);
    expect(await app.milestonesPaid(survivor)).toEqual([]);
    // The old year's marks rose to its combined 45 nights: a stay of that year credited late pays no 40.
    await app.send(app.stay(survivor, { arrival: `${old}-07-01`, departure: `${old}-07-03`, nights: 2 }));
    await app.awaitRecords('points-earned', 3, survivor);
    expect(await app.milestonesPaid(survivor)).toEqual([]);
    expect((await app.reconcile()).differences).toEqual([]);
  });

  it('should upgrade the survivor at the merge when the two accounts qualify only together, announced as a stay announces it', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    // 6,786 base points a stay: silver needs 10,000.
    await app.send(app.stay(survivor), app.stay(merged));
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    await merge(survivor, merged, 6);
    const [change] = await app.awaitRecords('tier-changed', 1, survivor);
    expect(change).toMatchObject({
      from: 'member',
      to: 'silver',
      reason: 'qualified',
      validUntil: endOfYear(thisYear + 1).toISOString(),
    });
    expect((await app.balance(survivor)).tier).toEqual({
      id: 'silver',
      validUntil: endOfYear(thisYear + 1).toISOString(),
      locked: false,
    });
  });

  it("should keep the merged account's later validity of the survivor's tier, with no tier-changed", async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    // Gold on last year's nights is valid to the end of this year.
    await app.send(
      app.stay(survivor, {
        arrival: `${thisYear - 1}-06-01`,
        departure: `${thisYear - 1}-06-26`,
        nights: 25,
      }),
      app.stay(merged),
    );
    await app.awaitRecords('tier-changed', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    // Gold whose lock has run out, valid to the end of next year: an ordinary gold member.
    const override = await app.http('PUT', `/accounts/${merged}/tier`, {
      body: { tierId: 'gold', reason: 'Status match', propertyId: 'AMS01', lockUntil: '2020-01-01' },
    });
    expect(override.status).toBe(200);
    expect((await app.balance(survivor)).tier).toMatchObject({
      id: 'gold',
      validUntil: endOfYear(thisYear).toISOString(),
    });
    await merge(survivor, merged, 3);
    expect((await app.balance(survivor)).tier).toEqual({
      id: 'gold',
      validUntil: endOfYear(thisYear + 1).toISOString(),
      locked: false,
    });
    await app.caughtUp('guest-merged');
    // The outbox is relayed in order: once a later stay's event is out, the merge's would be too.
    await app.send(app.stay(survivor));
    await app.awaitRecords('points-earned', 2, survivor);
    expect(app.records('tier-changed', survivor)).toHaveLength(1);
  });
});
