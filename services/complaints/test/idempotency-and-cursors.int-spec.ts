import { randomUUID } from 'node:crypto';
import { ComplaintsStage, type Caller } from './complaints-stage';

const ANALYST: Caller = { roles: ['analyst'] };
const SERVICE: Caller = { roles: ['service'] };

describe('complaints: cursors and Idempotency-Keys a client got wrong (real broker and Postgres)', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_request_checks');
    await c.startInstance();
  });

  afterAll(() => c?.close());

  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
  const refusedCursor = { code: 'VALIDATION_FAILED', errors: [{ path: 'cursor' }] };

  describe('a cursor that is not the list’s own nextCursor', () => {
    it.each([
      ['two parts that are neither an instant nor an id', cursorOf('x|y')],
      ['a repeat-complainants cursor (a count)', cursorOf(`3|${randomUUID()}|2026-01-01T00:00:00.000Z`)],
      ['an instant with an id that is not a uuid', cursorOf('2026-01-01T00:00:00.000Z|42')],
      ['more than two parts', cursorOf(`2026-01-01T00:00:00.000Z|${randomUUID()}|x`)],
    ])('should answer 400 naming cursor on /complaints for %s', async (_, cursor) => {
      const listed = await c.http('GET', `/complaints?cursor=${cursor}`);
      expect(listed).toMatchObject({ status: 400, body: refusedCursor });
    });

    it.each([
      ['a /complaints cursor (an instant)', cursorOf(`2026-01-01T00:00:00.000Z|${randomUUID()}`)],
      ['a count that is not a whole number', cursorOf(`3.5|${randomUUID()}|2026-01-01T00:00:00.000Z`)],
      [
        'a count beyond what Postgres counts in',
        cursorOf(`99999999999|${randomUUID()}|2026-01-01T00:00:00.000Z`),
      ],
      ['a count with an id that is not a uuid', cursorOf('3|y|2026-01-01T00:00:00.000Z')],
      ['a count with no instant it was counted as of', cursorOf(`3|${randomUUID()}`)],
      ['a count as of an instant that is not one', cursorOf(`3|${randomUUID()}|2026-02-30T00:00:00.000Z`)],
    ])('should answer 400 naming cursor on /insights/repeat-complainants for %s', async (_, cursor) => {
      const listed = await c.http('GET', `/insights/repeat-complainants?cursor=${cursor}`, ANALYST);
      expect(listed).toMatchObject({ status: 400, body: refusedCursor });
    });
  });

  describe('an intake Idempotency-Key', () => {
    const intake = (guestId: string) => ({
      guestId,
      propertyId: 'AMS01',
      channel: 'email',
      category: 'noise',
      severity: 'low',
      description: 'Loud music next door.',
    });
    const post = (body: unknown, key: string) =>
      c.http<Record<string, unknown>>('POST', '/complaints', {
        body,
        headers: { 'idempotency-key': key },
        ...SERVICE,
      });

    it('should answer a retry with the same body, in any property order, with the first complaint', async () => {
      const key = `T-${randomUUID()}`;
      const body = intake(randomUUID());
      const first = await post(body, key);
      expect(first.status).toBe(201);
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      expect(await post(reordered, key)).toMatchObject({ status: 201, body: { id: first.body.id } });
    });

    it('should refuse the key with another body with 422, opening and publishing nothing', async () => {
      const key = `T-${randomUUID()}`;
      const first = await post(intake(randomUUID()), key);
      const otherGuest = randomUUID();
      const reused = await post(intake(otherGuest), key);
      expect(reused).toMatchObject({
        status: 422,
        body: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringContaining('different request') },
      });
      const reworded = await post({ ...intake(otherGuest), description: 'Someone else.' }, key);
      expect(reworded.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

      const listed = await c.http<{ items: unknown[] }>('GET', `/complaints?guestId=${otherGuest}`);
      expect(listed.body.items).toEqual([]);
      // An event is written to the outbox in its complaint's transaction: none there, none published. (Which
      // of two events on two partitions a consumer sees first says nothing of the order they were written.)
      const [{ events }] = await c.stage.db.query<{ events: number }>(
        `select count(*)::int as events from messaging_outbox
         where event_type = 'complaint-opened' and payload::text like $1`,
        [`%${otherGuest}%`],
      );
      expect(events).toBe(0);
      expect(await c.awaitPublished('complaint-opened', 1, String(first.body.id))).toHaveLength(1);
    });

    it('should answer a retry with the first complaint when its guest was erased since, and refuse a new one', async () => {
      const key = `T-${randomUUID()}`;
      const guestId = randomUUID();
      const first = await post(intake(guestId), key);
      expect(first.status).toBe(201);
      await c.send(c.event('guest-erased', { guestId }));
      await c.caughtUp('guest-erased');

      expect(await post(intake(guestId), key)).toMatchObject({
        status: 201,
        body: { id: first.body.id, description: null },
      });
      expect(await post({ ...intake(guestId), severity: 'high' }, key)).toMatchObject({
        status: 422,
        body: { code: 'IDEMPOTENCY_KEY_REUSED' },
      });
      expect(await post(intake(guestId), `T-${randomUUID()}`)).toMatchObject({
        status: 409,
        body: { code: 'GUEST_ERASED', guestId },
      });
    });

    it('should answer a key kept before requests were fingerprinted as a retry, whatever the body', async () => {
      const key = `T-${randomUUID()}`;
      const first = await post(intake(randomUUID()), key);
      await c.stage.db.query('update complaints set intake_fingerprint = null where id = $1', [
        first.body.id,
      ]);
      expect(await post(intake(randomUUID()), key)).toMatchObject({
        status: 201,
        body: { id: first.body.id },
      });
    });
  });

  describe('a compensation Idempotency-Key', () => {
    const offer = (complaintId: string, body: unknown, key: string) =>
      c.http<Record<string, unknown>>('POST', `/complaints/${complaintId}/compensations`, {
        body,
        headers: { 'idempotency-key': key },
        roles: ['front-desk'],
      });
    const listed = async (complaintId: string) =>
      (await c.http<{ id: string }[]>('GET', `/complaints/${complaintId}/compensations`)).body.map(
        (compensation) => compensation.id,
      );

    it('should answer a retry with the same body, in any property order, with the first compensation', async () => {
      const id = await c.open();
      const key = `retry-${randomUUID()}`;
      const first = await offer(id, { kind: 'goodwill-points', points: 500, note: 'Sorry.' }, key);
      expect(first).toMatchObject({ status: 201, body: { status: 'approved' } });
      const retried = await offer(id, { note: 'Sorry.', points: 500, kind: 'goodwill-points' }, key);
      expect(retried).toMatchObject({ status: 201, body: { id: first.body.id, status: 'approved' } });
      expect(await listed(id)).toEqual([first.body.id]);
    });

    it('should refuse the key with more points with 422, requesting and granting nothing', async () => {
      const id = await c.open();
      const key = `retry-${randomUUID()}`;
      const first = await offer(id, { kind: 'goodwill-points', points: 500 }, key);
      expect(first.status).toBe(201);
      const more = await offer(id, { kind: 'goodwill-points', points: 900 }, key);
      expect(more).toMatchObject({
        status: 422,
        body: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringContaining('different request') },
      });
      expect(await listed(id)).toEqual([first.body.id]);
      // The outbox publishes in commit order: once a later grant is out, anything before it is too.
      const later = await offer(id, { kind: 'goodwill-points', points: 100 }, `retry-${randomUUID()}`);
      const granted = await c.awaitPublished('compensation-granted', 2, id);
      expect(granted.map((event) => [event.compensationId, event.points])).toEqual([
        [first.body.id, 500],
        [later.body.id, 100],
      ]);
    });
  });
});
