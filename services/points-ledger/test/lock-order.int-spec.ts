import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { validateEvent } from '@loyalty/contracts';
import { recording, waitUntil } from '@loyalty/testing';
import { AccountStore, MergeLinksChanged } from '../src/ledger/account-store';
import { LedgerEventsService } from '../src/ledger/ledger-events.service';
import { StayEarningService } from '../src/ledger/stay-earning.service';
import { LedgerApp } from './ledger-app';

describe('points-ledger account locks follow merges in one order (real Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_lock_order');
  });

  afterAll(async () => {
    await app.close();
  });

  async function member(guestId: string): Promise<void> {
    await app.send(app.stay(guestId));
    await waitUntil(`the account of ${guestId}`, async () => (await app.balance(guestId)).balance > 0);
  }

  async function mergeInto(survivor: string, merged: string): Promise<void> {
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil('the merge', async () => {
      const [row] = await app.db.query<{ merged_into: string | null }>(
        'select merged_into from accounts where id = $1',
        [merged],
      );
      return row?.merged_into === survivor || undefined;
    });
  }

  async function untilWaitingForARowLock(who: string): Promise<void> {
    await waitUntil(`${who} waiting for a row lock`, async () => {
      const waiting = await app.db.query(
        `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      return waiting.length > 0 || undefined;
    });
  }

  it('should lock an account merged away with its survivor, not after the other accounts, so that a transaction locking the survivor and one of those in order does not deadlock with it', async () => {
    // The survivor sorts before the other account, as when the deadlock was seen.
    const [survivor, account, merged] = [randomUUID(), randomUUID(), randomUUID()].sort();
    for (const guestId of [survivor, account, merged]) await member(guestId);
    await mergeInto(survivor, merged);

    const dataSource = app.service.app.get(DataSource);
    const store = app.service.app.get(AccountStore);
    const other = dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query('select id from accounts where id = $1 for update', [survivor]);
    const following = dataSource
      .transaction(async (manager) => {
        const loaded = await store.lock(manager, [account, merged]);
        return [...loaded].map(([id, stored]) => [id, stored.account.id]);
      })
      .then(
        (loaded) => ({ loaded }),
        (error: unknown) => ({ error }),
      );
    await untilWaitingForARowLock('the follower');
    // Locked before the survivor, the account would be held by the follower now: a deadlock (40P01).
    await other.query('select id from accounts where id = $1 for update', [account]);
    await other.commitTransaction();
    await other.release();

    expect(await following).toEqual({
      loaded: expect.arrayContaining([
        [account, account],
        [merged, survivor],
      ]),
    });
  });

  it('should give up as a serialization failure when a merge whose survivor sorts before an account it locked commits while it waits for a lock', async () => {
    const [survivor, account, merged] = [randomUUID(), randomUUID(), randomUUID()].sort();
    for (const guestId of [survivor, account, merged]) await member(guestId);

    const dataSource = app.service.app.get(DataSource);
    const store = app.service.app.get(AccountStore);
    const merging = dataSource.createQueryRunner();
    await merging.connect();
    await merging.startTransaction();
    // The link a merge writes on the merged account's row, not yet committed when the follower reads links.
    await merging.query('update accounts set merged_into = $2 where id = $1', [merged, survivor]);
    const following = dataSource
      .transaction((manager) => store.lock(manager, [account, merged]))
      .then(
        () => ({ locked: true }),
        (error: unknown) => ({ error }),
      );
    await untilWaitingForARowLock('the follower');
    await merging.commitTransaction();
    await merging.release();

    const outcome = await following;
    expect(outcome).toEqual({ error: expect.any(MergeLinksChanged) });
    expect((outcome as { error: MergeLinksChanged }).error).toMatchObject({
      code: '40001',
      survivorIds: [survivor],
    });
  });

  it('should credit a batch of stays in five statements, following a merged guest to the survivor in the locking one', async () => {
    const [survivor, merged, ...others] = Array.from({ length: 6 }, () => randomUUID());
    for (const guestId of [survivor, merged]) await member(guestId);
    await mergeInto(survivor, merged);
    const stays = [merged, ...others, ...others].map((guestId) =>
      validateEvent(app.stay(guestId), 'stay-recorded'),
    );

    const statements: string[] = [];
    const credited = await app.service.app
      .get(DataSource)
      .transaction((manager) =>
        app.service.app
          .get(StayEarningService)
          .creditStays(recording(manager, statements), stays, new Date(), () => () => undefined),
      );

    expect(credited).toBe(stays.length);
    // Open the accounts and find the stays credited already; lock the accounts with the survivors their
    // merge links lead to; read their lots, holds and counters; the parked adjustments; write everything.
    expect(statements).toHaveLength(5);
    const [row] = await app.db.query<{ account_id: string }>(
      'select account_id from credited_stays where stay_id = $1',
      [stays[0].data.stayId],
    );
    expect(row.account_id).toBe(survivor);
  });

  it('should lock an erased account and the accounts merged into it in order, so that erasure does not deadlock with a transaction locking a merged account and its survivor', async () => {
    // The merged account sorts before its survivor; it holds a tier lock whose reason the erasure redacts.
    const [merged, survivor] = [randomUUID(), randomUUID()].sort();
    for (const guestId of [merged, survivor]) await member(guestId);
    await mergeInto(survivor, merged);
    await app.db.query(
      `update accounts set tier_lock = '{"staffId":"m-1","reason":"status match","lockedAt":"2025-01-01T00:00:00Z"}'
       where id = $1`,
      [merged],
    );

    const dataSource = app.service.app.get(DataSource);
    const events = app.service.app.get(LedgerEventsService);
    const other = dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query('select id from accounts where id = $1 for update', [merged]);
    const erasing = dataSource
      .transaction((manager) =>
        events.erase(
          manager,
          validateEvent(app.event('guest-erased', { guestId: survivor }, survivor), 'guest-erased'),
          new Date(),
        ),
      )
      .then(
        () => ({ erased: true }),
        (error: unknown) => ({ error }),
      );
    await untilWaitingForARowLock('the erasure');
    // Had the erasure locked the survivor first, this would wait for it while it waits for us: 40P01.
    await other.query('select id from accounts where id = $1 for update', [survivor]);
    await other.commitTransaction();
    await other.release();

    expect(await erasing).toEqual({ erased: true });
    const [row] = await app.db.query<{ reason: string }>(
      `select tier_lock->>'reason' as reason from accounts where id = $1`,
      [merged],
    );
    expect(row.reason).not.toBe('status match');
  });
});
