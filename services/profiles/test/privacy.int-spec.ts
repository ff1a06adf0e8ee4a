import { randomUUID } from 'node:crypto';
import { buildEvent, sampleEventData, type EventData } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { decrypt, encrypt, unwrapDataKey } from '../src/domain/field-crypto';
import { refreshIdentityKeys } from '../src/identity/refresh-identity-keys';
import { FullNameKeys1760000003700 } from '../src/migrations/1760000003700-full-name-keys';
import { FlattenMergeChains1760000002700 } from '../src/migrations/1760000002700-flatten-merge-chains';
import { MatchDecisionsByCandidate1760000003950 } from '../src/migrations/1760000003950-match-decisions-by-candidate';
import { EmailKeysInNfc1760000003300 } from '../src/migrations/1760000003300-email-keys-in-nfc';
import { NameKeysInEveryScript1760000003400 } from '../src/migrations/1760000003400-name-keys-in-every-script';
import {
  NameKeysWithoutVowelMarks1760000003500,
  withVowelMarks,
} from '../src/migrations/1760000003500-name-keys-without-vowel-marks';
import { evidenceOf } from '../src/identity/identity-evidence';
import { ACCESS_LOG_PAGE_SQL } from '../src/privacy/access-log-page';
import { PersonalDataCipher } from '../src/privacy/personal-data-cipher';
import { DEV_PROFILES_MASTER_KEY } from '../src/config/profiles.config';
import { identity, ProfilesHarness, sameGuest, type Identity } from './profiles-harness';

