import { decrypt, unwrapDataKey } from '../src/domain/field-crypto';
import { DEV_PROFILES_MASTER_KEY } from '../src/config/profiles.config';
import { identity, ProfilesHarness } from './profiles-harness';

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

  async function guestWithStay() {
    const who = identity();
    const stay = h.stay(who);
    await h.sendStays([stay]);
    return { who, guestId: await h.guestOfReservation(stay.data.reservationId) };
  }

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
    const log = await h.http<{ action: string; reason: string; actor: string }[]>(
      'GET',
      `/guests/${guestId}/access-log`,
      { token: admin() },
    );
    expect(log.body).toContainEqual(
      expect.objectContaining({ action: 'export', reason: 'subject access request #42', actor: 'staff-1' }),
    );
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
    // A backup taken before erasure still holds the ciphertext, but the only key that opened it is gone.
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
