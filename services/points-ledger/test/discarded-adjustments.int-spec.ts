import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Role } from '@loyalty/auth';
import { validateEvent, type EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { parkedForCrediting, unparkWrites } from '../src/ledger/parked-adjustments';
import { StayAdjustmentService } from '../src/ledger/stay-adjustment.service';
import { StayEarningService } from '../src/ledger/stay-earning.service';
import { LedgerApp, localDate } from './ledger-app';

const MINUTE_MS = 60_000;
const SAMPLE_POINTS = 6786;

type Stay = EventEnvelope<'stay-recorded'>;
type Adjustment = EventEnvelope<'stay-adjusted'>;

interface Listed {
  stayKey: string;
  adjustmentKey: string;
  parkedAt: string;
  parkedBecause: string;
  accountId: string | null;
  event: { id: string };
}

interface Discarded extends Listed {
  reason: string;
  discardedBy: { staffId: string; roles: Role[] };
  discardedAt: string;
  restored: { reason: string; by: { staffId: string; roles: Role[] }; at: string } | null;
}

/**
 * A parked stay adjustment that can never apply (its stay never comes, its account was closed) is listed
 * with why it waits, and discarded by a chain admin into an audit that keeps it whole; a discard and an
 * applier of the same adjustment never both take it.
 */
describe('points-ledger discarding parked stay adjustments (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_discarded_adjustments', ['points-earned', 'points-reversed']);
  });

  afterAll(async () => {
    await app.close();
  });

  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const stayKey = (stay: Stay) => `${stay.data.propertyId}/${stay.data.reservationId}`;
  const adjustmentKey = (adjustment: Adjustment) =>
    `${adjustment.data.propertyId}/${adjustment.data.adjustmentId}`;

  type Decision = { reason?: string; roles?: Role[]; staffId?: string };
  const DECIDED_BY = {
    discard: { reason: 'No stay will come for this reservation', staffId: 'admin-7' },
    restore: { reason: 'Discarded by mistake', staffId: 'admin-8' },
  };

  /** A chain admin's decision about an adjustment: discard it, or restore it once discarded. */
  function decide(action: keyof typeof DECIDED_BY, stay: Stay, adjustment: Adjustment, options: Decision) {
    const { reason, roles, staffId } = {
      roles: ['chain-admin'] as Role[],
      ...DECIDED_BY[action],
      ...options,
    };
    return app.http<Discarded & { code?: string; applied?: boolean }>(
      'POST',
      `/operations/parked-adjustments/${action}`,
      { body: { stayKey: stayKey(stay), adjustmentKey: adjustmentKey(adjustment), reason }, roles, staffId },
    );
  }

  const discard = (stay: Stay, adjustment: Adjustment, options: Decision = {}) =>
    decide('discard', stay, adjustment, options);
  const restore = (stay: Stay, adjustment: Adjustment, options: Decision = {}) =>
    decide('restore', stay, adjustment, options);

  async function listed(query: Record<string, string>, roles: Role[] = ['chain-admin']) {
    return app.http<{ items: Listed[]; nextCursor: string | null; code?: string }>(
      'GET',
      `/operations/parked-adjustments?${new URLSearchParams(query).toString()}`,
      { roles },
    );
  }

  async function parked(stay: Stay): Promise<number> {
    const [row] = await app.db.query<{ n: string }>(
      'select count(*) as n from parked_stay_adjustments where stay_key = $1',
      [stayKey(stay)],
    );
    return Number(row.n);
  }

  async function discardsOf(adjustment: Adjustment): Promise<{ reason: string; staff_roles: string[] }[]> {
    return app.db.query(
      'select reason, staff_roles from discarded_stay_adjustments where adjustment_key = $1 order by id',
      [adjustmentKey(adjustment)],
    );
  }

  /** As the crediting transaction, which could not see it, leaves an adjustment of a credited stay. */
  async function leftParked(stay: Stay, adjustment: Adjustment): Promise<void> {
    await app.db.query(
      `insert into parked_stay_adjustments (stay_key, adjustment_key, event, parked_at)
       values ($1, $2, $3::jsonb, now())`,
      [stayKey(stay), adjustmentKey(adjustment), JSON.stringify(adjustment)],
    );
  }

  async function changeStatus(guestId: string, action: 'suspend' | 'reactivate' | 'close') {
    return app.http<{ status?: string; code?: string; message?: string }>(
      'POST',
      `/accounts/${guestId}/${action}`,
      {
        roles: action === 'close' ? ['chain-admin'] : ['property-manager'],
        body: { reason: 'Fraud review', propertyId: 'AMS01' },
      },
    );
  }

  /** A member whose one stay, credited, earned nothing: an empty account. */
  async function memberWithAnEmptyStay(): Promise<{ guestId: string; stay: Stay }> {
    const guestId = randomUUID();
    const zero = { room: eur(0), foodAndBeverage: eur(0), other: eur(0) };
    const stay = app.stay(guestId, {
      arrival: localDate(new Date(), -1),
      nights: 1,
      revenue: { property: zero, program: zero },
    });
    await app.send(stay);
    await app.caughtUp('stay-recorded');
    expect((await app.balance(guestId)).balance).toBe(0);
    return { guestId, stay };
  }

  /** A member with one stay credited, its points available. */
  async function memberWithAStay(): Promise<{ guestId: string; stay: Stay }> {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    await app.caughtUp('stay-recorded');
    return { guestId, stay };
  }

  /** A late charge posted five days ago: its points are past the lock period once applied. */
  const lateCharge = (stay: Stay) => app.adjustment(stay, 'late-charge', { room: 20_000, daysAgo: 5 });

  let lastJobRun = 0;

  /** A run of `apply-parked-adjustments`, each at a minute of its own (it runs once a minute). */
  function runParkedJob(): Promise<{ ran: boolean; stays?: number }> {
    lastJobRun = Math.max(Date.now(), lastJobRun + MINUTE_MS);
    return app.runJob('apply-parked-adjustments', new Date(lastJobRun));
  }

  it('should list parked adjustments oldest first with why each waits, by stay, guest or reason, a page at a time', async () => {
    const neverCredited = app.stay(randomUUID());
    const early = app.adjustment(neverCredited, 'refund', { room: -100, daysAgo: 2 });
    const later = app.adjustment(neverCredited, 'refund', { room: -200, daysAgo: 1 });
    await app.sendAdjustments(early, later);

    const suspended = await memberWithAnEmptyStay();
    expect((await changeStatus(suspended.guestId, 'suspend')).status).toBe(200);
    await app.sendAdjustments(lateCharge(suspended.stay));

    const closed = await memberWithAnEmptyStay();
    expect((await changeStatus(closed.guestId, 'suspend')).status).toBe(200);
    await app.sendAdjustments(lateCharge(closed.stay));
    // Closed as the ledger closed accounts before it refused that (ADJUSTMENTS_PARKED).
    await app.db.query(`update accounts set status = 'closed' where id = $1`, [closed.guestId]);

    const active = await memberWithAStay();
    await leftParked(active.stay, lateCharge(active.stay));

    const reasonOf = async (stay: Stay) => {
      const { status, body } = await listed({ stayKey: stayKey(stay) });
      expect(status).toBe(200);
      return body.items.map(({ parkedBecause, accountId }) => ({ parkedBecause, accountId }));
    };
    expect(await reasonOf(neverCredited)).toEqual([
      { parkedBecause: 'stay-not-credited', accountId: null },
      { parkedBecause: 'stay-not-credited', accountId: null },
    ]);
    expect(await reasonOf(suspended.stay)).toEqual([
      { parkedBecause: 'awaiting-reactivation', accountId: suspended.guestId },
    ]);
    expect(await reasonOf(closed.stay)).toEqual([
      { parkedBecause: 'on-closed-account', accountId: closed.guestId },
    ]);
    expect(await reasonOf(active.stay)).toEqual([
      { parkedBecause: 'awaiting-job', accountId: active.guestId },
    ]);

    const ofGuest = (await listed({ guestId: suspended.guestId })).body;
    expect(ofGuest.items.map((item) => item.stayKey)).toEqual([stayKey(suspended.stay)]);
    const awaitingJob = (await listed({ parkedBecause: 'awaiting-job', limit: '100' })).body;
    expect(awaitingJob.items.map((item) => item.stayKey)).toContain(stayKey(active.stay));
    expect(new Set(awaitingJob.items.map((item) => item.parkedBecause))).toEqual(new Set(['awaiting-job']));

    // One page at a time, oldest first, each as received.
    const first = (await listed({ stayKey: stayKey(neverCredited), limit: '1' })).body;
    expect(first.items.map((item) => item.event.id)).toEqual([early.id]);
    expect(first.items[0]).toMatchObject({
      adjustmentKey: adjustmentKey(early),
      event: { data: early.data },
    });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await listed({ stayKey: stayKey(neverCredited), limit: '1', cursor: first.nextCursor ?? '' })
    ).body;
    expect(second).toEqual({ items: [expect.objectContaining({ event: later })], nextCursor: null });

    expect(await listed({ cursor: 'not-a-cursor' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_CURSOR' },
    });
    expect((await listed({}, ['property-manager'])).status).toBe(403);
  });

  it('should list a restored adjustment where it was first parked, not after those parked since', async () => {
    const stay = app.stay(randomUUID());
    const [first, second] = [2, 1].map((daysAgo) => app.adjustment(stay, 'refund', { room: -100, daysAgo }));
    await app.sendAdjustments(first);
    await app.sendAdjustments(second);
    const parkedAt = async () =>
      (
        await app.db.query<{ at: string }>(
          'select parked_at::text as at from parked_stay_adjustments where adjustment_key = $1',
          [adjustmentKey(first)],
        )
      )[0]?.at;
    const firstParkedAt = await parkedAt();

    expect((await discard(stay, first)).status).toBe(200);
    expect((await restore(stay, first)).status).toBe(200);
    const { items } = (await listed({ stayKey: stayKey(stay) })).body;
    expect(items.map((item) => item.adjustmentKey)).toEqual([adjustmentKey(first), adjustmentKey(second)]);
    expect(await parkedAt()).toBe(firstParkedAt);
  });

  it('should list, on a later page, an adjustment whose parking commits after a reader has read those parked after it', async () => {
    const stay = app.stay(randomUUID());
    const [first, second, slow, fast] = [4, 3, 2, 1].map((daysAgo) =>
      app.adjustment(stay, 'refund', { room: -100, daysAgo }),
    );
    await app.sendAdjustments(first, second);
    const page = async (cursor?: string | null) =>
      (await listed({ stayKey: stayKey(stay), limit: '2', ...(cursor ? { cursor } : {}) })).body;

    // `slow` is parked first, so it arrives first, but its transaction commits only after `fast`'s has,
    // and after the reader has read two pages.
    const parking = app.service.app.get(DataSource).createQueryRunner();
    await parking.connect();
    await parking.startTransaction();
    const pages: Awaited<ReturnType<typeof page>>[] = [];
    try {
      await app.service.app
        .get(StayAdjustmentService)
        .adjustStay(parking.manager, validateEvent(slow, 'stay-adjusted'), new Date(), () => () => undefined);
      await app.sendAdjustments(fast);
      pages.push(await page());
      pages.push(await page(pages[0].nextCursor));
      await parking.commitTransaction();
    } finally {
      if (parking.isTransactionActive) await parking.rollbackTransaction();
      await parking.release();
    }
    while (pages[pages.length - 1].nextCursor) pages.push(await page(pages[pages.length - 1].nextCursor));

    expect(pages.flatMap(({ items }) => items.map((item) => item.adjustmentKey))).toEqual(
      [first, second, slow, fast].map(adjustmentKey),
    );
  });

  it('should discard a parked adjustment into the audit with who, when and why, answer a second discard with that record, and never apply it afterwards', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    const refund = app.adjustment(stay, 'refund', { room: -18_000, daysAgo: 1 });
    await app.sendAdjustments(refund);
    const before = await app.reconcile();

    const first = await discard(stay, refund, { reason: 'Reservation cancelled', staffId: 'admin-7' });
    expect(first).toMatchObject({
      status: 200,
      body: {
        stayKey: stayKey(stay),
        adjustmentKey: adjustmentKey(refund),
        parkedBecause: 'stay-not-credited',
        accountId: null,
        reason: 'Reservation cancelled',
        discardedBy: { staffId: 'admin-7', roles: ['chain-admin'] },
        event: refund,
      },
    });
    expect(await parked(stay)).toBe(0);
    expect(await discardsOf(refund)).toEqual([
      { reason: 'Reservation cancelled', staff_roles: ['chain-admin'] },
    ]);

    // Asked again, by someone else and for another reason: the first discard's record, nothing more.
    const again = await discard(stay, refund, { reason: 'Cleaning up', staffId: 'admin-9' });
    expect(again).toEqual(first);
    expect(await discardsOf(refund)).toHaveLength(1);

    const after = await app.reconcile();
    expect(after.parkedAdjustments.count).toBe(before.parkedAdjustments.count - 1);
    expect(after).toMatchObject({
      discardedAdjustments: {
        count: before.discardedAdjustments.count + 1,
        lastDiscardedAt: first.body.discardedAt,
      },
    });

    // Delivered again, it is not parked again; and its stay, when it comes after all, earns without it.
    await app.sendAdjustments(app.event('stay-adjusted', refund.data));
    expect(await parked(stay)).toBe(0);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    await app.caughtUp('stay-recorded');
    expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS);
    expect(app.records('points-reversed', guestId)).toEqual([]);
  });

  it('should refuse a discard of an adjustment not parked with a 404 and a code, one without a reason, and one by other roles', async () => {
    const { stay } = await memberWithAStay();
    const neverSent = app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 });
    expect(await discard(stay, neverSent)).toMatchObject({
      status: 404,
      body: { code: 'PARKED_ADJUSTMENT_NOT_FOUND', applied: false },
    });

    const applied = app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 });
    await app.sendAdjustments(applied);
    expect(await discard(stay, applied)).toMatchObject({
      status: 404,
      body: { code: 'PARKED_ADJUSTMENT_NOT_FOUND', applied: true },
    });

    const waiting = app.adjustment(app.stay(randomUUID()), 'refund', { room: -100, daysAgo: 1 });
    await app.sendAdjustments(waiting);
    const noReason = await app.http('POST', '/operations/parked-adjustments/discard', {
      body: {
        stayKey: `${waiting.data.propertyId}/${waiting.data.reservationId}`,
        adjustmentKey: adjustmentKey(waiting),
      },
    });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    for (const roles of [['property-manager'], ['front-desk'], ['analyst']] as Role[][]) {
      expect((await app.http('POST', '/operations/parked-adjustments/discard', { roles })).status).toBe(403);
    }
    expect(await discardsOf(waiting)).toEqual([]);
  });

  it('should close an account refused only for a parked adjustment once a chain admin discards it', async () => {
    const { guestId, stay } = await memberWithAnEmptyStay();
    expect((await changeStatus(guestId, 'suspend')).status).toBe(200);
    const charge = lateCharge(stay);
    await app.sendAdjustments(charge);

    const refused = await changeStatus(guestId, 'close');
    expect(refused).toMatchObject({ status: 409, body: { code: 'ADJUSTMENTS_PARKED' } });
    expect(refused.body.message).toContain(`GET /operations/parked-adjustments?guestId=${guestId}`);
    const { items } = (await listed({ guestId })).body;
    expect(items).toEqual([
      expect.objectContaining({
        adjustmentKey: adjustmentKey(charge),
        parkedBecause: 'awaiting-reactivation',
      }),
    ]);

    expect((await discard(stay, charge, { reason: 'Charge voided by the property' })).status).toBe(200);
    expect(await changeStatus(guestId, 'close')).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect((await app.balance(guestId)).balance).toBe(0);
  });

  it("should discard, at a chain admin's choice, an adjustment awaiting a suspended account's reactivation, which the reactivation then does not apply", async () => {
    const { guestId, stay } = await memberWithAStay();
    expect((await changeStatus(guestId, 'suspend')).status).toBe(200);
    const charge = lateCharge(stay);
    await app.sendAdjustments(charge);
    expect(await parked(stay)).toBe(1);

    expect(await discard(stay, charge, { reason: 'Charge voided by the property' })).toMatchObject({
      status: 200,
      body: { parkedBecause: 'awaiting-reactivation', accountId: guestId },
    });
    expect((await changeStatus(guestId, 'reactivate')).status).toBe(200);
    await runParkedJob();
    expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS);
    expect(app.records('points-earned', guestId)).toHaveLength(1);
    expect(await parked(stay)).toBe(0);
  });

  it('should restore a discard made by mistake: parked again and applied by the job, the discard kept with who restored it, when and why', async () => {
    const { guestId, stay } = await memberWithAStay();
    const charge = lateCharge(stay);
    await leftParked(stay, charge);
    const discarded = await discard(stay, charge, { reason: 'Charge voided by the property' });
    expect(discarded).toMatchObject({ status: 200, body: { restored: null } });
    await runParkedJob();
    expect(app.records('points-earned', guestId)).toHaveLength(1);
    const before = await app.reconcile();

    const restored = await restore(stay, charge, {
      reason: 'The charge stands after all',
      staffId: 'admin-8',
    });
    expect(restored).toMatchObject({
      status: 200,
      body: {
        ...discarded.body,
        restored: {
          reason: 'The charge stands after all',
          by: { staffId: 'admin-8', roles: ['chain-admin'] },
          at: expect.any(String),
        },
      },
    });
    const { items } = (await listed({ stayKey: stayKey(stay) })).body;
    expect(items).toEqual([
      expect.objectContaining({
        adjustmentKey: adjustmentKey(charge),
        parkedAt: discarded.body.parkedAt,
        parkedBecause: 'awaiting-job',
        event: charge,
      }),
    ]);
    expect((await app.reconcile()).discardedAdjustments.count).toBe(before.discardedAdjustments.count - 1);

    // Asked again, by someone else: the first restore's record, and still one parked adjustment.
    expect(await restore(stay, charge, { reason: 'Again', staffId: 'admin-9' })).toEqual(restored);
    expect(await parked(stay)).toBe(1);

    await runParkedJob();
    await app.awaitRecords('points-earned', 2, guestId);
    expect((await app.balance(guestId)).balance).toBeGreaterThan(SAMPLE_POINTS);
    expect(await parked(stay)).toBe(0);
    // Applied now: a discard finds it applied, not the discard restored.
    expect(await discard(stay, charge)).toMatchObject({
      status: 404,
      body: { code: 'PARKED_ADJUSTMENT_NOT_FOUND', applied: true },
    });
  });

  it('should restore a discard of an adjustment whose stay had not come, which its stay then earns with', async () => {
    const [discardedId, controlId] = [randomUUID(), randomUUID()];
    const [stay, control] = [app.stay(discardedId), app.stay(controlId)];
    const [refund, controlRefund] = [stay, control].map((one) =>
      app.adjustment(one, 'refund', { room: -18_000, daysAgo: 1 }),
    );
    await app.sendAdjustments(refund, controlRefund);
    expect((await discard(stay, refund)).status).toBe(200);

    expect(await restore(stay, refund)).toMatchObject({
      status: 200,
      body: { parkedBecause: 'stay-not-credited' },
    });
    // Delivered again while parked, it is not parked twice.
    await app.sendAdjustments(app.event('stay-adjusted', refund.data));
    expect(await parked(stay)).toBe(1);

    await app.send(stay, control);
    for (const id of [discardedId, controlId]) await app.awaitRecords('points-earned', 1, id);
    await app.caughtUp('stay-recorded');
    const { balance } = await app.balance(discardedId);
    expect(balance).toBeLessThan(SAMPLE_POINTS);
    expect(balance).toBe((await app.balance(controlId)).balance);
    expect(await parked(stay)).toBe(0);
  });

  it("should keep, through a discard and its restore, the claim another stay's adjustment made under an id the property reused", async () => {
    const { guestId, stay: credited } = await memberWithAStay();
    const waiting = app.stay(randomUUID());
    const reused = `ADJ-${randomUUID().slice(0, 8)}`;
    const [applied, parkedOne] = [credited, waiting].map((one) => {
      const refund = app.adjustment(one, 'refund', { room: -18_000, daysAgo: 1 });
      return app.event('stay-adjusted', { ...refund.data, adjustmentId: reused });
    });
    await app.sendAdjustments(parkedOne);
    await app.sendAdjustments(applied);
    const { balance: refunded } = await app.balance(guestId);
    expect(refunded).toBeLessThan(SAMPLE_POINTS);

    expect((await discard(waiting, parkedOne)).status).toBe(200);
    expect((await restore(waiting, parkedOne)).status).toBe(200);
    // The property sends the credited stay's refund again, under a new event id.
    await app.sendAdjustments(app.event('stay-adjusted', applied.data));
    await runParkedJob();
    await app.caughtUp('stay-adjusted');

    expect((await app.balance(guestId)).balance).toBe(refunded);
    expect(await parked(waiting)).toBe(1);
  });

  it('should refuse a restore of an adjustment not discarded with a 404 and a code, one without a reason, and one by other roles', async () => {
    const stay = app.stay(randomUUID());
    const refund = app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 });
    await app.sendAdjustments(refund);
    expect(await restore(stay, refund)).toMatchObject({
      status: 404,
      body: { code: 'DISCARDED_ADJUSTMENT_NOT_FOUND' },
    });
    expect((await discard(stay, refund)).status).toBe(200);
    const noReason = await app.http('POST', '/operations/parked-adjustments/restore', {
      body: { stayKey: stayKey(stay), adjustmentKey: adjustmentKey(refund) },
    });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    for (const roles of [['property-manager'], ['front-desk'], ['analyst']] as Role[][]) {
      expect((await restore(stay, refund, { roles })).status).toBe(403);
    }
    expect(await parked(stay)).toBe(0);
  });

  it('should discard again when asked while a restore of the discard commits, not answer the record restored', async () => {
    const stay = app.stay(randomUUID());
    const refund = app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 });
    await app.sendAdjustments(refund);
    expect((await discard(stay, refund, { reason: 'Reservation cancelled' })).status).toBe(200);

    // What a restore writes, held uncommitted: the discard's record locked and marked, the claim given up,
    // the adjustment parked again.
    const restoring = await app.holdRows(
      `with locked as (
         select id from discarded_stay_adjustments where stay_key = $1 and adjustment_key = $2 for update),
       claim as (delete from applied_operations where kind = 'stay-adjustment' and key = $2),
       restored as (
         update discarded_stay_adjustments
         set restored_at = now(), restored_by = 'admin-8', restored_by_roles = '{chain-admin}',
           restore_reason = 'Discarded by mistake'
         where id in (select id from locked) returning event, parked_at)
       insert into parked_stay_adjustments (stay_key, adjustment_key, event, parked_at)
       select $1, $2, event, parked_at from restored`,
      [stayKey(stay), adjustmentKey(refund)],
    );
    let discarding: ReturnType<typeof discard> | undefined;
    try {
      discarding = discard(stay, refund, { reason: 'Cancelled after all' });
      await restoring.waiting(1);
    } finally {
      await restoring.release();
    }
    expect(await discarding).toMatchObject({
      status: 200,
      body: { reason: 'Cancelled after all', restored: null },
    });
    expect(await parked(stay)).toBe(0);
    expect((await discardsOf(refund)).map(({ reason }) => reason)).toEqual([
      'Reservation cancelled',
      'Cancelled after all',
    ]);
  });

  it("should redact a restore's reason with its discard's when the guest is erased", async () => {
    const { guestId, stay } = await memberWithAnEmptyStay();
    expect((await changeStatus(guestId, 'suspend')).status).toBe(200);
    const charge = lateCharge(stay);
    await app.sendAdjustments(charge);
    expect((await discard(stay, charge, { reason: 'Guest asked by phone' })).status).toBe(200);
    expect((await restore(stay, charge, { reason: 'Guest called back' })).status).toBe(200);

    await app.send(app.event('guest-erased', { guestId }, guestId));
    const redacted = async () =>
      (
        await app.db.query<{ reason: string; restore_reason: string }>(
          'select reason, restore_reason from discarded_stay_adjustments where adjustment_key = $1',
          [adjustmentKey(charge)],
        )
      )[0];
    await waitUntil('the erasure', async () => (await redacted()).reason === '[erased]');
    expect(await redacted()).toEqual({ reason: '[erased]', restore_reason: '[erased]' });
  });

  it("should redact a discard's reason when its guest is erased, and keep none given after the erasure", async () => {
    const { guestId, stay } = await memberWithAnEmptyStay();
    expect((await changeStatus(guestId, 'suspend')).status).toBe(200);
    const [charge, refund] = [lateCharge(stay), app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 })];
    await app.sendAdjustments(charge, refund);
    expect(await parked(stay)).toBe(2);

    expect((await discard(stay, charge, { reason: 'Guest asked by phone' })).status).toBe(200);
    await app.send(app.event('guest-erased', { guestId }, guestId));
    await waitUntil('the erasure', async () => (await discardsOf(charge))[0]?.reason === '[erased]');
    expect((await discard(stay, refund, { reason: 'Guest asked by phone' })).body.reason).toBe('[erased]');
  });

  it('should redact the reason of a discard whose guest is erased while the discard is being made', async () => {
    const { guestId, stay } = await memberWithAnEmptyStay();
    expect((await changeStatus(guestId, 'suspend')).status).toBe(200);
    const charge = lateCharge(stay);
    await app.sendAdjustments(charge);
    const erased = async () =>
      (
        await app.db.query<{ erased: boolean }>(
          'select erased_at is not null as erased from accounts where id = $1',
          [guestId],
        )
      )[0].erased;

    // Holds the discard after it read the account, where it claims the adjustment.
    const claiming = await app.holdRows(
      `insert into applied_operations (kind, key) values ('stay-adjustment', $1)`,
      [adjustmentKey(charge)],
    );
    let discarding: ReturnType<typeof discard> | undefined;
    try {
      discarding = discard(stay, charge, { reason: 'Guest asked by phone' });
      await claiming.waiting(1);
      await app.send(app.event('guest-erased', { guestId }, guestId));
      // The erasure waits for the discard, or (unlocked) commits first.
      await waitUntil('the erasure waiting or done', async () => {
        const waiters = await app.db.query(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return waiters.length >= 2 || (await erased()) || undefined;
      });
    } finally {
      await claiming.release();
    }
    expect((await discarding)?.status).toBe(200);
    await waitUntil('the erasure', erased);
    await app.caughtUp('guest-erased');
    expect((await discardsOf(charge)).map(({ reason }) => reason)).toEqual(['[erased]']);
  });

  it('should redact the reason of a discard made before its stay was credited when the guest the stay was credited to, or merged into, is erased', async () => {
    const [guestId, mergedId, otherId] = [randomUUID(), randomUUID(), randomUUID()];
    const [own, merged, other] = [app.stay(guestId), app.stay(mergedId), app.stay(otherId)];
    const refunds = [own, merged, other].map((stay) =>
      app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 }),
    );
    await app.sendAdjustments(...refunds);
    for (const [stay, refund] of [own, merged, other].map((stay, i) => [stay, refunds[i]] as const)) {
      expect((await discard(stay, refund, { reason: 'Guest asked by phone' })).body.accountId).toBeNull();
    }

    await app.send(own, merged, other);
    for (const id of [guestId, mergedId, otherId]) await app.awaitRecords('points-earned', 1, id);
    await app.send(app.event('guest-merged', { survivorId: guestId, mergedId }, guestId));
    await waitUntil('the merge', async () => (await app.balance(guestId)).balance === 2 * SAMPLE_POINTS);
    await app.send(app.event('guest-erased', { guestId }, guestId));
    await waitUntil('the erasure', async () => (await discardsOf(refunds[0]))[0]?.reason === '[erased]');

    expect((await discardsOf(refunds[1]))[0].reason).toBe('[erased]');
    expect((await discardsOf(refunds[2]))[0].reason).toBe('Guest asked by phone');
  });

  it('should redact the reason of a discard made before its stay was credited when the stay is credited to a guest erased already', async () => {
    const guestId = randomUUID();
    await app.send(app.event('guest-erased', { guestId }, guestId));
    await waitUntil('the erasure', async () => {
      const [account] = await app.db.query<{ erased: boolean }>(
        'select erased_at is not null as erased from accounts where id = $1',
        [guestId],
      );
      return account?.erased || undefined;
    });
    const stay = app.stay(guestId);
    const refund = app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 });
    await app.sendAdjustments(refund);
    expect((await discard(stay, refund, { reason: 'Guest asked by phone' })).body.reason).toBe(
      'Guest asked by phone',
    );

    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    await app.caughtUp('stay-recorded');
    expect((await discardsOf(refund))[0].reason).toBe('[erased]');
  });

  it('should not park again an adjustment delivered again while its discard commits', async () => {
    const stay = app.stay(randomUUID());
    const refund = app.adjustment(stay, 'refund', { room: -100, daysAgo: 1 });
    await app.sendAdjustments(refund);

    // What a discard writes, held uncommitted: the row removed, the adjustment claimed.
    const discarding = await app.holdRows(
      `with removed as (delete from parked_stay_adjustments where stay_key = $1 and adjustment_key = $2)
       insert into applied_operations (kind, key) values ('stay-adjustment', $2)`,
      [stayKey(stay), adjustmentKey(refund)],
    );
    let redelivered: Promise<void> | undefined;
    try {
      redelivered = app.sendAdjustments(app.event('stay-adjusted', refund.data));
      await discarding.waiting(1);
    } finally {
      await discarding.release();
    }
    await redelivered;
    expect(await parked(stay)).toBe(0);
  });

  it('should leave an adjustment to the job that took it first: the discard waits for it, and finds it applied', async () => {
    const { guestId, stay } = await memberWithAStay();
    const refund = app.adjustment(stay, 'refund', { room: -15_638, daysAgo: 1 });
    await leftParked(stay, refund);

    // The job locks the stay and reads what is parked, then waits here for the account.
    const account = await app.holdRows('select 1 from accounts where id = $1 for update', [guestId]);
    let job: Promise<{ ran: boolean; stays?: number }>;
    let discarding: ReturnType<typeof discard>;
    try {
      job = runParkedJob();
      await account.waiting(1);
      discarding = discard(stay, refund);
      await account.waiting(2);
    } finally {
      await account.release();
    }
    expect(await job).toMatchObject({ ran: true });
    expect(await discarding).toMatchObject({
      status: 404,
      body: { code: 'PARKED_ADJUSTMENT_NOT_FOUND', applied: true },
    });
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(reversed.pointsDelta).toBe(-1697);
    expect(await parked(stay)).toBe(0);
    expect(await discardsOf(refund)).toEqual([]);
  });

  it('should refuse a second delivery of a stay, not deadlock, when the job holds what is parked for it and waits for the account the batch holds', async () => {
    // The batch locks the stay's guest, then waits for the other guest, whose id sorts after.
    const [guestId, otherId] = [randomUUID(), randomUUID()].sort();
    await app.send(app.stay(otherId));
    await app.awaitRecords('points-earned', 1, otherId);
    const stay = app.stay(guestId);
    const refund = app.adjustment(stay, 'refund', { room: -15_638, daysAgo: 1 });

    const earning = app.service.app.get(StayEarningService);
    const dataSource = app.service.app.get(DataSource);
    const credit = (manager: EntityManager, ...stays: Stay[]) =>
      earning.creditStays(
        manager,
        stays.map((event) => validateEvent(event, 'stay-recorded')),
        new Date(),
        () => () => undefined,
      );
    const pidOf = async (runner: QueryRunner): Promise<number> =>
      (await runner.query('select pg_backend_pid() as pid'))[0].pid;
    const waitingFor = (pid: number) =>
      waitUntil(`a session waiting for ${pid}`, async () => {
        const waiters = await app.db.query(
          `select 1 from pg_stat_activity where datname = current_database() and $1 = any(pg_blocking_pids(pid))`,
          [pid],
        );
        return waiters.length > 0 || undefined;
      });

    const other = await app.holdRows('select 1 from accounts where id = $1 for update', [otherId]);
    const [first, second] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    let job: Promise<{ ran: boolean; stays?: number }> | undefined;
    let secondCredit: Promise<unknown> | undefined;
    try {
      await Promise.all([first.startTransaction(), second.startTransaction()]);
      // Asked now: a session waiting for a lock answers nothing else.
      const [firstPid, secondPid] = await Promise.all([pidOf(first), pidOf(second)]);
      await credit(first.manager, stay);
      // The second delivery, under another event id, does not see the first's credit, and waits for the guest.
      secondCredit = credit(second.manager, app.event('stay-recorded', stay.data), app.stay(otherId)).catch(
        (error: unknown) => error,
      );
      await waitingFor(firstPid);
      await first.commitTransaction();
      await waitingFor(await other.pid());
      // Parked while the first credit ran, it waits for the job, which locks it, then waits for the guest.
      await leftParked(stay, refund);
      job = runParkedJob();
      await waitingFor(secondPid);
    } finally {
      await other.release();
    }
    expect(await secondCredit).toMatchObject({ code: '23505' });
    await second.rollbackTransaction();
    await Promise.all([first.release(), second.release()]);
    expect(await job).toMatchObject({ ran: true });
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(reversed.pointsDelta).toBe(-1697);
    expect(await parked(stay)).toBe(0);
  });

  it('should credit a stay without any of its parked adjustments when another transaction holds one of them, and leave them all to the job', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    const [earlier, later] = [
      app.adjustment(stay, 'refund', { room: -15_638, daysAgo: 2 }),
      app.adjustment(stay, 'late-charge', { room: 15_638, daysAgo: 1 }),
    ];
    await app.sendAdjustments(earlier, later);

    // As a discard that then fails holds the row it deletes.
    const discarding = await app.holdRows(
      'select 1 from parked_stay_adjustments where adjustment_key = $1 for update',
      [adjustmentKey(earlier)],
    );
    try {
      await app.send(stay);
      await app.awaitRecords('points-earned', 1, guestId);
      await app.caughtUp('stay-recorded');
    } finally {
      await discarding.release();
    }
    expect(await parked(stay)).toBe(2);
    expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS);

    await runParkedJob();
    expect(await parked(stay)).toBe(0);
    const [reversed] = await app.awaitRecords('points-reversed', 1, guestId);
    expect(reversed.pointsDelta).toBe(-1697);
  });

  it('should leave an adjustment to the batch crediting its stay that read it first: the discard waits for it, and finds it applied', async () => {
    const { guestId } = await memberWithAStay();
    const stay = app.stay(guestId);
    const refund = app.adjustment(stay, 'refund', { room: -18_000, daysAgo: 1 });
    await app.sendAdjustments(refund);
    expect(await parked(stay)).toBe(1);

    // A batch crediting the stay reads what is parked for it, works out its credits in memory, and then
    // removes and claims what it applied in its one writing statement: between the two, nothing of it is
    // written for a discard to wait on but the parked row it read.
    const dataSource = app.service.app.get(DataSource);
    const batch = dataSource.createQueryRunner();
    await batch.connect();
    await batch.startTransaction();
    let discarding: ReturnType<typeof discard> | undefined;
    try {
      const [read] = (await parkedForCrediting(batch.manager, [stayKey(stay)])).get(stayKey(stay)) ?? [];
      expect(read?.adjustmentKey).toBe(adjustmentKey(refund));
      discarding = discard(stay, refund);
      await waitUntil('the discard waiting for the batch', async () => {
        const waiters = await app.db.query(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return waiters.length > 0 || undefined;
      });
      const { ctes, params } = unparkWrites([{ adjustment: read, accountId: guestId }], 1);
      await batch.query(`with ${ctes.join(', ')} select 1`, params);
      await batch.commitTransaction();
    } finally {
      if (batch.isTransactionActive) await batch.rollbackTransaction();
      await batch.release();
    }
    expect(await discarding).toMatchObject({
      status: 404,
      body: { code: 'PARKED_ADJUSTMENT_NOT_FOUND', applied: true },
    });
    expect(await parked(stay)).toBe(0);
    expect(await discardsOf(refund)).toEqual([]);
  });
});
