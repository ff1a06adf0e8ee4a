import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { LedgerApp, localDate } from './ledger-app';

const MINUTE_MS = 60_000;

type Stay = EventEnvelope<'stay-recorded'>;
type Adjustment = EventEnvelope<'stay-adjusted'>;

/**
 * A suspended account earns nothing until it is reactivated. An adjustment of one of its credited stays
 * that would earn (a late charge, a nights correction crossing a milestone) waits for the reactivation and
 * is applied then, once, instead of being dead-lettered for someone to replay by hand.
 */
describe('points-ledger with adjustments of a suspended account’s stays (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_suspended_adjustments', ['points-earned', 'points-reversed']);
    await app.probe.watch(app.topic('stay-adjusted.dlq'));
  });

  afterAll(async () => {
    await app.close();
  });

  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

  async function changeStatus(guestId: string, action: 'suspend' | 'reactivate') {
    return app.http<{ status: string; changed: boolean }>('POST', `/accounts/${guestId}/${action}`, {
      roles: ['property-manager'],
      body: { reason: action === 'suspend' ? 'Fraud review' : 'Review cleared', propertyId: 'AMS01' },
    });
  }

  /** Closes the account as a chain admin. */
  async function close(guestId: string) {
    return app.http<{ status?: string; code?: string; message?: string; parkedAdjustments?: number }>(
      'POST',
      `/accounts/${guestId}/close`,
      { body: { reason: 'Fraud confirmed', propertyId: 'AMS01' } },
    );
  }

  const stayKey = (stay: Stay) => `${stay.data.propertyId}/${stay.data.reservationId}`;

  async function parked(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ n: string }>(
      'select count(*) as n from parked_stay_adjustments where stay_key = $1',
      [stayKey(stay)],
    );
    return Number(row.n);
  }

  async function creditedNights(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ nights: number }>(
      'select nights from credited_stays where stay_key = $1',
      [stayKey(stay)],
    );
    return row.nights;
  }

  /** What applying the stay's adjustments shows in the database: the stay, its entries, its account. */
  async function ledgerState(stay: Stay) {
    const [row] = await app.db.query<Record<string, number>>(
      `select c.qualifying_revenue_minor::int as revenue, c.base_points as "stayBasePoints", c.nights,
         (select count(*)::int from ledger_entries e where e.stay_key = c.stay_key and e.type = 'earn') as earns,
         (select count(*)::int from ledger_entries e where e.stay_key = c.stay_key and e.type = 'reverse')
           as reversals,
         a.balance, a.lifetime_earned as "lifetimeEarned", q.base_points as "yearBasePoints"
       from credited_stays c join accounts a on a.id = c.account_id
       join qualifying_progress q on q.account_id = a.id and q.year = c.qualifying_year
       where c.stay_key = $1`,
      [stayKey(stay)],
    );
    return row;
  }

  /**
   * The ids of the guest's events of this type, from the ledger's outbox, once the relay has published
   * them all and the probe has seen each. An event is written to the outbox in the transaction of its
   * change, so once the handlers and jobs have committed this is all of them; counting what the probe has
   * seen before that would miss one still on its way.
   */
  async function published(guestId: string, type: 'points-earned' | 'points-reversed'): Promise<string[]> {
    const rows = await app.db.query<{ event_id: string }>(
      `select event_id from messaging_outbox
       where event_type = $1 and payload -> 'data' ->> 'guestId' = $2 order by id`,
      [type, guestId],
    );
    const ids = rows.map((row) => row.event_id);
    await waitUntil(`${ids.length} ${type} of ${guestId} published`, () => {
      const seen = new Set(app.probe.seen(app.topic(type)).map((record) => record.json<{ id: string }>().id));
      return ids.every((id) => seen.has(id));
    });
    return ids;
  }

  let lastJobRun = 0;

  /** A run of `apply-parked-adjustments`, each at a minute of its own (it runs once a minute). */
  async function runParkedJob(): Promise<{ ran: boolean; stays?: number }> {
    lastJobRun = Math.max(Date.now(), lastJobRun + MINUTE_MS);
    return app.runJob('apply-parked-adjustments', new Date(lastJobRun));
  }

  /**
   * Runs the job while another transaction holds the stay and its account, and fails if the job waits for
   * them: it must not lock (nor refuse again) what cannot apply.
   */
  async function runParkedJobWhileHeld(stay: Stay): Promise<{ ran: boolean; stays?: number }> {
    const holder = new Client({ connectionString: app.db.url });
    await holder.connect();
    let running: Promise<unknown> = Promise.resolve();
    try {
      await holder.query('begin');
      await holder.query(
        `select 1 from credited_stays c join accounts a on a.id = c.account_id where c.stay_key = $1
         for update`,
        [stayKey(stay)],
      );
      const [{ pid: holderPid }] = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid'))
        .rows;
      let report: { ran: boolean; stays?: number } | undefined;
      running = runParkedJob().then((answer) => (report = answer));
      const outcome = await waitUntil('the job to finish, or to wait for the stay', async () => {
        if (report) return 'finished';
        // Asked outside the holder's transaction, which sees the sessions as they were when it first looked.
        const waiting = await app.db.query(
          'select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
          [holderPid],
        );
        return waiting.length > 0 ? 'waited for the stay or its account' : undefined;
      });
      expect(outcome).toBe('finished');
      return report as { ran: boolean; stays?: number };
    } finally {
      await holder.query('rollback');
      await holder.end();
      await running.catch(() => undefined);
    }
  }

  /** The warnings logged while `action` ran that name the stay. */
  async function warningsAbout(stay: Stay, action: () => Promise<unknown>): Promise<string[]> {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await action();
      return warn.mock.calls.map((call) => String(call[0])).filter((text) => text.includes(stayKey(stay)));
    } finally {
      warn.mockRestore();
    }
  }

  function deadLettered(...adjustments: Adjustment[]): string[] {
    return app.probe
      .seen(app.topic('stay-adjusted.dlq'))
      .filter((record) => adjustments.some((event) => record.value?.toString().includes(event.id)))
      .map((record) => String(record.headers['dlq-reason']));
  }

  /** A member with 39 nights this year, the second stay of one night, suspended. */
  async function suspendedMemberWith39Nights(): Promise<{ guestId: string; stay: Stay }> {
    const guestId = randomUUID();
    await app.send(app.stayOfNights(guestId, 38));
    await app.awaitRecords('points-earned', 1, guestId);
    const stay = app.stayOfNights(guestId, 1);
    await app.send(stay);
    await app.awaitRecords('points-earned', 2, guestId);
    await app.caughtUp('stay-recorded');
    expect(await changeStatus(guestId, 'suspend')).toMatchObject({
      status: 200,
      body: { status: 'suspended' },
    });
    return { guestId, stay };
  }

  /** A member whose one stay earned nothing, so that the account is empty, suspended. */
  async function suspendedMemberWithNoPoints(): Promise<{ guestId: string; stay: Stay }> {
    const guestId = randomUUID();
    const today = new Date();
    const stay = app.stay(guestId, {
      arrival: localDate(today, -1),
      nights: 1,
      revenue: {
        property: { room: eur(0), foodAndBeverage: eur(0), other: eur(0) },
        program: { room: eur(0), foodAndBeverage: eur(0), other: eur(0) },
      },
    });
    await app.send(stay);
    await app.caughtUp('stay-recorded');
    expect(await creditedNights(stay)).toBe(1);
    expect((await app.balance(guestId)).balance).toBe(0);
    expect((await changeStatus(guestId, 'suspend')).status).toBe(200);
    return { guestId, stay };
  }

  /**
   * Another transaction holding the account's row lock, as a transaction parking an adjustment the
   * suspended account refused holds it: sessions waiting for it go, in the order they came, at `release`.
   */
  const holdAccount = (guestId: string) =>
    app.holdRows('select 1 from accounts where id = $1 for update', [guestId]);

  it('should refuse to close a suspended account while a late charge waits for its reactivation, then close it as its points allow once the charge is applied', async () => {
    const { guestId, stay } = await suspendedMemberWithNoPoints();
    // Posted five days ago: its points are past the lock period once applied, so they can be adjusted away.
    await app.sendAdjustments(app.adjustment(stay, 'late-charge', { room: 20_000, daysAgo: 5 }));
    expect(await parked(stay)).toBe(1);

    const refused = await close(guestId);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'ADJUSTMENTS_PARKED', parkedAdjustments: 1 },
    });
    expect(refused.body.message).toMatch(/1 stay adjustment parked.*reactivate the account to apply it/);
    expect((await app.balance(guestId)).status).toBe('suspended');
    expect(await parked(stay)).toBe(1);

    expect((await changeStatus(guestId, 'reactivate')).status).toBe(200);
    expect(await parked(stay)).toBe(0);
    const { balance } = await app.balance(guestId);
    expect(balance).toBeGreaterThan(0);
    // Nothing waits now: the points the charge brought are what stops the close.
    expect(await close(guestId)).toMatchObject({ status: 409, body: { code: 'ACCOUNT_NOT_EMPTY' } });
    const forfeit = await app.http('POST', `/accounts/${guestId}/adjustments`, {
      headers: { 'idempotency-key': randomUUID() },
      body: { points: -balance, reason: 'Points forfeited on closing', propertyId: 'AMS01' },
    });
    expect(forfeit.status).toBe(201);
    const before = (await app.reconcile()).parkedAdjustments.onClosedAccounts.count;
    expect(await close(guestId)).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect((await app.reconcile()).parkedAdjustments.onClosedAccounts.count).toBe(before);
  });

  it('should refuse a close that waited for the account while a transaction parked an adjustment it refused', async () => {
    const { guestId, stay } = await suspendedMemberWithNoPoints();
    const held = await holdAccount(guestId);
    let closing: ReturnType<typeof close>;
    try {
      await app.send(app.adjustment(stay, 'late-charge', { room: 20_000, daysAgo: 1 }));
      // The adjustment's transaction waits for the account first, the close behind it.
      await held.waiting(1);
      closing = close(guestId);
      await held.waiting(2);
    } finally {
      await held.release();
    }
    expect(await closing).toMatchObject({
      status: 409,
      body: { code: 'ADJUSTMENTS_PARKED', parkedAdjustments: 1 },
    });
    await app.caughtUp('stay-adjusted');
    expect(await parked(stay)).toBe(1);
    expect((await app.balance(guestId)).status).toBe('suspended');
    // The account kept it, and applies it when reactivated.
    expect((await changeStatus(guestId, 'reactivate')).status).toBe(200);
    expect(await parked(stay)).toBe(0);
    expect((await app.balance(guestId)).balance).toBeGreaterThan(0);
  });

  it('should dead-letter, not park, an adjustment whose transaction waited for the account while it was being closed', async () => {
    const { guestId, stay } = await suspendedMemberWithNoPoints();
    const charge = app.adjustment(stay, 'late-charge', { room: 20_000, daysAgo: 1 });
    const held = await holdAccount(guestId);
    let closing: ReturnType<typeof close>;
    try {
      closing = close(guestId);
      await held.waiting(1);
      await app.send(charge);
      await held.waiting(2);
    } finally {
      await held.release();
    }
    expect(await closing).toMatchObject({ status: 200, body: { status: 'closed' } });
    await waitUntil('the charge dead-lettered', () => deadLettered(charge).length > 0 || undefined);
    expect(deadLettered(charge)).toEqual(['ACCOUNT_CLOSED']);
    expect(await parked(stay)).toBe(0);
  });

  it('should keep a nights correction crossing a milestone on a suspended account waiting, with what comes after it, and apply them once at reactivation', async () => {
    const { guestId, stay } = await suspendedMemberWith39Nights();
    const before = await ledgerState(stay);
    // One night corrected to three (39 to 41, past the 40-night milestone) with its room charge, then a
    // partial refund: the refund waits behind the correction, as they must apply in the order posted.
    const correction = app.adjustment(stay, 'correction', { nights: 3, room: 20_000, daysAgo: 2 });
    const refund = app.adjustment(stay, 'refund', { room: -5_000, daysAgo: 1 });
    await app.sendAdjustments(correction, refund);

    expect(await parked(stay)).toBe(2);
    await app.awaitPublished('points-earned', 'points-reversed');
    expect(app.records('points-earned', guestId)).toHaveLength(2);
    expect(app.records('points-reversed', guestId)).toHaveLength(0);
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 39 });
    expect((await app.reconcile()).parkedAdjustments).toMatchObject({
      count: 2,
      awaitingReactivation: { count: 2 },
    });
    // The scheduled pass leaves them waiting while the account is suspended: it does not take the stay.
    expect(await runParkedJob()).toMatchObject({ ran: true, stays: 0 });
    expect(await parked(stay)).toBe(2);

    expect(await changeStatus(guestId, 'reactivate')).toMatchObject({
      status: 200,
      body: { status: 'active', changed: true },
    });
    // Applied by the reactivation before it answers: the late charge's top-up and the milestone, then the refund.
    expect(await parked(stay)).toBe(0);
    const earned = await app.awaitRecords('points-earned', 4, guestId);
    // The refund takes the newest revenue first: 50.00 of the charge's 200.00, a quarter of its top-up's points,
    // and nothing of the stay's own.
    const [refunded] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(refunded.pointsDelta).toBe(-Math.round(earned[2].points / 4));
    expect(earned[3].points).toBe(10_000);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    expect(await creditedNights(stay)).toBe(3);
    expect((await app.balance(guestId)).progress).toMatchObject({ nights: 41 });
    const milestoneEvent = app.probe
      .seen(app.topic('points-earned'))
      .map((record) => record.json<{ causationid: string; data: { guestId: string; points: number } }>())
      .find((event) => event.data.guestId === guestId && event.data.points === 10_000);
    expect(milestoneEvent?.causationid).toBe(correction.id);
    // Applied once each, from the database: the charge and the refund on the stay's revenue, the stay's
    // own earn entry, the charge's top-up and the milestone, and the refund taken from the top-up.
    const applied = await ledgerState(stay);
    expect(applied).toMatchObject({
      revenue: before.revenue + 20_000 - 5_000,
      nights: 3,
      earns: 3,
      reversals: 1,
    });
    // And the events say as much: what they earned less what they took back is the balance.
    const reversed = await app.awaitRecords('points-reversed', 1, guestId);
    const earnedPoints = earned.reduce((total, event) => total + event.points, 0);
    const reversedPoints = reversed.reduce((total, event) => total + event.pointsDelta, 0);
    expect(earnedPoints + reversedPoints).toBe(applied.balance);

    // Once: the correction again under another event id, and the job's next pass, pay nothing more.
    await app.sendAdjustments(app.event('stay-adjusted', correction.data));
    expect(await runParkedJob()).toMatchObject({ ran: true, stays: 0 });
    await app.caughtUp('stay-adjusted');
    expect(await ledgerState(stay)).toEqual(applied);
    // Counted once every event they committed has been published, none still on its way.
    expect(await published(guestId, 'points-earned')).toHaveLength(4);
    expect(await published(guestId, 'points-reversed')).toHaveLength(1);
    expect(app.records('points-earned', guestId)).toHaveLength(4);
    expect(app.records('points-reversed', guestId)).toHaveLength(1);
    expect(await app.milestonesPaid(guestId)).toEqual([40]);
    expect(await parked(stay)).toBe(0);
    expect(deadLettered(correction, refund)).toEqual([]);
    const report = await app.reconcile();
    expect(report.differences).toEqual([]);
    expect(report.parkedAdjustments).toMatchObject({
      count: 0,
      awaitingReactivation: { count: 0 },
      onClosedAccounts: { count: 0 },
    });
  });

  it('should leave the stay of an account still suspended to its reactivation when the job runs, neither locking it nor refusing it again', async () => {
    const { guestId, stay } = await suspendedMemberWith39Nights();
    await app.sendAdjustments(app.adjustment(stay, 'correction', { room: 20_000, daysAgo: 1 }));
    expect(await parked(stay)).toBe(1);

    const warnings = await warningsAbout(stay, async () => {
      expect(await runParkedJobWhileHeld(stay)).toMatchObject({ ran: true, stays: 0 });
    });
    expect(warnings).toEqual([]);
    expect(await parked(stay)).toBe(1);

    // The reactivation still applies it: the late charge's top-up.
    expect((await changeStatus(guestId, 'reactivate')).status).toBe(200);
    expect(await parked(stay)).toBe(0);
    await app.awaitRecords('points-earned', 3, guestId);
  });

  it('should apply at once, on a suspended account, an adjustment it accepts when none of its stay waits', async () => {
    const { guestId, stay } = await suspendedMemberWith39Nights();
    const refund = app.adjustment(stay, 'refund', { room: -5_000, daysAgo: 1 });
    await app.sendAdjustments(refund);
    await app.awaitRecords('points-reversed', 1, guestId);
    expect(await parked(stay)).toBe(0);
    expect(deadLettered(refund)).toEqual([]);
  });

  it('should apply at once, on a suspended account, a late charge too small to earn a point', async () => {
    const { stay } = await suspendedMemberWith39Nights();
    const before = await ledgerState(stay);
    const charge = app.adjustment(stay, 'late-charge', { room: 4, daysAgo: 1 });
    await app.sendAdjustments(charge);
    expect(await parked(stay)).toBe(0);
    expect(deadLettered(charge)).toEqual([]);
    const after = await ledgerState(stay);
    expect(after.revenue).toBeGreaterThan(before.revenue);
    expect({ ...after, revenue: before.revenue }).toEqual(before);
  });

  it('should apply at reactivation what waited for a stay credited to a guest merged into the suspended account', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const stay = app.stayOfNights(merged, 1);
    await app.send(app.stayOfNights(survivor, 38), stay);
    await app.awaitRecords('points-earned', 1, survivor);
    await app.awaitRecords('points-earned', 1, merged);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil(
      'the merge',
      async () => ((await app.balance(survivor)).progress as { nights: number }).nights === 39,
    );
    expect((await changeStatus(survivor, 'suspend')).status).toBe(200);
    // The merged guest's stay stays credited to their id: one night corrected to three, 39 to 41 nights.
    await app.sendAdjustments(app.adjustment(stay, 'correction', { nights: 3, daysAgo: 1 }));
    expect(await parked(stay)).toBe(1);
    // It waits to apply to the survivor, which may not be closed meanwhile.
    expect(await close(survivor)).toMatchObject({
      status: 409,
      body: { code: 'ADJUSTMENTS_PARKED', parkedAdjustments: 1 },
    });

    expect((await changeStatus(survivor, 'reactivate')).status).toBe(200);
    expect(await parked(stay)).toBe(0);
    expect(await app.milestonesPaid(survivor)).toEqual([40]);
    expect((await app.balance(survivor)).progress).toMatchObject({ nights: 41 });
  });

  it('should report, apart, an adjustment waiting on an account closed while suspended before closing checked for them, which never applies, and leave it out of the job', async () => {
    const { guestId, stay } = await suspendedMemberWithNoPoints();
    await app.sendAdjustments(app.adjustment(stay, 'correction', { room: 20_000, daysAgo: 1 }));
    expect(await parked(stay)).toBe(1);
    const waiting = (await app.reconcile()).parkedAdjustments;
    // Closed as the ledger closed accounts before it refused that (ADJUSTMENTS_PARKED): no request can now.
    await app.db.query(`update accounts set status = 'closed' where id = $1`, [guestId]);

    // It no longer awaits a reactivation: it is reported as never to apply.
    expect((await app.reconcile()).parkedAdjustments).toMatchObject({
      count: waiting.count,
      awaitingReactivation: { count: waiting.awaitingReactivation.count - 1 },
      onClosedAccounts: { count: waiting.onClosedAccounts.count + 1, oldestParkedAt: expect.any(String) },
    });
    // No run takes it, locks it or logs its refusal: it is kept as the record of what the account refused.
    const warnings = await warningsAbout(stay, async () => {
      expect(await runParkedJobWhileHeld(stay)).toMatchObject({ ran: true, stays: 0 });
      expect(await runParkedJob()).toMatchObject({ ran: true, stays: 0 });
    });
    expect(warnings).toEqual([]);
    expect(await parked(stay)).toBe(1);
    expect(await ledgerState(stay)).toMatchObject({ revenue: 0, balance: 0 });
  });
});
