import { randomUUID } from 'node:crypto';
import { Clock } from '@loyalty/platform';
import { waitUntil } from '@loyalty/testing';
import { PointsLedgerConfig } from '../src/config/points-ledger.config';
import { transactionIdOf } from '../src/ledger/entry-ids';
import { LedgerApp } from './ledger-app';

const SAMPLE_POINTS = 6786;
const DAY = 86_400_000;

describe('points-ledger HTTP API and scheduled jobs (real broker and Postgres)', () => {
  let app: LedgerApp;

  beforeAll(async () => {
    app = await LedgerApp.start('ledger_http', [
      'points-earned',
      'points-redeemed',
      'points-adjusted',
      'points-expired',
      'points-expiring-soon',
      'tier-changed',
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  /** A member with the points of the sample stay (at AMS01 unless another property is given), available. */
  async function member(propertyId?: string): Promise<string> {
    const guestId = randomUUID();
    await app.send(app.stay(guestId, propertyId ? { propertyId } : {}));
    await app.awaitRecords('points-earned', 1, guestId);
    return guestId;
  }

  const hold = (guestId: string, points: number, key = randomUUID(), ttlMinutes?: number) =>
    app.http<{ holdId: string; code?: string; shortfall?: number }>('POST', `/accounts/${guestId}/holds`, {
      roles: ['front-desk'],
      properties: ['AMS01'],
      headers: { 'idempotency-key': key },
      body: { points, propertyId: 'AMS01', ...(ttlMinutes ? { ttlMinutes } : {}) },
    });

  it('should never overdraw when 20 holds of 1,000 points race for 6,786 points', async () => {
    const guestId = await member();
    const answers = await Promise.all(Array.from({ length: 20 }, () => hold(guestId, 1000)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(6);
    expect(statuses.filter((status) => status === 409)).toHaveLength(14);
    const refused = answers.find((answer) => answer.status === 409);
    expect(refused?.body).toMatchObject({ code: 'INSUFFICIENT_POINTS', shortfall: 214 });
    expect(await app.balance(guestId)).toMatchObject({ available: 786, held: 6000, balance: SAMPLE_POINTS });
  });

  it('should answer a repeated Idempotency-Key with the first hold and set nothing more aside', async () => {
    const guestId = await member();
    const key = randomUUID();
    const first = await hold(guestId, 2000, key);
    const again = await hold(guestId, 2000, key);
    expect(first.status).toBe(201);
    expect(again.body.holdId).toBe(first.body.holdId);
    expect((await app.balance(guestId)).held).toBe(2000);
  });

  it('should redeem on confirm, give points back on release, and refuse a request without Idempotency-Key', async () => {
    const guestId = await member();
    const kept = await hold(guestId, 3000);
    const dropped = await hold(guestId, 1000);
    const confirm = await app.http('POST', `/accounts/${guestId}/holds/${kept.body.holdId}/confirm`, {
      roles: ['front-desk'],
      properties: ['AMS01'],
      body: { propertyId: 'AMS01', reward: { kind: 'free-night', reference: 'RWD-FN-STD' } },
    });
    expect(confirm).toMatchObject({ status: 200, body: { redeemed: 3000, balance: SAMPLE_POINTS - 3000 } });
    const [redeemed] = await app.awaitRecords('points-redeemed', 1, guestId);
    expect(redeemed).toMatchObject({ points: 3000, reward: { kind: 'free-night' }, propertyId: 'AMS01' });
    const release = await app.http('POST', `/accounts/${guestId}/holds/${dropped.body.holdId}/release`, {
      body: { propertyId: 'AMS01' },
    });
    expect(release.status).toBe(200);
    expect(await app.balance(guestId)).toMatchObject({ available: SAMPLE_POINTS - 3000, held: 0 });
    const noKey = await app.http('POST', `/accounts/${guestId}/holds`, {
      body: { points: 1, propertyId: 'AMS01' },
    });
    expect(noKey).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
  });

  it('should announce the points a refund left owed when a released hold settles them, with the balance after', async () => {
    const guestId = randomUUID();
    const stay = app.stay(guestId);
    await app.send(stay);
    await app.awaitRecords('points-earned', 1, guestId);
    const placed = await hold(guestId, SAMPLE_POINTS);
    expect(placed.status).toBe(201);
    // Held points are never taken: the refund's points are owed.
    await app.sendAdjustments(app.adjustment(stay, 'refund', { room: -500_000, daysAgo: 0 }));
    expect(await app.balance(guestId)).toMatchObject({ balance: SAMPLE_POINTS, held: SAMPLE_POINTS });

    const release = await app.http('POST', `/accounts/${guestId}/holds/${placed.body.holdId}/release`, {
      body: { propertyId: 'AMS01' },
    });

    expect(release.status).toBe(200);
    const { balance } = await app.balance(guestId);
    expect(balance).toBeLessThan(SAMPLE_POINTS);
    const [settled] = await app.awaitRecords('points-adjusted', 1, guestId);
    expect(settled).toMatchObject({
      pointsDelta: balance - SAMPLE_POINTS,
      balanceAfter: balance,
      adjustedBy: 'system',
    });
  });

  it('should name on the redeem entry the staff member who confirmed the hold, the property and the reward', async () => {
    const guestId = await member();
    const placed = await hold(guestId, 500);
    const reward = { kind: 'free-night', reference: 'RWD-FN-STD' };
    const confirm = await app.http('POST', `/accounts/${guestId}/holds/${placed.body.holdId}/confirm`, {
      roles: ['front-desk'],
      properties: ['AMS01'],
      staffId: 'desk-redeemer',
      body: { propertyId: 'AMS01', reward },
    });
    expect(confirm.status).toBe(200);
    expect(
      await app.db.query(
        `select staff_id, cause from ledger_entries where account_id = $1 and type = 'redeem'`,
        [guestId],
      ),
    ).toEqual([
      {
        staff_id: 'desk-redeemer',
        cause: expect.objectContaining({
          staffId: 'desk-redeemer',
          role: 'front-desk',
          propertyId: 'AMS01',
          reward,
        }),
      },
    ]);
  });

  it.each([
    [
      'propertyId',
      'a chain-wide confirmation at a property id that is no identifier',
      { roles: ['chain-admin' as const], properties: ['*'] },
      { propertyId: 'Grand Paris', reward: { kind: 'free-night', reference: 'RWD-FN-STD' } },
    ],
    [
      'reward.reference',
      'a confirmation whose reward reference is blank',
      { roles: ['front-desk' as const], properties: ['AMS01'] },
      { propertyId: 'AMS01', reward: { kind: 'voucher', reference: '   ' } },
    ],
  ])('should refuse with 400 naming %s, and keep the hold open, %s', async (path, _, caller, body) => {
    const guestId = await member();
    const placed = await hold(guestId, 500);
    const confirm = await app.http<{ code: string; errors: { path: string }[] }>(
      'POST',
      `/accounts/${guestId}/holds/${placed.body.holdId}/confirm`,
      { ...caller, body },
    );
    expect(confirm).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ path }] } });
    const [open] = await app.db.query('select state from holds where id = $1', [placed.body.holdId]);
    expect(open).toEqual({ state: 'open' });
  });

  it.each([
    ['an adjustment', 'adjustments', { points: 10, reason: 'late\u0000', propertyId: 'AMS01' }, 'reason'],
    ['a suspension', 'suspend', { reason: 'fraud\u0000', propertyId: 'AMS01' }, 'reason'],
  ])(
    'should refuse with 400 naming the field, and write nothing, %s whose reason holds a NUL, which Postgres cannot store',
    async (_, action, body, field) => {
      const guestId = await member();
      const written = () =>
        app.db.query(
          `select (select status from accounts where guest_id = $1) as status,
                  (select count(*)::int from ledger_entries where account_id = $2) as entries`,
          [guestId, guestId],
        );
      const before = await written();
      const refused = await app.http<{ code: string; errors: { path: string }[] }>(
        'POST',
        `/accounts/${guestId}/${action}`,
        {
          roles: ['chain-admin'],
          properties: ['*'],
          headers: { 'idempotency-key': randomUUID() },
          body,
        },
      );
      expect(refused).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [{ path: field }] },
      });
      expect(await written()).toEqual(before);
    },
  );

  describe('who placed and who settled a hold, and where (columns of holds)', () => {
    const desk = { roles: ['front-desk' as const], properties: ['AMS01', 'grand-paris'] };
    const manager = { roles: ['property-manager' as const], properties: ['AMS01', 'grand-paris'] };
    const place = (guestId: string, ttlMinutes?: number) =>
      app.http<{ holdId: string }>('POST', `/accounts/${guestId}/holds`, {
        ...desk,
        staffId: 'desk-placer',
        headers: { 'idempotency-key': randomUUID() },
        body: { points: 500, propertyId: 'AMS01', ...(ttlMinutes ? { ttlMinutes } : {}) },
      });
    const settle = (guestId: string, holdId: string, action: 'confirm' | 'release') =>
      app.http('POST', `/accounts/${guestId}/holds/${holdId}/${action}`, {
        ...manager,
        staffId: 'manager-settler',
        body: {
          propertyId: 'grand-paris',
          ...(action === 'confirm' ? { reward: { kind: 'free-night', reference: 'RWD-FN-STD' } } : {}),
        },
      });
    const rowOf = async (holdId: string) =>
      (
        await app.db.query(
          `select account_id, state, placed_by_staff_id, placed_by_role, placed_property_id,
             settled_by_staff_id, settled_by_role, settled_property_id
           from holds where id = $1`,
          [holdId],
        )
      )[0];
    const placedByDesk = {
      placed_by_staff_id: 'desk-placer',
      placed_by_role: 'front-desk',
      placed_property_id: 'AMS01',
    };
    const settledByManager = {
      settled_by_staff_id: 'manager-settler',
      settled_by_role: 'property-manager',
      settled_property_id: 'grand-paris',
    };
    const settledByNoOne = { settled_by_staff_id: null, settled_by_role: null, settled_property_id: null };

    it('should record who placed a hold and where, and no one settling it while open', async () => {
      const placed = await place(await member());
      expect(placed.status).toBe(201);
      expect(await rowOf(placed.body.holdId)).toMatchObject({
        state: 'open',
        ...placedByDesk,
        ...settledByNoOne,
      });
    });

    it('should record who released a hold and where', async () => {
      const guestId = await member();
      const placed = await place(guestId);
      expect((await settle(guestId, placed.body.holdId, 'release')).status).toBe(200);
      expect(await rowOf(placed.body.holdId)).toMatchObject({
        state: 'released',
        ...placedByDesk,
        ...settledByManager,
      });
    });

    it('should record who confirmed a hold and where', async () => {
      const guestId = await member();
      const placed = await place(guestId);
      expect((await settle(guestId, placed.body.holdId, 'confirm')).status).toBe(200);
      expect(await rowOf(placed.body.holdId)).toMatchObject({
        state: 'confirmed',
        ...placedByDesk,
        ...settledByManager,
      });
    });

    it('should record no one settling a hold the job let expire', async () => {
      const placed = await place(await member(), 5);
      // A run of another minute than the TTL test's (+6), which must run the job again for its own hold.
      const report = await app.runJob('expire-holds', new Date(Date.now() + 20 * 60_000));
      expect(report.ran).toBe(true);
      expect(await rowOf(placed.body.holdId)).toMatchObject({
        state: 'expired',
        ...placedByDesk,
        ...settledByNoOne,
      });
    });

    it('should keep who placed a hold when a merge moves it to the survivor, where it is released', async () => {
      const [survivor, merged] = [await member(), await member()];
      const placed = await place(merged);
      await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
      await waitUntil('the merge', async () => (await app.balance(survivor)).balance === 2 * SAMPLE_POINTS);
      expect((await settle(survivor, placed.body.holdId, 'release')).status).toBe(200);
      expect(await rowOf(placed.body.holdId)).toMatchObject({
        account_id: survivor,
        state: 'released',
        ...placedByDesk,
        ...settledByManager,
      });
    });
  });

  it('should refuse a hold at a property outside the token scope', async () => {
    const guestId = await member();
    const answer = await app.http('POST', `/accounts/${guestId}/holds`, {
      roles: ['front-desk'],
      properties: ['LON01'],
      headers: { 'idempotency-key': randomUUID() },
      body: { points: 100, propertyId: 'AMS01' },
    });
    expect(answer.status).toBe(403);
  });

  it('should release a hold when its TTL has passed and the hold job runs, and refuse to confirm it after', async () => {
    const guestId = await member();
    const placed = await hold(guestId, 1000, randomUUID(), 5);
    const report = await app.runJob('expire-holds', new Date(Date.now() + 6 * 60_000));
    expect(report.ran).toBe(true);
    expect(await app.balance(guestId)).toMatchObject({ available: SAMPLE_POINTS, held: 0 });
    const confirm = await app.http('POST', `/accounts/${guestId}/holds/${placed.body.holdId}/confirm`, {
      body: { propertyId: 'AMS01', reward: { kind: 'voucher', reference: 'V1' } },
    });
    expect(confirm).toMatchObject({ status: 409, body: { code: 'HOLD_NOT_OPEN' } });
  });

  it('should refuse to settle again a hold the merged guest settled before the merge, through either guest id', async () => {
    const [survivor, merged] = [await member(), await member()];
    const placed = await hold(merged, 1000);
    const settle = (guestId: string, action: 'confirm' | 'release') =>
      app.http('POST', `/accounts/${guestId}/holds/${placed.body.holdId}/${action}`, {
        body: {
          propertyId: 'AMS01',
          ...(action === 'confirm' ? { reward: { kind: 'voucher', reference: 'V-merged' } } : {}),
        },
      });
    expect((await settle(merged, 'confirm')).status).toBe(200);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil(
      'the merge',
      async () => (await app.balance(survivor)).balance === 2 * SAMPLE_POINTS - 1000,
    );
    for (const guestId of [survivor, merged]) {
      for (const action of ['confirm', 'release'] as const) {
        expect(await settle(guestId, action)).toMatchObject({
          status: 409,
          body: { code: 'HOLD_NOT_OPEN', state: 'confirmed' },
        });
      }
    }
  });

  it('should cap adjustments by role and publish points-adjusted within the cap', async () => {
    const guestId = await member();
    const adjust = (points: number, roles: ('front-desk' | 'property-manager')[]) =>
      app.http('POST', `/accounts/${guestId}/adjustments`, {
        roles,
        properties: ['AMS01'],
        headers: { 'idempotency-key': randomUUID() },
        body: { points, reason: 'Late check-out not honoured', propertyId: 'AMS01' },
      });
    expect(await adjust(6000, ['front-desk'])).toMatchObject({
      status: 403,
      body: { code: 'ADJUSTMENT_OVER_CAP', cap: 5000 },
    });
    expect((await adjust(6000, ['property-manager'])).status).toBe(201);
    expect((await adjust(-20_000, ['property-manager'])).body).toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    const [adjusted] = await app.awaitRecords('points-adjusted', 1, guestId);
    expect(adjusted).toMatchObject({
      pointsDelta: 6000,
      adjustedBy: 'staff-1',
      balanceAfter: SAMPLE_POINTS + 6000,
    });
  });

  it('should adjust once per Idempotency-Key and refuse an adjustment without one', async () => {
    const guestId = await member();
    const adjust = (headers: Record<string, string>) =>
      app.http('POST', `/accounts/${guestId}/adjustments`, {
        roles: ['front-desk'],
        properties: ['AMS01'],
        headers,
        body: { points: 500, reason: 'Late check-out not honoured', propertyId: 'AMS01' },
      });
    const key = { 'idempotency-key': randomUUID() };
    expect(await adjust(key)).toMatchObject({ status: 201, body: { balance: SAMPLE_POINTS + 500 } });
    expect(await adjust(key)).toMatchObject({ status: 201, body: { balance: SAMPLE_POINTS + 500 } });
    expect(await adjust({})).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
    expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS + 500);
    await app.awaitRecords('points-adjusted', 1, guestId);
    expect(app.records('points-adjusted', guestId)).toHaveLength(1);
  });

  it('should move points between members once per Idempotency-Key and announce both sides', async () => {
    const from = await member();
    const to = randomUUID();
    const key = randomUUID();
    const send = () =>
      app.http('POST', `/accounts/${from}/transfers`, {
        headers: { 'idempotency-key': key },
        body: { toGuestId: to, points: 1500, propertyId: 'AMS01' },
      });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    expect((await app.balance(from)).available).toBe(SAMPLE_POINTS - 1500);
    expect((await app.balance(to)).available).toBe(1500);
    const [sent] = await app.awaitRecords('points-adjusted', 1, from);
    const [received] = await app.awaitRecords('points-adjusted', 1, to);
    expect(sent).toMatchObject({
      pointsDelta: -1500,
      balanceAfter: SAMPLE_POINTS - 1500,
      adjustedBy: 'staff-1',
      transfer: { counterpartyGuestId: to },
    });
    expect(received).toMatchObject({
      pointsDelta: 1500,
      balanceAfter: 1500,
      transfer: { counterpartyGuestId: from },
    });
    expect(received.transfer?.transferId).toBe(sent.transfer?.transferId);
    expect(app.records('points-adjusted', from)).toHaveLength(1);
  });

  it('should answer a retry with the first result and do nothing again when the guest was merged in between', async () => {
    const [survivor, merged] = [await member(), await member()];
    const staffId = randomUUID();
    const requests = [
      { path: 'adjustments', body: { points: 1000, reason: 'Late check-out not honoured' } },
      { path: 'transfers', body: { toGuestId: randomUUID(), points: 500 } },
      { path: 'holds', body: { points: 2000 } },
    ].map((request) => ({ ...request, key: randomUUID() }));
    const send = ({ path, body, key }: (typeof requests)[number]) =>
      app.http('POST', `/accounts/${merged}/${path}`, {
        roles: ['front-desk'],
        staffId,
        headers: { 'idempotency-key': key },
        body: { propertyId: 'AMS01', ...body },
      });
    const first = [];
    for (const request of requests) first.push(await send(request));
    expect(first.map((answer) => answer.status)).toEqual([201, 201, 201]);
    await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
    await waitUntil(
      'the merge',
      async () => (await app.balance(survivor)).balance === 2 * SAMPLE_POINTS + 500,
    );

    // The answers to the first requests were lost: the client sends them again, as it addressed them.
    for (const [i, request] of requests.entries()) expect(await send(request)).toEqual(first[i]);
    expect(await app.balance(survivor)).toMatchObject({ balance: 2 * SAMPLE_POINTS + 500, held: 2000 });
    const [moves] = await app.db.query<{ adjustments: string; transfers: string }>(
      `select count(*) filter (where type = 'adjust') as adjustments,
              count(*) filter (where type = 'transfer') as transfers
       from ledger_entries where staff_id = $1`,
      [staffId],
    );
    expect(moves).toEqual({ adjustments: '1', transfers: '2' });
  });

  it('should reach the same accounts by a guest id in upper case, on reads and writes', async () => {
    const [from, to] = [await member(), await member()];
    const upper = (id: string) => id.toUpperCase();
    const write = (path: string, body: Record<string, unknown>) =>
      app.http('POST', `/accounts/${upper(from)}/${path}`, {
        roles: ['front-desk'],
        properties: ['AMS01'],
        headers: { 'idempotency-key': randomUUID() },
        body: { propertyId: 'AMS01', ...body },
      });
    expect((await write('adjustments', { points: 100, reason: 'Welcome drink missed' })).status).toBe(201);
    expect((await write('transfers', { toGuestId: upper(to), points: 300 })).status).toBe(201);
    expect(await app.balance(upper(from))).toMatchObject({ balance: SAMPLE_POINTS + 100 - 300 });
    expect((await app.balance(to)).balance).toBe(SAMPLE_POINTS + 300);
  });

  describe('an Idempotency-Key sent again with a different body', () => {
    const KEY_REUSED = { status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } };

    it('should refuse a hold of another amount and keep only the first hold', async () => {
      const guestId = await member();
      const key = randomUUID();
      const first = await hold(guestId, 2000, key);
      expect(first.status).toBe(201);
      expect((await hold(guestId, 2000, key)).body).toEqual(first.body);
      expect(await hold(guestId, 5000, key)).toMatchObject(KEY_REUSED);
      expect(await app.balance(guestId)).toMatchObject({ held: 2000, available: SAMPLE_POINTS - 2000 });
    });

    it('should refuse an adjustment the other way and adjust once', async () => {
      const guestId = await member();
      const key = randomUUID();
      const adjust = (points: number) =>
        app.http('POST', `/accounts/${guestId}/adjustments`, {
          roles: ['front-desk'],
          properties: ['AMS01'],
          headers: { 'idempotency-key': key },
          body: { points, reason: 'Late check-out not honoured', propertyId: 'AMS01' },
        });
      const first = await adjust(500);
      expect(first).toMatchObject({ status: 201, body: { balance: SAMPLE_POINTS + 500 } });
      expect(await adjust(500)).toEqual(first);
      expect(await adjust(-500)).toMatchObject(KEY_REUSED);
      expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS + 500);
      await app.awaitRecords('points-adjusted', 1, guestId);
      expect(app.records('points-adjusted', guestId)).toHaveLength(1);
    });

    it('should refuse a transfer to another member and move the points once', async () => {
      const from = await member();
      const [to, other] = [randomUUID(), randomUUID()];
      const key = randomUUID();
      const send = (toGuestId: string) =>
        app.http('POST', `/accounts/${from}/transfers`, {
          headers: { 'idempotency-key': key },
          body: { toGuestId, points: 1500, propertyId: 'AMS01' },
        });
      const first = await send(to);
      expect(first.status).toBe(201);
      expect(await send(to)).toEqual(first);
      expect(await send(other)).toMatchObject(KEY_REUSED);
      expect((await app.balance(from)).available).toBe(SAMPLE_POINTS - 1500);
      expect((await app.balance(to)).available).toBe(1500);
      const otherAccount = await app.http('GET', `/accounts/${other}`);
      expect(otherAccount.status === 404 || otherAccount.body['balance'] === 0).toBe(true);
      await app.awaitRecords('points-adjusted', 1, from);
      expect(app.records('points-adjusted', from)).toHaveLength(1);
      expect(app.records('points-adjusted', other)).toHaveLength(0);
    });
  });

  it('should refuse a transfer beyond the role cap or at a property outside the token scope', async () => {
    const from = await member();
    const to = await member();
    const send = (points: number, roles: ('front-desk' | 'property-manager')[], properties: string[]) =>
      app.http('POST', `/accounts/${from}/transfers`, {
        roles,
        properties,
        headers: { 'idempotency-key': randomUUID() },
        body: { toGuestId: to, points, propertyId: 'AMS01' },
      });
    expect(await send(6000, ['front-desk'], ['AMS01'])).toMatchObject({
      status: 403,
      body: { code: 'ADJUSTMENT_OVER_CAP', cap: 5000 },
    });
    expect(await send(100, ['property-manager'], ['LON01'])).toMatchObject({
      status: 403,
      body: { code: 'PROPERTY_OUT_OF_SCOPE' },
    });
    expect((await app.balance(from)).available).toBe(SAMPLE_POINTS);
    expect((await send(6000, ['front-desk', 'property-manager'], ['AMS01'])).status).toBe(201);
    expect((await app.balance(to)).available).toBe(SAMPLE_POINTS + 6000);
  });

  it("should hold a staff member to their role's daily limit across guests, adjustments and transfers, not counting compensation", async () => {
    const staffId = `desk-${randomUUID()}`;
    const [ann, bob] = [await member(), await member()];
    const asDesk = (path: string, body: Record<string, unknown>, key: string = randomUUID(), by = staffId) =>
      app.http('POST', path, {
        roles: ['front-desk'],
        properties: ['AMS01'],
        staffId: by,
        headers: { 'idempotency-key': key },
        body: { propertyId: 'AMS01', ...body },
      });
    const adjust = (guestId: string, points: number, key?: string, by?: string) =>
      asDesk(`/accounts/${guestId}/adjustments`, { points, reason: 'Noisy room' }, key, by);
    // Compensation the staff member approved through complaints is limited there, not here.
    await app.send(
      app.event(
        'compensation-granted',
        { guestId: ann, compensationId: randomUUID(), points: 20_000, approvedBy: staffId },
        ann,
      ),
    );
    await waitUntil(
      'the compensation to be credited',
      async () => (await app.balance(ann)).available > SAMPLE_POINTS,
    );

    const firstKey = randomUUID();
    for (const [guestId, key] of [[ann, firstKey], [bob], [ann], [bob]] as const)
      expect((await adjust(guestId, 5_000, key)).status).toBe(201);
    expect((await asDesk(`/accounts/${ann}/transfers`, { toGuestId: bob, points: 3_000 })).status).toBe(201);
    expect(await adjust(bob, -2_001)).toMatchObject({
      status: 403,
      body: { code: 'DAILY_ADJUSTMENT_LIMIT', limit: 25_000, usedInLast24Hours: 23_000, remaining: 2_000 },
    });
    expect(await adjust(bob, -2_000)).toMatchObject({ status: 201 });
    expect(await asDesk(`/accounts/${bob}/transfers`, { toGuestId: ann, points: 1 })).toMatchObject({
      status: 403,
      body: { code: 'DAILY_ADJUSTMENT_LIMIT', remaining: 0 },
    });
    // A request over the role's per-request cap is refused for that, however much of the day is left.
    const overCap = { status: 403, body: { code: 'ADJUSTMENT_OVER_CAP', cap: 5000, requested: 5_001 } };
    expect(await adjust(bob, 5_001)).toMatchObject(overCap);
    expect(await asDesk(`/accounts/${bob}/transfers`, { toGuestId: ann, points: 5_001 })).toMatchObject(
      overCap,
    );
    // A retry of an accepted request is answered as before, and another member of staff has their own limit.
    expect(await adjust(ann, 5_000, firstKey)).toMatchObject({ status: 201 });
    expect((await adjust(ann, 5_000, undefined, `desk-${randomUUID()}`)).status).toBe(201);

    const clock = jest
      .spyOn(app.service.app.get(Clock), 'now')
      .mockReturnValue(new Date(Date.now() + DAY + 60_000));
    try {
      expect((await adjust(ann, 5_000)).status).toBe(201);
    } finally {
      clock.mockRestore();
    }
  });

  it('should name the staff member who moved the points in the entries of both members', async () => {
    const [from, to] = [await member(), await member()];
    const answer = await app.http('POST', `/accounts/${from}/transfers`, {
      roles: ['front-desk'],
      properties: ['AMS01'],
      headers: { 'idempotency-key': randomUUID() },
      body: { toGuestId: to, points: 100, propertyId: 'AMS01' },
    });
    expect(answer.status).toBe(201);
    const statement = await app.http<{ items: { cause: Record<string, unknown> }[] }>(
      'GET',
      `/accounts/${from}/statement?type=transfer`,
    );
    expect(statement.body.items).toEqual([
      expect.objectContaining({ cause: expect.objectContaining({ staffId: 'staff-1', role: 'front-desk' }) }),
    ]);
    expect(
      await app.db.query(
        `select account_id, staff_id from ledger_entries where type = 'transfer' and account_id = any($1::text[])
         order by points`,
        [[from, to]],
      ),
    ).toEqual([
      { account_id: from, staff_id: 'staff-1' },
      { account_id: to, staff_id: 'staff-1' },
    ]);
  });

  describe("a property-scoped token reaches the guests with a stay at the token's properties only", () => {
    const OUT_OF_SCOPE = { status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } };

    it('should refuse to adjust, transfer from or to, suspend or override the tier of a guest who stayed only elsewhere, and do them for a guest who stayed there', async () => {
      const [elsewhere, here, alsoHere] = [await member('grand-paris'), await member(), await member()];
      const write = (
        method: string,
        path: string,
        roles: ('front-desk' | 'property-manager')[],
        body: object,
      ) =>
        app.http(method, path, {
          roles,
          properties: ['AMS01'],
          headers: { 'idempotency-key': randomUUID() },
          body: { ...body, propertyId: 'AMS01' },
        });
      const adjust = (guestId: string) =>
        write('POST', `/accounts/${guestId}/adjustments`, ['front-desk'], {
          points: 5000,
          reason: 'Goodwill',
        });
      const transfer = (from: string, to: string) =>
        write('POST', `/accounts/${from}/transfers`, ['front-desk'], { toGuestId: to, points: 100 });
      const suspend = (guestId: string) =>
        write('POST', `/accounts/${guestId}/suspend`, ['property-manager'], { reason: 'Fraud review' });
      const overrideTier = (guestId: string) =>
        write('PUT', `/accounts/${guestId}/tier`, ['property-manager'], {
          tierId: 'titanium',
          reason: 'Status match',
        });

      expect(await adjust(elsewhere)).toMatchObject(OUT_OF_SCOPE);
      expect(await transfer(elsewhere, here)).toMatchObject(OUT_OF_SCOPE);
      expect(await transfer(here, elsewhere)).toMatchObject(OUT_OF_SCOPE);
      expect(await suspend(elsewhere)).toMatchObject(OUT_OF_SCOPE);
      expect(await overrideTier(elsewhere)).toMatchObject(OUT_OF_SCOPE);
      expect(await app.balance(elsewhere)).toMatchObject({
        status: 'active',
        balance: SAMPLE_POINTS,
        tier: { id: 'member', locked: false },
      });
      expect((await app.balance(here)).balance).toBe(SAMPLE_POINTS);

      expect((await adjust(here)).status).toBe(201);
      expect((await transfer(here, alsoHere)).status).toBe(201);
      expect((await overrideTier(here)).status).toBe(200);
      expect((await suspend(here)).status).toBe(200);
    });

    it("should refuse a property-scoped analyst another property's guest and an unknown guest, which a chain-wide token gets as 404", async () => {
      const [elsewhere, here] = [await member('grand-paris'), await member()];
      const read = (path: string, properties: string[]) =>
        app.http('GET', path, { roles: ['analyst'], properties });
      expect(await read(`/accounts/${elsewhere}`, ['AMS01'])).toMatchObject(OUT_OF_SCOPE);
      expect(await read(`/accounts/${elsewhere}/statement`, ['AMS01'])).toMatchObject(OUT_OF_SCOPE);
      expect((await read(`/accounts/${elsewhere}/statement`, ['grand-paris'])).status).toBe(200);
      expect((await read(`/accounts/${here}/statement`, ['AMS01'])).status).toBe(200);
      const unknown = randomUUID();
      expect(await read(`/accounts/${unknown}`, ['AMS01'])).toMatchObject(OUT_OF_SCOPE);
      expect(await read(`/accounts/${unknown}/statement`, ['*'])).toMatchObject({
        status: 404,
        body: { code: 'ACCOUNT_NOT_FOUND' },
      });
    });

    const desk = { roles: ['front-desk' as const], properties: ['AMS01'] };
    const placeHold = (guestId: string, points: number, caller = desk) =>
      app.http<{ holdId: string }>('POST', `/accounts/${guestId}/holds`, {
        ...caller,
        headers: { 'idempotency-key': randomUUID() },
        body: { points, propertyId: 'AMS01' },
      });
    const settle = (guestId: string, holdId: string, action: 'confirm' | 'release', caller = desk) =>
      app.http('POST', `/accounts/${guestId}/holds/${holdId}/${action}`, {
        ...caller,
        body: {
          propertyId: 'AMS01',
          ...(action === 'confirm' ? { reward: { kind: 'free-night', reference: 'RWD-FN-STD' } } : {}),
        },
      });

    it('should hold, confirm and release for a guest who stayed only elsewhere without telling their balance', async () => {
      const elsewhere = await member('grand-paris');
      const tooMany = await placeHold(elsewhere, 10_000_000);
      expect(tooMany).toMatchObject({ status: 409, body: { code: 'INSUFFICIENT_POINTS' } });
      expect(tooMany.body).not.toHaveProperty('available');
      expect(tooMany.body).not.toHaveProperty('shortfall');
      expect(JSON.stringify(tooMany.body)).not.toContain(String(SAMPLE_POINTS));

      const kept = await placeHold(elsewhere, 1000);
      const dropped = await placeHold(elsewhere, 500);
      expect(kept.status).toBe(201);
      expect(kept.body).not.toHaveProperty('balance');
      const confirmed = await settle(elsewhere, kept.body.holdId, 'confirm');
      expect(confirmed).toMatchObject({ status: 200, body: { redeemed: 1000 } });
      expect(confirmed.body).not.toHaveProperty('balance');
      const released = await settle(elsewhere, dropped.body.holdId, 'release');
      expect(released.status).toBe(200);
      expect(released.body).not.toHaveProperty('available');
      expect(await app.balance(elsewhere)).toMatchObject({ available: SAMPLE_POINTS - 1000, held: 0 });
    });

    it('should answer holds for an unknown guest as for a guest who stayed only elsewhere, so that the token cannot tell whether a guest has an account, and with 404 to a chain-wide token', async () => {
      const [elsewhere, unknown, noSuchHold] = [await member('grand-paris'), randomUUID(), randomUUID()];
      const answersFor = async (guestId: string) =>
        (
          await Promise.all([
            placeHold(guestId, 10_000_000),
            settle(guestId, noSuchHold, 'confirm'),
            settle(guestId, noSuchHold, 'release'),
          ])
        ).map(({ status, body }) => ({ status, body }));

      const ofAGuestWithAnAccount = await answersFor(elsewhere);
      expect(ofAGuestWithAnAccount).toMatchObject([
        { status: 409, body: { code: 'INSUFFICIENT_POINTS' } },
        { status: 404, body: { code: 'HOLD_NOT_FOUND' } },
        { status: 404, body: { code: 'HOLD_NOT_FOUND' } },
      ]);
      expect(await answersFor(unknown)).toEqual(ofAGuestWithAnAccount);

      const chainWide = { roles: ['front-desk' as const], properties: ['*'] };
      const notFound = { status: 404, body: { code: 'ACCOUNT_NOT_FOUND' } };
      expect(await placeHold(unknown, 1, chainWide)).toMatchObject(notFound);
      expect(await settle(unknown, noSuchHold, 'confirm', chainWide)).toMatchObject(notFound);
      expect(await settle(unknown, noSuchHold, 'release', chainWide)).toMatchObject(notFound);
    });

    it('should reach a survivor through the stays of the guest merged into it, and not from a property neither stayed at', async () => {
      const [survivor, merged] = [await member('grand-paris'), await member()];
      await app.send(app.event('guest-merged', { survivorId: survivor, mergedId: merged }, survivor));
      await waitUntil('the merge', async () => (await app.balance(survivor)).balance === 2 * SAMPLE_POINTS);
      const read = (guestId: string, properties: string[]) =>
        app.http('GET', `/accounts/${guestId}`, { roles: ['analyst'], properties });
      expect((await read(survivor, ['AMS01'])).status).toBe(200);
      expect((await read(merged, ['AMS01'])).status).toBe(200);
      expect(await read(survivor, ['grand-tokyo'])).toMatchObject(OUT_OF_SCOPE);
      expect(await read(merged, ['grand-tokyo'])).toMatchObject(OUT_OF_SCOPE);
    });
  });

  it('should suspend, reactivate and close accounts only for the allowed roles, audit who and why, and refuse earning and spending while suspended', async () => {
    const guestId = await member();
    const status = (
      action: string,
      roles: ('front-desk' | 'property-manager' | 'chain-admin')[],
      reason: string,
    ) =>
      app.http<{ status?: string; changed?: boolean; code?: string }>(
        'POST',
        `/accounts/${guestId}/${action}`,
        {
          roles,
          properties: ['AMS01'],
          body: { reason, propertyId: 'AMS01' },
        },
      );
    expect((await status('suspend', ['front-desk'], 'Fraud review')).status).toBe(403);
    expect(await status('suspend', ['property-manager'], 'Fraud review')).toMatchObject({
      status: 200,
      body: { status: 'suspended', changed: true },
    });
    expect((await status('suspend', ['property-manager'], 'Again')).body).toMatchObject({ changed: false });
    expect((await hold(guestId, 100)).body).toMatchObject({ code: 'ACCOUNT_SUSPENDED' });
    await app.probe.watch(app.topic('stay-recorded.dlq'));
    const stay = app.stay(guestId);
    await app.send(stay);
    const [letter] = await app.probe.awaitRecords(
      app.topic('stay-recorded.dlq'),
      1,
      (record) => record.value?.toString().includes(stay.id) ?? false,
    );
    expect(letter.headers['dlq-reason']).toBe('ACCOUNT_SUSPENDED');
    expect((await app.balance(guestId)).balance).toBe(SAMPLE_POINTS);

    expect((await status('reactivate', ['property-manager'], 'Review cleared')).body).toMatchObject({
      status: 'active',
    });
    expect((await hold(guestId, 100)).status).toBe(201);
    expect((await status('close', ['property-manager'], 'Guest asked')).status).toBe(403);
    expect(await status('close', ['chain-admin'], 'Guest asked')).toMatchObject({
      status: 409,
      body: { code: 'ACCOUNT_NOT_EMPTY' },
    });
    expect(
      await app.db.query(
        `select from_status, to_status, reason, staff_id, staff_roles from account_status_changes
         where account_id = $1 order by id`,
        [guestId],
      ),
    ).toEqual([
      {
        from_status: 'active',
        to_status: 'suspended',
        reason: 'Fraud review',
        staff_id: 'staff-1',
        staff_roles: ['property-manager'],
      },
      {
        from_status: 'suspended',
        to_status: 'active',
        reason: 'Review cleared',
        staff_id: 'staff-1',
        staff_roles: ['property-manager'],
      },
    ]);
  });

  it('should close an account once its points are gone, for good', async () => {
    const guestId = await member();
    const spend = await app.http('POST', `/accounts/${guestId}/adjustments`, {
      headers: { 'idempotency-key': randomUUID() },
      body: { points: -SAMPLE_POINTS, reason: 'Points cashed out before closing', propertyId: 'AMS01' },
    });
    expect(spend.status).toBe(201);
    const status = (action: string) =>
      app.http<{ status?: string; code?: string }>('POST', `/accounts/${guestId}/${action}`, {
        body: { reason: 'Guest asked', propertyId: 'AMS01' },
      });
    expect((await status('close')).body).toMatchObject({ status: 'closed' });
    expect((await status('reactivate')).body).toMatchObject({ code: 'ACCOUNT_CLOSED' });
    expect((await app.balance(guestId)).status).toBe('closed');
  });

  it('should set and lock a tier by hand and publish tier-changed with reason manual, only in the token scope', async () => {
    const guestId = await member();
    const outOfScope = await app.http('PUT', `/accounts/${guestId}/tier`, {
      roles: ['property-manager'],
      properties: ['LON01'],
      body: { tierId: 'titanium', reason: 'Status match', propertyId: 'AMS01' },
    });
    expect(outOfScope).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'member' });
    const answer = await app.http('PUT', `/accounts/${guestId}/tier`, {
      roles: ['property-manager'],
      properties: ['AMS01'],
      body: { tierId: 'titanium', reason: 'Status match', propertyId: 'AMS01' },
    });
    expect(answer).toMatchObject({ status: 200, body: { tierId: 'titanium' } });
    const [change] = await app.awaitRecords('tier-changed', 1, guestId);
    expect(change).toMatchObject({ from: 'member', to: 'titanium', reason: 'manual' });
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'titanium', locked: true });
  });

  it('should tell a tier lock that has run out from one still in force', async () => {
    const guestId = await member();
    const lockUntil = new Date(Date.now() + DAY);
    const answer = await app.http('PUT', `/accounts/${guestId}/tier`, {
      body: {
        tierId: 'gold',
        reason: 'Status match',
        propertyId: 'AMS01',
        lockUntil: lockUntil.toISOString(),
      },
    });
    expect(answer.status).toBe(200);
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'gold', locked: true });
    const clock = jest
      .spyOn(app.service.app.get(Clock), 'now')
      .mockReturnValue(new Date(lockUntil.getTime() + 60_000));
    try {
      expect((await app.balance(guestId)).tier).toMatchObject({ id: 'gold', locked: false });
    } finally {
      clock.mockRestore();
    }
  });

  describe("this year's progress around New Year, when the local date is in another year than UTC's", () => {
    let guestId: string;

    beforeAll(async () => {
      // Two stays on either side of midnight of 31 December, local to the property.
      guestId = randomUUID();
      await app.send(
        app.stay(guestId, { arrival: '2025-12-29', departure: '2025-12-31', nights: 2 }),
        app.stay(guestId, { arrival: '2025-12-29', departure: '2026-01-01', nights: 3 }),
      );
      await app.awaitRecords('points-earned', 2, guestId);
    });

    async function progressAt(instant: string, timeZone?: string): Promise<unknown> {
      const clock = jest.spyOn(app.service.app.get(Clock), 'now').mockReturnValue(new Date(instant));
      try {
        const query = timeZone ? `?timeZone=${encodeURIComponent(timeZone)}` : '';
        const answer = await app.http<{ progress: unknown }>('GET', `/accounts/${guestId}${query}`);
        expect(answer.status).toBe(200);
        return answer.body.progress;
      } finally {
        clock.mockRestore();
      }
    }

    it('should show the new year in Tokyo at 05:00 on 1 January, which UTC still counts as 31 December', async () => {
      expect(await progressAt('2025-12-31T20:00:00Z', 'Asia/Tokyo')).toMatchObject({
        year: 2026,
        nights: 3,
        stays: 1,
      });
      expect(await progressAt('2025-12-31T20:00:00Z')).toMatchObject({ year: 2025, nights: 2, stays: 1 });
    });

    it('should still show the old year in Honolulu at 20:00 on 31 December, which UTC counts as 1 January', async () => {
      expect(await progressAt('2026-01-01T06:00:00Z', 'Pacific/Honolulu')).toMatchObject({
        year: 2025,
        nights: 2,
        stays: 1,
      });
      expect(await progressAt('2026-01-01T06:00:00Z')).toMatchObject({ year: 2026, nights: 3, stays: 1 });
    });
  });

  it('should list entries written in one instant newest first by their sequence, past the tenth, on every page', async () => {
    const guestId = await member();
    const staffId = `desk-${randomUUID()}`;
    const clock = jest
      .spyOn(app.service.app.get(Clock), 'now')
      .mockReturnValue(new Date(Date.now() + 60_000));
    try {
      for (let i = 0; i < 11; i++) {
        const adjusted = await app.http('POST', `/accounts/${guestId}/adjustments`, {
          staffId,
          headers: { 'idempotency-key': randomUUID() },
          body: { points: 1, reason: 'Goodwill', propertyId: 'AMS01' },
        });
        expect(adjusted.status).toBe(201);
      }
    } finally {
      clock.mockRestore();
    }
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { transactionId: string }[]; nextCursor: string | null } } =
        await app.http('GET', `/accounts/${guestId}/statement?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...page.body.items.map((item) => item.transactionId));
      cursor = page.body.nextCursor;
    } while (cursor);
    // The stay's earn entry is the account's first; the adjustments are 2 to 12, all in one instant.
    const newestFirst = Array.from({ length: 12 }, (_, i) => transactionIdOf(`${guestId}:${12 - i}`));
    expect(listed).toEqual(newestFirst);
  });

  it('should page the statement with a cursor and filter it by type', async () => {
    const guestId = await member();
    for (let i = 0; i < 3; i++)
      await hold(guestId, 100).then((placed) =>
        app.http('POST', `/accounts/${guestId}/holds/${placed.body.holdId}/confirm`, {
          body: { propertyId: 'AMS01', reward: { kind: 'voucher', reference: `V${i}` } },
        }),
      );
    const first = await app.http<{ items: { type: string }[]; nextCursor: string }>(
      'GET',
      `/accounts/${guestId}/statement?limit=2`,
    );
    expect(first.body.items).toHaveLength(2);
    const rest = await app.http<{ items: { type: string }[]; nextCursor: string | null }>(
      'GET',
      `/accounts/${guestId}/statement?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(rest.body.items.map((item) => item.type)).toEqual(['redeem', 'earn']);
    expect(rest.body.nextCursor).toBeNull();
    const earns = await app.http<{ items: unknown[] }>('GET', `/accounts/${guestId}/statement?type=earn`);
    expect(earns.body.items).toHaveLength(1);
    expect(await app.http('GET', `/accounts/${guestId}/statement?limit=1000`)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'limit' })] },
    });
    // Nest's own refusals get a code too: a malformed id in the path, an unknown route.
    expect(await app.http('GET', '/accounts/not-a-uuid/statement')).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST', message: 'Validation failed (uuid is expected)' },
    });
    expect(await app.http('GET', '/acounts')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('should make pending points available, warn once, then expire them once when the jobs run at later dates', async () => {
    const guestId = randomUUID();
    await app.send(app.stay(guestId, { checkedOutAt: new Date().toISOString() }));
    await app.awaitRecords('points-earned', 1, guestId);
    await app.runJob('release-pending', new Date(Date.now() + 4 * DAY));
    expect((await app.balance(guestId)).available).toBe(SAMPLE_POINTS);

    const warnAt = new Date(Date.now() + 720 * DAY);
    expect((await app.runJob('expiring-soon', warnAt)).ran).toBe(true);
    expect((await app.runJob('expiring-soon', warnAt)).ran).toBe(false);
    await app.runJob('expiring-soon', new Date(warnAt.getTime() + DAY));
    const notices = await app.awaitRecords('points-expiring-soon', 1, guestId);
    expect(notices[0]).toMatchObject({ balance: SAMPLE_POINTS });

    const expireAt = new Date(Date.now() + 740 * DAY);
    await app.runJob('expire-points', expireAt);
    await app.runJob('expire-points', new Date(expireAt.getTime() + DAY));
    const [expired] = await app.awaitRecords('points-expired', 1, guestId);
    expect(expired).toMatchObject({ points: SAMPLE_POINTS, balanceAfter: 0 });
    expect(app.records('points-expired', guestId)).toHaveLength(1);
    // Lot expiry and inactivity fall on the same day here: one notice per reason and instant, never repeated.
    expect(app.records('points-expiring-soon', guestId).length).toBeLessThanOrEqual(2);
    expect(await app.balance(guestId)).toMatchObject({ available: 0, balance: 0 });
  });

  describe('a member last active on 29 February, whose 24 months end on the 28th two years on at noon', () => {
    /** A member whose last activity is long before the stay credited now: only inactivity is due. */
    async function inactiveSinceLeapDay(): Promise<string> {
      const guestId = await member();
      await app.db.query('update accounts set last_activity_at = $2 where guest_id = $1', [
        guestId,
        new Date('2024-02-29T12:00:00Z'),
      ]);
      return guestId;
    }

    it('should be warned 30 days before that noon, not a day later', async () => {
      const guestId = await inactiveSinceLeapDay();
      await app.runJob('expiring-soon', new Date('2026-01-29T13:00:00Z'));
      const [notice] = await app.awaitRecords('points-expiring-soon', 1, guestId);
      expect(notice).toMatchObject({ points: SAMPLE_POINTS, expiresAt: '2026-02-28T12:00:00.000Z' });
    });

    it('should have the points expired for inactivity by the job that runs after that noon, not on 1 March', async () => {
      const guestId = await inactiveSinceLeapDay();
      await app.runJob('expire-points', new Date('2026-02-28T13:00:00Z'));
      const [expired] = await app.awaitRecords('points-expired', 1, guestId);
      expect(expired).toMatchObject({ points: SAMPLE_POINTS, reason: 'inactivity', balanceAfter: 0 });
    });
  });

  it('should refuse asOf with a 400 and expire nothing when NODE_ENV is production', async () => {
    const guestId = await member();
    // Set on the running service: a production start would refuse the secret the test tokens are signed with.
    const production = jest.replaceProperty(
      app.service.app.get(PointsLedgerConfig),
      'NODE_ENV',
      'production',
    );
    try {
      for (const job of ['expire-points', 'release-pending']) {
        expect(await app.http('POST', `/operations/jobs/${job}?asOf=2090-01-01`)).toMatchObject({
          status: 400,
          body: { code: 'AS_OF_NOT_ALLOWED' },
        });
      }
      expect((await app.http('POST', '/operations/jobs/expire-points')).status).toBe(200);
      expect(await app.balance(guestId)).toMatchObject({ available: SAMPLE_POINTS });
    } finally {
      production.restore();
    }
  });

  it('should refuse an instant a Date cannot read with a 400 naming the field, not fail the query', async () => {
    const guestId = await member();
    for (const [method, path, field] of [
      ['GET', `/accounts/${guestId}/statement?from=2025-W23`, 'from'],
      ['GET', `/accounts/${guestId}/statement?to=2025-152`, 'to'],
      ['POST', '/operations/jobs/expire-points?asOf=2025-06-01T10', 'asOf'],
    ]) {
      expect(await app.http(method, path)).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [{ path: field }] },
      });
    }
    expect(
      await app.http('PUT', `/accounts/${guestId}/tier`, {
        body: { tierId: 'gold', reason: 'Status match', propertyId: 'AMS01', lockUntil: '2025-W23' },
      }),
    ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ path: 'lockUntil' }] } });
  });

  it('should lower an unrequalified tier by one at the year-end re-evaluation, once', async () => {
    const guestId = randomUUID();
    await app.send(app.stay(guestId), app.stay(guestId));
    await app.awaitRecords('tier-changed', 1, guestId);
    // Silver earned this year is valid to the end of next year; with no stay in that year it lapses.
    const yearEnd = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 0, 1, 2));
    expect((await app.runJob('year-end-tiers', yearEnd)).ran).toBe(true);
    expect((await app.runJob('year-end-tiers', yearEnd)).ran).toBe(false);
    const changes = await app.awaitRecords('tier-changed', 2, guestId);
    expect(changes[1]).toMatchObject({ from: 'silver', to: 'member', reason: 'requalification-missed' });
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'member' });
  });

  it('should leave status that lapsed with the year to the year-end run, not lapsed-tiers, while 31 December still runs somewhere', async () => {
    const guestId = randomUUID();
    await app.send(app.stay(guestId), app.stay(guestId));
    await app.awaitRecords('tier-changed', 1, guestId);
    // Silver earned this year is valid to the end of next year; the year after, at 00:30 UTC on 1 January,
    // the next year's last stays may still be on their way from properties west of UTC.
    const newYear = Date.UTC(new Date().getUTCFullYear() + 2, 0, 1);
    expect((await app.runJob('lapsed-tiers', new Date(newYear + 30 * 60_000))).ran).toBe(true);
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'silver' });
    expect(app.records('tier-changed', guestId)).toHaveLength(1);

    expect((await app.runJob('lapsed-tiers', new Date(newYear + DAY))).ran).toBe(true);
    const changes = await app.awaitRecords('tier-changed', 2, guestId);
    expect(changes[1]).toMatchObject({ from: 'silver', to: 'member', reason: 'requalification-missed' });
  });

  it('should re-evaluate, once its lock has run out, status that lapsed while it was locked', async () => {
    const guestId = await member();
    const year = new Date().getUTCFullYear();
    // Titanium by hand, valid to the end of next year, locked until March of the year after the next.
    const lockUntil = new Date(Date.UTC(year + 3, 2, 31));
    const answer = await app.http('PUT', `/accounts/${guestId}/tier`, {
      body: {
        tierId: 'titanium',
        reason: 'Status match',
        propertyId: 'AMS01',
        lockUntil: lockUntil.toISOString(),
      },
    });
    expect(answer.status).toBe(200);
    await app.runJob('year-end-tiers', new Date(Date.UTC(year + 3, 0, 1, 2)));
    expect((await app.balance(guestId)).tier).toMatchObject({ id: 'titanium' });

    const afterLock = new Date(Date.UTC(year + 3, 3, 1));
    expect((await app.runJob('lapsed-tiers', afterLock)).ran).toBe(true);
    expect((await app.runJob('lapsed-tiers', new Date(afterLock.getTime() + DAY))).ran).toBe(true);
    // No stays since: titanium lapses to platinum at the end of next year, platinum to gold a year on.
    const changes = await app.awaitRecords('tier-changed', 3, guestId);
    expect(changes.slice(1)).toMatchObject([
      { from: 'titanium', to: 'platinum', reason: 'requalification-missed' },
      { from: 'platinum', to: 'gold', reason: 'requalification-missed' },
    ]);
    expect((await app.balance(guestId)).tier).toMatchObject({
      id: 'gold',
      validUntil: new Date(Date.UTC(year + 3, 11, 31, 23, 59, 59, 999)).toISOString(),
      locked: false,
    });
    expect(app.records('tier-changed', guestId)).toHaveLength(3);
  });

  it('should find no difference when every account is reconciled after all of the above', async () => {
    const report = await app.reconcile();
    expect(report.accounts).toBeGreaterThan(8);
    expect(report.differences).toEqual([]);
  });
});
