import { randomUUID } from 'node:crypto';
import { mintToken } from '@loyalty/auth';
import { DEV_JWT_SECRET } from '@loyalty/config';
import { buildEvent, type EventData } from '@loyalty/contracts';
import { createTestDatabase, ServiceProcess, waitUntil, type TestDatabase } from '@loyalty/testing';
import { ComplaintsStage, type Caller } from './complaints-stage';

const DESK: Caller = { roles: ['front-desk'], sub: 'desk-1' };
const MANAGER: Caller = { roles: ['property-manager'], sub: 'manager-1' };
const ADMIN: Caller = { roles: ['chain-admin'], sub: 'admin-1' };

describe('complaints: compensation with approval limits, credited once by the real points-ledger', () => {
  let c: ComplaintsStage;
  let ledgerDb: TestDatabase;
  let ledger: ServiceProcess;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_compensation');
    ledgerDb = await createTestDatabase('complaints_ledger');
    // The ledger as it runs in production (compiled, its own process and database), on the suite's topics.
    ledger = await ServiceProcess.create(
      'points-ledger',
      c.stage.env({ DATABASE_URL: ledgerDb.url, LEDGER_JOB_INTERVAL_MS: '0' }),
    );
    await Promise.all([ledger.start(), c.startInstance()]);
  });

  afterAll(async () => {
    await ledger?.stop();
    await ledgerDb?.drop();
    await c?.close();
  });

  const offer = (
    id: string,
    body: Record<string, unknown>,
    caller: Caller,
    headers?: Record<string, string>,
  ) =>
    c.http<Record<string, unknown>>('POST', `/complaints/${id}/compensations`, { body, headers, ...caller });
  const approve = (id: string, compensationId: unknown, caller: Caller) =>
    c.http<Record<string, unknown>>(
      'POST',
      `/complaints/${id}/compensations/${String(compensationId)}/approve`,
      caller,
    );

  const ledgerBalance = async (guestId: string): Promise<number | undefined> => {
    const token = mintToken({ sub: 'test', roles: ['chain-admin'], properties: ['*'] }, DEV_JWT_SECRET, '5m');
    const response = await fetch(`${ledger.baseUrl}/accounts/${guestId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.status === 200 ? ((await response.json()) as { balance: number }).balance : undefined;
  };

  it('should approve within each role’s limit, wait for a senior role above it, and credit the ledger once', async () => {
    const guestId = randomUUID();
    const id = await c.open({ guestId });
    await c.act(id, 'acknowledge', {}, DESK);

    const small = await offer(
      id,
      { kind: 'goodwill-points', points: 1_000, note: 'Sorry about the room.' },
      DESK,
    );
    expect(small).toMatchObject({ status: 201, body: { status: 'approved', approvedBy: 'desk-1' } });

    const medium = await offer(id, { kind: 'goodwill-points', points: 5_000 }, DESK);
    expect(medium.body).toMatchObject({ status: 'pending', requiredRole: 'property-manager' });
    const refused = await approve(id, medium.body.id, DESK);
    expect(refused).toMatchObject({
      status: 403,
      body: { code: 'APPROVAL_LIMIT_EXCEEDED', requiredRole: 'property-manager' },
    });
    expect((await approve(id, medium.body.id, MANAGER)).body).toMatchObject({
      status: 'approved',
      approvedBy: 'manager-1',
    });
    expect(await approve(id, medium.body.id, MANAGER)).toMatchObject({
      status: 409,
      body: { code: 'COMPENSATION_NOT_PENDING', approvedBy: 'manager-1' },
    });

    const large = await offer(id, { kind: 'goodwill-points', points: 15_000 }, MANAGER);
    expect(large.body).toMatchObject({ status: 'pending', requiredRole: 'chain-admin' });
    expect((await approve(id, large.body.id, MANAGER)).status).toBe(403);
    expect((await approve(id, large.body.id, ADMIN)).body).toMatchObject({ status: 'approved' });

    expect((await offer(id, { kind: 'discount', discountPercent: 10 }, DESK)).body).toMatchObject({
      status: 'approved',
    });
    expect((await offer(id, { kind: 'upgrade-voucher' }, DESK)).body).toMatchObject({
      status: 'pending',
      requiredRole: 'property-manager',
    });
    const tooMany = await offer(id, { kind: 'goodwill-points', points: 25_000 }, ADMIN);
    expect(tooMany.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { path: 'points', reason: 'points must be at most 20000, the most the ledger credits at once' },
      ],
    });

    const granted = await c.awaitPublished('compensation-granted', 3, id);
    expect(granted.map((event) => event.points).sort((a, b) => a - b)).toEqual([1_000, 5_000, 15_000]);
    expect(
      await waitUntil('the ledger to credit 21,000 points', async () =>
        (await ledgerBalance(guestId)) === 21_000 ? true : undefined,
      ),
    ).toBe(true);

    // Redelivery of every grant (same event ids), and a re-publish of one under a new event id.
    const records = c.stage.probe
      .seen(c.stage.topic('compensation-granted'))
      .filter((record) => record.json<{ data: { complaintId: string } }>().data.complaintId === id);
    await c.stage.probe.produce(
      c.stage.topic('compensation-granted'),
      records.map((record) => ({ key: record.key, value: record.value })),
    );
    const republished = buildEvent('compensation-granted', granted[0] as EventData<'compensation-granted'>, {
      source: 'loyalty/complaints',
      subject: guestId,
    });
    await c.send(republished);
    await c.stage.probe.awaitGroupCaughtUp(
      `${c.stage.prefix}points-ledger`,
      [c.stage.topic('compensation-granted')],
      { timeoutMs: 60_000 },
    );
    expect(await ledgerBalance(guestId)).toBe(21_000);
  });

  it('should hold an approver to a day of goodwill points over every complaint, then let offers wait for the role above', async () => {
    const desk: Caller = { roles: ['front-desk'], sub: `desk-${randomUUID()}` };
    const manager: Caller = { roles: ['property-manager'], sub: `manager-${randomUUID()}` };
    const [first, second] = [await c.open(), await c.open()];
    for (const id of [first, first, second, second, second]) {
      expect((await offer(id, { kind: 'goodwill-points', points: 1_000 }, desk)).body).toMatchObject({
        status: 'approved',
      });
    }
    // The desk's day is used up: the next offer waits for a manager, even one the desk could approve alone.
    const waiting = await offer(second, { kind: 'goodwill-points', points: 1 }, desk);
    expect(waiting).toMatchObject({
      status: 201,
      body: { status: 'pending', requiredRole: 'property-manager' },
    });
    const anotherDesk: Caller = { roles: ['front-desk'], sub: `desk-${randomUUID()}` };
    expect(await approve(second, waiting.body.id, anotherDesk)).toMatchObject({
      status: 403,
      body: { code: 'APPROVAL_LIMIT_EXCEEDED', requiredRole: 'property-manager' },
    });
    // Offers of no points do not count against the day.
    expect((await offer(second, { kind: 'discount', discountPercent: 10 }, desk)).body).toMatchObject({
      status: 'approved',
    });

    // A manager's day: five large offers approved, and the sixth refused with what is left.
    const large = [];
    for (let n = 0; n < 5; n += 1)
      large.push(await offer(first, { kind: 'goodwill-points', points: 10_000 }, desk));
    for (const pending of large) {
      expect((await approve(first, pending.body.id, manager)).body).toMatchObject({ status: 'approved' });
    }
    expect(await approve(second, waiting.body.id, manager)).toMatchObject({
      status: 403,
      body: {
        code: 'DAILY_APPROVAL_LIMIT',
        limit: 50_000,
        usedInLast24Hours: 50_000,
        remaining: 0,
        requested: 1,
      },
    });
    expect(await approve(second, waiting.body.id, MANAGER)).toMatchObject({
      status: 200,
      body: { status: 'approved', approvedBy: 'manager-1' },
    });

    // A day later the desk approves on its own again.
    const tomorrow = new Date(c.now().getTime() + 24 * 3_600_000 + 60_000).toISOString();
    const later = await c.withClockAt(tomorrow, () =>
      offer(second, { kind: 'goodwill-points', points: 1_000 }, desk),
    );
    expect(later.body).toMatchObject({ status: 'approved', approvedBy: desk.sub });
  });

  it('should hold an approver to their discount over every offer on one complaint, then let offers wait for the role above', async () => {
    const desk: Caller = { roles: ['front-desk'], sub: `desk-${randomUUID()}` };
    const manager: Caller = { roles: ['property-manager'], sub: `manager-${randomUUID()}` };
    const discount = (percent: number) => ({ kind: 'discount', discountPercent: percent });
    const id = await c.open();
    expect((await offer(id, discount(10), desk)).body).toMatchObject({ status: 'approved' });
    // A second 10% would take the desk's discount on the complaint to 20%, past its 10% limit.
    const second = await offer(id, discount(10), desk);
    expect(second).toMatchObject({
      status: 201,
      body: { status: 'pending', requiredRole: 'property-manager' },
    });
    expect(await approve(id, second.body.id, { ...desk, sub: `desk-${randomUUID()}` })).toMatchObject({
      status: 403,
      body: { code: 'APPROVAL_LIMIT_EXCEEDED', requiredRole: 'property-manager' },
    });
    // Another complaint's discount is its own.
    expect((await offer(await c.open(), discount(10), desk)).body).toMatchObject({ status: 'approved' });

    // A manager's 50% on the complaint: 10% and 40% approved, and 1% more needs a chain admin.
    const rest = [await offer(id, discount(40), desk), await offer(id, discount(1), desk)];
    for (const pending of [second, rest[0]]) {
      expect((await approve(id, pending.body.id, manager)).body).toMatchObject({ status: 'approved' });
    }
    expect(await approve(id, rest[1].body.id, manager)).toMatchObject({
      status: 403,
      body: {
        code: 'APPROVAL_LIMIT_EXCEEDED',
        requiredRole: 'chain-admin',
        limit: 50,
        approvedOnComplaint: 50,
        remaining: 0,
        requested: 1,
      },
    });
    expect((await approve(id, rest[1].body.id, ADMIN)).body).toMatchObject({ status: 'approved' });

    // Two offers sent at once are counted one after the other: the complaint's lock orders them.
    const both = await c.open();
    const answers = await Promise.all([offer(both, discount(10), desk), offer(both, discount(10), desk)]);
    expect(answers.map((answer) => answer.body.status).sort()).toEqual(['approved', 'pending']);
  });

  it('should keep the discounts every approver approved on one complaint within the whole stay, also when two approve at once', async () => {
    const approver = (role: 'front-desk' | 'property-manager'): Caller => ({
      roles: [role],
      sub: `${role}-${randomUUID()}`,
    });
    const [deskA, deskB] = [approver('front-desk'), approver('front-desk')];
    const [manager1, manager2, manager3] = [
      approver('property-manager'),
      approver('property-manager'),
      approver('property-manager'),
    ];
    const discount = (percent: number) => ({ kind: 'discount', discountPercent: percent });
    const id = await c.open();
    for (const [percent, caller] of [
      [10, deskA],
      [10, deskB],
      [50, manager1],
    ] as const) {
      expect((await offer(id, discount(percent), caller)).body).toMatchObject({ status: 'approved' });
    }
    // Each within their own limit on the complaint, but 70% is approved already: no one may give 50% more.
    const refusal = {
      status: 409,
      body: {
        code: 'DISCOUNT_PAST_WHOLE_STAY',
        limit: 100,
        approvedOnComplaint: 70,
        remaining: 30,
        requested: 50,
      },
    };
    expect(await offer(id, discount(50), manager2)).toMatchObject(refusal);
    expect(await offer(id, discount(50), ADMIN)).toMatchObject(refusal);

    // Two offers of 20%, each fitting alone, approved by two managers at the same moment: one fits.
    const pending = [await offer(id, discount(20), deskA), await offer(id, discount(20), deskB)];
    for (const request of pending) expect(request.body).toMatchObject({ status: 'pending' });
    const answers = await c.whileAnotherCommits(
      [['select id from complaints where id = $1 for update', [id]]],
      () =>
        Promise.all([approve(id, pending[0].body.id, manager2), approve(id, pending[1].body.id, manager3)]),
      2,
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body).toMatchObject({
      code: 'DISCOUNT_PAST_WHOLE_STAY',
      approvedOnComplaint: 90,
      remaining: 10,
    });
    const listed = await c.http<{ status: string; discountPercent: number | null }[]>(
      'GET',
      `/complaints/${id}/compensations`,
      DESK,
    );
    const approvedTotal = listed.body
      .filter((compensation) => compensation.status === 'approved')
      .reduce((sum, compensation) => sum + (compensation.discountPercent ?? 0), 0);
    expect(approvedTotal).toBe(90);
  });

  it('should refuse compensation once the complaint is closed', async () => {
    const id = await c.open();
    await c.act(id, 'cancel', { reason: 'Logged twice by mistake.' });
    expect((await offer(id, { kind: 'goodwill-points', points: 100 }, DESK)).body).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      action: 'compensate',
    });
  });

  it('should refuse to approve a pending compensation when the complaint was cancelled since, as it was declined', async () => {
    const id = await c.open();
    const pending = await offer(id, { kind: 'goodwill-points', points: 5_000 }, DESK);
    expect(pending.body).toMatchObject({ status: 'pending', requiredRole: 'property-manager' });
    await c.act(id, 'cancel', { reason: 'The guest withdrew it.' });

    expect(await approve(id, pending.body.id, MANAGER)).toMatchObject({
      status: 409,
      body: { code: 'COMPENSATION_NOT_PENDING', status: 'declined', declinedBy: 'complaints' },
    });
    const listed = await c.http<Record<string, unknown>[]>('GET', `/complaints/${id}/compensations`, DESK);
    expect(listed.body).toEqual([expect.objectContaining({ id: pending.body.id, status: 'declined' })]);
    expect(c.published('compensation-granted', id)).toEqual([]);
  });

  it('should request and grant once when a request is retried with the same Idempotency-Key', async () => {
    const id = await c.open();
    const points = { kind: 'goodwill-points', points: 500 };
    const keyed = () => ({ 'idempotency-key': `retry-${randomUUID()}` });
    const key = keyed();
    const first = await offer(id, points, DESK, key);
    expect(first).toMatchObject({ status: 201, body: { status: 'approved' } });
    // A retry after a lost response.
    expect(await offer(id, points, DESK, key)).toMatchObject({
      status: 201,
      body: { id: first.body.id, status: 'approved', approvedBy: 'desk-1' },
    });
    // Another request, sent twice at once.
    const otherKey = keyed();
    const [one, two] = await Promise.all([
      offer(id, points, DESK, otherKey),
      offer(id, points, DESK, otherKey),
    ]);
    expect(one).toMatchObject({ status: 201, body: { status: 'approved' } });
    expect(two.body.id).toBe(one.body.id);
    expect(one.body.id).not.toBe(first.body.id);
    // Keys are per complaint: the same key on another complaint is a request of its own.
    const elsewhere = await offer(await c.open(), points, DESK, key);
    expect(elsewhere).toMatchObject({ status: 201, body: { status: 'approved' } });
    expect(elsewhere.body.id).not.toBe(first.body.id);

    const made = [first.body.id, one.body.id].sort();
    const listed = await c.http<{ id: string }[]>('GET', `/complaints/${id}/compensations`, DESK);
    expect(listed.body.map((compensation) => compensation.id).sort()).toEqual(made);
    const granted = await c.awaitPublished('compensation-granted', 2, id);
    expect(granted.map((event) => event.compensationId).sort()).toEqual(made);
  });
});
