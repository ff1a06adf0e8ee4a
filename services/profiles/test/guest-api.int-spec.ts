import { randomUUID } from 'node:crypto';
import { buildEvent, sampleEventData, type EventData } from '@loyalty/contracts';
import Redis from 'ioredis';
import { testInfrastructure, waitUntil } from '@loyalty/testing';
import { DataSource, type QueryRunner } from 'typeorm';
import { scoreRfm } from '../src/domain/rfm';
import { MergeService } from '../src/identity/merge.service';
import { SegmentsService } from '../src/insights/segments.service';
import { identity, ProfilesHarness } from './profiles-harness';

interface Profile {
  cached: boolean;
  personal: Record<string, { value: string; verified: boolean } | undefined>;
  preferences: { group: string; value: string; source: string }[];
  consents: { purpose: string; channel: string; granted: boolean }[];
  tier: string | null;
  lastSurveyScore: number | null;
  openComplaints: unknown[];
  history: { stays: number; nights: number; revenueMinor: number; favouriteProperty: string };
  rfm: { segment: string } | null;
}

describe('profiles HTTP API: profile, search, updates, scoping, cache, arrivals and the 360° view', () => {
  let h: ProfilesHarness;
  const admin = () => h.token(['chain-admin']);
  const frontDesk = (properties: string[]) => h.token(['front-desk'], properties);

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_api');
  });

  afterAll(async () => {
    await h.close();
  });

  async function guestAt(propertyId: string) {
    const who = identity();
    const stay = h.stay(who, { propertyId });
    await h.sendStays([stay]);
    return { who, guestId: await h.guestOfReservation(stay.data.reservationId) };
  }

  const profile = (guestId: string, token = admin()) =>
    h.http<Profile>('GET', `/guests/${guestId}`, { token, reason: 'test' });

  it('should serve the profile from Redis after the first read and drop it when the profile changes', async () => {
    const { guestId, who } = await guestAt('AMS01');
    expect((await profile(guestId)).body.cached).toBe(false);
    expect((await profile(guestId)).body.cached).toBe(true);
    // The cached view is sealed with the guest's data key: Redis holds no plaintext personal data.
    const redis = new Redis(testInfrastructure().redisUrl);
    const raw = await redis.get(`${h.prefix}profiles:view:${guestId}`);
    await redis.quit();
    expect(raw).toMatch(/^sealed:/);
    expect(raw).not.toContain(who.email);

    const contacts = { email: 'Verified.New@Example.com', verified: ['email'], dateOfBirth: '1985-04-12' };
    // The answer is the changed profile, personal data included: changing needs a reason, as reading does.
    const unexplained = await h.http('PATCH', `/guests/${guestId}/contacts`, {
      token: admin(),
      body: contacts,
    });
    expect(unexplained).toMatchObject({ status: 400, body: { code: 'ACCESS_REASON_REQUIRED' } });
    const updated = await h.http('PATCH', `/guests/${guestId}/contacts`, {
      token: admin(),
      reason: 'guest gave a new email at check-in',
      body: contacts,
    });
    expect(updated.status).toBe(200);
    const log = await h.db.query<{ action: string; reason: string }>(
      `select action, reason from access_log where guest_id = $1 and action = 'update-contacts'`,
      [guestId],
    );
    expect(log).toEqual([{ action: 'update-contacts', reason: 'guest gave a new email at check-in' }]);
    const after = await profile(guestId);
    expect(after.body.cached).toBe(false);
    expect(after.body.personal.email).toMatchObject({ value: 'verified.new@example.com', verified: true });
  });

  it('should not serve a cached profile after a change that committed with an earlier time than the latest', async () => {
    const { guestId } = await guestAt('AMS01');
    await h.db.query(`update guests set updated_at = '2030-01-01T00:00:00Z' where id = $1`, [guestId]);
    await h.db.query(
      `insert into guest_facts (guest_id, points_balance, points_as_of, updated_at)
       values ($1, 100, now(), '2029-01-01T00:00:00Z')
       on conflict (guest_id) do update set points_balance = 100, updated_at = excluded.updated_at`,
      [guestId],
    );
    await profile(guestId);
    expect((await profile(guestId)).body).toMatchObject({ cached: true, pointsBalance: 100 });
    // A ledger transaction that started before the guest row's change and committed after it (time stamps
    // are the transactions' start times): the facts' time changes but stays below the guest row's.
    await h.db.query(
      `update guest_facts set points_balance = 250, updated_at = '2029-06-01T00:00:00Z' where guest_id = $1`,
      [guestId],
    );
    expect((await profile(guestId)).body).toMatchObject({ cached: false, pointsBalance: 250 });
  });

  it('should announce a phone staff add for a guest who had none, and not an email that replaces one', async () => {
    const stay = h.stay(identity({ phone: undefined }), { propertyId: 'AMS01' });
    await h.sendStays([stay]);
    const guestId = await h.guestOfReservation(stay.data.reservationId);
    const change = (body: object) =>
      h.http('PATCH', `/guests/${guestId}/contacts`, { token: admin(), reason: 'check-in', body });
    expect((await change({ email: 'another.address@example.com' })).status).toBe(200);
    expect((await change({ phone: '+31 6 1234 5678' })).status).toBe(200);
    const updates = await h.probe.awaitRecords(
      h.topic('guest-updated'),
      1,
      (r) => r.json<{ subject: string }>().subject === guestId,
    );
    // Published in commit order: had the email been announced, it would have come first.
    expect(updates[0].json<{ data: { changes: unknown } }>().data.changes).toEqual({ phoneOnFile: true });
  });

  it('should document the access reason as required where personal data is answered, and search terms as optional', async () => {
    type Parameter = { name: string; in: string; required?: boolean };
    const docs = await h.http<{ paths: Record<string, Record<string, { parameters: Parameter[] }>> }>(
      'GET',
      '/docs-json',
    );
    const parameters = (path: string, method: string) =>
      Object.fromEntries(docs.body.paths[path][method].parameters.map((p) => [p.name, !!p.required]));
    expect(parameters('/guests', 'get')).toMatchObject({
      'X-Access-Reason': true,
      name: false,
      email: false,
      phone: false,
      loyaltyNumber: false,
    });
    for (const [path, method] of [
      ['/guests/{guestId}', 'get'],
      ['/guests/{guestId}/contacts', 'patch'],
      ['/guests/{guestId}/preferences', 'put'],
      ['/guests/{guestId}/consents', 'post'],
      ['/guests/{guestId}/export', 'get'],
      ['/properties/{propertyId}/arrivals', 'get'],
    ])
      expect(parameters(path, method)).toMatchObject({ 'X-Access-Reason': true });
  });

  it('should find guests by email and phone through blind indexes, by family name and loyalty number, paginated', async () => {
    const { who, guestId } = await guestAt('AMS01');
    const token = admin();
    for (const query of [
      `email=${encodeURIComponent(who.email.toUpperCase())}`,
      `phone=${encodeURIComponent(who.phone)}`,
      `name=${encodeURIComponent(who.familyName)}`,
    ]) {
      const found = await h.http<{ total: number; items: { guestId: string }[] }>('GET', `/guests?${query}`, {
        token,
        reason: 'search test',
      });
      expect(found.body.items.map((i) => i.guestId)).toEqual([guestId]);
    }
    const nothing = await h.http<{ total: number }>('GET', '/guests?email=nobody%40example.com', {
      token,
      reason: 'search test',
    });
    expect(nothing.body.total).toBe(0);
    expect((await h.http('GET', `/guests?email=${who.email}`, { token })).status).toBe(400);
  });

  it('should stop finding a guest by the email, phone and family name staff replaced, and find it by the new ones', async () => {
    const { who, guestId } = await guestAt('AMS01');
    const token = admin();
    const search = async (query: string) =>
      (
        await h.http<{ total: number; items: { guestId: string }[] }>('GET', `/guests?${query}`, {
          token,
          reason: 'search test',
        })
      ).body;
    const familyName = `${who.familyName}x`;
    const corrected = await h.http('PATCH', `/guests/${guestId}/contacts`, {
      token,
      reason: 'guest corrected a typo',
      // The trunk prefix "(0)" is dropped, as dialling from abroad drops it.
      body: { email: `new.${who.email}`, phone: '+31 (0)20 765 4321', familyName },
    });
    expect(corrected.status).toBe(200);
    for (const old of [
      `email=${encodeURIComponent(who.email)}`,
      `phone=${encodeURIComponent(who.phone)}`,
      `name=${encodeURIComponent(who.familyName)}`,
    ]) {
      expect(await search(old)).toMatchObject({ total: 0 });
    }
    for (const current of [
      `email=${encodeURIComponent(`new.${who.email}`)}`,
      `phone=${encodeURIComponent('+31207654321')}`,
      `name=${encodeURIComponent(familyName)}`,
    ]) {
      expect(await search(current)).toMatchObject({ total: 1, items: [{ guestId }] });
    }
    // The property system's profile reference is not personal data staff replace: it stays evidence.
    const kept = await h.db.query<{ source: string }>(
      `select source from guest_identities where guest_id = $1 and source like 'pms:%'`,
      [guestId],
    );
    expect(kept).toEqual([{ source: 'pms:AMS01' }]);
  });

  it('should take a staff correction of a detail a stay stamped in the future brought, as the newer', async () => {
    // A property system writing its local check-out time as UTC: nine hours ahead of Tokyo.
    const who = identity();
    const stay = h.stay(who, { checkedOutAt: new Date(Date.now() + 9 * 3_600_000).toISOString() });
    await h.sendStays([stay]);
    const guestId = await h.guestOfReservation(stay.data.reservationId);

    const corrected = await h.http('PATCH', `/guests/${guestId}/contacts`, {
      token: admin(),
      reason: 'guest corrected their email at check-out',
      body: { email: `corrected.${who.email}` },
    });

    expect(corrected.status).toBe(200);
    expect((await profile(guestId)).body.personal.email).toMatchObject({
      value: `corrected.${who.email}`.toLowerCase(),
      verified: false,
    });
  });

  it('should page a search in guest id order with the total of every match, for a property-scoped token its guests only', async () => {
    const familyName = `Pager${Date.now()}`;
    const guestOf = async (propertyId: string) => {
      const stay = h.stay(identity({ familyName }), { propertyId });
      await h.sendStays([stay]);
      return h.guestOfReservation(stay.data.reservationId);
    };
    const here = [await guestOf('AMS01'), await guestOf('AMS01'), await guestOf('AMS01')];
    const everyone = [...here, await guestOf('LON02')];
    const pages = async (token: string, pageSize: number) => {
      const answers = [];
      for (let page = 1; page <= 3; page++) {
        const { body } = await h.http<{ total: number; items: { guestId: string }[] }>(
          'GET',
          `/guests?name=${familyName}&page=${page}&pageSize=${pageSize}`,
          { token, reason: 'search test' },
        );
        answers.push({ total: body.total, ids: body.items.map((item) => item.guestId) });
      }
      return answers;
    };
    const sorted = (ids: string[]) => [...ids].sort();
    expect(await pages(admin(), 2)).toEqual([
      { total: 4, ids: sorted(everyone).slice(0, 2) },
      { total: 4, ids: sorted(everyone).slice(2, 4) },
      { total: 4, ids: [] },
    ]);
    expect(await pages(frontDesk(['AMS01']), 2)).toEqual([
      { total: 3, ids: sorted(here).slice(0, 2) },
      { total: 3, ids: sorted(here).slice(2, 3) },
      { total: 3, ids: [] },
    ]);
  });

  it('should refuse a page past 10,000 with 400 VALIDATION_FAILED, not reach Postgres with its offset', async () => {
    const refused = await h.http('GET', '/guests?name=Smith&page=500000000000000000', {
      token: admin(),
      reason: 'search test',
    });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'page', reason: 'page must not be greater than 10000' }],
      },
    });
  });

  it('should answer a guest named by its upper-cased id as by its id (Postgres hands uuids back lower-case)', async () => {
    const { guestId, who } = await guestAt('AMS01');
    const lower = await profile(guestId);
    expect(lower).toMatchObject({ status: 200, body: { personal: { email: { value: who.email } } } });
    // The same guest, so the same cached view.
    const upper = await profile(guestId.toUpperCase());
    expect(upper).toMatchObject({ status: 200, body: { ...lower.body, cached: true } });
  });

  it("should refuse a front-desk token scoped to another property, and allow one scoped to the guest's property", async () => {
    const { guestId, who } = await guestAt('AMS01');
    expect((await profile(guestId, frontDesk(['LON02']))).status).toBe(403);
    expect((await profile(guestId, frontDesk(['AMS01']))).status).toBe(200);
    const hidden = await h.http<{ total: number }>('GET', `/guests?email=${encodeURIComponent(who.email)}`, {
      token: frontDesk(['LON02']),
      reason: 'search',
    });
    expect(hidden.body.total).toBe(0);
    const found = await h.http<{ items: { guestId: string }[] }>(
      'GET',
      `/guests?email=${encodeURIComponent(who.email)}`,
      { token: frontDesk(['AMS01']), reason: 'search' },
    );
    expect(found.body.items.map((item) => item.guestId)).toEqual([guestId]);
    expect(
      (await h.http('GET', `/guests/${guestId}`, { token: h.token(['analyst']), reason: 'x' })).status,
    ).toBe(403);
    expect(
      (
        await h.http('POST', `/guests/${guestId}/erasure`, {
          token: frontDesk(['*']),
          body: { reason: 'guest-request' },
        })
      ).status,
    ).toBe(403);
  });

  it('should answer a guest’s summary only to a token scoped to one of their properties, and an unknown id alike', async () => {
    const { guestId } = await guestAt('AMS01');
    const summary = (id: string, token: string) => h.http('GET', `/guests/${id}/summary`, { token });
    expect(await summary(guestId, frontDesk(['AMS01']))).toMatchObject({ status: 200, body: { stays: 1 } });
    expect(await summary(guestId, h.token(['analyst'], ['AMS01']))).toMatchObject({ status: 200 });
    const outside = await summary(guestId, h.token(['analyst'], ['LON02']));
    expect(outside).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });
    // Whether an id is a guest's is itself kept from a token that may not see them.
    expect(await summary(randomUUID(), h.token(['analyst'], ['LON02']))).toEqual(outside);
    expect(await summary(randomUUID(), admin())).toMatchObject({
      status: 404,
      body: { code: 'GUEST_NOT_FOUND' },
    });
  });

  it('should answer a property-scoped token as for a guest of another property when the id is unknown, merged away or erased elsewhere', async () => {
    const { guestId } = await guestAt('AMS01');
    const [survivor, mergedAway, erased] = [
      await guestAt('AMS01'),
      await guestAt('AMS01'),
      await guestAt('AMS01'),
    ];
    const merged = await h.http<{ mergedId: string }>('POST', '/merges', {
      token: admin(),
      body: { guestA: survivor.guestId, guestB: mergedAway.guestId },
    });
    expect(merged.status).toBe(201);
    const { mergedId } = merged.body;
    const erasure = await h.http('POST', `/guests/${erased.guestId}/erasure`, {
      token: admin(),
      body: { reason: 'guest-request' },
    });
    expect(erasure.status).toBe(201);
    const asks = {
      read: (id: string, token: string) => profile(id, token),
      contacts: (id: string, token: string) =>
        h.http('PATCH', `/guests/${id}/contacts`, {
          token,
          reason: 'test',
          body: { email: 'x@example.com' },
        }),
      preferences: (id: string, token: string) =>
        h.http('PUT', `/guests/${id}/preferences`, { token, reason: 'test', body: { preferences: [] } }),
      consents: (id: string, token: string) =>
        h.http('POST', `/guests/${id}/consents`, {
          token,
          reason: 'test',
          body: { purpose: 'marketing', channel: 'email', granted: true },
        }),
    };
    const outsider = frontDesk(['LON02']);
    for (const [what, ask] of Object.entries(asks)) {
      const outside = await ask(guestId, outsider);
      expect({ what, ...outside }).toMatchObject({
        what,
        status: 403,
        body: { code: 'PROPERTY_OUT_OF_SCOPE' },
      });
      for (const id of [randomUUID(), mergedId, erased.guestId])
        expect({ what, ...(await ask(id, outsider)) }).toEqual({ what, ...outside });
    }
    // A chain-wide token is told why; so is a token of the property the erased guest stayed at.
    expect(await asks.contacts(randomUUID(), admin())).toMatchObject({
      status: 404,
      body: { code: 'GUEST_NOT_FOUND' },
    });
    expect(await asks.contacts(mergedId, admin())).toMatchObject({
      status: 409,
      body: { code: 'GUEST_ALREADY_MERGED' },
    });
    for (const token of [admin(), frontDesk(['AMS01'])])
      expect(await asks.contacts(erased.guestId, token)).toMatchObject({
        status: 409,
        body: { code: 'GUEST_ERASED' },
      });
  });

  it('should keep preferences within their group limits and consent with its history', async () => {
    const { guestId } = await guestAt('AMS01');
    const token = frontDesk(['AMS01']);
    const setting = <T = Record<string, unknown>>(preferences: unknown[]) =>
      h.http<T>('PUT', `/guests/${guestId}/preferences`, {
        token,
        reason: 'guest request',
        body: { preferences },
      });
    const bad = await setting([{ group: 'smoking', values: ['smoking', 'non-smoking'] }]);
    expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_PREFERENCES' } });
    const misspelt = await h.http('PUT', `/guests/${guestId}/preferences`, {
      token,
      reason: 'guest request',
      body: { preferences: [], prefrences: [{ group: 'smoking', values: ['non-smoking'] }] },
    });
    expect(misspelt).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'prefrences', reason: 'property prefrences should not exist' }],
      },
    });
    const twice = [
      { group: 'bed', values: ['king'] },
      { group: 'bed', values: ['twin'] },
    ];
    expect(await setting(twice)).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'preferences', reason: 'preferences must name each group at most once' }],
      },
    });
    // Each group replaces the guest's under their row lock: a body of thousands is refused before that.
    const flood = await setting(Array.from({ length: 5_000 }, () => twice[0]));
    expect(flood).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(flood.body.errors).toContainEqual({
      path: 'preferences',
      reason: 'preferences must name at most 7 groups, each once',
    });
    const good = await setting<Profile>([
      { group: 'smoking', values: ['non-smoking'] },
      { group: 'dietary', values: ['vegan', 'halal'] },
    ]);
    expect(good.body.preferences).toEqual([
      expect.objectContaining({ group: 'dietary', value: 'halal', source: 'stated' }),
      expect.objectContaining({ group: 'dietary', value: 'vegan' }),
      expect.objectContaining({ group: 'smoking', value: 'non-smoking' }),
    ]);
    await h.http('POST', `/guests/${guestId}/consents`, {
      token,
      reason: 'guest request',
      body: { purpose: 'marketing', channel: 'email', granted: true },
    });
    const withdrawn = await h.http<Profile>('POST', `/guests/${guestId}/consents`, {
      token,
      reason: 'guest request',
      body: { purpose: 'marketing', channel: 'email', granted: false },
    });
    expect(withdrawn.body.consents).toEqual([
      expect.objectContaining({ purpose: 'marketing', channel: 'email', granted: false }),
    ]);
    const [{ n }] = await h.db.query<{ n: string }>(
      'select count(*) as n from guest_consents where guest_id = $1',
      [guestId],
    );
    expect(n).toBe('2');
    const updates = await h.probe.awaitRecords(
      h.topic('guest-updated'),
      2,
      (r) => r.json<{ subject: string }>().subject === guestId,
    );
    expect(updates.map((u) => u.json<{ data: { changes: unknown } }>().data.changes)).toEqual([
      { marketingConsent: true },
      { marketingConsent: false },
    ]);
    // Granted by post, still withdrawn by email: the purpose stays withdrawn, until email is granted again.
    for (const [channel, granted] of [
      ['post', true],
      ['email', true],
    ] as const) {
      await h.http('POST', `/guests/${guestId}/consents`, {
        token,
        reason: 'guest request',
        body: { purpose: 'marketing', channel, granted },
      });
    }
    const later = await h.probe.awaitRecords(
      h.topic('guest-updated'),
      4,
      (r) => r.json<{ subject: string }>().subject === guestId,
    );
    expect(later.slice(2).map((u) => u.json<{ data: { changes: unknown } }>().data.changes)).toEqual([
      { marketingConsent: false },
      { marketingConsent: true },
    ]);
  });

  it('should learn a bed type from the room types the guest books, and never override a stated one', async () => {
    const who = identity();
    const twinStays = ['STD-T', 'STD-T', 'STE'].map((roomType) =>
      h.stay(who, { propertyId: 'AMS01', roomType }),
    );
    await h.sendStays(twinStays);
    const guestId = await h.guestOfReservation(twinStays[0].data.reservationId);
    await h.caughtUp('stay-completed');
    // Two of three stays show a bed type: not enough evidence yet.
    expect((await profile(guestId)).body.preferences).toEqual([]);

    await h.sendStays([h.stay(who, { propertyId: 'AMS01', roomType: 'STD-T' })]);
    await h.caughtUp('stay-completed');
    expect((await profile(guestId)).body.preferences).toEqual([
      expect.objectContaining({ group: 'bed', value: 'twin', source: 'learned' }),
    ]);

    await h.http('PUT', `/guests/${guestId}/preferences`, {
      token: admin(),
      reason: 'guest request',
      body: { preferences: [{ group: 'bed', values: ['king'] }] },
    });
    await h.sendStays([h.stay(who, { propertyId: 'AMS01', roomType: 'STD-T' })]);
    await h.caughtUp('stay-completed');
    expect((await profile(guestId)).body.preferences).toEqual([
      expect.objectContaining({ group: 'bed', value: 'king', source: 'stated' }),
    ]);
  });

  it("should show tier, last survey score and open complaints from other services' events", async () => {
    const { guestId } = await guestAt('AMS01');
    await h.send('tier-changed', [
      buildEvent(
        'tier-changed',
        { ...sampleEventData('tier-changed'), guestId, changedAt: new Date().toISOString() },
        { source: 'loyalty/points-ledger', subject: guestId },
      ),
    ]);
    await h.send('survey-completed', [
      buildEvent(
        'survey-completed',
        { ...sampleEventData('survey-completed'), guestId },
        { source: 'loyalty/surveys', subject: guestId },
      ),
    ]);
    const complaintId = randomUUID();
    await h.send('complaint-opened', [
      buildEvent(
        'complaint-opened',
        { ...sampleEventData('complaint-opened'), guestId, complaintId },
        { source: 'loyalty/complaints', subject: guestId },
      ),
      buildEvent(
        'complaint-opened',
        { ...sampleEventData('complaint-opened'), guestId, complaintId: randomUUID() },
        { source: 'loyalty/complaints', subject: guestId },
      ),
    ]);
    await h.send('complaint-closed', [
      buildEvent(
        'complaint-closed',
        { ...sampleEventData('complaint-closed'), guestId, complaintId },
        { source: 'loyalty/complaints', subject: guestId },
      ),
    ]);
    const view = await waitUntil('the 360° fields', async () => {
      const body = (await profile(guestId)).body;
      return body.tier && body.lastSurveyScore !== null && body.openComplaints.length === 1
        ? body
        : undefined;
    });
    expect(view.tier).toBe(sampleEventData('tier-changed').to);
    expect(view.lastSurveyScore).toBe(sampleEventData('survey-completed').nps);

    // A later answer that skipped the recommend question leaves the last score as it was.
    const { nps: _skipped, classification: _none, ...skippedNps } = sampleEventData('survey-completed');
    await h.send('survey-completed', [
      buildEvent(
        'survey-completed',
        { ...skippedNps, guestId, completedAt: new Date().toISOString() },
        { source: 'loyalty/surveys', subject: guestId },
      ),
    ]);
    await h.caughtUp('survey-completed');
    expect((await profile(guestId)).body.lastSurveyScore).toBe(sampleEventData('survey-completed').nps);
  });

  it('should show a complaint reopened after its close as open, whichever of the two comes first, until a later close', async () => {
    const { guestId } = await guestAt('AMS01');
    const complaintEvent = <T extends 'complaint-opened' | 'complaint-closed' | 'complaint-reopened'>(
      type: T,
      complaintId: string,
      at: Record<string, string> = {},
    ) =>
      buildEvent(
        type,
        { ...sampleEventData(type), guestId, complaintId, ...at },
        { source: 'loyalty/complaints', subject: guestId },
      );
    const openIds = async () =>
      ((await profile(guestId)).body.openComplaints as { complaintId: string }[])
        .map((c) => c.complaintId)
        .sort();
    const [closedThenReopened, reopenedBeforeItsClose] = [randomUUID(), randomUUID()];

    await h.send('complaint-opened', [
      complaintEvent('complaint-opened', closedThenReopened),
      complaintEvent('complaint-opened', reopenedBeforeItsClose),
    ]);
    await h.send('complaint-closed', [
      complaintEvent('complaint-closed', closedThenReopened, { closedAt: '2026-03-01T10:00:00.000Z' }),
    ]);
    await h.caughtUp('complaint-opened', 'complaint-closed');
    expect(await openIds()).toEqual([reopenedBeforeItsClose]);

    await h.send('complaint-reopened', [
      complaintEvent('complaint-reopened', closedThenReopened, {
        reopenedAt: '2026-03-05T10:00:00.000Z',
        resolveBy: '2026-03-08T10:00:00.000Z',
      }),
      complaintEvent('complaint-reopened', reopenedBeforeItsClose, {
        reopenedAt: '2026-03-05T10:00:00.000Z',
        resolveBy: '2026-03-08T10:00:00.000Z',
      }),
    ]);
    await h.caughtUp('complaint-reopened');
    // The close the reopen undid, arriving late on its own topic, leaves the complaint open.
    await h.send('complaint-closed', [
      complaintEvent('complaint-closed', reopenedBeforeItsClose, { closedAt: '2026-03-01T10:00:00.000Z' }),
    ]);
    await h.caughtUp('complaint-closed');
    expect(await openIds()).toEqual([closedThenReopened, reopenedBeforeItsClose].sort());

    await h.send('complaint-closed', [
      complaintEvent('complaint-closed', closedThenReopened, { closedAt: '2026-03-09T10:00:00.000Z' }),
    ]);
    await h.caughtUp('complaint-closed');
    expect(await openIds()).toEqual([reopenedBeforeItsClose]);

    // Its last close first, then its first close (published under the guest merged away, on another
    // partition), then the reopen between them: the last close stands.
    const lastCloseFirst = randomUUID();
    await h.send('complaint-opened', [complaintEvent('complaint-opened', lastCloseFirst)]);
    await h.caughtUp('complaint-opened');
    for (const closedAt of ['2026-03-09T10:00:00.000Z', '2026-03-01T10:00:00.000Z']) {
      await h.send('complaint-closed', [complaintEvent('complaint-closed', lastCloseFirst, { closedAt })]);
      await h.caughtUp('complaint-closed');
    }
    await h.send('complaint-reopened', [
      complaintEvent('complaint-reopened', lastCloseFirst, {
        reopenedAt: '2026-03-05T10:00:00.000Z',
        resolveBy: '2026-03-08T10:00:00.000Z',
      }),
    ]);
    await h.caughtUp('complaint-reopened');
    expect(await openIds()).toEqual([reopenedBeforeItsClose]);
  });

  it('should show a reclassified complaint with its new severity, whether it comes after its open or before, and the later of two', async () => {
    const { guestId } = await guestAt('AMS01');
    const complaintEvent = <T extends 'complaint-opened' | 'complaint-reclassified'>(
      type: T,
      complaintId: string,
      data: Partial<EventData<T>> = {},
    ) =>
      buildEvent(
        type,
        { ...sampleEventData(type), guestId, complaintId, ...data },
        { source: 'loyalty/complaints', subject: guestId },
      );
    const shown = async () =>
      Object.fromEntries(
        ((await profile(guestId)).body.openComplaints as { complaintId: string; severity: string }[]).map(
          (c) => [c.complaintId, c.severity],
        ),
      );
    const [reclassifiedAfter, reclassifiedFirst] = [randomUUID(), randomUUID()];
    const { from, to } = sampleEventData('complaint-reclassified');
    const noise = {
      severity: 'high' as const,
      category: 'noise' as const,
      complaintCategory: 'noise' as const,
    };

    await h.send('complaint-opened', [complaintEvent('complaint-opened', reclassifiedAfter)]);
    await h.caughtUp('complaint-opened');
    expect(await shown()).toEqual({ [reclassifiedAfter]: from.severity });

    await h.send('complaint-reclassified', [
      complaintEvent('complaint-reclassified', reclassifiedAfter),
      complaintEvent('complaint-reclassified', reclassifiedFirst, { to: noise }),
    ]);
    await h.caughtUp('complaint-reclassified');
    expect(await shown()).toEqual({ [reclassifiedAfter]: to.severity, [reclassifiedFirst]: noise.severity });

    // Its open, late on its own topic, fills in the complaint and leaves the new severity and aspect.
    await h.send('complaint-opened', [complaintEvent('complaint-opened', reclassifiedFirst)]);
    // An earlier reclassification handled after a later one changes nothing.
    await h.send('complaint-reclassified', [
      complaintEvent('complaint-reclassified', reclassifiedAfter, {
        to: noise,
        reclassifiedAt: '2025-03-06T20:41:00Z',
      }),
    ]);
    await h.caughtUp('complaint-opened', 'complaint-reclassified');
    expect(await shown()).toEqual({ [reclassifiedAfter]: to.severity, [reclassifiedFirst]: noise.severity });
    const rows = await h.db.query<{ complaint_id: string; category: string; opened_at: Date }>(
      'select complaint_id, category, opened_at from open_complaints where guest_id = $1',
      [guestId],
    );
    expect(rows.find((row) => row.complaint_id === reclassifiedFirst)).toEqual({
      complaint_id: reclassifiedFirst,
      category: noise.category,
      opened_at: new Date(sampleEventData('complaint-opened').openedAt),
    });
  });

  it('should keep the newest points balance from a run of ledger events, the later of two at one instant', async () => {
    const { guestId } = await guestAt('AMS01');
    const earned = (balanceAfter: number, occurredAt: string) =>
      buildEvent(
        'points-earned',
        { ...sampleEventData('points-earned'), guestId, balanceAfter, occurredAt },
        { source: 'loyalty/points-ledger' },
      );
    await h.send('points-earned', [
      earned(100, '2026-03-01T10:00:00.000Z'),
      // Two credits booked in one ledger transaction share the instant: the later in the stream wins.
      earned(250, '2026-03-01T10:00:00.000Z'),
      // A replay of an older event changes nothing.
      earned(50, '2026-02-01T10:00:00.000Z'),
    ]);
    await h.caughtUp('points-earned');
    const summary = await h.http<{ pointsBalance: number | null }>('GET', `/guests/${guestId}/summary`, {
      token: admin(),
    });
    expect(summary.body.pointsBalance).toBe(250);
  });

  it('should keep the balance the ledger numbered last, whatever the instants and topics say', async () => {
    const { guestId } = await guestAt('AMS01');
    const balance = async () =>
      (
        await h.http<{ pointsBalance: number | null }>('GET', `/guests/${guestId}/summary`, {
          token: admin(),
        })
      ).body.pointsBalance;
    const transaction = async (
      type: 'points-earned' | 'points-redeemed' | 'points-adjusted',
      balanceAfter: number,
      balanceSequence: number,
      occurredAt: string,
    ) => {
      await h.send(type, [
        buildEvent(
          type,
          { ...sampleEventData(type), guestId, balanceAfter, balanceSequence, occurredAt },
          { source: 'loyalty/points-ledger' },
        ),
      ]);
      await h.caughtUp(type);
    };
    // A credit and then a redemption booked at one instant, each on its own topic: the redemption is
    // handled first.
    await transaction('points-redeemed', 600, 4, '2026-05-01T10:00:00.000Z');
    await transaction('points-earned', 1_000, 3, '2026-05-01T10:00:00.000Z');
    expect(await balance()).toBe(600);
    // An adjustment that waited for the account is booked at the instant it began, before the last one.
    await transaction('points-adjusted', 900, 5, '2026-05-01T09:59:59.000Z');
    expect(await balance()).toBe(900);
  });

  it('should follow the points balance through redemptions, expiry, adjustments and reversals', async () => {
    const { guestId } = await guestAt('AMS01');
    const balance = async () =>
      (
        await h.http<{ pointsBalance: number | null }>('GET', `/guests/${guestId}/summary`, {
          token: admin(),
        })
      ).body.pointsBalance;
    const debits = [
      ['points-redeemed', 2_000],
      ['points-expired', 1_500],
      ['points-adjusted', 1_750],
      ['points-reversed', 1_200],
    ] as const;
    let day = 1;
    for (const [type, balanceAfter] of debits) {
      const occurredAt = `2026-04-0${day++}T10:00:00.000Z`;
      await h.send(type, [
        buildEvent(
          type,
          { ...sampleEventData(type), guestId, balanceAfter, occurredAt },
          { source: 'loyalty/points-ledger' },
        ),
      ]);
      await h.caughtUp(type);
      expect(await balance()).toBe(balanceAfter);
    }
  });

  it('should brief the front desk on the day’s arrivals with preferences, tier and complaints', async () => {
    const who = identity();
    const booking = buildEvent(
      'reservation-created',
      {
        ...sampleEventData('reservation-created'),
        propertyId: 'BRU03',
        reservationId: `R-${randomUUID().slice(0, 8)}`,
        arrival: '2031-06-01',
        departure: '2031-06-03',
        guest: who,
      },
      { source: 'crs/test', propertyId: 'BRU03' },
    );
    await h.send('reservation-created', [booking], () => `BRU03:${booking.data.reservationId}`);
    const brief = await waitUntil('the arrival', async () => {
      const response = await h.http<{ arrivals: { givenName: string; reservationId: string }[] }>(
        'GET',
        '/properties/BRU03/arrivals?date=2031-06-01',
        {
          token: frontDesk(['BRU03']),
          reason: 'arrivals brief',
        },
      );
      return response.body.arrivals?.length ? response.body : undefined;
    });
    expect(brief.arrivals[0]).toMatchObject({
      givenName: who.givenName,
      reservationId: booking.data.reservationId,
      preferences: [],
      openComplaints: 0,
    });
    expect(
      (
        await h.http('GET', '/properties/BRU03/arrivals?date=2031-06-01', {
          token: frontDesk(['AMS01']),
          reason: 'x',
        })
      ).status,
    ).toBe(403);
  });

  it('should keep a cancellation that arrives before its reservation', async () => {
    const reservationId = `R-${randomUUID().slice(0, 8)}`;
    const key = () => `BRU03:${reservationId}`;
    await h.send(
      'reservation-cancelled',
      [
        buildEvent(
          'reservation-cancelled',
          { ...sampleEventData('reservation-cancelled'), propertyId: 'BRU03', reservationId },
          { source: 'crs/test', propertyId: 'BRU03' },
        ),
      ],
      key,
    );
    await h.caughtUp('reservation-cancelled');
    const booking = buildEvent(
      'reservation-created',
      {
        ...sampleEventData('reservation-created'),
        propertyId: 'BRU03',
        reservationId,
        arrival: '2031-07-01',
        departure: '2031-07-03',
        guest: identity(),
      },
      { source: 'crs/test', propertyId: 'BRU03' },
    );
    await h.send('reservation-created', [booking], key);
    await h.caughtUp('reservation-created');
    const rows = await h.db.query<{ guest_id: string | null; arrival: string; cancelled: boolean }>(
      `select guest_id, arrival::text, cancelled from reservations
       where property_id = 'BRU03' and reservation_id = $1`,
      [reservationId],
    );
    expect(rows).toEqual([{ guest_id: expect.any(String), arrival: '2031-07-01', cancelled: true }]);
    const brief = await h.http<{ arrivals: unknown[] }>('GET', '/properties/BRU03/arrivals?date=2031-07-01', {
      token: frontDesk(['BRU03']),
      reason: 'arrivals brief',
    });
    expect(brief.body.arrivals).toEqual([]);
  });

  it.each([
    ['the date 2025-13-45', 'BRU03', 'date=2025-13-45', 'date'],
    ['the date 2025-02-29', 'BRU03', 'date=2025-02-29', 'date'],
    ['the date 0000-01-01', 'BRU03', 'date=0000-01-01', 'date'],
    ['no date', 'BRU03', '', 'date'],
    ['a field the route does not know', 'BRU03', 'date=2031-07-01&dat=2031-07-02', 'dat'],
    ['a property id with a NUL', 'BRU03%00', 'date=2031-07-01', 'propertyId'],
    ['a property id that is no identifier', 'Grand%20Paris', 'date=2031-07-01', 'propertyId'],
  ])(
    'should refuse the arrivals brief with 400 VALIDATION_FAILED naming the field for %s',
    async (_, property, query, path) => {
      const response = await h.http('GET', `/properties/${property}/arrivals?${query}`, {
        token: h.token(['chain-admin']),
        reason: 'arrivals brief',
      });
      expect(response).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path })] },
      });
    },
  );

  it('should put complaints and survey scores of a guest merged away twice on the final survivor', async () => {
    const survivor = identity({ loyaltyNumber: 'LX360M001' });
    const middle = identity();
    const stays = [h.stay(survivor), h.stay(middle), h.stay(middle), h.stay(identity())];
    await h.sendStays(stays);
    const [survivorId, middleId, , firstId] = await Promise.all(
      stays.map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    for (const [a, b] of [
      [middleId, firstId],
      [survivorId, middleId],
    ]) {
      const merged = await h.http('POST', '/merges', { token: admin(), body: { guestA: a, guestB: b } });
      expect(merged).toMatchObject({ status: 201, body: { survivorId: a, mergedId: b } });
    }
    await h.send('complaint-opened', [
      buildEvent(
        'complaint-opened',
        { ...sampleEventData('complaint-opened'), guestId: firstId, complaintId: randomUUID() },
        { source: 'loyalty/complaints', subject: firstId },
      ),
    ]);
    await h.send('survey-completed', [
      buildEvent(
        'survey-completed',
        { ...sampleEventData('survey-completed'), guestId: firstId, completedAt: new Date().toISOString() },
        { source: 'loyalty/surveys', subject: firstId },
      ),
    ]);
    await h.caughtUp('complaint-opened', 'survey-completed');
    const view = (await profile(survivorId)).body;
    expect(view.openComplaints).toHaveLength(1);
    expect(view.lastSurveyScore).toBe(sampleEventData('survey-completed').nps);
  });

  // The ledger names the survivor once it has merged the accounts: an event naming the merged-away id holds
  // that account's own tier or balance, from before the ledger's merge.
  it("should keep the survivor's tier and points balance when the ledger's late events about the merged-away id come", async () => {
    const stays = [h.stay(identity({ loyaltyNumber: 'LX360T001' })), h.stay(identity())];
    await h.sendStays(stays);
    const [survivorId, mergedId] = await Promise.all(
      stays.map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const ledgerEvents = (
      guestId: string,
      tier: Pick<EventData<'tier-changed'>, 'from' | 'to'>,
      balanceAfter: number,
      at: string,
    ) => {
      const source = { source: 'loyalty/points-ledger', subject: guestId };
      return {
        tier: buildEvent(
          'tier-changed',
          { ...sampleEventData('tier-changed'), ...tier, guestId, changedAt: at },
          source,
        ),
        balance: buildEvent(
          'points-redeemed',
          { ...sampleEventData('points-redeemed'), guestId, balanceAfter, occurredAt: at },
          source,
        ),
      };
    };
    const survivorsOwn = ledgerEvents(
      survivorId,
      { from: 'gold', to: 'platinum' },
      5_000,
      '2026-05-01T10:00:00.000Z',
    );
    await h.send('tier-changed', [survivorsOwn.tier]);
    await h.send('points-redeemed', [survivorsOwn.balance]);
    await h.caughtUp('tier-changed', 'points-redeemed');
    const merged = await h.http('POST', '/merges', {
      token: admin(),
      body: { guestA: survivorId, guestB: mergedId },
    });
    expect(merged).toMatchObject({ status: 201, body: { survivorId, mergedId } });

    // Newer than the survivor's: the merged-away account was downgraded and spent its points just before the
    // ledger merged it. Its merge brings no points, so the ledger announces no new balance for the survivor.
    const mergedAwaysOwn = ledgerEvents(
      mergedId,
      { from: 'gold', to: 'silver' },
      0,
      '2026-05-02T10:00:00.000Z',
    );
    await h.send('tier-changed', [mergedAwaysOwn.tier]);
    await h.send('points-redeemed', [mergedAwaysOwn.balance]);
    await h.caughtUp('tier-changed', 'points-redeemed');
    expect((await profile(survivorId)).body.tier).toBe('platinum');
    const summary = await h.http<{ pointsBalance: number | null }>('GET', `/guests/${survivorId}/summary`, {
      token: admin(),
    });
    expect(summary.body.pointsBalance).toBe(5_000);
  });

  it("should take the survivor's own tier, handled after a merge that brought the merged profile's newer one", async () => {
    const stays = [h.stay(identity({ loyaltyNumber: 'LX360T002' })), h.stay(identity())];
    await h.sendStays(stays);
    const [survivorId, mergedId] = await Promise.all(
      stays.map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const tierChanged = (guestId: string, to: EventData<'tier-changed'>['to'], changedAt: string) =>
      buildEvent(
        'tier-changed',
        { ...sampleEventData('tier-changed'), from: 'member', to, guestId, changedAt },
        { source: 'loyalty/points-ledger', subject: guestId },
      );
    await h.send('tier-changed', [tierChanged(mergedId, 'gold', '2026-05-02T10:00:00.000Z')]);
    await h.caughtUp('tier-changed');
    const merged = await h.http('POST', '/merges', {
      token: admin(),
      body: { guestA: survivorId, guestB: mergedId },
    });
    expect(merged).toMatchObject({ status: 201, body: { survivorId, mergedId } });
    expect((await profile(survivorId)).body.tier).toBe('gold');

    // The survivor's platinum, a day older, lagging on another partition: the ledger's merge keeps it.
    await h.send('tier-changed', [tierChanged(survivorId, 'platinum', '2026-05-01T10:00:00.000Z')]);
    await h.caughtUp('tier-changed');
    expect((await profile(survivorId)).body.tier).toBe('platinum');
  });

  it("should keep the merged profile's last survey score when it is newer than the survivor's", async () => {
    const stays = [h.stay(identity({ loyaltyNumber: 'LX360S001' })), h.stay(identity())];
    await h.sendStays(stays);
    const [survivorId, mergedId] = await Promise.all(
      stays.map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const answered = (guestId: string, nps: number, completedAt: string) =>
      buildEvent(
        'survey-completed',
        { ...sampleEventData('survey-completed'), guestId, nps, completedAt, classification: undefined },
        { source: 'loyalty/surveys', subject: guestId },
      );
    // The guest was a detractor lately, under the profile to be merged; surveys announces that once.
    await h.send('survey-completed', [
      answered(survivorId, 9, '2025-01-10T10:00:00Z'),
      answered(mergedId, 2, '2025-03-06T20:30:00Z'),
    ]);
    await h.caughtUp('survey-completed');
    const merged = await h.http('POST', '/merges', {
      token: admin(),
      body: { guestA: survivorId, guestB: mergedId },
    });
    expect(merged).toMatchObject({ status: 201, body: { survivorId, mergedId } });
    expect((await profile(survivorId)).body.lastSurveyScore).toBe(2);
  });

  it('should put a complaint and a survey score that arrive while a merge is in flight on the survivor, not a tier', async () => {
    const stays = [h.stay(identity({ loyaltyNumber: 'LX360R001' })), h.stay(identity())];
    await h.sendStays(stays);
    const [survivorId, mergedId] = await Promise.all(
      stays.map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const complaintId = randomUUID();
    const at = new Date().toISOString();
    const merging = h.service.app.get(DataSource).createQueryRunner();
    await merging.connect();
    await merging.startTransaction();
    try {
      // The merge has moved the merged profile's complaints and facts, and has not committed yet.
      await h.service.app
        .get(MergeService)
        .merge(merging.manager, survivorId, mergedId, 'manual', () => undefined);
      await h.send('complaint-opened', [
        buildEvent(
          'complaint-opened',
          { ...sampleEventData('complaint-opened'), guestId: mergedId, complaintId },
          { source: 'loyalty/complaints', subject: mergedId },
        ),
      ]);
      await h.send('survey-completed', [
        buildEvent(
          'survey-completed',
          { ...sampleEventData('survey-completed'), guestId: mergedId, completedAt: at },
          { source: 'loyalty/surveys', subject: mergedId },
        ),
      ]);
      await h.send('tier-changed', [
        buildEvent(
          'tier-changed',
          { ...sampleEventData('tier-changed'), guestId: mergedId, changedAt: at },
          { source: 'loyalty/points-ledger', subject: mergedId },
        ),
      ]);
      // Each event is either written beside the merge or waits for a lock the merge holds.
      await waitUntil('the events written or waiting for the merge', async () => {
        const [{ waiting, written }] = await h.db.query<{ waiting: boolean; written: boolean }>(
          `select exists (select 1 from pg_stat_activity
                          where wait_event_type = 'Lock' and datname = current_database()) as waiting,
                  exists (select 1 from open_complaints where complaint_id = $1)
                    and exists (select 1 from guest_facts where last_survey_at = $2) as written`,
          [complaintId, at],
        );
        return waiting || written ? true : undefined;
      });
      await merging.commitTransaction();
    } finally {
      if (merging.isTransactionActive) await merging.rollbackTransaction();
      await merging.release();
    }
    await h.caughtUp('complaint-opened', 'survey-completed', 'tier-changed');
    const view = (await profile(survivorId)).body;
    expect(view.openComplaints).toHaveLength(1);
    expect(view.lastSurveyScore).toBe(sampleEventData('survey-completed').nps);
    // The merged-away account's tier, not the survivor's: the ledger announces the survivor's after its merge.
    expect(view.tier).toBeNull();
  });

  it('should roll up stay history and recompute RFM segments, for a chain-wide token only', async () => {
    const who = identity();
    await h.sendStays([
      h.stay(who, { propertyId: 'AMS01', arrival: '2025-01-01', departure: '2025-01-03', nights: 2 }),
      h.stay(who, { propertyId: 'AMS01', arrival: '2025-03-02', departure: '2025-03-05', nights: 3 }),
      h.stay(who, { propertyId: 'LON02', arrival: '2025-05-01', departure: '2025-05-02', nights: 1 }),
    ]);
    const guestId = await waitUntil('three stays', async () => {
      const rows = await h.db.query<{ guest_id: string; n: string }>(
        `select guest_id, count(*) as n from stays where guest_id in (select guest_id from guest_identities where reference = $1) group by guest_id`,
        [who.externalProfileRef],
      );
      return rows[0]?.n === '3' ? rows[0].guest_id : undefined;
    });
    // Every guest of the chain is rescored: a token of one property may not start it.
    const scoped = await h.http('POST', '/segments/recompute', { token: h.token(['analyst'], ['AMS01']) });
    expect(scoped).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });
    expect((await h.http('POST', '/segments/recompute', { token: h.token(['analyst']) })).status).toBe(201);
    const view = (await profile(guestId)).body;
    expect(view.history).toMatchObject({
      stays: 3,
      nights: 6,
      favouriteProperty: 'AMS01',
      averageIntervalDays: 60,
    });
    expect(view.rfm?.segment).toEqual(expect.any(String));
  });

  it('should not score a guest who withdrew profiling on any channel, and clear the scores then and on erasure', async () => {
    const [withdrawing, erasing] = [await guestAt('AMS01'), await guestAt('AMS01')];
    const recompute = async () =>
      expect((await h.http('POST', '/segments/recompute', { token: h.token(['analyst']) })).status).toBe(201);
    const scored = { segment: expect.any(String) };
    await recompute();
    expect((await profile(withdrawing.guestId)).body.rfm).toMatchObject(scored);
    expect((await profile(erasing.guestId)).body.rfm).toMatchObject(scored);

    const consent = (channel: string, granted: boolean) =>
      h.http<Profile>('POST', `/guests/${withdrawing.guestId}/consents`, {
        token: admin(),
        reason: 'guest request',
        body: { purpose: 'profiling', channel, granted },
      });
    expect(await consent('email', false)).toMatchObject({ status: 201, body: { rfm: null } });
    // Withdrawn by email, then granted in the app: still withdrawn, as for the other announced purposes.
    expect(await consent('app', true)).toMatchObject({ status: 201, body: { rfm: null } });
    // Other services profile the guest too (the churn watch): each decision is announced with the flag.
    const announced = await h.probe.awaitRecords(
      h.topic('guest-updated'),
      2,
      (r) => r.json<{ subject: string }>().subject === withdrawing.guestId,
    );
    expect(announced.map((u) => u.json<{ data: { changes: unknown } }>().data.changes)).toEqual([
      { profilingConsent: false },
      { profilingConsent: false },
    ]);
    await recompute();
    expect((await profile(withdrawing.guestId)).body.rfm).toBeNull();
    // Scores a recompute wrote as the withdrawal committed (or an older release wrote) go at the next one.
    await h.db.query(
      `update guests set rfm_recency = 5, rfm_frequency = 5, rfm_monetary = 5, segment = 'vip', updated_at = now()
       where id = $1`,
      [withdrawing.guestId],
    );
    await recompute();
    expect((await profile(withdrawing.guestId)).body.rfm).toBeNull();
    expect((await profile(erasing.guestId)).body.rfm).toMatchObject(scored);

    const erased = await h.http('POST', `/guests/${erasing.guestId}/erasure`, {
      token: admin(),
      body: { reason: 'guest-request' },
    });
    expect(erased.status).toBe(201);
    expect(
      await h.db.query(
        'select rfm_recency, rfm_frequency, rfm_monetary, segment from guests where id = any($1::uuid[])',
        [[withdrawing.guestId, erasing.guestId]],
      ),
    ).toEqual(Array(2).fill({ rfm_recency: null, rfm_frequency: null, rfm_monetary: null, segment: null }));
    expect((await profile(erasing.guestId)).body.rfm).toBeNull();
  });

  /** A recompute that reads the scores while `hold` writes the guest row, and waits for it to commit. */
  async function recomputeWhileHeld(hold: (runner: QueryRunner) => Promise<unknown>): Promise<void> {
    const holder = h.service.app.get(DataSource).createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await hold(holder);
      const recomputed = h.http('POST', '/segments/recompute', { token: h.token(['analyst']) });
      // The recompute has read what was committed (not what `hold` wrote) and waits for the row.
      await waitUntil('the recompute waiting for the guest row', async () => {
        const [{ waiting }] = await h.db.query<{ waiting: boolean }>(
          `select exists (select 1 from pg_stat_activity
                          where wait_event_type = 'Lock' and datname = current_database()
                            and query like '%for no key update%') as waiting`,
        );
        return waiting || undefined;
      });
      await holder.commitTransaction();
      expect((await recomputed).status).toBe(201);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  }

  it('should keep a guest unscored whose profiling withdrawal commits while a recompute waits for the row', async () => {
    const { guestId } = await guestAt('AMS01');
    // As a staff withdrawal writes it: the consent, and the guest row held until it commits.
    await recomputeWhileHeld(async (withdrawing) => {
      await withdrawing.query(
        `insert into guest_consents (guest_id, purpose, channel, granted, source)
         values ($1, 'profiling', 'email', false, 'staff:test')`,
        [guestId],
      );
      await withdrawing.query('update guests set updated_at = now() where id = $1', [guestId]);
    });
    expect((await profile(guestId)).body.rfm).toBeNull();
  });

  it('should leave unscored a guest whose erasure commits while a recompute waits for the row', async () => {
    const { guestId } = await guestAt('AMS01');
    // As the erasure writes the guest row, held until it commits.
    await recomputeWhileHeld((erasing) =>
      erasing.query(
        `update guests set status = 'erased', rfm_recency = null, rfm_frequency = null, rfm_monetary = null,
           segment = null, updated_at = now()
         where id = $1`,
        [guestId],
      ),
    );
    expect(
      await h.db.query('select rfm_recency, rfm_frequency, rfm_monetary, segment from guests where id = $1', [
        guestId,
      ]),
    ).toEqual([{ rfm_recency: null, rfm_frequency: null, rfm_monetary: null, segment: null }]);
  });

  interface StoredScores {
    id: string;
    rfm_recency: number | null;
    rfm_frequency: number | null;
    rfm_monetary: number | null;
    segment: string | null;
  }
  const UNSCORED = { rfm_recency: null, rfm_frequency: null, rfm_monetary: null, segment: null };

  /** Runs the recompute in this process, `chunkGuests` guests a transaction. */
  const recomputeInChunks = (chunkGuests: number, now = new Date()) =>
    h.service.app.get(SegmentsService).recompute(now, { chunkGuests });

  /**
   * Every guest's scores as the recompute gave them when it scored the whole chain in one transaction: the
   * stays of every active guest who did not withdraw profiling, ranked together by `scoreRfm`.
   */
  async function scoredAllAtOnce(now: Date): Promise<StoredScores[]> {
    const rows = await h.db.query<{
      guest_id: string;
      last_departure: string;
      stays: string;
      revenue: string;
    }>(
      `select s.guest_id, max(s.departure) filter (where s.nights > 0)::text as last_departure,
              count(*) filter (where s.nights > 0) as stays, sum(s.program_revenue_minor) as revenue
       from stays s join guests g on g.id = s.guest_id and g.status = 'active'
       where s.guest_id not in (
         select guest_id from (
           select distinct on (guest_id, channel) guest_id, granted from guest_consents
           where purpose = 'profiling' order by guest_id, channel, id desc) latest
         where not granted)
       group by s.guest_id
       having count(*) filter (where s.nights > 0) > 0`,
    );
    const scores = new Map(
      scoreRfm(
        rows.map((r) => ({
          guestId: r.guest_id,
          recencyDays: Math.max(0, Math.floor((now.getTime() - Date.parse(r.last_departure)) / 86_400_000)),
          stays: Number(r.stays),
          revenueMinor: Number(r.revenue),
        })),
      ).map((s) => [s.guestId, s]),
    );
    const guests = await h.db.query<{ id: string }>('select id from guests order by id');
    return guests.map(({ id }) => {
      const score = scores.get(id);
      return score
        ? {
            id,
            rfm_recency: score.recency,
            rfm_frequency: score.frequency,
            rfm_monetary: score.monetary,
            segment: score.segment,
          }
        : { id, ...UNSCORED };
    });
  }

  const storedScores = () =>
    h.db.query<StoredScores>(
      'select id, rfm_recency, rfm_frequency, rfm_monetary, segment from guests order by id',
    );

  /**
   * `count` guests with 1 to 4 stays each (every third stay of 0 nights), few distinct departures and
   * revenues so that many tie, written straight to the tables the recompute reads; their ids in id order.
   */
  async function seedStays(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await h.db.query('insert into guests (id) select unnest($1::uuid[])', [ids]);
    await h.db.query(
      `insert into stays (id, guest_id, property_id, reservation_id, arrival, departure, nights, program_revenue_minor)
       select gen_random_uuid(), g.id, 'AMS01', 'R-' || g.id || '-' || n, d - 2, d, case when n = 3 then 0 else 2 end,
              (g.i % 5) * 25000
       from unnest($1::uuid[]) with ordinality as g (id, i)
       cross join lateral generate_series(1, 1 + (g.i % 4)::int) as n
       cross join lateral (select date '2025-01-01' + ((g.i * n) % 7)::int * 30 as d) as departure`,
      [ids],
    );
    return (
      await h.db.query<{ id: string }>('select id from guests where id = any($1::uuid[]) order by id', [ids])
    ).map((row) => row.id);
  }

  it('should score a population of many chunks as scoring it in one transaction did, and clear the guests it left', async () => {
    const seeded = await seedStays(30);
    const [withdrawn, erased, merged, unscoredNow, rescored] = seeded;
    await h.db.query(
      `insert into guest_consents (guest_id, purpose, channel, granted, source)
       values ($1, 'profiling', 'app', true, 'staff:test'), ($1, 'profiling', 'post', false, 'staff:test')`,
      [withdrawn],
    );
    await h.db.query(`update guests set status = 'erased' where id = $1`, [erased]);
    await h.db.query(`update guests set status = 'merged', merged_into = $2 where id = $1`, [
      merged,
      rescored,
    ]);
    // Scores from an earlier run (or release), which the recompute must clear or correct.
    await h.db.query(
      `update guests set rfm_recency = 5, rfm_frequency = 5, rfm_monetary = 5, segment = 'vip'
       where id = any($1::uuid[])`,
      [[withdrawn, erased, merged, unscoredNow, rescored]],
    );
    await h.db.query('update stays set nights = 0 where guest_id = $1', [unscoredNow]);

    const now = new Date();
    const expected = await scoredAllAtOnce(now);
    const scored = expected.filter((guest) => guest.segment !== null).length;
    expect(scored).toBeGreaterThan(25);
    // Three guests a transaction: every chunk boundary falls among guests ranked together.
    await expect(recomputeInChunks(3, now)).resolves.toEqual({ guests: scored });
    expect(await storedScores()).toEqual(expected);
    for (const guestId of [withdrawn, erased, merged, unscoredNow])
      expect(expected.find((guest) => guest.id === guestId)).toMatchObject(UNSCORED);
    // In one chunk, or in chunks of another size, the same.
    await expect(recomputeInChunks(5_000, now)).resolves.toEqual({ guests: scored });
    await expect(recomputeInChunks(7, now)).resolves.toEqual({ guests: scored });
    expect(await storedScores()).toEqual(expected);
  });

  it('should write no guest row, nor move a profile version, when a recompute changes no score', async () => {
    const { guestId } = await guestAt('AMS01');
    await seedStays(12);
    const recompute = async () =>
      expect((await h.http('POST', '/segments/recompute', { token: h.token(['analyst']) })).status).toBe(201);
    await recompute();
    expect((await profile(guestId)).body).toMatchObject({
      cached: false,
      rfm: { segment: expect.any(String) },
    });
    expect((await profile(guestId)).body.cached).toBe(true);
    const rows = () => h.db.query('select id, xmin::text as xmin, updated_at::text from guests order by id');
    const before = await rows();

    await recompute();
    await recomputeInChunks(4);
    // No row rewritten (no new version of any, not even with the same values), so the cached view still serves.
    expect(await rows()).toEqual(before);
    expect((await profile(guestId)).body.cached).toBe(true);
  });

  it('should commit each chunk on its own, holding no guest of another chunk while it waits for a row', async () => {
    const seeded = await seedStays(12);
    const [first, last] = [seeded[0], seeded[seeded.length - 1]];
    const dataSource = h.service.app.get(DataSource);
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      // As a stay batch holds a guest row it writes, until it commits.
      await holder.query('update guests set updated_at = now() where id = $1', [last]);
      const recomputed = recomputeInChunks(4);
      await waitUntil('the recompute waiting for the held guest', async () => {
        const [{ waiting }] = await h.db.query<{ waiting: boolean }>(
          `select exists (select 1 from pg_stat_activity
                          where wait_event_type = 'Lock' and datname = current_database()
                            and query like '%for no key update%') as waiting`,
        );
        return waiting || undefined;
      });
      // The chunks before the held guest's are committed, and their guests free to write at once.
      expect(await h.db.query('select segment from guests where id = $1', [first])).toEqual([
        { segment: expect.any(String) },
      ]);
      const writer = dataSource.createQueryRunner();
      await writer.connect();
      await writer.startTransaction();
      try {
        await writer.query(`set local lock_timeout = '2s'`);
        await writer.query('update guests set updated_at = now() where id = $1', [first]);
        await writer.commitTransaction();
      } finally {
        if (writer.isTransactionActive) await writer.rollbackTransaction();
        await writer.release();
      }
      await holder.commitTransaction();
      await recomputed;
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await h.db.query('select segment from guests where id = $1', [last])).toEqual([
      { segment: expect.any(String) },
    ]);
  });
});
