import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CompensationsDeclined1760000005800 } from '../src/migrations/1760000005800-compensations-declined';
import { SlaScanner } from '../src/sla/sla-scanner.service';
import { ComplaintsStage, type Caller } from './complaints-stage';

const DESK: Caller = { roles: ['front-desk'], sub: 'desk-1' };
const MANAGER: Caller = { roles: ['property-manager'], sub: 'manager-1' };
const DAY = 24 * 60;

interface AuditLine {
  action: string;
  actor: string;
  actorRoles: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason?: string | null;
}

describe('complaints: compensation offers declined by staff, or by the service when their complaint closes', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_decline');
    await c.startInstance();
  });

  afterAll(() => c?.close());

  const offer = (id: string, body: Record<string, unknown>, caller: Caller = DESK) =>
    c.http<Record<string, unknown>>('POST', `/complaints/${id}/compensations`, { body, ...caller });
  const approve = (id: string, compensationId: unknown, caller: Caller = MANAGER) =>
    c.http<Record<string, unknown>>(
      'POST',
      `/complaints/${id}/compensations/${String(compensationId)}/approve`,
      caller,
    );
  const decline = (id: string, compensationId: unknown, body: unknown, caller: Caller = MANAGER) =>
    c.http<Record<string, unknown>>(
      'POST',
      `/complaints/${id}/compensations/${String(compensationId)}/decline`,
      { body, ...caller },
    );
  const compensations = async (id: string) =>
    (await c.http<Record<string, unknown>[]>('GET', `/complaints/${id}/compensations`, DESK)).body;
  const auditOf = async (id: string) =>
    (await c.http<{ entries: AuditLine[] }>('GET', `/complaints/${id}/audit`)).body.entries;
  /** A pending offer of 2,000 goodwill points, which waits for a property manager. */
  const pendingOffer = async (id: string): Promise<string> => {
    const requested = await offer(id, { kind: 'goodwill-points', points: 2_000 });
    expect(requested.body).toMatchObject({ status: 'pending', requiredRole: 'property-manager' });
    return String(requested.body.id);
  };
  const handled = async (guestId = randomUUID()) => {
    const id = await c.open({ guestId });
    await c.act(id, 'acknowledge');
    await c.act(id, 'start');
    return id;
  };
  const resolved = async () => {
    const id = await handled();
    await c.act(id, 'resolve', { resolution: 'apology', note: 'Apologised at the desk.' });
    return id;
  };

  it('should let a manager decline a pending offer with a reason, audited, and then refuse to approve it', async () => {
    const id = await handled();
    const pending = await pendingOffer(id);

    // Only a role that may approve the offer may decline it, and only with a reason.
    expect(await decline(id, pending, { reason: 'Too much.' }, DESK)).toMatchObject({
      status: 403,
      body: { code: 'APPROVAL_LIMIT_EXCEEDED', requiredRole: 'property-manager' },
    });
    const noReason = await decline(id, pending, {});
    expect(noReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(new Set((noReason.body.errors as { path: string }[]).map((error) => error.path))).toEqual(
      new Set(['reason']),
    );
    expect(await decline(id, randomUUID(), { reason: 'No such offer.' })).toMatchObject({
      status: 404,
      body: { code: 'COMPENSATION_NOT_FOUND' },
    });

    const declined = await decline(id, pending, { reason: 'An upgrade suits the guest better.' });
    expect(declined).toMatchObject({
      status: 200,
      body: {
        id: pending,
        status: 'declined',
        declinedBy: 'manager-1',
        declinedAt: expect.any(String),
        declineReason: 'An upgrade suits the guest better.',
        approvedBy: null,
      },
    });
    const [line] = (await auditOf(id)).filter((entry) => entry.action === 'compensation-declined');
    expect(line).toMatchObject({
      actor: 'manager-1',
      actorRoles: ['property-manager'],
      before: { id: pending, status: 'pending', declinedBy: null },
      after: { id: pending, status: 'declined', declinedBy: 'manager-1' },
      reason: 'An upgrade suits the guest better.',
    });
    // The reason is free text: beside the line, not in it.
    expect(line.after).not.toHaveProperty('declineReason');

    // Settled: neither approved nor declined again.
    const settled = { code: 'COMPENSATION_NOT_PENDING', status: 'declined', declinedBy: 'manager-1' };
    expect(await approve(id, pending)).toMatchObject({ status: 409, body: settled });
    expect(await decline(id, pending, { reason: 'Again.' })).toMatchObject({ status: 409, body: settled });
    const approved = await offer(id, { kind: 'goodwill-points', points: 500 });
    expect(approved.body).toMatchObject({ status: 'approved' });
    expect(await decline(id, approved.body.id, { reason: 'Too late.' })).toMatchObject({
      status: 409,
      body: { code: 'COMPENSATION_NOT_PENDING', status: 'approved', approvedBy: 'desk-1' },
    });
    expect(await compensations(id)).toEqual([
      expect.objectContaining({ id: pending, status: 'declined', declinedBy: 'manager-1' }),
      expect.objectContaining({ id: approved.body.id, status: 'approved' }),
    ]);

    // Nothing was granted by the decline: the ledger hears of the approved offer only.
    const granted = await c.awaitPublished('compensation-granted', 1, id);
    expect(granted.map((event) => event.compensationId)).toEqual([approved.body.id]);
  });

  it('should decline the pending offers of a complaint cancelled or marked a duplicate, by the service, saying why', async () => {
    const cancelled = await handled();
    const [first, second] = [await pendingOffer(cancelled), await pendingOffer(cancelled)];
    await c.act(cancelled, 'cancel', { reason: 'The guest withdrew it.' });
    const byService = { status: 'declined', declinedBy: 'complaints', declinedAt: expect.any(String) };
    const why = 'the complaint was cancelled (withdrawn) before the offer was approved';
    expect(await compensations(cancelled)).toEqual([
      expect.objectContaining({ id: first, ...byService, declineReason: why }),
      expect.objectContaining({ id: second, ...byService, declineReason: why }),
    ]);
    const trail = await auditOf(cancelled);
    expect(trail.map((entry) => entry.action).slice(-3)).toEqual([
      'cancel',
      'compensation-declined',
      'compensation-declined',
    ]);
    expect(trail.at(-1)).toMatchObject({
      actor: 'complaints',
      actorRoles: ['service'],
      before: { status: 'pending' },
      after: { status: 'declined', declinedBy: 'complaints' },
      reason: why,
    });
    // The manager's approval, too late, says what became of the offer.
    expect(await approve(cancelled, first)).toMatchObject({
      status: 409,
      body: { code: 'COMPENSATION_NOT_PENDING', status: 'declined', declinedBy: 'complaints' },
    });

    const original = await c.open();
    const duplicate = await c.open();
    const offered = await pendingOffer(duplicate);
    await c.act(duplicate, 'mark-duplicate', { duplicateOf: original });
    expect(await compensations(duplicate)).toEqual([
      expect.objectContaining({
        id: offered,
        ...byService,
        declineReason: `the complaint was marked a duplicate of ${original} before the offer was approved`,
      }),
    ]);
    expect(c.published('compensation-granted', cancelled)).toEqual([]);
  });

  it('should decline the pending offers of a complaint closed by staff or by its unanswered follow-up', async () => {
    const closedByStaff = await resolved();
    const answered = await pendingOffer(closedByStaff);
    await c.act(closedByStaff, 'close', { satisfaction: 4 });
    expect(await compensations(closedByStaff)).toEqual([
      expect.objectContaining({
        id: answered,
        status: 'declined',
        declinedBy: 'complaints',
        declineReason:
          'the complaint was closed with the guest’s follow-up answer before the offer was approved',
      }),
    ]);

    // The reviewer's case: 2,000 points wait for a manager while the follow-up times out.
    const unanswered = await resolved();
    const waiting = await pendingOffer(unanswered);
    c.advanceClock(8 * DAY);
    try {
      await Promise.all(c.instances.map((service) => service.app.get(SlaScanner).scan(c.now())));
      await c.awaitPublished('complaint-closed', 1, unanswered);
      expect(await compensations(unanswered)).toEqual([
        expect.objectContaining({
          id: waiting,
          status: 'declined',
          declinedBy: 'complaints',
          declineReason:
            'the complaint was closed when its follow-up went unanswered, before the offer was approved',
        }),
      ]);
      const trail = await auditOf(unanswered);
      expect(trail.map((entry) => entry.action).slice(-2)).toEqual([
        'follow-up-timed-out',
        'compensation-declined',
      ]);
      expect(await approve(unanswered, waiting)).toMatchObject({
        status: 409,
        body: { code: 'COMPENSATION_NOT_PENDING', status: 'declined' },
      });
      // Reopened, the complaint takes offers again; the declined one stays declined.
      await c.act(unanswered, 'reopen', { reason: 'The shower is cold again.' });
      expect((await offer(unanswered, { kind: 'goodwill-points', points: 2_000 })).body).toMatchObject({
        status: 'pending',
      });
    } finally {
      c.advanceClock(-8 * DAY);
    }
  });

  it('should blank a decline’s reason when the guest is erased', async () => {
    const guestId = randomUUID();
    const id = await handled(guestId);
    const pending = await pendingOffer(id);
    await decline(id, pending, { reason: 'Jane Doe was given a sea-view room instead.' });
    await c.send(c.event('guest-erased', { guestId }));
    await c.caughtUp('guest-erased');
    expect(await compensations(id)).toEqual([
      expect.objectContaining({ id: pending, status: 'declined', declineReason: null }),
    ]);
    const [line] = (await auditOf(id)).filter((entry) => entry.action === 'compensation-declined');
    expect(line).toMatchObject({ actor: 'manager-1', reason: null });
  });

  it('should decline, when migrating, the offers left pending on complaints closed before, and widen the check', async () => {
    // Left as an instance of the version before this left them: closed with the offer still pending.
    const [cancelled, original, duplicate, open] = [
      await c.open(),
      await c.open(),
      await c.open(),
      await c.open(),
    ];
    const stranded = [await pendingOffer(cancelled), await pendingOffer(duplicate)];
    const stillOpen = await pendingOffer(open);
    await c.stage.db.query(`update complaints set status = 'cancelled', closed_at = now() where id = $1`, [
      cancelled,
    ]);
    await c.stage.db.query(
      `update complaints set status = 'duplicate', duplicate_of = $2, closed_at = now() where id = $1`,
      [duplicate, original],
    );
    expect((await compensations(cancelled))[0]).toMatchObject({ status: 'pending' });

    const runner = c.instances[0].app.get(DataSource).createQueryRunner();
    try {
      await new CompensationsDeclined1760000005800().up(runner);
    } finally {
      await runner.release();
    }

    const [check] = await c.stage.db.query<{ validated: boolean; definition: string }>(
      `select convalidated as validated, pg_get_constraintdef(oid) as definition from pg_constraint
       where conrelid = 'compensations'::regclass and conname = 'compensations_status_check'`,
    );
    expect(check).toEqual({ validated: true, definition: expect.stringContaining("'declined'") });
    expect(await compensations(cancelled)).toEqual([
      expect.objectContaining({
        id: stranded[0],
        status: 'declined',
        declinedBy: 'complaints',
        declineReason: 'the complaint was cancelled (withdrawn) before the offer was approved',
      }),
    ]);
    expect(await compensations(duplicate)).toEqual([
      expect.objectContaining({
        id: stranded[1],
        status: 'declined',
        declineReason: `the complaint was marked a duplicate of ${original} before the offer was approved`,
      }),
    ]);
    expect(await compensations(open)).toEqual([
      expect.objectContaining({ id: stillOpen, status: 'pending' }),
    ]);
    const [line] = (await auditOf(cancelled)).filter((entry) => entry.action === 'compensation-declined');
    // The line the service writes when it declines an offer itself.
    const offered = (await auditOf(cancelled)).find((entry) => entry.action === 'compensation-requested');
    expect(Object.keys(line.after ?? {}).sort()).toEqual(Object.keys(offered?.after ?? {}).sort());
    expect(line).toMatchObject({
      actor: 'complaints',
      actorRoles: ['service'],
      before: { ...offered?.after, status: 'pending' },
      after: {
        ...offered?.after,
        status: 'declined',
        declinedBy: 'complaints',
        declinedAt: expect.any(String),
      },
      reason: 'the complaint was cancelled (withdrawn) before the offer was approved',
    });
  });
});
