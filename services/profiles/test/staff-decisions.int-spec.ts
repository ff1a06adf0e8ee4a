import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { waitUntil } from '@loyalty/testing';
import { identity, ProfilesHarness } from './profiles-harness';

describe('profiles keeps what staff decide and write consistent when they act at once (real Postgres)', () => {
  let h: ProfilesHarness;
  let dataSource: DataSource;
  const admin = () => h.token(['chain-admin']);

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_staff');
    dataSource = h.service.app.get(DataSource);
  });

  afterAll(async () => {
    await h.close();
  });

  /** Two guests a travel agent booked under its one address: suggested for review as email-only. */
  async function suggestedPair(email = `bookings.${Date.now()}@agency.example`) {
    const [first, second] = [h.stay(identity({ email })), h.stay(identity({ email }))];
    await h.sendStays([first]);
    const guestA = await h.guestOfReservation(first.data.reservationId);
    await h.sendStays([second]);
    const guestB = await h.guestOfReservation(second.data.reservationId);
    const suggestionId = await waitUntil('the pair to be suggested', async () => {
      const [row] = await h.db.query<{ id: string }>(
        `select id from match_suggestions where guest_a = $1 and guest_b = $2 and status = 'open'`,
        [guestA, guestB].sort(),
      );
      return row?.id;
    });
    return { guestA, guestB, suggestionId };
  }

  /** How many connections to the service's database wait for a lock (the second in line waits for the first). */
  async function waitingForLocks(): Promise<number> {
    const [{ waiting }] = await dataSource.query<{ waiting: number }[]>(
      `select count(*)::int as waiting from pg_stat_activity
       where datname = current_database() and cardinality(pg_blocking_pids(pid)) > 0`,
    );
    return waiting;
  }

  describe('a review suggestion', () => {
    it('should refuse the second of two decisions made at once with 409 SUGGESTION_DECIDED, and not merge a pair staff decided are two people', async () => {
      const { guestA, guestB, suggestionId } = await suggestedPair();
      // Holding both guests makes the two decisions read the open suggestion and then queue for the guests,
      // the not-same first: as two managers who opened the same suggestion and clicked at the same moment.
      const holder = dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      let notSame: Promise<{ status: number }> | undefined;
      let merge: Promise<{ status: number; body: Record<string, unknown> }> | undefined;
      try {
        await holder.query('select id from guests where id = any($1::uuid[]) order by id for share', [
          [guestA, guestB],
        ]);
        notSame = h.http('POST', `/review-queue/${suggestionId}/not-same`, { token: admin() });
        await waitUntil('the not-same decision to wait', async () =>
          (await waitingForLocks()) === 1 ? true : undefined,
        );
        merge = h.http('POST', `/review-queue/${suggestionId}/merge`, { token: admin() });
        await waitUntil('the merge to wait too', async () =>
          (await waitingForLocks()) === 2 ? true : undefined,
        );
      } finally {
        await holder.commitTransaction();
        await holder.release();
      }
      expect((await notSame).status).toBe(201);
      expect(await merge).toMatchObject({
        status: 409,
        body: { code: 'SUGGESTION_DECIDED', message: expect.stringContaining('not-same') },
      });
      expect(
        await h.db.query('select status from guests where id = any($1::uuid[])', [[guestA, guestB]]),
      ).toEqual([{ status: 'active' }, { status: 'active' }]);
      expect(
        await h.db.query(
          `select outcome from match_decisions where outcome in ('merged', 'not-same')
             and guest_id = any($1::uuid[]) and candidate_id = any($1::uuid[])`,
          [[guestA, guestB]],
        ),
      ).toEqual([{ outcome: 'not-same' }]);
    });

    it('should withdraw an open suggestion once staff correct the detail it rested on, and keep it while the pair still shares one', async () => {
      const { guestA, guestB, suggestionId } = await suggestedPair();
      const correct = (body: Record<string, string>) =>
        h.http('PATCH', `/guests/${guestA}/contacts`, { token: admin(), reason: 'typo fixed', body });
      const openOf = () => h.db.query(`select status from match_suggestions where id = $1`, [suggestionId]);
      expect((await correct({ phone: '+31612999001' })).status).toBe(200);
      expect(await openOf()).toEqual([{ status: 'open' }]);
      expect((await correct({ email: `own.${Date.now()}@example.com` })).status).toBe(200);
      expect(await openOf()).toEqual([]);
      expect(
        await h.db.query(
          `select guest_id, candidate_id, outcome, rule from match_decisions where outcome = 'withdrawn'
             and guest_id = any($1::uuid[])`,
          [[guestA, guestB]],
        ),
      ).toEqual([{ guest_id: guestA, candidate_id: guestB, outcome: 'withdrawn', rule: 'email-only' }]);
      expect(await h.http('POST', `/review-queue/${suggestionId}/merge`, { token: admin() })).toMatchObject({
        status: 404,
        body: { code: 'SUGGESTION_NOT_FOUND' },
      });
    });
  });

  describe('a merge staff ask for', () => {
    async function twoGuests() {
      const stays = [h.stay(identity()), h.stay(identity())];
      await h.sendStays(stays);
      return Promise.all(stays.map((stay) => h.guestOfReservation(stay.data.reservationId)));
    }

    const merge = (body: Record<string, unknown>) =>
      h.http<{ code?: string; survivorId: string; mergedId: string }>('POST', '/merges', {
        token: h.token(['chain-admin'], ['*'], 'manager-9'),
        body,
      });

    it('should refuse with 409 NOT_SAME_PERSON_RECORDED to merge a pair recorded as not the same person, and merge it overriding that with a reason, logged for both', async () => {
      const [guestA, guestB] = await twoGuests();
      expect(
        (await h.http('POST', '/not-same-person', { token: admin(), body: { guestA, guestB } })).status,
      ).toBe(204);
      const statuses = () =>
        h.db.query('select status from guests where id = any($1::uuid[])', [[guestA, guestB]]);

      expect(await merge({ guestA, guestB })).toMatchObject({
        status: 409,
        body: { code: 'NOT_SAME_PERSON_RECORDED' },
      });
      expect(await merge({ guestA, guestB, overrideNotSamePerson: true, reason: ' ' })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'reason' })] },
      });
      expect(await statuses()).toEqual([{ status: 'active' }, { status: 'active' }]);

      const reason = 'guest confirmed at the desk: one person with two cards';
      const overridden = await merge({ guestA, guestB, overrideNotSamePerson: true, reason });
      expect(overridden.status).toBe(201);
      expect(await statuses()).toEqual(expect.arrayContaining([{ status: 'active' }, { status: 'merged' }]));
      expect(
        await h.db.query(
          `select guest_id, actor, action, reason from access_log
           where action = 'merge-overriding-not-same-person' and guest_id = any($1::uuid[]) order by guest_id`,
          [[guestA, guestB]],
        ),
      ).toEqual(
        [guestA, guestB].sort().map((guestId) => ({
          guest_id: guestId,
          actor: 'manager-9',
          action: 'merge-overriding-not-same-person',
          reason,
        })),
      );
    });
  });

  describe('the review queue', () => {
    it('should page on from where the last page ended when a suggestion on it is decided meanwhile, skipping and repeating none', async () => {
      // As one stay batch leaves them: the same rule, score and time, stronger than the other tests' ones.
      const pairs = await h.db.query<{ id: string }>(
        `with pair as (select gen_random_uuid() as a, gen_random_uuid() as b from generate_series(1, 9)),
         inserted as (insert into guests (id) select a from pair union all select b from pair)
         insert into match_suggestions (id, guest_a, guest_b, rule, score, created_at)
         select gen_random_uuid(), least(a, b), greatest(a, b), 'same-name-and-dob', 0.75, now() from pair
         returning id`,
      );
      const ours = new Set(pairs.map((pair) => pair.id));
      const pageAfter = async (cursor: string | null) => {
        const { status, body } = await h.http<{
          items: { suggestionId: string }[];
          nextCursor: string | null;
        }>('GET', `/review-queue?pageSize=4${cursor ? `&cursor=${cursor}` : ''}`, { token: admin() });
        expect(status).toBe(200);
        return { ...body, items: body.items.map((item) => item.suggestionId).filter((id) => ours.has(id)) };
      };

      const first = await pageAfter(null);
      expect(first.items).toHaveLength(4);
      // A manager decides the first suggestion of the page while another reads on.
      expect(
        (await h.http('POST', `/review-queue/${first.items[0]}/not-same`, { token: admin() })).status,
      ).toBe(201);
      const seen = [...first.items];
      for (let cursor = first.nextCursor; cursor;) {
        const page = await pageAfter(cursor);
        seen.push(...page.items);
        cursor = page.nextCursor;
      }
      expect(seen).toHaveLength(9);
      expect(new Set(seen)).toEqual(ours);
    });

    it("should show a property's manager, page after page, the suggestions both of whose guests stayed or booked at one of its properties, and count those alone", async () => {
      // Properties of this test alone: the other tests' guests stayed at the sample property.
      const [home, other, sister] = ['HOME', 'ELSE', 'SISTER'].map((p) => `${p}-${randomUUID().slice(0, 8)}`);
      const at = (kind: 'stay' | 'booking', propertyId: string) => ({ kind, propertyId });
      // Each kind of pair three times, strongest and oldest first in turn, so they interleave across pages.
      const kinds = [
        { a: [at('stay', home)], b: [at('stay', home)], shown: true },
        { a: [at('stay', home)], b: [at('booking', home)], shown: true },
        // One property of the token for each guest is enough: they need not be the same one.
        { a: [at('booking', sister)], b: [at('stay', home), at('stay', other)], shown: true },
        { a: [at('stay', home)], b: [at('stay', other)], shown: false },
        { a: [at('booking', other)], b: [at('stay', home)], shown: false },
        { a: [at('stay', other)], b: [at('booking', other)], shown: false },
      ];
      const pairs = Array.from({ length: 18 }, (_, n) => ({
        ...kinds[n % kinds.length],
        id: randomUUID(),
        guests: [randomUUID(), randomUUID()].sort(),
        score: ['0.950', '0.900', '0.900'][n % 3],
        createdAt: `2026-03-0${1 + (n % 2)}T10:00:00.000000Z`,
      }));
      for (const pair of pairs) {
        await h.db.query('insert into guests (id) values ($1), ($2)', pair.guests);
        for (const [guestId, known] of [
          [pair.guests[0], pair.a],
          [pair.guests[1], pair.b],
        ] as const)
          for (const { kind, propertyId } of known)
            await h.db.query(
              kind === 'stay'
                ? `insert into stays (id, guest_id, property_id, reservation_id, arrival, departure, nights)
                   values (gen_random_uuid(), $1, $2, gen_random_uuid()::text, '2026-01-01', '2026-01-03', 2)`
                : `insert into reservations (property_id, reservation_id, guest_id, arrival, departure)
                   values ($2, gen_random_uuid()::text, $1, '2027-01-01', '2027-01-03')`,
              [guestId, propertyId],
            );
        await h.db.query(
          `insert into match_suggestions (id, guest_a, guest_b, rule, score, created_at)
           values ($1, $2, $3, 'phone-only', $4, $5)`,
          [pair.id, ...pair.guests, pair.score, pair.createdAt],
        );
      }
      // A pair staff decided on leaves the queue, in scope or not.
      const decided = pairs.find((pair) => pair.shown)!;
      await h.db.query(`update match_suggestions set status = 'not-same' where id = $1`, [decided.id]);
      const inQueueOrder = pairs
        .filter((pair) => pair.shown && pair !== decided)
        .sort(
          (x, y) =>
            Number(y.score) - Number(x.score) ||
            x.createdAt.localeCompare(y.createdAt) ||
            x.id.localeCompare(y.id),
        );

      const token = h.token(['property-manager'], [home, sister]);
      const seen: string[] = [];
      const totals: number[] = [];
      type QueuePage = { total: number; items: { suggestionId: string }[]; nextCursor: string | null };
      let cursor: string | null = null;
      do {
        const after: string = cursor ? `&cursor=${cursor}` : '';
        const { status, body } = await h.http<QueuePage>('GET', `/review-queue?pageSize=4${after}`, {
          token,
        });
        expect(status).toBe(200);
        seen.push(...body.items.map((item) => item.suggestionId));
        totals.push(body.total);
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(inQueueOrder.map((pair) => pair.id));
      expect(totals).toEqual([8, 8]);
    });

    it('should refuse a cursor the queue did not hand out and the page number it no longer reads with 400 naming each', async () => {
      const forged = Buffer.from('0.750|2026-02-30T00:00:00.000000Z|00000000-0000-4000-8000-000000000001');
      expect(
        await h.http('GET', `/review-queue?cursor=${forged.toString('base64url')}`, { token: admin() }),
      ).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'cursor' })] },
      });
      expect(await h.http('GET', '/review-queue?page=2', { token: admin() })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'page' })] },
      });
    });
  });

  describe('a change of the profile', () => {
    type Profile = { version: string; preferences: { group: string; value: string }[] };
    const reason = 'front desk request';

    async function guestWithStay() {
      const stay = h.stay(identity());
      await h.sendStays([stay]);
      return h.guestOfReservation(stay.data.reservationId);
    }

    const versionOf = async (guestId: string) =>
      (await h.http<Profile>('GET', `/guests/${guestId}`, { token: admin(), reason })).body.version;

    const putDietary = (guestId: string, values: string[], headers: Record<string, string> = {}) =>
      h.http<Profile & { code?: string; currentVersion?: string }>('PUT', `/guests/${guestId}/preferences`, {
        token: admin(),
        reason,
        headers,
        body: { preferences: [{ group: 'dietary', values }] },
      });

    it('should refuse a preferences write made on a version another desk changed since with 412 PRECONDITION_FAILED and the current version', async () => {
      const guestId = await guestWithStay();
      const seenByBoth = await versionOf(guestId);
      const deskB = await putDietary(guestId, ['vegan', 'nut-allergy'], { 'if-match': seenByBoth });
      expect(deskB.status).toBe(200);
      const deskA = await putDietary(guestId, ['vegan', 'gluten-free'], { 'if-match': `"${seenByBoth}"` });
      expect(deskA).toMatchObject({
        status: 412,
        body: { code: 'PRECONDITION_FAILED', currentVersion: deskB.body.version },
      });
      expect(deskB.body.version).not.toBe(seenByBoth);
      const now = await h.http<Profile>('GET', `/guests/${guestId}`, { token: admin(), reason });
      expect(now.body.preferences.map((p) => p.value).sort()).toEqual(['nut-allergy', 'vegan']);
    });

    it('should refuse a contacts change made on a version changed since, and apply one made on the current version or without If-Match', async () => {
      const guestId = await guestWithStay();
      const seen = await versionOf(guestId);
      await putDietary(guestId, ['halal']);
      const stale = await h.http('PATCH', `/guests/${guestId}/contacts`, {
        token: admin(),
        reason,
        headers: { 'if-match': seen },
        body: { address: 'Damrak 1, Amsterdam' },
      });
      expect(stale).toMatchObject({ status: 412, body: { code: 'PRECONDITION_FAILED' } });
      const current = await h.http('PATCH', `/guests/${guestId}/contacts`, {
        token: admin(),
        reason,
        headers: { 'if-match': await versionOf(guestId) },
        body: { address: 'Damrak 2, Amsterdam' },
      });
      expect(current.status).toBe(200);
      const unconditional = await h.http<{ personal: { address: { value: string } } }>(
        'PATCH',
        `/guests/${guestId}/contacts`,
        { token: admin(), reason, body: { address: 'Damrak 3, Amsterdam' } },
      );
      expect(unconditional.status).toBe(200);
      expect(unconditional.body.personal.address.value).toBe('Damrak 3, Amsterdam');
    });

    it('should refuse preferences written as learned with 400 naming source, and store every written one as stated', async () => {
      const guestId = await guestWithStay();
      const write = (source: string) =>
        h.http<Profile & { errors?: unknown }>('PUT', `/guests/${guestId}/preferences`, {
          token: admin(),
          reason,
          body: { preferences: [{ group: 'accessibility', values: ['wheelchair'] }], source },
        });
      const learned = await write('learned');
      expect(learned).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'source' })] },
      });
      const stated = await write('stated');
      expect(stated.status).toBe(200);
      expect(stated.body.preferences).toEqual([
        expect.objectContaining({ group: 'accessibility', value: 'wheelchair', source: 'stated' }),
      ]);
    });

    it('should record a consent as given to the acting staff member, with its capture channel apart, and log which consent', async () => {
      const guestId = await guestWithStay();
      const consent = (body: Record<string, unknown>) =>
        h.http<{
          consents: { purpose: string; channel: string; source: string; capturedVia: string | null }[];
        }>('POST', `/guests/${guestId}/consents`, {
          token: h.token(['front-desk'], ['*'], 'desk-7'),
          reason,
          body,
        });
      const forged = await consent({
        purpose: 'marketing',
        channel: 'email',
        granted: true,
        source: 'staff:ceo',
      });
      expect(forged).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'source' })] },
      });
      const withdrawn = await consent({
        purpose: 'surveys',
        channel: 'sms',
        granted: false,
        source: 'front-desk',
      });
      expect(withdrawn.status).toBe(201);
      expect(withdrawn.body.consents).toEqual([
        expect.objectContaining({
          purpose: 'surveys',
          channel: 'sms',
          source: 'staff:desk-7',
          capturedVia: 'front-desk',
        }),
      ]);
      const log = await h.http<{ items: { actor: string; action: string }[] }>(
        'GET',
        `/guests/${guestId}/access-log`,
        { token: admin() },
      );
      expect(log.body.items).toContainEqual(
        expect.objectContaining({ actor: 'desk-7', action: 'record-consent surveys/sms withdrawn' }),
      );
    });

    it('should refuse with 409 naming the field to replace a verified value without verifying the new one, and replace it when verified', async () => {
      const guestId = await guestWithStay();
      const patch = (body: Record<string, unknown>) =>
        h.http<{ code?: string; fields?: string[]; personal: { email: { value: string } } }>(
          'PATCH',
          `/guests/${guestId}/contacts`,
          { token: admin(), reason, body },
        );
      const confirmed = `confirmed.${Date.now()}@example.com`;
      expect((await patch({ email: confirmed, verified: ['email'] })).status).toBe(200);
      expect((await patch({ email: confirmed })).status).toBe(200);
      const unverified = await patch({ email: `other.${Date.now()}@example.com`, address: 'Damrak 9' });
      expect(unverified).toMatchObject({
        status: 409,
        body: {
          code: 'VERIFIED_VALUE_ON_FILE',
          fields: ['email'],
          message: expect.stringContaining('verified'),
        },
      });
      const corrected = `corrected.${Date.now()}@example.com`;
      const verified = await patch({ email: corrected, verified: ['email'] });
      expect(verified.status).toBe(200);
      expect(verified.body.personal.email.value).toBe(corrected);
    });
  });
});
