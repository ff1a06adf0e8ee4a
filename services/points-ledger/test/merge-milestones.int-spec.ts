import { randomUUID } from 'node:crypto';
import { waitUntil } from '@loyalty/testing';
import { LedgerApp } from './ledger-app';

describe('points-ledger merging the year of two guests (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_merge_milestones', ['points-earned']);
  });

  afterAll(async () => {
    await app.close();
  });

  it('should pay a nights milestone neither side reached with the next stay after a merge', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    await app.send(app.stayOfNights(survivor, 35), app.stayOfNights(merged, 10));
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil(
      'the merge',
      async () => ((await app.balance(survivor)).progress as { nights: number }).nights === 45,
    );
    expect(await app.milestonesPaid(survivor)).toEqual([]);
    await app.send(app.stayOfNights(survivor, 2));
    await app.awaitRecords('points-earned', 2, survivor);
    expect(await app.milestonesPaid(survivor)).toEqual([40]);
  });
});
