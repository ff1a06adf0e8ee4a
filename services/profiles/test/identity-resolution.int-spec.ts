import { buildEvent } from '@loyalty/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { evidenceOf, type EvidenceKey } from '../src/identity/identity-evidence';
import { IdentityRepository } from '../src/identity/identity.repository';
import { IdentityResolver, type ResolutionRequest } from '../src/identity/identity-resolver';
import { PersonalDataCipher } from '../src/privacy/personal-data-cipher';
import { StayRecordingRepository } from '../src/stays/stay-recording.repository';
import { waitUntil } from '@loyalty/testing';
import { identity, ProfilesHarness, randomName, sameGuest } from './profiles-harness';

describe('profiles resolves upstream identities to one guest (real broker, Postgres, Redis)', () => {
  let h: ProfilesHarness;

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_identity');
  });

  afterAll(async () => {
    await h.close();
  });

  /** Sends a first stay, then a second with the identity changed as given, and returns both guest ids. */
  async function twoStays(first: ReturnType<typeof identity>, second: ReturnType<typeof identity>) {
    const a = h.stay(first);
    await h.sendStays([a]);
    const guestA = await h.guestOfReservation(a.data.reservationId);
    const b = h.stay(second);
    await h.sendStays([b]);
    const guestB = await h.guestOfReservation(b.data.reservationId);
    const [made] = await h.db.query<{ outcome: string; rule: string | null; score: string | null }>(
      `select outcome, rule, score from match_decisions where event_id = $1 and candidate_id is null`,
      [b.id],
    );
    return { guestA, guestB, decision: made, second: b };
  }

  it('should match on the loyalty number first, even when everything else differs', async () => {
    const first = identity({ loyaltyNumber: 'LXLOY0001' });
    const { guestA, guestB, decision } = await twoStays(first, identity({ loyaltyNumber: 'LXLOY0001' }));
    expect(guestB).toBe(guestA);
    expect(decision).toEqual({ outcome: 'matched', rule: 'same-loyalty-number', score: '1.000' });
  });

  it('should announce an email or phone a returning guest gives for the first time, without its value', async () => {
    const first = identity({ loyaltyNumber: 'LXNEW0001', email: undefined, phone: undefined });
    const { guestA, guestB } = await twoStays(first, { ...first, phone: '+31612345999' });
    expect(guestB).toBe(guestA);
    const [update] = await h.probe.awaitRecords(
      h.topic('guest-updated'),
      1,
      (r) => r.json<{ subject: string }>().subject === guestA,
    );
    expect(update.json<{ data: { changes: unknown } }>().data.changes).toEqual({ phoneOnFile: true });
    expect(update.value?.toString()).not.toContain('12345999');
  });

  it("should match on the property system's profile reference at the same property", async () => {
    const first = identity();
    const { guestA, guestB, decision } = await twoStays(
      first,
      identity({ externalProfileRef: first.externalProfileRef }),
    );
    expect(guestB).toBe(guestA);
    expect(decision.rule).toBe('same-external-profile');
  });

  it('should match on the normalised email (blind index) together with the name when nothing stronger is shared', async () => {
    const first = identity();
    const { guestA, guestB, decision } = await twoStays(
      first,
      sameGuest(first, { email: first.email.toUpperCase() }),
    );
    expect(guestB).toBe(guestA);
    expect(decision).toEqual({ outcome: 'matched', rule: 'same-email', score: '0.900' });
  });

  it('should match on an email with accents typed composed one time and decomposed the next', async () => {
    const first = identity();
    const local = `jos\u00e9.${first.email.split('@')[0]}`;
    const { guestA, guestB, decision } = await twoStays(
      { ...first, email: `${local}@example.com` },
      sameGuest(first, { email: `${local.normalize('NFD')}@example.com` }),
    );
    expect(guestB).toBe(guestA);
    expect(decision).toEqual({ outcome: 'matched', rule: 'same-email', score: '0.900' });
  });

  it('should match on the phone together with the given and family name', async () => {
    const first = identity();
    const { guestA, guestB, decision } = await twoStays(
      first,
      sameGuest(first, { phone: first.phone, familyName: first.familyName.toUpperCase() }),
    );
    expect(guestB).toBe(guestA);
    expect(decision.rule).toBe('same-phone');
  });

  it.each([
    ['Strauß', 'Strauss'],
    ['Ørsted', 'ORSTED'],
    ['Иванова', 'ИВАНОВА'],
    ['王', '王'],
  ])(
    'should match on the phone together with the given name and the family name %s, given the next time as %s',
    async (family, again) => {
      const first = identity({ familyName: family });
      const { guestA, guestB, decision } = await twoStays(
        first,
        sameGuest(first, { phone: first.phone, familyName: again }),
      );
      expect(guestB).toBe(guestA);
      expect(decision.rule).toBe('same-phone');
    },
  );

  it('should create a new member and suggest the pair when another member shares only the email', async () => {
    const member = identity({ loyaltyNumber: 'LXSPO0001' });
    // The spouse enrols with a card of their own and books with the household's email.
    const spouse = identity({ loyaltyNumber: 'LXSPO0002', email: member.email });
    const { guestA, guestB, decision, second } = await twoStays(member, spouse);
    expect(guestB).not.toBe(guestA);
    expect(decision.outcome).toBe('created');
    const [guest] = await h.db.query<{ loyalty_number: string }>(
      'select loyalty_number from guests where id = $1',
      [guestB],
    );
    expect(guest.loyalty_number).toBe('LXSPO0002');
    const suggested = await h.db.query<{ candidate_id: string; rule: string; score: string }>(
      `select candidate_id, rule, score from match_decisions where event_id = $1 and outcome = 'suggested'`,
      [second.id],
    );
    expect(suggested).toEqual([{ candidate_id: guestA, rule: 'email-only', score: '0.700' }]);
  });

  it('should create a new guest and queue a review suggestion when only the phone is shared', async () => {
    const first = identity();
    const { guestA, guestB, decision } = await twoStays(first, identity({ phone: first.phone }));
    expect(guestB).not.toBe(guestA);
    expect(decision.outcome).toBe('created');
    const token = h.token(['property-manager']);
    const queue = await h.http<{ items: { guestA: string; guestB: string; rule: string; score: number }[] }>(
      'GET',
      '/review-queue?pageSize=100',
      { token },
    );
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({
        guestA: [guestA, guestB].sort()[0],
        guestB: [guestA, guestB].sort()[1],
        rule: 'phone-only',
        score: 0.6,
      }),
    );
  });

  type QueuedSuggestion = { suggestionId: string; guestA: string; guestB: string; rule: string };

  /** Every suggestion waiting for review, read page after page as the queue's cursors lead, and its total. */
  async function wholeReviewQueue(token: string, pageSize: number) {
    type Page = { total: number; items: QueuedSuggestion[]; nextCursor: string | null };
    const items: QueuedSuggestion[] = [];
    let page: Page = { total: 0, items: [], nextCursor: null };
    do {
      const after: string = page.nextCursor ? `&cursor=${page.nextCursor}` : '';
      page = (await h.http<Page>('GET', `/review-queue?pageSize=${pageSize}${after}`, { token })).body;
      items.push(...page.items);
    } while (page.nextCursor);
    return { items, total: page.total };
  }

  /** The suggestions the stay logged, and the pair's suggestion as it waits for staff. */
  async function suggestionsOf(stay: { id: string }, guestA: string, guestB: string) {
    return {
      logged: await h.db.query(
        `select guest_id, candidate_id, rule, score from match_decisions
         where event_id = $1 and outcome = 'suggested'`,
        [stay.id],
      ),
      waiting: await h.db.query(
        'select rule, score, status from match_suggestions where guest_a = $1 and guest_b = $2',
        [guestA, guestB].sort(),
      ),
    };
  }

  it('should make two profiles of two guests a travel agent booked under its one email, and suggest the pair as email-only', async () => {
    const agency = `bookings.${Date.now()}@travel-agency.example`;
    // Two people who share nothing but the agency's address: each their own name (Soundex I526, T520 and
    // two family names drawn apart), phone and profile.
    const { guestA, guestB, decision, second } = await twoStays(
      identity({ givenName: 'Ingrid', email: agency }),
      identity({ givenName: 'Tomasz', email: agency }),
    );
    expect(guestB).not.toBe(guestA);
    expect(decision).toEqual({ outcome: 'created', rule: null, score: null });
    expect(await suggestionsOf(second, guestA, guestB)).toEqual({
      logged: [{ guest_id: guestB, candidate_id: guestA, rule: 'email-only', score: '0.700' }],
      waiting: [{ rule: 'email-only', score: '0.700', status: 'open' }],
    });
  });

  it('should make two profiles of two members of a household who share the family name and phone, and suggest the pair as phone-only', async () => {
    const parent = identity({ givenName: 'Maria' });
    // Of one family, on the household's phone; another given name (Soundex M600, P360), email and profile.
    const child = identity({ givenName: 'Pieter', familyName: parent.familyName, phone: parent.phone });
    const { guestA, guestB, decision, second } = await twoStays(parent, child);
    expect(guestB).not.toBe(guestA);
    expect(decision).toEqual({ outcome: 'created', rule: null, score: null });
    expect(await suggestionsOf(second, guestA, guestB)).toEqual({
      logged: [{ guest_id: guestB, candidate_id: guestA, rule: 'phone-only', score: '0.600' }],
      waiting: [{ rule: 'phone-only', score: '0.600', status: 'open' }],
    });
  });

  it('should make two profiles of a household whose given names Soundex codes alike, John and Jane, on one phone', async () => {
    const john = identity({ givenName: 'John' });
    // J500 both: similar names, which suggest, never match.
    const jane = identity({ givenName: 'Jane', familyName: john.familyName, phone: john.phone });
    const { guestA, guestB, decision, second } = await twoStays(john, jane);
    expect(guestB).not.toBe(guestA);
    expect(decision).toEqual({ outcome: 'created', rule: null, score: null });
    expect((await suggestionsOf(second, guestA, guestB)).logged).toEqual([
      { guest_id: guestB, candidate_id: guestA, rule: 'phone-only', score: '0.600' },
    ]);
  });

  it('should match on the email and the family name a stay that gives no given name, and a profile that has none', async () => {
    const first = identity();
    const withoutGivenName = await twoStays(
      first,
      identity({ email: first.email, familyName: first.familyName, givenName: undefined }),
    );
    expect(withoutGivenName.guestB).toBe(withoutGivenName.guestA);
    expect(withoutGivenName.decision).toEqual({ outcome: 'matched', rule: 'same-email', score: '0.900' });

    const nameless = identity({ givenName: undefined });
    const toNameless = await twoStays(
      nameless,
      sameGuest({ givenName: 'Ada', familyName: nameless.familyName }, { phone: nameless.phone }),
    );
    expect(toNameless.guestB).toBe(toNameless.guestA);
    expect(toNameless.decision).toEqual({ outcome: 'matched', rule: 'same-phone', score: '0.880' });
  });

  it('should neither match nor suggest through an address more than ten guests were booked under', async () => {
    const agency = `reservations.${Date.now()}@agency.example`;
    const booked = Array.from({ length: 11 }, (_, i) =>
      identity({ givenName: `Guest${String.fromCharCode(65 + i)}x`, email: agency }),
    );
    const bookings = booked.map((who) => h.stay(who));
    await h.sendStays(bookings);
    await Promise.all(bookings.map((stay) => h.guestOfReservation(stay.data.reservationId)));
    // A twelfth guest of the agency's: its address is evidence of no one now, not even for a suggestion.
    const again = h.stay(identity({ givenName: 'Twelfth', email: agency }));
    await h.sendStays([again]);
    await h.guestOfReservation(again.data.reservationId);
    const logged = await h.db.query<{ outcome: string; rule: string | null }>(
      'select outcome, rule from match_decisions where event_id = $1 order by outcome',
      [again.id],
    );
    expect(logged).toEqual([{ outcome: 'created', rule: null }]);
  });

  it('should neither match nor suggest the guests of one batch through an address more than ten guests on file were booked under', async () => {
    const agency = `groups.${Date.now()}@tour-operator.example`;
    const onFile = Array.from({ length: 11 }, (_, i) =>
      h.stay(identity({ givenName: `Member${String.fromCharCode(65 + i)}q`, email: agency })),
    );
    await h.sendStays(onFile);
    await Promise.all(onFile.map((stay) => h.guestOfReservation(stay.data.reservationId)));
    // A tour group checking out together, booked under the operator's address: two people of one name and
    // a third of another.
    const group = [
      ...[1, 2].map(() => identity({ givenName: 'Maria', familyName: 'Garcia', email: agency })),
      identity({ givenName: 'Kenji', familyName: 'Sato', email: agency }),
    ].map((who) => firstStayOf(who, 'AMS01'));
    const resolver = h.service.app.get(IdentityResolver);
    const guestIds = await h.service.app
      .get(DataSource)
      .transaction((manager) => resolver.resolveAll(manager, group, () => undefined));
    expect(new Set(guestIds).size).toBe(3);
    // Their name alone is worth a look by staff, as for any two guests of one name; the address adds nothing.
    const decided = await h.db.query<{ outcome: string; rule: string | null }>(
      'select outcome, rule from match_decisions where event_id = any($1) order by outcome',
      [group.map((request) => request.ref)],
    );
    expect(decided).toEqual([
      { outcome: 'created', rule: null },
      { outcome: 'created', rule: null },
      { outcome: 'created', rule: null },
      { outcome: 'suggested', rule: 'similar-name' },
    ]);
  });

  it('should page through suggestions that tie on score and time without skipping or repeating one', async () => {
    // As one stay batch leaves them: the same rule, score and time.
    const pairs = await h.db.query<{ a: string; b: string }>(
      `with pair as (select gen_random_uuid() as a, gen_random_uuid() as b from generate_series(1, 100)),
       inserted as (insert into guests (id) select a from pair union all select b from pair)
       insert into match_suggestions (id, guest_a, guest_b, rule, score, created_at)
       select gen_random_uuid(), least(a, b), greatest(a, b), 'phone-only', 0.6, '2026-01-01T00:00:00Z' from pair
       returning guest_a as a, guest_b as b`,
    );
    const { items, total } = await wholeReviewQueue(h.token(['chain-admin']), 20);
    const seen = items.map((item) => `${item.guestA}/${item.guestB}`);
    expect(seen).toHaveLength(total);
    const ours = new Set(pairs.map((pair) => `${pair.a}/${pair.b}`));
    const shown = seen.filter((pair) => ours.has(pair));
    expect(new Set(shown).size).toBe(100);
    expect(shown).toHaveLength(100);
    // Out of the way of the later tests, which read the queue's first page.
    await h.db.query(`update match_suggestions set status = 'not-same' where guest_a = any($1::uuid[])`, [
      pairs.map((pair) => pair.a),
    ]);
  });

  it('should suggest nothing from a similar name that more than ten guests share', async () => {
    const holders = Array.from({ length: 11 }, () =>
      h.stay(identity({ givenName: 'Ottilie', familyName: 'Quackenbush' })),
    );
    await h.sendStays(holders);
    await Promise.all(holders.map((stay) => h.guestOfReservation(stay.data.reservationId)));
    const newcomer = h.stay(identity({ givenName: 'Otilie', familyName: 'Quakenbush' }));
    await h.sendStays([newcomer]);
    const guest = await h.guestOfReservation(newcomer.data.reservationId);
    const [{ n }] = await h.db.query<{ n: string }>(
      'select count(*) as n from match_suggestions where guest_a = $1 or guest_b = $1',
      [guest],
    );
    expect(n).toBe('0');
  });

  it('should only suggest a similar name, and never again once staff decide they are not the same person', async () => {
    const first = identity({ givenName: 'Jon', familyName: 'Smyth' });
    // Soundex makes Jon/John and Smyth/Smith alike; nothing else is shared.
    const john = identity({ givenName: 'John', familyName: 'Smith' });
    const { guestA, guestB, second } = await twoStays(first, john);
    expect(guestB).not.toBe(guestA);
    const suggestedBy = (eventId: string) =>
      h.db.query<{ guest_id: string; candidate_id: string; rule: string }>(
        `select guest_id, candidate_id, rule from match_decisions where event_id = $1 and outcome = 'suggested'`,
        [eventId],
      );
    expect(await suggestedBy(second.id)).toEqual([
      { guest_id: guestB, candidate_id: guestA, rule: 'similar-name' },
    ]);
    // John returns while the suggestion is open: the same pair is not logged again at every stay.
    const again = h.stay(john);
    await h.sendStays([again]);
    expect(await h.guestOfReservation(again.data.reservationId)).toBe(guestB);
    expect(await suggestedBy(again.id)).toEqual([]);
    const token = h.token(['property-manager']);
    const pair = [guestA, guestB].sort();
    // Other tests' suggestions, stronger, come first: the pair is looked for on every page.
    const suggestion = (await wholeReviewQueue(token, 100)).items.find(
      (s) => s.guestA === pair[0] && s.guestB === pair[1],
    );
    expect(suggestion?.rule).toBe('similar-name');

    expect(
      (await h.http('POST', `/review-queue/${suggestion?.suggestionId}/not-same`, { token })).status,
    ).toBe(201);
    const third = h.stay(
      identity({ givenName: 'Jonn', familyName: 'Smith', externalProfileRef: first.externalProfileRef }),
    );
    await h.sendStays([third]);
    await h.guestOfReservation(third.data.reservationId);
    expect(await suggestedBy(third.id)).toEqual([]);
    const [{ n }] = await h.db.query<{ n: string }>(
      `select count(*) as n from match_suggestions where guest_a = $1 and guest_b = $2`,
      pair,
    );
    expect(n).toBe('1');
    const [{ status }] = await h.db.query<{ status: string }>(
      'select status from match_suggestions where guest_a = $1 and guest_b = $2',
      pair,
    );
    expect(status).toBe('not-same');
  });

  it('should suggest two profiles of one name for review as the same name and date of birth once staff record both, and never merge them', async () => {
    // Stays carry no date of birth: staff give it, so only then can the two be compared.
    const name = { givenName: randomName(), familyName: randomName() };
    const { guestA, guestB } = await twoStays(identity(name), identity(name));
    expect(guestB).not.toBe(guestA);
    const admin = h.token(['chain-admin']);
    for (const guestId of [guestA, guestB]) {
      const updated = await h.http('PATCH', `/guests/${guestId}/contacts`, {
        token: admin,
        reason: 'guest showed their passport',
        body: { dateOfBirth: '1979-11-02' },
      });
      expect(updated.status).toBe(200);
    }
    const pair = [guestA, guestB].sort();
    // The same name alone had them suggested as similar names: the stronger evidence ranks the pair higher.
    expect(
      await h.db.query(
        'select rule, score, status from match_suggestions where guest_a = $1 and guest_b = $2',
        pair,
      ),
    ).toEqual([{ rule: 'same-name-and-dob', score: '0.750', status: 'open' }]);
    expect(
      await h.db.query(
        `select guest_id, candidate_id from match_decisions
         where outcome = 'suggested' and rule = 'same-name-and-dob' and guest_id = any($1::uuid[])`,
        [pair],
      ),
    ).toEqual([{ guest_id: guestB, candidate_id: guestA }]);
    const [{ active }] = await h.db.query<{ active: string }>(
      `select count(*) as active from guests where id = any($1::uuid[]) and status = 'active'`,
      [pair],
    );
    expect(active).toBe('2');
  });

  it('should merge two existing profiles automatically when a stay links them strongly, and publish guest-merged', async () => {
    const byEmail = identity();
    const member = identity({ loyaltyNumber: 'LXMRG0001' });
    const a = h.stay(byEmail);
    const b = h.stay(member);
    await h.sendStays([a, b]);
    const [guestEmail, guestMember] = [
      await h.guestOfReservation(a.data.reservationId),
      await h.guestOfReservation(b.data.reservationId),
    ];
    expect(guestEmail).not.toBe(guestMember);

    // The member quotes their card, and the name and email of the other profile: one person.
    const linking = h.stay(sameGuest(byEmail, { loyaltyNumber: 'LXMRG0001', email: byEmail.email }));
    await h.sendStays([linking]);
    const [merged] = await h.probe.awaitRecords(h.topic('guest-merged'), 1, (r) =>
      [guestEmail, guestMember].includes(r.json<{ data: { mergedId: string } }>().data.mergedId),
    );
    expect(merged.json<{ subject: string; data: unknown }>()).toMatchObject({
      subject: guestMember,
      data: { survivorId: guestMember, mergedId: guestEmail, rule: 'same-email' },
    });
    const stays = await h.db.query<{ guest_id: string }>(
      'select distinct guest_id from stays where reservation_id = any($1)',
      [[a.data.reservationId, b.data.reservationId, linking.data.reservationId]],
    );
    expect(stays).toEqual([{ guest_id: guestMember }]);
    const [gone] = await h.db.query<{ status: string; merged_into: string }>(
      'select status, merged_into from guests where id = $1',
      [guestEmail],
    );
    expect(gone).toEqual({ status: 'merged', merged_into: guestMember });

    // The survivor's profile holds the best of both: the email came from the merged profile.
    const profile = await h.http<{ personal: { email?: { value: string } }; history: { stays: number } }>(
      'GET',
      `/guests/${guestMember}`,
      {
        token: h.token(['chain-admin']),
        reason: 'merge test',
      },
    );
    expect(profile.body.personal.email?.value).toBe(byEmail.email);
    expect(profile.body.history.stays).toBe(3);
  });

  it('should not merge two members when a stay without a loyalty number links them, and suggest the pair', async () => {
    // Two members of one name (a father and the son named after him).
    const one = identity({ loyaltyNumber: 'LXTWO0001' });
    const two = sameGuest(one, { loyaltyNumber: 'LXTWO0002' });
    const [a, b] = [h.stay(one), h.stay(two)];
    await h.sendStays([a, b]);
    const [guestOne, guestTwo] = [
      await h.guestOfReservation(a.data.reservationId),
      await h.guestOfReservation(b.data.reservationId),
    ];
    // Their name, the first member's email, the second's phone, and no card.
    const linking = h.stay(sameGuest(one, { email: one.email, phone: two.phone, loyaltyNumber: undefined }));
    await h.sendStays([linking]);
    expect(await h.guestOfReservation(linking.data.reservationId)).toBe(guestOne);
    expect(
      await h.db.query(
        'select id, status, loyalty_number from guests where id = any($1::uuid[]) order by id',
        [[guestOne, guestTwo]],
      ),
    ).toEqual(
      [
        { id: guestOne, status: 'active', loyalty_number: 'LXTWO0001' },
        { id: guestTwo, status: 'active', loyalty_number: 'LXTWO0002' },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    const [pair] = await h.db.query<{ rule: string; status: string }>(
      'select rule, status from match_suggestions where guest_a = $1 and guest_b = $2',
      [guestOne, guestTwo].sort(),
    );
    expect(pair).toEqual({ rule: 'same-phone', status: 'open' });
  });

  it('should record a stay under the merged-away member number on the survivor when staff merged two members', async () => {
    const [one, two] = [identity({ loyaltyNumber: 'LXSTF0001' }), identity({ loyaltyNumber: 'LXSTF0002' })];
    const [a, b] = [h.stay(one), h.stay(two)];
    await h.sendStays([a, b]);
    const merge = await h.http<{ survivorId: string; mergedId: string }>('POST', '/merges', {
      token: h.token(['chain-admin']),
      body: {
        guestA: await h.guestOfReservation(a.data.reservationId),
        guestB: await h.guestOfReservation(b.data.reservationId),
      },
    });
    expect(merge.status).toBe(201);
    const { survivorId } = merge.body;
    const [{ loyalty_number: kept }] = await h.db.query<{ loyalty_number: string }>(
      'select loyalty_number from guests where id = $1',
      [survivorId],
    );
    const mergedAwayNumber = kept === 'LXSTF0001' ? 'LXSTF0002' : 'LXSTF0001';

    // The member whose profile was merged away comes back with their card and nothing else known.
    const back = h.stay(identity({ loyaltyNumber: mergedAwayNumber }));
    await h.sendStays([back]);
    expect(await h.guestOfReservation(back.data.reservationId)).toBe(survivorId);
    expect(
      await h.db.query(
        'select outcome, rule from match_decisions where event_id = $1 and candidate_id is null',
        [back.id],
      ),
    ).toEqual([{ outcome: 'matched', rule: 'same-loyalty-number' }]);
    expect(
      await h.db.query(`select id from guests where loyalty_number = $1 and status = 'active'`, [
        mergedAwayNumber,
      ]),
    ).toEqual([]);
  });

  it('should keep the loyalty number of a new member whom a batch brings both with and without it', async () => {
    const resolver = h.service.app.get(IdentityResolver);
    const member = identity({ loyaltyNumber: 'LXBAT0001' });
    const request = (loyaltyNumber?: string, observedAt = '2026-03-01T10:00:00Z') => ({
      ref: `test-${observedAt}-${loyaltyNumber ?? 'none'}`,
      propertyId: 'AMS01',
      identity: { ...member, loyaltyNumber },
      countryCode: loyaltyNumber ? 'NL' : 'BE',
      observedAt,
      source: 'pms/test',
    });
    const guestIds = await h.service.app
      .get(DataSource)
      .transaction((manager) =>
        resolver.resolveAll(
          manager,
          [request('LXBAT0001', '2026-03-02T10:00:00Z'), request(undefined, '2026-03-01T10:00:00Z')],
          () => undefined,
        ),
      );
    expect(new Set(guestIds).size).toBe(1);
    // The member number of the one, and the newer details of the two (the one with the card is newer).
    expect(
      await h.db.query('select loyalty_number, country_code from guests where id = $1', [guestIds[0]]),
    ).toEqual([{ loyalty_number: 'LXBAT0001', country_code: 'NL' }]);
  });

  it('should log only the stored, strongest rule when two stays of a batch suggest the same pair', async () => {
    const name = { givenName: randomName(), familyName: randomName() };
    const earlier = identity(name);
    const earlierStay = h.stay(earlier);
    await h.sendStays([earlierStay]);
    const guestA = await h.guestOfReservation(earlierStay.data.reservationId);
    // The first stay shares only the name (similar-name, 0.55); the second is the same new guest by the
    // profile reference, and shares only the phone with the earlier guest (phone-only, 0.60).
    const newcomer = identity(name);
    const request = (ref: string, who: ResolutionRequest['identity']): ResolutionRequest => ({
      ref,
      propertyId: 'AMS01',
      identity: who,
      observedAt: '2026-03-01T10:00:00Z',
      source: 'pms/test',
    });
    const [byName, byPhone] = ['by-name', 'by-phone'].map(
      (by) => `test-${by}-${newcomer.externalProfileRef}`,
    );
    const guestIds = await h.service.app
      .get(DataSource)
      .transaction((manager) =>
        h.service.app
          .get(IdentityResolver)
          .resolveAll(
            manager,
            [
              request(byName, newcomer),
              request(
                byPhone,
                identity({ externalProfileRef: newcomer.externalProfileRef, phone: earlier.phone }),
              ),
            ],
            () => undefined,
          ),
      );
    const [guestB, sameGuest] = guestIds;
    expect(sameGuest).toBe(guestB);
    expect(guestB).not.toBe(guestA);
    expect(
      await h.db.query(
        'select rule, score from match_suggestions where guest_a = $1 and guest_b = $2',
        [guestA, guestB].sort(),
      ),
    ).toEqual([{ rule: 'phone-only', score: '0.600' }]);
    expect(
      await h.db.query(
        `select event_id, guest_id, candidate_id, rule, score from match_decisions
         where outcome = 'suggested' and event_id = any($1::text[])`,
        [[byName, byPhone]],
      ),
    ).toEqual([
      { event_id: byPhone, guest_id: guestB, candidate_id: guestA, rule: 'phone-only', score: '0.600' },
    ]);
  });

  /**
   * Resolves `first` in a transaction left open, then `second` in another while the first has not committed
   * (waiting for it, when it locks evidence the first holds), commits the first, and returns both batches'
   * guest ids.
   */
  async function resolvedSideBySide(
    first: ResolutionRequest[],
    second: ResolutionRequest[],
  ): Promise<[string[], string[]]> {
    const resolver = h.service.app.get(IdentityResolver);
    const dataSource = h.service.app.get(DataSource);
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const firstIds = await resolver.resolveAll(runner.manager, first, () => undefined);
      let settled = false;
      const secondIds = dataSource
        .transaction((manager) => resolver.resolveAll(manager, second, () => undefined))
        .finally(() => (settled = true));
      await waitUntil('the second batch resolved or waiting for the first', async () => {
        const [{ waiting }] = await h.db.query<{ waiting: boolean }>(
          `select exists (select 1 from pg_stat_activity
                          where wait_event_type = 'Lock' and datname = current_database()) as waiting`,
        );
        return waiting || settled ? true : undefined;
      });
      await runner.commitTransaction();
      return [firstIds, await secondIds];
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  const firstStayOf = (who: ResolutionRequest['identity'], propertyId: string): ResolutionRequest => ({
    ref: `test-first-stay-${propertyId}-${who.externalProfileRef}`,
    propertyId,
    identity: who,
    observedAt: '2026-03-01T10:00:00Z',
    source: 'pms/test',
  });

  const guestsOfMember = (loyaltyNumber: string) =>
    h.db.query(`select count(*)::int as n from guests where loyalty_number = $1`, [loyaltyNumber]);

  it('should create one guest for two first stays of a new member resolved at once, also when another member shares their email', async () => {
    // The spouse is a member already: the new member's email is held, by a profile the stays do not match.
    const spouse = identity({ loyaltyNumber: 'LXCON0002' });
    const spouseStay = h.stay(spouse);
    await h.sendStays([spouseStay]);
    const spouseId = await h.guestOfReservation(spouseStay.data.reservationId);
    const member = identity({ loyaltyNumber: 'LXCON0001', email: spouse.email });
    // The other stay is at another property, in a batch of its own.
    const [[firstId], second] = await resolvedSideBySide(
      [firstStayOf(member, 'AMS01')],
      [firstStayOf(member, 'BRU03')],
    );
    expect(firstId).not.toBe(spouseId);
    expect(second).toEqual([firstId]);
    expect(await guestsOfMember('LXCON0001')).toEqual([{ n: 1 }]);
  });

  it('should create one guest for a new member whom an earlier stay of the batch keeps from the profile their email matches, and their concurrent first stay elsewhere', async () => {
    // A profile without a card holds the household's email.
    const household = identity();
    const householdStay = h.stay(household);
    await h.sendStays([householdStay]);
    const householdId = await h.guestOfReservation(householdStay.data.reservationId);
    // The father whose profile it is enrols, and so does the son named after him, both with that email.
    const [enrolling, son] = ['LXHOU0001', 'LXHOU0002'].map((loyaltyNumber) =>
      sameGuest(household, { loyaltyNumber, email: household.email }),
    );
    // The first stay of the batch gives the profile its card, so the son's, another member's, is not
    // matched with it; the son's stay elsewhere shares nothing but the card.
    const [[enrolledId, sonId], elsewhere] = await resolvedSideBySide(
      [firstStayOf(enrolling, 'AMS01'), firstStayOf(son, 'AMS01')],
      [firstStayOf(identity({ loyaltyNumber: 'LXHOU0002' }), 'BRU03')],
    );
    expect(enrolledId).toBe(householdId);
    expect(sonId).not.toBe(householdId);
    expect(elsewhere).toEqual([sonId]);
    expect(await guestsOfMember('LXHOU0002')).toEqual([{ n: 1 }]);
  });

  it('should create one guest for a stay whose guest is erased while it is resolved, and a concurrent stay of theirs elsewhere', async () => {
    const who = identity();
    const first = h.stay(who);
    await h.sendStays([first]);
    const erasedId = await h.guestOfReservation(first.data.reservationId);
    // What erasure does to the guest row and its evidence, committed once the stay found the guest.
    onNextCandidateFacts('before', async () => {
      await h.db.query('delete from guest_identities where guest_id = $1', [erasedId]);
      await h.db.query(`update guests set status = 'erased' where id = $1`, [erasedId]);
    });
    const [[newId], elsewhere] = await resolvedSideBySide(
      [firstStayOf(who, first.data.propertyId)],
      [firstStayOf(who, 'BRU03')],
    );
    expect(newId).not.toBe(erasedId);
    expect(elsewhere).toEqual([newId]);
  });

  it('should read the evidence on file once for a batch, and again only the strong evidence it locks for a new guest', async () => {
    const returning = identity({ loyaltyNumber: 'LXONE0001' });
    const recorded = h.stay(returning, { propertyId: 'AMS01' });
    await h.sendStays([recorded]);
    await h.guestOfReservation(recorded.data.reservationId);
    const newcomer = identity({ loyaltyNumber: 'LXONE0002' });
    const resolver = h.service.app.get(IdentityResolver);
    const resolve = (requests: ResolutionRequest[]) =>
      h.service.app
        .get(DataSource)
        .transaction((manager) => resolver.resolveAll(manager, requests, () => undefined));
    const lookup = jest.spyOn(h.service.app.get(IdentityRepository), 'lookup');
    try {
      await resolve([firstStayOf(returning, 'AMS01')]);
      expect(lookup).toHaveBeenCalledTimes(1);
      lookup.mockClear();
      await resolve([firstStayOf(returning, 'AMS01'), firstStayOf(newcomer, 'AMS01')]);
      // Locked, the new guest's evidence is read again: a concurrent first stay of theirs may have committed.
      const locked = evidenceOf(newcomer, 'AMS01', h.service.app.get(PersonalDataCipher)).filter((key) =>
        ['loyalty-number', 'external-profile', 'email', 'phone'].includes(key.kind),
      );
      expect(lookup.mock.calls.map(([, keys]) => keys)).toEqual([expect.any(Array), locked]);
    } finally {
      lookup.mockRestore();
    }
  });

  it("should look up a batch's evidence and reservations key by key, not by reading all that is on file", async () => {
    const runner = h.service.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const { manager } = runner;
      // A small chain as the planner sees it, rolled back after: 5,000 guests with 7 keys and 2 stays each.
      await manager.query('insert into guests (id) select gen_random_uuid() from generate_series(1, 5000)');
      await manager.query(
        `insert into guest_identities (source, reference, guest_id)
         select k.source, k.source || '-' || g.n, g.id from (select id, row_number() over () as n from guests) g
         cross join unnest(array['loyalty', 'pms:AMS01', 'email', 'phone', 'family-name', 'full-name',
                                 'similar-name']) as k (source)`,
      );
      await manager.query(
        `insert into stays (id, guest_id, property_id, reservation_id, arrival, departure, nights)
         select gen_random_uuid(), g.id, 'AMS01', 'R-' || g.id || '-' || s, '2026-01-01', '2026-01-03', 2
         from guests g cross join generate_series(1, 2) as s`,
      );
      await manager.query('analyze guests, guest_identities, stays');
      // What a batch of a hundred stays of returning guests looks up.
      const stays = Array.from({ length: 100 }, (_, i) => i + 1);
      const keys: EvidenceKey[] = stays.flatMap((n) =>
        (
          [
            ['loyalty-number', 'loyalty'],
            ['external-profile', 'pms:AMS01'],
            ['email', 'email'],
            ['phone', 'phone'],
            ['similar-name', 'similar-name'],
          ] as const
        ).map(([kind, source]) => ({ kind, source, reference: `${source}-${n}` })),
      );
      const reservations = stays.map((n) => ({ propertyId: 'AMS01', reservationId: `R-NEW-${n}` }));
      /** The tables a read scans whole, from its plan. */
      const scannedWhole = async (read: (explaining: EntityManager) => Promise<unknown>) => {
        const scanned: string[] = [];
        const explaining = {
          query: async (sql: string, params: unknown[]) => {
            const [row]: { 'QUERY PLAN': [{ Plan: PlanNode }] }[] = await manager.query(
              `explain (format json) ${sql}`,
              params,
            );
            const visit = (node: PlanNode): void => {
              if (node['Node Type'] === 'Seq Scan') scanned.push(node['Relation Name'] as string);
              node.Plans?.forEach(visit);
            };
            visit(row['QUERY PLAN'][0].Plan);
            return [];
          },
        };
        await read(explaining as unknown as EntityManager);
        return scanned;
      };
      expect(await scannedWhole((m) => h.service.app.get(IdentityRepository).lookup(m, keys))).toEqual([]);
      expect(
        await scannedWhole((m) =>
          h.service.app.get(StayRecordingRepository).alreadyRecorded(m, reservations),
        ),
      ).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("should keep staff's decision that two guests are not the same person when one of them is merged", async () => {
    const father = identity({ familyName: 'Vermeer' });
    const [son, fatherAsMember] = [sameGuest(father), identity({ loyaltyNumber: 'LXFAM0001' })];
    // The son is named after his father, which has them suggested; staff decide they are two people.
    const [s, f, m] = [h.stay(son), h.stay(father), h.stay(fatherAsMember)];
    await h.sendStays([s]);
    await h.sendStays([f, m]);
    const [sonId, fatherId, memberId] = await Promise.all(
      [s, f, m].map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const [suggestion] = await h.db.query<{ id: string }>(
      'select id from match_suggestions where guest_a = $1 and guest_b = $2',
      [sonId, fatherId].sort(),
    );
    const token = h.token(['property-manager']);
    expect((await h.http('POST', `/review-queue/${suggestion.id}/not-same`, { token })).status).toBe(201);
    // The father joins and links his earlier profile by its email and his name: that profile is merged into
    // the member's.
    const joining = h.stay(sameGuest(father, { loyaltyNumber: 'LXFAM0001', email: father.email }));
    await h.sendStays([joining]);
    await waitUntil('the father to be merged', async () => {
      const [row] = await h.db.query<{ status: string }>('select status from guests where id = $1', [
        fatherId,
      ]);
      return row.status === 'merged' ? true : undefined;
    });
    // The son comes back with his own profile reference and the household email the member now holds: with
    // the name they share, as strong a link to the member as to him.
    const back = h.stay(sameGuest(son, { externalProfileRef: son.externalProfileRef, email: father.email }));
    await h.sendStays([back]);
    expect(await h.guestOfReservation(back.data.reservationId)).toBe(sonId);
    expect(
      await h.db.query('select status from guests where id = any($1::uuid[])', [[sonId, memberId]]),
    ).toEqual([{ status: 'active' }, { status: 'active' }]);
  });

  it('should keep the open review suggestions of a merged profile waiting on the survivor', async () => {
    // The member survives a merge with a profile that holds no loyalty number.
    const [survivor, merged, other] = [
      h.stay(identity({ loyaltyNumber: 'LXSUG0001' })),
      h.stay(identity()),
      h.stay(identity()),
    ];
    await h.sendStays([survivor, merged, other]);
    const [s, m, x] = await Promise.all(
      [survivor, merged, other].map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const suggest = (one: string, another: string) =>
      h.db.query(
        `insert into match_suggestions (id, guest_a, guest_b, rule, score)
         values (gen_random_uuid(), least($1::uuid, $2::uuid), greatest($1::uuid, $2::uuid), 'phone-only', 0.6)`,
        [one, another],
      );
    await suggest(m, x);
    await suggest(m, s);
    const merging = await h.http('POST', '/merges', {
      token: h.token(['chain-admin']),
      body: { guestA: s, guestB: m },
    });
    expect(merging).toMatchObject({ status: 201, body: { survivorId: s, mergedId: m } });
    const waiting = await h.db.query<{ guest_a: string; guest_b: string }>(
      `select guest_a, guest_b from match_suggestions
       where status = 'open' and (guest_a = any($1::uuid[]) or guest_b = any($1::uuid[]))`,
      [[s, m]],
    );
    expect(waiting).toEqual([{ guest_a: [s, x].sort()[0], guest_b: [s, x].sort()[1] }]);

    // A pair the survivor is already in is not suggested twice.
    const third = h.stay(identity());
    await h.sendStays([third]);
    const m2 = await h.guestOfReservation(third.data.reservationId);
    await suggest(m2, x);
    expect(
      (await h.http('POST', '/merges', { token: h.token(['chain-admin']), body: { guestA: s, guestB: m2 } }))
        .status,
    ).toBe(201);
    expect(
      await h.db.query(
        `select guest_a, guest_b from match_suggestions
         where status = 'open' and (guest_a = any($1::uuid[]) or guest_b = any($1::uuid[]))`,
        [[s, m2]],
      ),
    ).toEqual(waiting);
  });

  it('should refuse "not the same person" with 409 when a profile was merged away or erased, and record nothing', async () => {
    const stays = [h.stay(identity()), h.stay(identity()), h.stay(identity()), h.stay(identity())];
    await h.sendStays(stays);
    const [a, b, other, erased] = await Promise.all(
      stays.map((stay) => h.guestOfReservation(stay.data.reservationId)),
    );
    const token = h.token(['chain-admin']);
    const merged = await h.http<{ survivorId: string; mergedId: string }>('POST', '/merges', {
      token,
      body: { guestA: a, guestB: b },
    });
    expect(merged.status).toBe(201);
    const notSame = (guestA: string, guestB: string) =>
      h.http('POST', '/not-same-person', { token, body: { guestA, guestB } });
    expect(await notSame(merged.body.mergedId, other)).toMatchObject({
      status: 409,
      body: { code: 'GUEST_ALREADY_MERGED' },
    });
    expect(
      (await h.http('POST', `/guests/${erased}/erasure`, { token, body: { reason: 'guest-request' } }))
        .status,
    ).toBe(201);
    expect(await notSame(other, erased)).toMatchObject({ status: 409, body: { code: 'GUEST_ERASED' } });
    expect(
      await h.db.query(
        `select 1 from match_suggestions where status = 'not-same' and (guest_a = any($1::uuid[]) or guest_b = any($1::uuid[]))`,
        [[merged.body.mergedId, erased]],
      ),
    ).toEqual([]);
    expect((await notSame(merged.body.survivorId, other)).status).toBe(204);
  });

  it('should make a new guest and suggest both when a stay ties between two profiles staff declared different people', async () => {
    // Two people of one name (a father and the son named after him) who share a household email, as staff
    // recorded it on the second profile.
    const first = identity();
    const { guestA, guestB } = await twoStays(first, sameGuest(first));
    expect(guestB).not.toBe(guestA);
    const admin = h.token(['chain-admin']);
    const updated = await h.http('PATCH', `/guests/${guestB}/contacts`, {
      token: admin,
      reason: 'guest gave the household email',
      body: { email: first.email },
    });
    expect(updated.status).toBe(200);
    expect(
      (await h.http('POST', '/not-same-person', { token: admin, body: { guestA, guestB } })).status,
    ).toBe(204);

    const tie = h.stay(sameGuest(first, { email: first.email }));
    await h.sendStays([tie]);
    const guestC = await h.guestOfReservation(tie.data.reservationId);
    expect([guestA, guestB]).not.toContain(guestC);
    expect(
      await h.db.query('select outcome from match_decisions where event_id = $1 and candidate_id is null', [
        tie.id,
      ]),
    ).toEqual([{ outcome: 'created' }]);
    expect(
      await h.db.query(
        `select candidate_id, rule from match_decisions where event_id = $1 and outcome = 'suggested'
         order by candidate_id`,
        [tie.id],
      ),
    ).toEqual([guestA, guestB].sort().map((candidate) => ({ candidate_id: candidate, rule: 'same-email' })));
  });

  it('should record the linking stay on the survivor when the profile it matched is the one merged away', async () => {
    const plain = identity();
    const member = identity({ loyaltyNumber: 'LXMRG0002' });
    const [p, q] = [h.stay(plain), h.stay(member)];
    await h.sendStays([p, q]);
    const [guestPlain, guestMember] = [
      await h.guestOfReservation(p.data.reservationId),
      await h.guestOfReservation(q.data.reservationId),
    ];

    // Matched on the first profile's reference (0.95), linked to the member by email and name (0.9): the member
    // survives.
    const linking = h.stay(
      sameGuest(member, { externalProfileRef: plain.externalProfileRef, email: member.email }),
    );
    await h.sendStays([linking]);
    expect(await h.guestOfReservation(linking.data.reservationId)).toBe(guestMember);
    const [gone] = await h.db.query<{ status: string; merged_into: string }>(
      'select status, merged_into from guests where id = $1',
      [guestPlain],
    );
    expect(gone).toEqual({ status: 'merged', merged_into: guestMember });
    // Published from a batch of stays, the merge follows from the stay that linked the pair.
    const [merge] = await h.probe.awaitRecords(
      h.topic('guest-merged'),
      1,
      (r) => r.json<{ data: { mergedId: string } }>().data.mergedId === guestPlain,
    );
    expect(merge.json()).toMatchObject({ correlationid: linking.correlationid, causationid: linking.id });
  });

  it("should carry a new guest's first stay's correlation on their registration, naming the stay as its cause", async () => {
    const stays = [h.stay(identity()), h.stay(identity())];
    await h.sendStays(stays);
    for (const stay of stays) {
      const guestId = await h.guestOfReservation(stay.data.reservationId);
      const [registered] = await h.probe.awaitRecords(
        h.topic('guest-registered'),
        1,
        (r) => r.json<{ subject: string }>().subject === guestId,
      );
      expect(registered.json()).toMatchObject({ correlationid: stay.correlationid, causationid: stay.id });
    }
  });

  /**
   * Commits `meanwhile` on another connection when the next resolution reads its candidates' facts: before
   * they are read, or once they are (so the resolver decides on what it read before).
   */
  function onNextCandidateFacts(when: 'before' | 'after', meanwhile: () => Promise<unknown>): void {
    const identities = h.service.app.get(IdentityRepository);
    const candidateFacts = identities.candidateFacts.bind(identities);
    jest.spyOn(identities, 'candidateFacts').mockImplementationOnce(async (...args) => {
      if (when === 'before') await meanwhile();
      const facts = await candidateFacts(...args);
      if (when === 'after') await meanwhile();
      return facts;
    });
  }

  /**
   * Sends a stay that matches `matched` by its profile reference, with `meanwhile` committed on another
   * connection after the matching guest was read and before its row is written; returns its guest.
   */
  async function stayRacing(matched: ReturnType<typeof identity>, meanwhile: () => Promise<unknown>) {
    onNextCandidateFacts('before', meanwhile);
    const racing = h.stay(identity({ externalProfileRef: matched.externalProfileRef }));
    await h.sendStays([racing]);
    return h.guestOfReservation(racing.data.reservationId);
  }

  it('should record the stay on the survivor when the guest it matched is merged away concurrently', async () => {
    const [member, other] = [identity({ loyaltyNumber: 'LXRACE001' }), identity()];
    const [s, m] = [h.stay(member), h.stay(other)];
    await h.sendStays([s, m]);
    const survivorId = await h.guestOfReservation(s.data.reservationId);
    const mergedId = await h.guestOfReservation(m.data.reservationId);
    const guestId = await stayRacing(other, () =>
      h.db.query(`update guests set status = 'merged', merged_into = $1 where id = $2`, [
        survivorId,
        mergedId,
      ]),
    );
    expect(guestId).toBe(survivorId);
  });

  it('should suggest, not merge, two profiles linked by a stay when the other became a member meanwhile', async () => {
    // One person's two profiles, as far as a stay can tell: of one name.
    const member = identity({ loyaltyNumber: 'LXRAC0001' });
    const plain = sameGuest(member);
    const [a, b] = [h.stay(member), h.stay(plain)];
    await h.sendStays([a, b]);
    const [memberId, plainId] = [
      await h.guestOfReservation(a.data.reservationId),
      await h.guestOfReservation(b.data.reservationId),
    ];
    // The guest enrols once the stay's resolver has read what the candidates hold.
    onNextCandidateFacts('after', () =>
      h.db.query(`update guests set loyalty_number = 'LXRAC0002' where id = $1`, [plainId]),
    );
    // Their name, the member's email and the other profile's phone.
    const linking = h.stay(
      sameGuest(member, { email: member.email, phone: plain.phone, loyaltyNumber: undefined }),
    );
    await h.sendStays([linking]);
    expect(await h.guestOfReservation(linking.data.reservationId)).toBe(memberId);
    expect(
      await h.db.query('select status from guests where id = any($1::uuid[])', [[memberId, plainId]]),
    ).toEqual([{ status: 'active' }, { status: 'active' }]);
    expect(
      await h.db.query('select rule, status from match_suggestions where guest_a = $1 and guest_b = $2', [
        ...[memberId, plainId].sort(),
      ]),
    ).toEqual([{ rule: 'same-phone', status: 'open' }]);
  });

  it("should not put a member's stay on a profile that, while the stay was resolved, was merged into another member's", async () => {
    const plain = identity();
    const other = identity({ loyaltyNumber: 'LXRACE0B2' });
    const [p, q] = [h.stay(plain), h.stay(other)];
    await h.sendStays([p, q]);
    const [plainId, otherId] = [
      await h.guestOfReservation(p.data.reservationId),
      await h.guestOfReservation(q.data.reservationId),
    ];
    // Staff merge the plain profile into the other member's once the stay's resolver has read the candidates.
    onNextCandidateFacts('after', async () => {
      await h.db.query('update guest_identities set guest_id = $1 where guest_id = $2', [otherId, plainId]);
      await h.db.query(`update guests set status = 'merged', merged_into = $1 where id = $2`, [
        otherId,
        plainId,
      ]);
    });
    // The plain profile's own name and email, now a member with a number of their own.
    const member = h.stay(sameGuest(plain, { email: plain.email, loyaltyNumber: 'LXRACE0A1' }));
    await h.sendStays([member]);

    const memberId = await h.guestOfReservation(member.data.reservationId);
    expect([plainId, otherId]).not.toContain(memberId);
    expect(
      await h.db.query(`select guest_id from guest_identities where source = 'loyalty' and reference = $1`, [
        'LXRACE0A1',
      ]),
    ).toEqual([{ guest_id: memberId }]);
    expect(
      await h.db.query('select status from match_suggestions where guest_a = $1 and guest_b = $2', [
        ...[memberId, otherId].sort(),
      ]),
    ).toEqual([{ status: 'open' }]);
  });

  it("should keep a guest's newer country and language when a stay observed before them is handled after", async () => {
    const member = identity({ loyaltyNumber: 'LXNEWER01', countryCode: 'DE', preferredLanguage: 'de-DE' });
    const stayOn = (day: number, details: { countryCode: string; preferredLanguage: string }) => {
      const date = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;
      return h.stay(
        { ...member, ...details },
        {
          arrival: date(day),
          departure: date(day + 1),
          nights: 1,
          checkedOutAt: `${date(day + 1)}T10:00:00Z`,
        },
      );
    };
    const newer = stayOn(10, { countryCode: 'DE', preferredLanguage: 'de-DE' });
    await h.sendStays([newer]);
    const guestId = await h.guestOfReservation(newer.data.reservationId);
    // A property that was offline sends an older stay, with the details the guest gave then.
    const older = stayOn(2, { countryCode: 'NL', preferredLanguage: 'nl-NL' });
    await h.sendStays([older]);
    expect(await h.guestOfReservation(older.data.reservationId)).toBe(guestId);
    const details = () =>
      h.db.query('select country_code, preferred_language from guests where id = $1', [guestId]);
    expect(await details()).toEqual([{ country_code: 'DE', preferred_language: 'de-DE' }]);

    const latest = stayOn(20, { countryCode: 'FR', preferredLanguage: 'fr-FR' });
    await h.sendStays([latest]);
    await h.guestOfReservation(latest.data.reservationId);
    expect(await details()).toEqual([{ country_code: 'FR', preferred_language: 'fr-FR' }]);
  });

  it('should record the stay on a new guest when the guest it matched is erased concurrently', async () => {
    const who = identity();
    const first = h.stay(who);
    await h.sendStays([first]);
    const erasedId = await h.guestOfReservation(first.data.reservationId);
    // What erasure does to the guest row and its evidence, committed meanwhile.
    const guestId = await stayRacing(who, async () => {
      await h.db.query('delete from guest_identities where guest_id = $1', [erasedId]);
      await h.db.query(`update guests set status = 'erased' where id = $1`, [erasedId]);
    });
    expect(guestId).not.toBe(erasedId);
    const [guest] = await h.db.query<{ status: string }>('select status from guests where id = $1', [
      guestId,
    ]);
    expect(guest.status).toBe('active');
    const held = await h.db.query<{ guest_id: string }>(
      `select guest_id from guest_identities where reference = $1`,
      [who.externalProfileRef],
    );
    expect(held).toEqual([{ guest_id: guestId }]);
  });

  it('should record the same upstream stay once, also under a new event id, with revenue in USD', async () => {
    const first = h.stay(identity());
    const again = buildEvent('stay-completed', first.data, {
      source: 'pms/test',
      propertyId: first.data.propertyId,
    });
    await h.sendStays([first, first, again]);
    const guestId = await h.guestOfReservation(first.data.reservationId);
    const recorded = await h.probe.awaitRecords(
      h.topic('stay-recorded'),
      1,
      (r) => r.json<{ subject: string }>().subject === guestId,
    );
    await h.caughtUp('stay-completed');
    expect(
      h.probe.seen(h.topic('stay-recorded')).filter((r) => r.json<{ subject: string }>().subject === guestId),
    ).toHaveLength(1);
    expect(
      recorded[0].json<{ data: { revenue: { program: { room: unknown } } } }>().data.revenue.program.room,
    ).toEqual({
      amountMinor: 58_590,
      currency: 'USD',
    });
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