describe('profiles keeps personal data encrypted, exports it and erases it by crypto-shredding', () => {
  let h: ProfilesHarness;
  const master = Buffer.from(DEV_PROFILES_MASTER_KEY, 'base64');
  const admin = () => h.token(['chain-admin']);

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_privacy');
  });

  afterAll(async () => {
    await h.close();
  });

  async function guestWithStay(who = identity(), stays = 1) {
    const sent = Array.from({ length: stays }, () => h.stay(who));
    await h.sendStays(sent);
    return { who, guestId: await h.guestOfReservation(sent[0].data.reservationId) };
  }

  async function merge(survivor: string, merged: string): Promise<void> {
    const response = await h.http<{ survivorId: string }>('POST', '/merges', {
      token: admin(),
      body: { guestA: survivor, guestB: merged },
    });
    expect(response).toMatchObject({ status: 201, body: { survivorId: survivor, mergedId: merged } });
  }

  /** Each id's `merged_into`, in the order of `ids`. */
  const mergedIntoOf = async (ids: string[]) =>
    (
      await h.db.query<{ merged_into: string | null }>(
        `select g.merged_into from unnest($1::uuid[]) with ordinality as i(id, n) join guests g on g.id = i.id
         order by i.n`,
        [ids],
      )
    ).map((row) => row.merged_into);

  const rawRow = async (guestId: string) =>
    (
      await h.db.query<{ ciphertext: string }>(
        `select ciphertext from guest_personal_data where guest_id = $1 and field = 'email'`,
        [guestId],
      )
    )[0];
  const wrappedKey = async (guestId: string) =>
    (
      await h.db.query<{ wrapped_key: string }>('select wrapped_key from guest_keys where guest_id = $1', [
        guestId,
      ])
    )[0]?.wrapped_key;

  /** Runs a migration's `up` as the service runs it at start-up: in a transaction of its own. */
  async function migrate(migration: MigrationInterface): Promise<void> {
    const runner = h.service.app.get(DataSource).createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  }

  /** As a pod of the version before NFC email keys wrote it: the email on file, and its key, as typed. */
  async function keyEmailAsTyped(
    guestId: string,
    email: string,
    db: { query(sql: string, params: unknown[]): Promise<unknown> } = h.db,
  ): Promise<void> {
    const key = unwrapDataKey(master, await wrappedKey(guestId), guestId);
    await db.query(`update guest_personal_data set ciphertext = $2 where guest_id = $1 and field = 'email'`, [
      guestId,
      encrypt(key, email, `${guestId}:email`),
    ]);
    await db.query(`update guest_identities set reference = $2 where guest_id = $1 and source = 'email'`, [
      guestId,
      h.service.app.get(PersonalDataCipher).index('email', email),
    ]);
  }

  /** As a pod of the version before names lost their vowel marks keyed them. */
  async function keyNamesWithVowelMarks(guestId: string, who: Identity): Promise<void> {
    const nameKinds = ['family-name', 'name-dob', 'similar-name'];
    await h.db.query(`delete from guest_identities where guest_id = $1 and source = any($2::text[])`, [
      guestId,
      nameKinds,
    ]);
    const keys = evidenceOf(who, undefined, h.service.app.get(PersonalDataCipher), withVowelMarks).filter(
      (key) => nameKinds.includes(key.source),
    );
    expect(keys.length).toBeGreaterThan(0);
    await h.db.query(
      `insert into guest_identities (source, reference, guest_id)
       select source, reference, $3::uuid from unnest($1::text[], $2::text[]) as k (source, reference)`,
      [keys.map((key) => key.source), keys.map((key) => key.reference), guestId],
    );
  }

  it('should store names, email and phone only as ciphertext, readable with the guest key unwrapped by the master key', async () => {
    const { who, guestId } = await guestWithStay();
    const dump = JSON.stringify(
      await h.db.query('select * from guest_personal_data where guest_id = $1', [guestId]),
    );
    for (const plain of [who.email, who.phone, who.familyName, who.givenName as string])
      expect(dump).not.toContain(plain);
    const identities = JSON.stringify(
      await h.db.query('select * from guest_identities where guest_id = $1', [guestId]),
    );
    expect(identities).not.toContain(who.email);
    const key = unwrapDataKey(master, await wrappedKey(guestId), guestId);
    expect(decrypt(key, (await rawRow(guestId)).ciphertext, `${guestId}:email`)).toBe(who.email);
  });

  it('should keep per field the newest value: a later stay changes the phone, an earlier one does not, a repeat rewrites nothing', async () => {
    const who = identity();
    const phoneOf = async (guestId: string) => {
      const [row] = await h.db.query<{ ciphertext: string }>(
        `select ciphertext from guest_personal_data where guest_id = $1 and field = 'phone'`,
        [guestId],
      );
      const key = unwrapDataKey(master, await wrappedKey(guestId), guestId);
      return { phone: decrypt(key, row.ciphertext, `${guestId}:phone`), ciphertext: row.ciphertext };
    };
    const first = h.stay(who, { checkedOutAt: '2025-03-04T10:00:00Z' });
    await h.sendStays([first]);
    const guestId = await h.guestOfReservation(first.data.reservationId);

    const moved = { ...who, phone: '+31612000001' };
    await h.sendStays([h.stay(moved, { checkedOutAt: '2025-06-01T10:00:00Z' })]);
    await h.caughtUp('stay-completed');
    const afterMove = await phoneOf(guestId);
    expect(afterMove.phone).toBe('+31612000001');

    await h.sendStays([h.stay({ ...who, phone: '+31612000002' }, { checkedOutAt: '2025-01-01T10:00:00Z' })]);
    await h.sendStays([h.stay(moved, { checkedOutAt: '2025-09-01T10:00:00Z' })]);
    await h.caughtUp('stay-completed');
    expect(await phoneOf(guestId)).toEqual(afterMove);
  });

  it('should export everything held as JSON and log the read with its reason', async () => {
    const { who, guestId } = await guestWithStay();
    const refused = await h.http('GET', `/guests/${guestId}/export`, { token: admin() });
    expect(refused).toMatchObject({ status: 400, body: { code: 'ACCESS_REASON_REQUIRED' } });
    const exported = await h.http<{ profile: { personal: { email: { value: string } } }; stays: unknown[] }>(
      'GET',
      `/guests/${guestId}/export`,
      {
        token: admin(),
        reason: 'subject access request #42',
      },
    );
    expect(exported.status).toBe(200);
    expect(exported.body.profile.personal.email.value).toBe(who.email);
    expect(exported.body.stays).toHaveLength(1);
    const log = await h.http<{ items: { action: string; reason: string; actor: string }[] }>(
      'GET',
      `/guests/${guestId}/access-log`,
      { token: admin() },
    );
    expect(log.body.items).toContainEqual(
      expect.objectContaining({ action: 'export', reason: 'subject access request #42', actor: 'staff-1' }),
    );
  });

  it('should export the decisions and reads logged of every profile merged into the guest', async () => {
    const survivor = await guestWithStay(identity({ loyaltyNumber: 'LXEXP0001' }));
    const merged = await guestWithStay();
    const read = await h.http('GET', `/guests/${merged.guestId}`, {
      token: admin(),
      reason: 'front desk check',
    });
    expect(read.status).toBe(200);
    await merge(survivor.guestId, merged.guestId);
    const exported = await h.http<{ matchDecisions: { outcome: string }[]; accessLog: { reason: string }[] }>(
      'GET',
      `/guests/${survivor.guestId}/export`,
      { token: admin(), reason: 'subject access request #43' },
    );
    expect(exported.status).toBe(200);
    // Each profile was created by its own stay.
    expect(exported.body.matchDecisions.filter((d) => d.outcome === 'created')).toHaveLength(2);
    expect(exported.body.accessLog).toContainEqual(expect.objectContaining({ reason: 'front desk check' }));
  });

  it("should export to both guests of a pair staff declared not the same person that decision, without the other's id", async () => {
    const pair = [(await guestWithStay()).guestId, (await guestWithStay()).guestId];
    const declared = await h.http('POST', '/not-same-person', {
      token: admin(),
      body: { guestA: pair[0], guestB: pair[1] },
    });
    expect(declared.status).toBe(204);
    for (const [guestId, other] of [pair, [...pair].reverse()]) {
      const exported = await h.http<{ matchDecisions: { outcome: string }[] }>(
        'GET',
        `/guests/${guestId}/export`,
        { token: admin(), reason: 'subject access request #45' },
      );
      expect(exported.body.matchDecisions.map((d) => d.outcome).sort()).toEqual(['created', 'not-same']);
      expect(JSON.stringify(exported.body.matchDecisions)).not.toContain(other);
    }
  });

  it('should revert the index of decisions by candidate in a transaction, as TypeORM reverts a migration', async () => {
    const runner = h.service.app.get(DataSource).createQueryRunner();
    await runner.startTransaction();
    try {
      await new MatchDecisionsByCandidate1760000003950().down(runner);
      expect(
        await runner.query(
          `select count(*)::int as n from pg_class where relname = 'match_decisions_candidate'`,
        ),
      ).toEqual([{ n: 0 }]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('should export a guest named by its upper-cased id as by its id (Postgres hands uuids back lower-case)', async () => {
    const { who, guestId } = await guestWithStay();
    // Each export logs itself, so the answers differ in when they were made and in the log they carry.
    const exportOf = async (id: string) => {
      const { status, body } = await h.http<Record<string, unknown>>('GET', `/guests/${id}/export`, {
        token: admin(),
        reason: 'subject access request #44',
      });
      return { status, body: { ...body, exportedAt: undefined, accessLog: undefined } };
    };
    const lower = await exportOf(guestId);
    expect(lower).toMatchObject({
      status: 200,
      body: { profile: { personal: { email: { value: who.email } } } },
    });
    expect(await exportOf(guestId.toUpperCase())).toEqual(lower);
  });

  it('should page the access log oldest first by a cursor, every row once, and refuse a made-up cursor', async () => {
    const guestId = randomUUID();
    await h.db.query(
      `insert into access_log (guest_id, actor, roles, action, reason)
       select $1, 'staff-1', '{front-desk}', 'read', 'reason ' || n from generate_series(1, 7) as n`,
      [guestId],
    );
    const pages: { reasons: string[]; nextCursor: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=3&cursor=${cursor}` : 'limit=3';
      const page = await h.http<{ items: { reason: string }[]; nextCursor: string | null }>(
        'GET',
        `/guests/${guestId}/access-log?${query}`,
        { token: admin() },
      );
      expect(page.status).toBe(200);
      pages.push({ reasons: page.body.items.map((item) => item.reason), nextCursor: page.body.nextCursor });
      cursor = page.body.nextCursor;
    } while (cursor && pages.length < 5);
    const inIdOrder = (
      await h.db.query<{ reason: string }>('select reason from access_log where guest_id = $1 order by id', [
        guestId,
      ])
    ).map((row) => row.reason);
    expect(inIdOrder).toHaveLength(7);
    expect(pages).toEqual([
      { reasons: inIdOrder.slice(0, 3), nextCursor: expect.any(String) },
      { reasons: inIdOrder.slice(3, 6), nextCursor: expect.any(String) },
      { reasons: inIdOrder.slice(6), nextCursor: null },
    ]);
    const madeUp = await h.http('GET', `/guests/${guestId}/access-log?cursor=not-a-cursor&limit=501`, {
      token: admin(),
    });
    expect(madeUp).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [
          { path: 'limit', reason: 'limit must not be greater than 500' },
          { path: 'cursor', reason: 'cursor is not a nextCursor from this access log' },
        ],
      },
    });
  });

  it("should read a page of a guest's access log, the first or one after a cursor, in index order without sorting", async () => {
    for (const after of [null, '12'])
      expect(await h.db.planOf(ACCESS_LOG_PAGE_SQL, [randomUUID(), after, 101])).toEqual({
        indexes: ['access_log_guest_in_order'],
        sorts: false,
      });
  });

  it("should export the guest's complaints, closed ones included, and the adjustments of the guest's stays", async () => {
    const who = identity();
    const stay = h.stay(who);
    await h.sendStays([stay]);
    const guestId = await h.guestOfReservation(stay.data.reservationId);
    const complaintId = randomUUID();
    await h.db.query(
      `insert into open_complaints (complaint_id, guest_id, property_id, severity, category, opened_at, closed_at)
       values ($1, $2, $3, 'high', 'noise', now() - interval '2 days', now() - interval '1 day')`,
      [complaintId, guestId, stay.data.propertyId],
    );
    await h.db.query(
      `insert into stay_adjustments (adjustment_key, property_id, reservation_id, program_revenue_delta_minor,
         adjusted_at, applied_at)
       values ($1, $2, $3, -1500, now(), now())`,
      [`${stay.data.propertyId}/${randomUUID()}`, stay.data.propertyId, stay.data.reservationId],
    );
    const exported = await h.http<{ complaints: unknown[]; stayAdjustments: unknown[] }>(
      'GET',
      `/guests/${guestId}/export`,
      { token: admin(), reason: 'subject access request #43' },
    );
    expect(exported.status).toBe(200);
    expect(exported.body.complaints).toEqual([
      expect.objectContaining({
        complaint_id: complaintId,
        severity: 'high',
        category: 'noise',
        reopened_at: null,
      }),
    ]);
    expect(exported.body.complaints[0]).toHaveProperty('closed_at', expect.any(String));
    expect(exported.body.stayAdjustments).toEqual([
      expect.objectContaining({
        reservation_id: stay.data.reservationId,
        program_revenue_delta_minor: '-1500',
      }),
    ]);
  });

  it('should refuse a property-scoped token an export as for a guest of another property when the id is unknown', async () => {
    const { guestId } = await guestWithStay(); // at AMS01
    const exported = (id: string, token: string) =>
      h.http('GET', `/guests/${id}/export`, { token, reason: 'subject access request' });
    const outsider = h.token(['property-manager'], ['LON02']);
    const outside = await exported(guestId, outsider);
    expect(outside).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });
    expect(await exported(randomUUID(), outsider)).toEqual(outside);
    expect(await exported(randomUUID(), admin())).toMatchObject({
      status: 404,
      body: { code: 'GUEST_NOT_FOUND' },
    });
  });

  it('should make the data unreadable even with the master key after erasure, publish guest-erased and refuse merges', async () => {
    const { guestId } = await guestWithStay();
    const before = await rawRow(guestId);
    const wrapped = await wrappedKey(guestId);

    const erased = await h.http('POST', `/guests/${guestId}/erasure`, {
      token: admin(),
      body: { reason: 'guest-request' },
    });
    expect(erased.status).toBe(201);
    expect(await wrappedKey(guestId)).toBeUndefined();
    expect(await rawRow(guestId)).toBeUndefined();
    // The ciphertext read before the erasure no longer opens: the only key that did is gone from the database.
    expect(before.ciphertext).toBeDefined();
    expect(wrapped).toBeDefined();
    const [{ n }] = await h.db.query<{ n: string }>(
      'select count(*) as n from guest_keys where guest_id = $1',
      [guestId],
    );
    expect(n).toBe('0');
    expect(() => decrypt(master, before.ciphertext, `${guestId}:email`)).toThrow();

    const [event] = await h.probe.awaitRecords(
      h.topic('guest-erased'),
      1,
      (r) => r.json<{ subject: string }>().subject === guestId,
    );
    expect(event.json<{ data: unknown }>().data).toMatchObject({ guestId, reason: 'guest-request' });

    const other = await guestWithStay();
    const merge = await h.http('POST', '/merges', {
      token: admin(),
      body: { guestA: guestId, guestB: other.guestId },
    });
    expect(merge).toMatchObject({ status: 409, body: { code: 'GUEST_ERASED' } });

    const profile = await h.http<{ status: string; personal: object }>('GET', `/guests/${guestId}`, {
      token: admin(),
      reason: 'check',
    });
    expect(profile.body).toMatchObject({ status: 'erased', personal: {} });
  });

  it('should merge by staff request, keep every stay and publish guest-merged', async () => {
    const [a, b] = [await guestWithStay(), await guestWithStay()];
    const merged = await h.http<{ survivorId: string; mergedId: string }>('POST', '/merges', {
      token: h.token(['property-manager']),
      body: { guestA: a.guestId, guestB: b.guestId },
    });
    expect(merged.status).toBe(201);
    const [event] = await h.probe.awaitRecords(
      h.topic('guest-merged'),
      1,
      (r) => r.json<{ subject: string }>().subject === merged.body.survivorId,
    );
    expect(event.json<{ data: unknown }>().data).toMatchObject({ ...merged.body, rule: 'manual' });
    const [{ n }] = await h.db.query<{ n: string }>('select count(*) as n from stays where guest_id = $1', [
      merged.body.survivorId,
    ]);
    expect(n).toBe('2');
    const again = await h.http('POST', '/merges', {
      token: admin(),
      body: { guestA: a.guestId, guestB: b.guestId },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'GUEST_ALREADY_MERGED' } });
  });

  it("should replace the survivor's learned preference with the merged profile's stated one when merging", async () => {
    const survivor = await guestWithStay(identity({ loyaltyNumber: 'LXPRF0001' }));
    const merged = await guestWithStay();
    // Learned as stays teach it: staff can only state a preference.
    await h.db.query(
      `insert into guest_preferences (guest_id, grp, value, source, recorded_at) values ($1, 'bed', 'king', 'learned', now())`,
      [survivor.guestId],
    );
    const stated = await h.http('PUT', `/guests/${merged.guestId}/preferences`, {
      token: admin(),
      reason: 'guest request',
      body: { preferences: [{ group: 'bed', values: ['twin'] }] },
    });
    expect(stated.status).toBe(200);

    await merge(survivor.guestId, merged.guestId);
    expect(
      await h.db.query('select grp, value, source from guest_preferences where guest_id = $1', [
        survivor.guestId,
      ]),
    ).toEqual([{ grp: 'bed', value: 'twin', source: 'stated' }]);
  });

  it("should hold both profiles' stated preferences after a merge, and of a one-value group the more recently stated", async () => {
    const survivor = await guestWithStay(identity({ loyaltyNumber: 'LXPRF0002' }));
    const merged = await guestWithStay();
    const state = async (guestId: string, preferences: { group: string; values: string[] }[]) =>
      expect(
        (
          await h.http('PUT', `/guests/${guestId}/preferences`, {
            token: admin(),
            reason: 'guest request',
            body: { preferences },
          })
        ).status,
      ).toBe(200);
    await state(survivor.guestId, [
      { group: 'dietary', values: ['vegetarian'] },
      { group: 'smoking', values: ['smoking'] },
    ]);
    await state(merged.guestId, [
      { group: 'dietary', values: ['nut-allergy'] },
      { group: 'accessibility', values: ['wheelchair'] },
      { group: 'smoking', values: ['non-smoking'] },
    ]);
    // The survivor said it years ago, the merged profile lately.
    const statedIn = (guestId: string, at: string) =>
      h.db.query(`update guest_preferences set recorded_at = $2 where guest_id = $1 and grp = 'smoking'`, [
        guestId,
        at,
      ]);
    await statedIn(survivor.guestId, '2019-05-01T00:00:00Z');
    await statedIn(merged.guestId, '2024-05-01T00:00:00Z');

    await merge(survivor.guestId, merged.guestId);
    const held = (guestId: string) =>
      h.db.query('select grp, value, source from guest_preferences where guest_id = $1 order by grp, value', [
        guestId,
      ]);
    expect(await held(survivor.guestId)).toEqual([
      { grp: 'accessibility', value: 'wheelchair', source: 'stated' },
      { grp: 'dietary', value: 'nut-allergy', source: 'stated' },
      { grp: 'dietary', value: 'vegetarian', source: 'stated' },
      { grp: 'smoking', value: 'non-smoking', source: 'stated' },
    ]);
    expect(await held(merged.guestId)).toEqual([]);
  });

  it('should not bring an erased guest back from a reservation resent under a new event id, or booked late after its stay', async () => {
    const booking = (guest: Identity, data: Partial<EventData<'reservation-created'>> = {}) => {
      const event = {
        ...sampleEventData('reservation-created'),
        reservationId: `R-${randomUUID().slice(0, 8)}`,
        arrival: '2031-06-01',
        departure: '2031-06-03',
        guest,
        ...data,
      };
      return buildEvent('reservation-created', event, { source: 'crs/test', propertyId: event.propertyId });
    };
    const sendBookings = (events: ReturnType<typeof booking>[]) => h.send('reservation-created', events);
    const bookedUnder = (reservationId: string) =>
      waitUntil(`reservation ${reservationId} booked`, async () => {
        const rows = await h.db.query<{ guest_id: string | null }>(
          'select guest_id from reservations where reservation_id = $1',
          [reservationId],
        );
        return rows[0]?.guest_id ?? undefined;
      });
    const booker = identity({ loyaltyNumber: 'LXRSV0001' });
    const first = booking(booker);
    await sendBookings([first]);
    const bookerId = await bookedUnder(first.data.reservationId);
    const stayer = identity({ loyaltyNumber: 'LXRSV0002' });
    const stay = h.stay(stayer);
    await h.sendStays([stay]);
    const stayerId = await h.guestOfReservation(stay.data.reservationId);
    for (const guestId of [bookerId, stayerId]) {
      const erased = await h.http('POST', `/guests/${guestId}/erasure`, {
        token: admin(),
        body: { reason: 'guest-request' },
      });
      expect(erased.status).toBe(201);
    }
    const registeredAs = async (loyaltyNumber: string) =>
      (
        await h.db.query<{ n: string }>(
          `select count(*) as n from messaging_outbox where event_type = 'guest-registered'
           and payload->'data'->'attributes'->>'loyaltyNumber' = $1`,
          [loyaltyNumber],
        )
      )[0].n;
    const held = async () =>
      h.db.query(
        `select (select count(*) from guests) as guests, (select count(*) from guest_personal_data) as personal,
                (select count(*) from guest_identities) as identities`,
      );
    const before = await held();
    expect([await registeredAs('LXRSV0001'), await registeredAs('LXRSV0002')]).toEqual(['1', '1']);

    await sendBookings([
      buildEvent('reservation-created', first.data, {
        source: 'crs/test',
        propertyId: first.data.propertyId,
      }),
      booking(stayer, {
        propertyId: stay.data.propertyId,
        reservationId: stay.data.reservationId,
        arrival: stay.data.arrival,
        departure: stay.data.departure,
      }),
    ]);
    await h.caughtUp('reservation-created');
    expect(await held()).toEqual(before);
    expect([await registeredAs('LXRSV0001'), await registeredAs('LXRSV0002')]).toEqual(['1', '1']);
    for (const email of [booker.email, stayer.email]) {
      const found = await h.http<{ total: number }>('GET', `/guests?email=${encodeURIComponent(email)}`, {
        token: admin(),
        reason: 'erasure check',
      });
      expect(found).toMatchObject({ status: 200, body: { total: 0 } });
    }
    // The late booking is kept under the stay's (erased, opaque) guest, as it would have been before erasure.
    expect(await bookedUnder(first.data.reservationId)).toBe(bookerId);
    expect(await bookedUnder(stay.data.reservationId)).toBe(stayerId);
  });

  it('should keep a stay checked out before its guest was erased, handled after, under the erased guest who booked it', async () => {
    const booker = identity({ loyaltyNumber: 'LXRSV0003' });
    const bookingOf = (reservationId: string) =>
      buildEvent(
        'reservation-created',
        {
          ...sampleEventData('reservation-created'),
          propertyId: 'AMS01',
          reservationId,
          arrival: '2026-11-01',
          departure: '2026-11-03',
          guest: booker,
        },
        { source: 'crs/test', propertyId: 'AMS01' },
      );
    const [before, after] = [`R-${randomUUID().slice(0, 8)}`, `R-${randomUUID().slice(0, 8)}`];
    await h.send('reservation-created', [bookingOf(before), bookingOf(after)]);
    await h.caughtUp('reservation-created');
    const [{ guest_id: bookerId }] = await h.db.query<{ guest_id: string }>(
      'select guest_id from reservations where reservation_id = $1',
      [before],
    );
    const erased = await h.http('POST', `/guests/${bookerId}/erasure`, {
      token: admin(),
      body: { reason: 'guest-request' },
    });
    expect(erased.status).toBe(201);
    const guestsBefore = (await h.db.query<{ n: string }>('select count(*) as n from guests'))[0].n;

    // A night batch sends the stay the guest checked out of before the erasure, and one checked out since.
    const stayStamped = (reservationId: string, checkedOutAt: string) =>
      h.stay(booker, {
        propertyId: 'AMS01',
        reservationId,
        arrival: '2026-11-01',
        departure: '2026-11-03',
        nights: 2,
        checkedOutAt,
      });
    await h.sendStays([
      stayStamped(before, '2026-11-03T10:00:00Z'),
      stayStamped(after, new Date().toISOString()),
    ]);

    expect(await h.guestOfReservation(before)).toBe(bookerId);
    const returned = await h.guestOfReservation(after);
    expect(returned).not.toBe(bookerId);
    // Only the stay checked out after the erasure made a profile: the guest came back as new business.
    expect((await h.db.query<{ n: string }>('select count(*) as n from guests'))[0].n).toBe(
      String(Number(guestsBefore) + 1),
    );
    const [recorded] = await h.probe.awaitRecords(
      h.topic('stay-recorded'),
      1,
      (r) => r.json<{ data: { reservationId: string } }>().data.reservationId === before,
    );
    expect(recorded.json<{ data: { guestId: string } }>().data.guestId).toBe(bookerId);
    expect(
      await h.db.query('select count(*)::int as n from guest_personal_data where guest_id = $1', [bookerId]),
    ).toEqual([{ n: 0 }]);
  });

  it('should clear the country and language of every profile merged into a guest, through every hop, when the guest is erased', async () => {
    const survivor = await guestWithStay(identity({ loyaltyNumber: 'LXERA0001' }));
    const middle = await guestWithStay(identity(), 2);
    const first = await guestWithStay();
    await merge(middle.guestId, first.guestId);
    await merge(survivor.guestId, middle.guestId);
    const fieldsOf = (ids: string[]) =>
      h.db.query<{ country_code: string | null; preferred_language: string | null }>(
        'select country_code, preferred_language from guests where id = any($1::uuid[])',
        [ids],
      );
    const cleared = { country_code: null, preferred_language: null };
    const mergedAway = [middle.guestId, first.guestId];
    // The survivor took them over at the merge.
    expect(await fieldsOf(mergedAway)).toEqual([cleared, cleared]);
    // The second merge pointed the first's merged id on at the final survivor.
    expect(await mergedIntoOf(mergedAway)).toEqual([survivor.guestId, survivor.guestId]);

    // As profiles merged before merging cleared them still have them.
    await h.db.query(
      `update guests set country_code = 'NL', preferred_language = 'nl-NL' where id = any($1::uuid[])`,
      [mergedAway],
    );
    const erased = await h.http('POST', `/guests/${survivor.guestId}/erasure`, {
      token: admin(),
      body: { reason: 'guest-request' },
    });
    expect(erased.status).toBe(201);
    expect(await fieldsOf(mergedAway)).toEqual([cleared, cleared]);
    const view = await h.http<{ countryCode: string | null; preferredLanguage: string | null }>(
      'GET',
      `/guests/${first.guestId}`,
      { token: admin(), reason: 'erasure check' },
    );
    expect(view.body).toMatchObject({ countryCode: null, preferredLanguage: null });
  });

  it('should point every merged id at its final survivor when migrating merge chains left by earlier merges', async () => {
    const [survivor, middle, first] = await Promise.all([guestWithStay(), guestWithStay(), guestWithStay()]);
    const chain = [
      [first.guestId, middle.guestId],
      [middle.guestId, survivor.guestId],
    ];
    for (const [id, into] of chain)
      await h.db.query(`update guests set status = 'merged', merged_into = $2 where id = $1`, [id, into]);

    await new FlattenMergeChains1760000002700().up(h.db as unknown as QueryRunner);
    expect(await mergedIntoOf([middle.guestId, first.guestId, survivor.guestId])).toEqual([
      survivor.guestId,
      survivor.guestId,
      null,
    ]);
  });

  it('should re-key an email on file typed with decomposed accents, so that a stay bearing it finds the guest again', async () => {
    const who = identity();
    const decomposed = `jose\u0301.${who.email}`;
    const { guestId } = await guestWithStay({ ...who, email: decomposed });
    await keyEmailAsTyped(guestId, decomposed);

    await migrate(new EmailKeysInNfc1760000003300());
    const again = h.stay(sameGuest(who, { email: decomposed }));
    await h.sendStays([again]);
    expect(await h.guestOfReservation(again.data.reservationId)).toBe(guestId);
  });

  it('should re-key the names on file in their new normal form, so that stays bearing them find the guests again', async () => {
    const cipher = h.service.app.get(PersonalDataCipher);
    const strauss = await guestWithStay(identity({ givenName: 'Jürgen', familyName: 'Strauß' }));
    const ivanova = await guestWithStay(identity({ givenName: 'Анна', familyName: 'Иванова' }));
    const dated = await h.http('PATCH', `/guests/${strauss.guestId}/contacts`, {
      token: admin(),
      reason: 'guest showed their passport',
      body: { dateOfBirth: '1970-01-02' },
    });
    expect(dated.status).toBe(200);
    const guestIds = [strauss.guestId, ivanova.guestId];
    // As earlier code keyed them: `Strauß` as `strau` (Soundex S360; `Jürgen` is J625), `Иванова` not at all.
    await h.db.query(
      `delete from guest_identities
       where guest_id = any($1::uuid[]) and source in ('family-name', 'name-dob', 'similar-name')`,
      [guestIds],
    );
    const earlierKeys = [
      ['family-name', 'strau'],
      ['name-dob', 'jurgen strau 1970-01-02'],
      ['similar-name', 'J625 S360'],
    ];
    await h.db.query(
      `insert into guest_identities (source, reference, guest_id)
       select source, reference, $3::uuid from unnest($1::text[], $2::text[]) as k (source, reference)`,
      [
        earlierKeys.map(([source]) => source),
        earlierKeys.map(([source, normalised]) => cipher.index(source, normalised)),
        strauss.guestId,
      ],
    );

    await migrate(new NameKeysInEveryScript1760000003400());
    const nameKeys = await h.db.query<{ guest_id: string; source: string; reference: string }>(
      `select guest_id, source, reference from guest_identities
       where guest_id = any($1::uuid[]) and source in ('family-name', 'name-dob', 'similar-name')`,
      [guestIds],
    );
    const keyed = (guestId: string, source: string, normalised: string) => ({
      guest_id: guestId,
      source,
      reference: cipher.index(source, normalised),
    });
    expect(nameKeys).toHaveLength(5);
    expect(nameKeys).toEqual(
      expect.arrayContaining([
        keyed(strauss.guestId, 'family-name', 'strauss'),
        keyed(strauss.guestId, 'name-dob', 'jurgen strauss 1970-01-02'),
        keyed(strauss.guestId, 'similar-name', 'J625 S362'),
        keyed(ivanova.guestId, 'family-name', 'иванова'),
        keyed(ivanova.guestId, 'similar-name', 'анна иванова'),
      ]),
    );
    // The phone and the given and family name only: the same-phone rule.
    const again = [
      h.stay(identity({ phone: strauss.who.phone, givenName: 'JÜRGEN', familyName: 'STRAUSS' })),
      h.stay(identity({ phone: ivanova.who.phone, givenName: 'АННА', familyName: 'ИВАНОВА' })),
    ];
    await h.sendStays(again);
    expect(await Promise.all(again.map((stay) => h.guestOfReservation(stay.data.reservationId)))).toEqual(
      guestIds,
    );
  });

  it('should re-key names on file written with Arabic or Hebrew vowel marks, so that a stay bearing them unvocalised finds the guest again', async () => {
    const arabic = await guestWithStay(identity({ givenName: 'مُحَمَّد', familyName: 'الحَسَن' }));
    const hebrew = await guestWithStay(identity({ givenName: 'יִצְחָק', familyName: 'כֹּהֵן' }));
    await keyNamesWithVowelMarks(arabic.guestId, arabic.who);
    await keyNamesWithVowelMarks(hebrew.guestId, hebrew.who);

    await migrate(new NameKeysWithoutVowelMarks1760000003500());
    // The phone and the given and family name only: the same-phone rule.
    const again = [
      h.stay(identity({ phone: arabic.who.phone, givenName: 'محمد', familyName: 'الحسن' })),
      h.stay(identity({ phone: hebrew.who.phone, givenName: 'יצחק', familyName: 'כהן' })),
    ];
    await h.sendStays(again);
    expect(await Promise.all(again.map((stay) => h.guestOfReservation(stay.data.reservationId)))).toEqual([
      arabic.guestId,
      hebrew.guestId,
    ]);
  });

  it('should give the guests on file their full-name key, so that another of their family with their email is not taken for them', async () => {
    const { who, guestId } = await guestWithStay();
    // As earlier code left the guest: no full-name key, so only the family name could be compared.
    await h.db.query(`delete from guest_identities where guest_id = $1 and source = 'full-name'`, [guestId]);

    await migrate(new FullNameKeys1760000003700());
    const relative = h.stay(identity({ givenName: 'Otto', familyName: who.familyName, email: who.email }));
    await h.sendStays([relative]);
    expect(await h.guestOfReservation(relative.data.reservationId)).not.toBe(guestId);
    const again = h.stay(sameGuest(who, { email: who.email }));
    await h.sendStays([again]);
    expect(await h.guestOfReservation(again.data.reservationId)).toBe(guestId);
  });

  it('should re-key, once every pod runs this version, the keys that pods of the earlier one wrote during the rollout, and move nothing when run again', async () => {
    const who = identity();
    const decomposed = `rene\u0301.${who.email}`;
    const { guestId } = await guestWithStay({ ...who, email: decomposed });
    await keyEmailAsTyped(guestId, decomposed);
    const vocalised = await guestWithStay(identity({ givenName: 'عُمَر', familyName: 'الخَطِيب' }));
    await keyNamesWithVowelMarks(vocalised.guestId, vocalised.who);
    const dataSource = h.service.app.get(DataSource);

    expect(await refreshIdentityKeys(dataSource)).toEqual({
      emailsAsTyped: 1,
      namesInLatinLettersOnly: 0,
      namesWithVowelMarks: 1,
      fullNamesMissing: 0,
    });
    const again = [
      h.stay(sameGuest(who, { email: decomposed })),
      h.stay(identity({ phone: vocalised.who.phone, givenName: 'عمر', familyName: 'الخطيب' })),
    ];
    await h.sendStays(again);
    expect(await Promise.all(again.map((stay) => h.guestOfReservation(stay.data.reservationId)))).toEqual([
      guestId,
      vocalised.guestId,
    ]);
    expect(await refreshIdentityKeys(dataSource)).toEqual({
      emailsAsTyped: 0,
      namesInLatinLettersOnly: 0,
      namesWithVowelMarks: 0,
      fullNamesMissing: 0,
    });
  });

  it('should wait, beside the running service, for a change in flight on a guest before reading the data it re-keys', async () => {
    const who = identity();
    const { guestId } = await guestWithStay(who);
    const decomposed = `zoe\u0308.${who.email}`;
    // A change in flight, which has locked its guest as a staff change or a merge does.
    const change = new Client({ connectionString: h.db.url });
    await change.connect();
    try {
      await change.query('begin');
      await change.query('select 1 from guests where id = $1 for update', [guestId]);
      const refreshed = refreshIdentityKeys(h.service.app.get(DataSource));
      await waitUntil('the refresh waits for the guest', async () => {
        const waiting = await h.db.query(
          `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%order by id for share'`,
        );
        return waiting.length > 0;
      });
      await keyEmailAsTyped(guestId, decomposed, change);
      await change.query('commit');

      expect(await refreshed).toMatchObject({ emailsAsTyped: 1 });
    } finally {
      await change.end();
    }
    const again = h.stay(sameGuest(who, { email: decomposed }));
    await h.sendStays([again]);
    expect(await h.guestOfReservation(again.data.reservationId)).toBe(guestId);
  });

  it('should publish only opaque guest ids: no plaintext email, phone or name in any event profiles sent', async () => {
    const { who } = await guestWithStay();
    await h.caughtUp('stay-completed');
    const outbox = JSON.stringify(await h.db.query('select * from messaging_outbox'));
    const published = ['stay-recorded', 'guest-merged', 'guest-erased', 'guest-registered', 'guest-updated']
      .flatMap((t) => h.probe.seen(h.topic(t)))
      .map((r) => `${r.key ?? ''} ${r.value?.toString() ?? ''} ${JSON.stringify(r.headers)}`)
      .join('\n');
    expect(published).toContain('stay-recorded');
    for (const text of [outbox, published]) {
      for (const plain of [who.email, who.phone, who.familyName, who.givenName as string])
        expect(text).not.toContain(plain);
    }
  });
});
