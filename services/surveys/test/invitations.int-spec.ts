import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventEnvelope } from '@loyalty/contracts';
import { Clock } from '@loyalty/platform';
import { recording, waitUntil, zoneOnlyNodeKnows } from '@loyalty/testing';
import { SurveysConfig } from '../src/config/surveys.config';
import { GuestDirectory } from '../src/guests/guest-directory';
import { GuestPrivacy } from '../src/guests/guest-privacy';
import { CHAIN_INVITATION_PAGE_SQL } from '../src/invitations/invitation-list';
import { inIdOrder, SEND_ALL_DAY, SurveysApp } from './surveys-app';

const at = (iso: string) => new Date(iso);

type Guest = EventEnvelope<'guest-registered'>;

describe('surveys inviting (real broker and Postgres)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_invitations');
  });

  afterAll(async () => {
    await app.close();
  });

  /** A merge of `mergedId` into `survivorId` as surveys' merge writes the guests, left uncommitted. */
  const mergeInFlight = (survivorId: string, mergedId: string) =>
    app.openTransaction('update survey_guests set merged_into = $1 where guest_id = $2 or merged_into = $2', [
      survivorId,
      mergedId,
    ]);

  it('should send each due invitation once across a restart, including stays recorded while it was down', async () => {
    const guests = Array.from({ length: 6 }, () => app.guest());
    // Check-outs on consecutive days: Amsterdam invitations fall due on the next day at 10:00 local.
    const stays = guests.map((g, i) =>
      app.stay(g.data.guestId, { checkedOutAt: `2025-04-0${i + 1}T08:00:00Z`, propertyId: 'RESTART01' }),
    );
    await app.feed(...guests, ...stays.slice(0, 4));
    expect((await app.invitation(stays[0].data.stayId))?.due_at).toEqual(at('2025-04-02T08:00:00Z'));
    expect(await app.sendDue(at('2025-04-03T12:00:00Z'))).toEqual({ sent: 2, skipped: 0 });

    await app.stop();
    // Recorded while surveys is down: consumed after the restart, nothing lost.
    await app.stage.probe.produceJson(
      app.stage.topic('stay-recorded'),
      stays.slice(4).map((event) => ({ key: event.subject, event })),
    );
    // Back with its scheduler running on the real clock: everything still scheduled is long due (and sent
    // whatever the hour in Amsterdam).
    await app.restart(200, SEND_ALL_DAY);
    await app.feed();
    for (const stay of stays) await app.invitedFor(stay.data.stayId);
    expect(await app.sendDue(new Date())).toEqual({ sent: 0, skipped: 0 });
    await app.restart();

    const invited = app.records('survey-invited').filter((d) => d.stay.propertyId === 'RESTART01');
    expect(invited).toHaveLength(6);
    expect(new Set(invited.map((d) => d.stay.stayId)).size).toBe(6);
    const rows = await app.stage.db.query<{ state: string }>(
      `select state from invitations where property_id = 'RESTART01'`,
    );
    expect(rows.map((row) => row.state)).toEqual(Array(6).fill('sent'));
  });

  it('should invite at 10:00 local time the next day with a token, language and channel when the guest is reachable', async () => {
    const guest = app.guest({ preferredLanguage: 'zh-CN', emailOnFile: false, phoneOnFile: true });
    const stay = app.stay(guest.data.guestId, {
      propertyId: 'SHA01',
      timeZone: 'Asia/Shanghai',
      checkedOutAt: '2025-05-01T03:00:00Z',
    });
    await app.feed(guest, stay);
    expect((await app.invitation(stay.data.stayId))?.due_at).toEqual(at('2025-05-02T02:00:00Z'));
    expect(await app.sendDue(at('2025-05-02T01:59:00Z'))).toEqual({ sent: 0, skipped: 0 });
    await app.sendDue(at('2025-05-02T02:00:00Z'));
    const invited = await app.invitedFor(stay.data.stayId);
    expect(invited).toMatchObject({ channel: 'sms', language: 'zh', invitedAt: '2025-05-02T02:00:00.000Z' });
    expect(invited.expiresAt).toBe('2025-05-16T02:00:00.000Z');
    expect(invited.token).toMatch(/^[0-9a-f-]{36}\.\d+\.[\w-]+$/);
  });

  it('should keep one invitation per stay when the stay arrives again under another event id or stay id', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId, { propertyId: 'ONCE01' });
    const reRecorded = app.stay(guest.data.guestId, { ...stay.data, stayId: randomUUID() });
    await app.feed(guest, stay, app.stay(guest.data.guestId, { ...stay.data }), reRecorded);
    const rows = await app.stage.db.query('select * from invitations where reservation_id = $1', [
      stay.data.reservationId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('should skip a stay recorded more than SURVEYS_MAX_DAYS_AFTER_CHECKOUT after check-out as too late, and schedule one recorded within it', async () => {
    await app.restart(0, { SURVEYS_MAX_DAYS_AFTER_CHECKOUT: '30' });
    try {
      const guest = app.guest();
      const late = app.stay(guest.data.guestId, { checkedOutAt: '2025-03-10T09:59:59Z' });
      const inTime = app.stay(guest.data.guestId, { checkedOutAt: '2025-03-10T10:00:00Z' });
      await app.feedAt(at('2025-04-09T10:00:00Z'), guest, late, inTime);
      expect(await app.invitation(late.data.stayId)).toMatchObject({
        state: 'skipped',
        skip_reason: 'too-late',
      });
      expect(await app.invitation(inTime.data.stayId)).toMatchObject({
        state: 'scheduled',
        skip_reason: null,
      });
    } finally {
      await app.restart();
    }
  });

  it('should skip complimentary, staff and unsampled stays with the reason when they are recorded', async () => {
    const guest = app.guest();
    await app.http('PUT', '/settings/properties/NOSAMPLE01', { body: { samplingPercent: 0 } });
    const comp = app.stay(guest.data.guestId, { ratePlan: 'COMP' });
    const staff = app.stay(guest.data.guestId, { ratePlan: 'staff' });
    const unsampled = app.stay(guest.data.guestId, { propertyId: 'NOSAMPLE01' });
    await app.feed(guest, comp, staff, unsampled);
    expect(await app.invitation(comp.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'excluded-rate-plan',
    });
    expect(await app.invitation(staff.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'excluded-rate-plan',
    });
    expect(await app.invitation(unsampled.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'not-sampled',
    });
  });

  it('should dead-letter a stay of zero nights and schedule nothing for it', async () => {
    const guest = app.guest();
    const valid = app.stay(guest.data.guestId);
    // Built valid, then broken the way a faulty producer would send it (buildEvent refuses it).
    const stay = { ...valid, data: { ...valid.data, nights: 0 } };
    await app.feed(guest, stay);
    await app.stage.probe.awaitRecords(app.stage.topic('stay-recorded.dlq'), 1, (r) =>
      r.value!.toString().includes(stay.data.stayId),
    );
    expect(await app.invitation(stay.data.stayId)).toBeUndefined();
  });

  it('should dead-letter a stay in a time zone Postgres does not know and keep sending for every other property', async () => {
    const onlyNodeKnows = zoneOnlyNodeKnows('Mars/Olympus');
    try {
      const [guest, other] = [app.guest(), app.guest()];
      const checkedOutAt = '2025-06-01T08:00:00Z';
      const known = app.stay(guest.data.guestId, { propertyId: 'ZONE01', checkedOutAt });
      const unknown = app.stay(other.data.guestId, {
        propertyId: 'ZONE02',
        checkedOutAt,
        timeZone: 'Mars/Olympus',
      });
      await app.feed(guest, other);
      await app.feedAsOneBatch(known, unknown);
      const [letter] = await app.stage.probe.awaitRecords(
        app.stage.topic('stay-recorded.dlq'),
        1,
        (record) => record.value?.toString().includes(unknown.data.stayId) ?? false,
      );
      expect(letter.headers['dlq-reason']).toBe('TIME_ZONE_UNKNOWN');
      expect(letter.headers['dlq-detail']).toContain('Mars/Olympus');
      expect(await app.invitation(unknown.data.stayId)).toBeUndefined();
      expect(
        await app.stage.db.query(`select 1 from survey_properties where property_id = 'ZONE02'`),
      ).toEqual([]);

      await app.sendDue(at('2025-06-02T10:00:00Z'));
      expect(await app.invitation(known.data.stayId)).toMatchObject({ state: 'sent' });
    } finally {
      onlyNodeKnows.mockRestore();
    }
  });

  it('should leave out a property whose stored zone Postgres does not know, send for the others, and send its invitations once the zone is known', async () => {
    const [guest, other] = [app.guest(), app.guest()];
    const checkedOutAt = '2025-06-01T08:00:00Z';
    const known = app.stay(guest.data.guestId, { propertyId: 'ZONE11', checkedOutAt });
    const waiting = app.stay(other.data.guestId, { propertyId: 'ZONE12', checkedOutAt });
    await app.feed(guest, other, known, waiting);
    // As a zone stored before stays were checked against Postgres's zones was.
    await app.stage.db.query(
      `update survey_properties set time_zone = 'Mars/Olympus' where property_id = 'ZONE12'`,
    );
    try {
      expect(await app.sendDue(at('2025-06-02T10:00:00Z'))).toMatchObject({
        sent: 1,
        waitingForTimeZone: [{ propertyId: 'ZONE12', timeZone: 'Mars/Olympus' }],
      });
      expect(await app.invitation(known.data.stayId)).toMatchObject({ state: 'sent' });
      expect(await app.invitation(waiting.data.stayId)).toMatchObject({ state: 'scheduled' });
    } finally {
      await app.stage.db.query(
        `update survey_properties set time_zone = 'Europe/London' where property_id = 'ZONE12'`,
      );
    }
    expect(await app.sendDue(at('2025-06-02T10:01:00Z'))).toEqual({ sent: 1, skipped: 0 });
    expect(await app.invitation(waiting.data.stayId)).toMatchObject({ state: 'sent' });
  });

  it('should send for the others when 7 properties wait for their zones, as many as Postgres converts before it leaves them out by a plain where', async () => {
    const checkedOutAt = '2025-06-01T08:00:00Z';
    const guests = Array.from({ length: 8 }, () => app.guest());
    const [known, ...waiting] = guests.map((guest, i) =>
      app.stay(guest.data.guestId, { propertyId: `ZONE2${i}`, checkedOutAt }),
    );
    await app.feed(...guests, known, ...waiting);
    const waitingIds = waiting.map((stay) => stay.data.propertyId);
    await app.stage.db.query(
      `update survey_properties set time_zone = 'Mars/Olympus' where property_id = any($1::text[])`,
      [waitingIds],
    );
    try {
      const report = await app.sendDue(at('2025-06-02T10:00:00Z'));
      expect(report).toMatchObject({ sent: 1 });
      expect(report.waitingForTimeZone?.map((property) => property.propertyId).sort()).toEqual(waitingIds);
      expect(await app.invitation(known.data.stayId)).toMatchObject({ state: 'sent' });
    } finally {
      await app.stage.db.query(
        `update survey_properties set time_zone = 'Europe/London' where property_id = any($1::text[])`,
        [waitingIds],
      );
    }
    expect(await app.sendDue(at('2025-06-02T10:01:00Z'))).toEqual({ sent: 7, skipped: 0 });
  });

  it('should skip at send time a guest erased, without consent, without a channel or still unknown a day after it was due', async () => {
    const erased = app.guest();
    const refused = app.guest();
    const unreachable = app.guest({ emailOnFile: false, phoneOnFile: false });
    const unknownGuestId = '7d1c0a52-6a43-4c65-9d0e-3f3b9f1e2a10';
    const stays = [erased, refused, unreachable].map((g) =>
      app.stay(g.data.guestId, { propertyId: 'SKIP01' }),
    );
    const unknown = app.stay(unknownGuestId, { propertyId: 'SKIP01' });
    await app.feedAt(at('2025-03-04T11:00:00Z'), erased, refused, unreachable, ...stays, unknown);
    await app.feed(
      app.event('guest-erased', { guestId: erased.data.guestId }),
      app.event('guest-updated', { guestId: refused.data.guestId, changes: { surveysConsent: false } }),
    );
    await app.sendDue(at('2025-06-01T12:00:00Z'));
    const reasons = await Promise.all(
      [...stays, unknown].map(async (s) => (await app.invitation(s.data.stayId))?.skip_reason),
    );
    expect(reasons).toEqual(['erased', 'no-consent', 'no-channel', 'unknown-guest']);
  });

  it("should apply a guest's updates of one batch in order: a later value wins, a field left out keeps the earlier", async () => {
    const guest = app.guest({ preferredLanguage: 'en-GB', emailOnFile: false, phoneOnFile: false });
    await app.feed(guest);
    const { guestId } = guest.data;
    await app.feedAsOneBatch(
      app.event('guest-updated', { guestId, changes: { preferredLanguage: 'zh-CN', surveysConsent: false } }),
      app.event('guest-updated', { guestId, changes: { surveysConsent: true, phoneOnFile: true } }),
      app.event('guest-updated', { guestId, changes: { emailOnFile: false } }),
    );
    const stay = app.stay(guestId, { propertyId: 'PVG01', timeZone: 'Asia/Shanghai' });
    await app.feed(stay);
    await app.sendDue(at('2025-03-06T00:00:00Z'));
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({ channel: 'sms', language: 'zh' });
  });

  it('should skip a second stay within the recontact window, and invite when the brand shortens the window', async () => {
    const guest = app.guest();
    const first = app.stay(guest.data.guestId, {
      propertyId: 'RECON01',
      checkedOutAt: '2025-07-01T08:00:00Z',
    });
    const second = app.stay(guest.data.guestId, {
      propertyId: 'RECON01',
      checkedOutAt: '2025-07-10T08:00:00Z',
    });
    const third = app.stay(guest.data.guestId, {
      propertyId: 'RECON01',
      checkedOutAt: '2025-07-20T08:00:00Z',
    });
    await app.feed(guest, first, second);
    await app.sendDue(at('2025-07-02T12:00:00Z'));
    await app.sendDue(at('2025-07-11T12:00:00Z'));
    expect(await app.invitation(second.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'recently-surveyed',
    });

    await app.http('PUT', '/settings/properties/RECON01', { body: { brand: 'quick' } });
    await app.http('PUT', '/settings/brands/quick', { body: { recontactDays: 7 } });
    await app.feed(third);
    await app.sendDue(at('2025-07-21T12:00:00Z'));
    expect(await app.invitation(third.data.stayId)).toMatchObject({ state: 'sent', channel: 'email' });
  });

  it("should let a property manager change their property's settings but not its brand, which is a chain admin's", async () => {
    const manager = { roles: ['property-manager' as const], properties: ['BRAND01'] };
    await app.http('PUT', '/settings/properties/BRAND01', { body: { brand: 'original' } });
    const moved = await app.http('PUT', '/settings/properties/BRAND01', {
      body: { brand: 'rival', samplingPercent: 50 },
      ...manager,
    });
    expect(moved).toMatchObject({ status: 403, body: { code: 'ROLE_REQUIRED' } });
    const tuned = await app.http('PUT', '/settings/properties/BRAND01', {
      body: { samplingPercent: 50 },
      ...manager,
    });
    expect(tuned).toMatchObject({ status: 200, body: { brand: 'original', samplingPercent: 50 } });
    const rebranded = await app.http('PUT', '/settings/properties/BRAND01', { body: { brand: 'rival' } });
    expect(rebranded).toMatchObject({ status: 200, body: { brand: 'rival', samplingPercent: 50 } });
  });

  it('should send only in the local daytime window when a late check-out or a backlog falls due at night', async () => {
    await app.http('PUT', '/settings/properties/NIGHT01', { body: { delayDays: 0 } });
    const guest = app.guest();
    // 22:30 in Tokyo: with no delay, due at once.
    const stay = app.stay(guest.data.guestId, {
      propertyId: 'NIGHT01',
      timeZone: 'Asia/Tokyo',
      checkedOutAt: '2025-08-01T13:30:00Z',
    });
    await app.feed(guest, stay);
    await app.sendDue(at('2025-08-01T13:31:00Z'));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });
    // 03:00 in Tokyo, as a scheduler back from an overnight outage would run.
    await app.sendDue(at('2025-08-01T18:00:00Z'));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });
    await app.sendDue(at('2025-08-01T23:00:00Z'));
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({ invitedAt: '2025-08-01T23:00:00.000Z' });
  });

  it('should stop sending a backlog when the local send window closes during the run', async () => {
    // One more than a chunk: the run goes on with a second chunk.
    const guests = Array.from({ length: 201 }, () => app.guest());
    await app.feedAsOneBatch(...guests);
    await app.feedAsOneBatch(
      ...guests.map((g) =>
        app.stay(g.data.guestId, {
          propertyId: 'CLOSE01',
          timeZone: 'Asia/Tokyo',
          checkedOutAt: '2025-10-10T01:00:00Z',
        }),
      ),
    );
    // 20:59:59 in Tokyo as the first chunk starts, 21:00 from the second on.
    const lastSecond = at('2025-10-11T11:59:59Z');
    const clock = jest
      .spyOn(app.service.app.get(Clock), 'now')
      .mockReturnValueOnce(lastSecond)
      .mockReturnValue(at('2025-10-11T12:00:00Z'));
    try {
      expect(await app.http('POST', '/invitations/send-due')).toMatchObject({
        status: 200,
        body: { sent: 200, skipped: 0 },
      });
    } finally {
      clock.mockRestore();
    }
    const rows = await app.stage.db.query<{ state: string; invited_at: Date | null; n: number }>(
      `select state, invited_at, count(*)::int as n from invitations where property_id = 'CLOSE01'
       group by state, invited_at order by state`,
    );
    expect(rows).toEqual([
      { state: 'scheduled', invited_at: null, n: 1 },
      { state: 'sent', invited_at: lastSecond, n: 200 },
    ]);
  });

  it('should wait for a guest held by another transaction and decide on what it committed', async () => {
    const invitedElsewhere = app.guest();
    const withdrawing = app.guest();
    const stays = [invitedElsewhere, withdrawing].map((g) =>
      app.stay(g.data.guestId, { propertyId: 'LOCK01' }),
    );
    await app.feed(invitedElsewhere, withdrawing, ...stays);
    const sendAt = at('2025-09-01T12:00:00Z');
    // Another instance inviting the first guest, and profiles withdrawing the second's consent.
    const other = new Client({ connectionString: app.stage.db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('update survey_guests set last_invited_at = $2 where guest_id = $1', [
        invitedElsewhere.data.guestId,
        sendAt,
      ]);
      await other.query('update survey_guests set surveys_consent = false where guest_id = $1', [
        withdrawing.data.guestId,
      ]);
      const sending = app.sendDue(sendAt);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await other.query('commit');
      await sending;
    } finally {
      await other.end();
    }
    expect(await app.invitation(stays[0].data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'recently-surveyed',
    });
    expect(await app.invitation(stays[1].data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  it("should decide on the survivor when the guest's merge commits while the sender waits for its row", async () => {
    const survivor = app.guest({ surveysConsent: false });
    const [mergedAway, mergedEarlier] = [app.guest(), app.guest()];
    await app.feed(survivor, mergedAway, mergedEarlier);
    await app.feed(
      app.event('guest-merged', {
        survivorId: mergedAway.data.guestId,
        mergedId: mergedEarlier.data.guestId,
      }),
    );
    // Recorded under the id merged earlier: the sender follows it to the guest about to be merged away.
    const stay = app.stay(mergedEarlier.data.guestId, { propertyId: 'LOCK02' });
    await app.feed(stay);
    // Profiles merging that guest into one who refused surveys.
    const merging = await mergeInFlight(survivor.data.guestId, mergedAway.data.guestId);
    try {
      const sending = app.sendDue(at('2025-09-01T12:00:00Z'));
      await waitUntil('the sender waiting for the merged guest', async () => (await app.lockWaiters()) > 0);
      await merging.query('commit');
      await sending;
    } finally {
      await merging.end();
    }
    // Kept under the guest it was decided for, as a sent one is.
    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
      guest_id: survivor.data.guestId,
    });
  });

  it('should let two senders through, one after the other, when a merge committing while one waits names a guest the other holds', async () => {
    const [survivor, shared, mergedAway] = inIdOrder([app.guest(), app.guest(), app.guest()]);
    await app.feed(survivor, shared, mergedAway);
    const staysOf = (guests: Guest[], checkedOutAt: string) =>
      guests.map((g) => app.stay(g.data.guestId, { propertyId: 'LOCK03', checkedOutAt }));
    // Due a day apart: the first sender takes the first two, the second the others.
    const first = staysOf([shared, mergedAway], '2025-09-10T08:00:00Z');
    const second = staysOf([survivor, shared], '2025-09-12T08:00:00Z');
    await app.feed(...first, ...second);
    const merging = await mergeInFlight(survivor.data.guestId, mergedAway.data.guestId);
    try {
      // In id order: the first locks `shared` and waits for `mergedAway`, the second locks `survivor`
      // and waits for `shared`. The merge then leads the first to `survivor`.
      const firstSending = app.sendDue(at('2025-09-11T12:00:00Z'));
      await waitUntil('the first sender waiting for the merge', async () => (await app.lockWaiters()) === 1);
      const secondSending = app.sendDue(at('2025-09-13T12:00:00Z'));
      await waitUntil('the second sender waiting for the first', async () => (await app.lockWaiters()) === 2);
      await merging.query('commit');
      // The second invites both its guests; the first then finds them invited, `mergedAway` as `survivor`.
      expect(await Promise.all([firstSending, secondSending])).toEqual([
        { sent: 0, skipped: 2 },
        { sent: 2, skipped: 0 },
      ]);
    } finally {
      await merging.end();
    }
    for (const stay of first)
      expect(await app.invitation(stay.data.stayId)).toMatchObject({
        state: 'skipped',
        skip_reason: 'recently-surveyed',
      });
    for (const stay of second)
      expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'sent' });
  });

  it.each(['guest-merged', 'guest-erased'] as const)(
    'should let a sender and a %s handled while it waits for the guest through, one after the other',
    async (type) => {
      const [held, changed] = inIdOrder([app.guest(), app.guest()]);
      const survivor = app.guest();
      await app.feed(held, changed, survivor);
      const stays = [held, changed].map((g) =>
        app.stay(g.data.guestId, { propertyId: 'LOCK04', checkedOutAt: '2025-09-15T08:00:00Z' }),
      );
      await app.feed(...stays);
      const holding = await app.holdGuest(held);
      try {
        // The sender locks both invitations, then waits for `held` before it comes to `changed`.
        const sending = app.sendDue(at('2025-09-16T12:00:00Z'));
        await waitUntil(
          'the sender waiting for the held guest',
          async () => (await app.waitingFor(holding)) === 1,
        );
        const change =
          type === 'guest-merged'
            ? app.event(type, { survivorId: survivor.data.guestId, mergedId: changed.data.guestId })
            : app.event(type, { guestId: changed.data.guestId });
        await app.stage.probe.produceJson(app.stage.topic(type), [{ key: change.subject, event: change }]);
        await waitUntil(`the ${type} waiting`, async () => (await app.lockWaiters()) === 2);
        await app.pastDeadlockChecks();
        await holding.query('commit');
        expect(await sending).toEqual({ sent: 2, skipped: 0 });
      } finally {
        await holding.end();
      }
      await app.feed();
      expect(await app.guestRow(changed.data.guestId)).toMatchObject(
        type === 'guest-merged' ? { merged_into: survivor.data.guestId } : { erased_at: expect.any(Date) },
      );
    },
  );

  it('should let a sender and a batch of guest news handled while it waits through, one after the other', async () => {
    const [first, middle, last] = inIdOrder([app.guest(), app.guest(), app.guest()]);
    const mergedAway = app.guest();
    await app.feed(first, middle, last, mergedAway);
    await app.feed(
      app.event('guest-merged', { survivorId: first.data.guestId, mergedId: mergedAway.data.guestId }),
    );
    const stays = [first, middle, last].map((g) =>
      app.stay(g.data.guestId, { propertyId: 'LOCK05', checkedOutAt: '2025-09-20T08:00:00Z' }),
    );
    await app.feed(...stays);
    const [holdingFirst, holdingMiddle] = [await app.holdGuest(first), await app.holdGuest(middle)];
    try {
      const sending = app.sendDue(at('2025-09-21T12:00:00Z'));
      await waitUntil(
        'the sender waiting for `first`',
        async () => (await app.waitingFor(holdingFirst)) === 1,
      );
      // One batch: news of `last`, and of the guest merged into `first`, which is written to `first`.
      const withdrawals = [last, mergedAway].map((g) =>
        app.event('guest-updated', { guestId: g.data.guestId, changes: { surveysConsent: false } }),
      );
      await app.stage.probe.produceJson(
        app.stage.topic('guest-updated'),
        withdrawals.map((event) => ({ key: last.data.guestId, event })),
      );
      await waitUntil('the batch waiting for `first`', async () => (await app.lockWaiters()) === 2);
      // The sender takes `first` and waits for `middle`; the batch waits for the sender.
      await holdingFirst.query('commit');
      await waitUntil(
        'the sender waiting for `middle`',
        async () => (await app.waitingFor(holdingMiddle)) === 1,
      );
      await app.pastDeadlockChecks();
      await holdingMiddle.query('commit');
      expect(await sending).toEqual({ sent: 3, skipped: 0 });
    } finally {
      await Promise.all([holdingFirst.end(), holdingMiddle.end()]);
    }
    await app.feed();
    for (const guest of [first, last])
      expect(await app.guestRow(guest.data.guestId)).toMatchObject({ surveys_consent: false });
  });

  it('should let a sender and a merge through, one after the other, when a merge committing while the merge waits moves an invitation to the merged guest', async () => {
    // The merge holds `mergedAway`, first in id order, before it comes to `mergedEarlier`.
    const [mergedAway, mergedEarlier] = inIdOrder([app.guest(), app.guest()]);
    const [survivor, mergedMeanwhile] = [app.guest(), app.guest()];
    await app.feed(mergedAway, mergedEarlier, survivor, mergedMeanwhile);
    await app.feed(
      app.event('guest-merged', {
        survivorId: mergedAway.data.guestId,
        mergedId: mergedEarlier.data.guestId,
      }),
    );
    const stay = app.stay(mergedMeanwhile.data.guestId, {
      propertyId: 'LOCK06',
      checkedOutAt: '2025-09-24T08:00:00Z',
    });
    await app.feed(stay);
    // Profiles merging `mergedMeanwhile` into `mergedEarlier` as surveys' merge writes it: their final
    // survivor `mergedAway` locked, and the guest and its invitation pointed at it.
    const mergingMeanwhile = await app.holdGuest(mergedAway);
    const holdingEarlier = await app.holdGuest(mergedEarlier);
    try {
      await mergingMeanwhile.query('update survey_guests set merged_into = $1 where guest_id = $2', [
        mergedAway.data.guestId,
        mergedMeanwhile.data.guestId,
      ]);
      await mergingMeanwhile.query('update invitations set guest_id = $1 where guest_id = $2', [
        mergedAway.data.guestId,
        mergedMeanwhile.data.guestId,
      ]);
      // Run directly: its consumer would retry a deadlock out of sight.
      const merging = app.transaction((manager) =>
        GuestPrivacy.merge(
          manager,
          app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: mergedAway.data.guestId })
            .data,
          app.erasureKey,
        ),
      );
      await waitUntil(
        'the merge waiting for the other merge',
        async () => (await app.waitingFor(mergingMeanwhile)) === 1,
      );
      await mergingMeanwhile.query('commit');
      await waitUntil(
        'the merge waiting for `mergedEarlier`',
        async () => (await app.waitingFor(holdingEarlier)) === 1,
      );
      // The sender locks the invitation, now `mergedAway`'s, and waits for the merge holding that guest.
      const sending = app.sendDue(at('2025-09-25T12:00:00Z'));
      await waitUntil('the sender waiting for the merge', async () => (await app.lockWaiters()) === 2);
      await app.pastDeadlockChecks();
      // The merge takes `mergedEarlier` and comes to the invitation: writing it without having locked it
      // before the guests, it would wait for the sender as the sender waits for it.
      await holdingEarlier.query('commit');
      const [, sent] = await Promise.all([merging, sending]);
      expect(sent).toEqual({ sent: 1, skipped: 0 });
    } finally {
      await Promise.all([mergingMeanwhile.end(), holdingEarlier.end()]);
    }
    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'sent',
      guest_id: survivor.data.guestId,
    });
    for (const guest of [mergedAway, mergedEarlier, mergedMeanwhile])
      expect(await app.guestRow(guest.data.guestId)).toMatchObject({ merged_into: survivor.data.guestId });
  });

  it.each(['guest-merged', 'guest-erased'] as const)(
    'should let a %s and a sender through, one after the other, when a stay of its guest recorded while it waits is sent meanwhile',
    async (type) => {
      // It locks `first`, then waits for `last`: a merge of `first` into `last`, or an erasure of `first`,
      // into whom `last` was merged.
      const [first, last] = inIdOrder([app.guest(), app.guest()]);
      await app.feed(first, last);
      if (type === 'guest-erased')
        await app.feed(
          app.event('guest-merged', { survivorId: first.data.guestId, mergedId: last.data.guestId }),
        );
      const holdingLast = await app.holdGuest(last);
      try {
        // Run directly: its consumer would retry a deadlock out of sight.
        const changing = app.transaction((manager) =>
          type === 'guest-merged'
            ? GuestPrivacy.merge(
                manager,
                app.event(type, { survivorId: last.data.guestId, mergedId: first.data.guestId }).data,
                app.erasureKey,
              )
            : GuestPrivacy.erase(
                manager,
                app.event(type, { guestId: first.data.guestId }).data,
                app.erasureKey,
              ),
        );
        await waitUntil(
          `the ${type} waiting for \`last\``,
          async () => (await app.waitingFor(holdingLast)) === 1,
        );
        // Recorded after it locked the guests' invitations, under `first`, without a lock of the guest.
        const stay = app.stay(first.data.guestId, {
          propertyId: 'LOCK07',
          checkedOutAt: '2025-09-27T08:00:00Z',
        });
        await app.feed(stay);
        // The sender locks the new invitation and waits for the guest the merge or erasure holds.
        const sending = app.sendDue(at('2025-09-28T12:00:00Z'));
        await waitUntil(`the sender waiting for the ${type}`, async () => (await app.lockWaiters()) === 2);
        await app.pastDeadlockChecks();
        // It takes `last` and comes to the invitations: writing the new one, which it did not lock before
        // the guests, it would wait for the sender as the sender waits for it.
        await holdingLast.query('commit');
        const [, sent] = await Promise.all([changing, sending]);
        expect(sent).toEqual(type === 'guest-merged' ? { sent: 1, skipped: 0 } : { sent: 0, skipped: 1 });
        // The sender wrote it as the merge or erasure would have: under the survivor, or without the guest.
        expect(await app.invitation(stay.data.stayId)).toMatchObject(
          type === 'guest-merged'
            ? { state: 'sent', guest_id: last.data.guestId }
            : { state: 'skipped', skip_reason: 'erased', guest_id: null },
        );
      } finally {
        await holdingLast.end();
      }
    },
  );

  it("should lock a chunk's guests in two statements, following a merged guest to the survivor in the locking one", async () => {
    const [survivor, mergedAway, other] = [app.guest(), app.guest(), app.guest()];
    await app.feed(survivor, mergedAway, other);
    await app.feed(
      app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: mergedAway.data.guestId }),
    );
    const statements: string[] = [];
    const { guests } = await app.transaction((manager) =>
      GuestDirectory.lockForInviting(
        recording(manager, statements),
        async () => [mergedAway.data.guestId, other.data.guestId],
        (guestIds) => guestIds,
      ),
    );
    // The savepoint the locks can be given back to, and the lock of the guests with their survivors.
    expect(statements).toHaveLength(2);
    expect(guests.get(mergedAway.data.guestId)?.guestId).toBe(survivor.data.guestId);
    expect(guests.get(other.data.guestId)?.guestId).toBe(other.data.guestId);
  });

  it('should handle a batch of news of known guests in four statements, locking them in two', async () => {
    const guests = [app.guest(), app.guest()];
    await app.feed(...guests);
    const statements: string[] = [];
    await app.transaction((manager) =>
      GuestDirectory.remember(
        recording(manager, statements),
        guests.map((g) => ({
          guestId: g.data.guestId,
          attributes: { surveysConsent: false },
          asOf: new Date(),
        })),
        'update',
      ),
    );
    // The guests' keys; the savepoint and the lock of their rows with their survivors; the update of the
    // rows (none is inserted, every guest being known).
    expect(statements).toHaveLength(4);
    expect(statements.filter((sql) => /pg_advisory_xact_lock_shared/.test(sql))).toHaveLength(1);
    for (const guest of guests)
      expect(await app.guestRow(guest.data.guestId)).toMatchObject({ surveys_consent: false });
    // Locked and written in one subtransaction, the savepoint's: a release before the writes would leave
    // the lock in a MultiXact.
    expect(
      await app.multiXactVersions(
        'survey_guests',
        'guest_id',
        guests.map((g) => g.data.guestId),
      ),
    ).toBe(0);
  });

  it('should write the invitations and guests of a chunk in the subtransaction that locked them, leaving no MultiXact', async () => {
    const reachable = app.guest();
    const refused = app.guest({ surveysConsent: false });
    const stays = [reachable, refused].map((g) =>
      app.stay(g.data.guestId, { propertyId: 'MXACT01', checkedOutAt: '2025-10-14T08:00:00Z' }),
    );
    await app.feed(reachable, refused, ...stays);
    await app.sendDue(at('2025-10-16T12:00:00Z'));
    const invitations = await Promise.all(stays.map((s) => app.invitation(s.data.stayId)));
    expect(invitations.map((i) => i?.state)).toEqual(['sent', 'skipped']);
    const surveyIds = invitations.map((i) => i?.survey_id as string);
    // Locked before the savepoint the guests' locks can be given back to and written in it, or locked in
    // it and written after its release, a row would keep its locker's lock in a MultiXact.
    expect(await app.multiXactVersions('invitations', 'survey_id', surveyIds)).toBe(0);
    expect(await app.multiXactVersions('survey_guests', 'guest_id', [reachable.data.guestId])).toBe(0);
  });

  it('should give the messaging provider the working link of each invitation, and a property manager none', async () => {
    const published = app.records('survey-invited').find((d) => d.stay.propertyId === 'SHA01')?.token;
    const provider = await app.http<{ propertyId: string; link: string }[]>(
      'GET',
      '/invitations?propertyId=SHA01',
      { roles: ['service'] },
    );
    expect(provider.status).toBe(200);
    expect(provider.body).toHaveLength(1);
    expect(provider.body[0].link.split('/').pop()).toBe(published);

    // The link is the guest's credential: staff holding it could answer as the guest.
    const manager = await app.http<Record<string, unknown>[]>('GET', '/invitations?propertyId=SHA01', {
      roles: ['property-manager'],
      properties: ['SHA01'],
    });
    expect(manager.status).toBe(200);
    expect(manager.body).toEqual([
      expect.objectContaining({ propertyId: 'SHA01', state: 'sent', channel: 'sms', language: 'zh' }),
    ]);
    expect(manager.body[0]).not.toHaveProperty('link');
    expect(JSON.stringify(manager.body)).not.toContain(published);
    const chainAdmin = await app.http<Record<string, unknown>[]>('GET', '/invitations?propertyId=SHA01');
    expect(chainAdmin.status).toBe(200);
    expect(chainAdmin.body[0]).not.toHaveProperty('link');
    const outside = await app.http('GET', '/invitations?propertyId=AMS01', {
      roles: ['property-manager'],
      properties: ['SHA01'],
    });
    expect(outside.status).toBe(403);
  });

  it('should page through the invitations newest first by cursor, each once, those sent at the same instant too', async () => {
    const guests = Array.from({ length: 7 }, () => app.guest());
    // Three sent on 2 November and four on 6 November, each group at one instant: pages of three split both.
    const stays = guests.map((g, i) =>
      app.stay(g.data.guestId, {
        propertyId: 'PAGE01',
        checkedOutAt: i < 3 ? '2025-11-01T08:00:00Z' : '2025-11-05T08:00:00Z',
      }),
    );
    await app.feed(...guests, ...stays);
    await app.sendDue(at('2025-11-02T12:00:00Z'));
    await app.sendDue(at('2025-11-06T12:00:00Z'));

    type Listed = { surveyId: string; invitedAt: string };
    const pages: Listed[][] = [];
    let cursor: string | null = null;
    do {
      const page = await app.invitationPage(
        `propertyId=PAGE01&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      pages.push(page.body as Listed[]);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    const listed = pages.flat();
    const rows = await app.stage.db.query<{ survey_id: string }>(
      `select survey_id from invitations where property_id = 'PAGE01'`,
    );
    expect(listed.map((i) => i.surveyId).sort()).toEqual(rows.map((row) => row.survey_id).sort());
    expect(listed.map((i) => i.invitedAt)).toEqual([
      ...Array(4).fill('2025-11-06T12:00:00.000Z'),
      ...Array(3).fill('2025-11-02T12:00:00.000Z'),
    ]);
  });

  it('should page through the invitations of several properties newest first, merged, each once', async () => {
    // Two properties in scope, sent at the same instants and between them; another property out of scope.
    const sentAt = ['2025-12-02T10:00:00.000Z', '2025-12-03T10:00:00.000Z', '2025-12-04T10:00:00.000Z'];
    const invitations = [
      ...['MERGE01', 'MERGE02', 'MERGE03'].flatMap((propertyId) =>
        sentAt.map((invitedAt) => ({ propertyId, invitedAt })),
      ),
      { propertyId: 'MERGE02', invitedAt: '2025-12-03T11:00:00.000Z' },
    ].map((invitation) => ({ ...invitation, surveyId: randomUUID() }));
    for (const { surveyId, propertyId, invitedAt } of invitations)
      await app.stage.db.query(
        `insert into invitations (survey_id, stay_id, property_id, reservation_id, arrival, departure, due_at,
                                  state, invited_at)
         values ($1, $2, $3, $4, '2025-11-28', '2025-11-30', $5, 'sent', $5)`,
        [surveyId, randomUUID(), propertyId, `R-${surveyId}`, invitedAt],
      );

    type Listed = { surveyId: string; invitedAt: string };
    const listed: Listed[] = [];
    let cursor: string | null = null;
    do {
      const page = await app.invitationPage(
        `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        // A scope naming a property twice lists its invitations once.
        { roles: ['property-manager'], properties: ['MERGE01', 'MERGE02', 'MERGE01'] },
      );
      expect(page.status).toBe(200);
      listed.push(...(page.body as Listed[]));
      cursor = page.nextCursor;
    } while (cursor && listed.length < 20);

    const newestFirst = invitations
      .filter((invitation) => invitation.propertyId !== 'MERGE03')
      .sort((a, b) => b.invitedAt.localeCompare(a.invitedAt) || b.surveyId.localeCompare(a.surveyId));
    expect(listed.map(({ surveyId, invitedAt }) => ({ surveyId, invitedAt }))).toEqual(
      newestFirst.map(({ surveyId, invitedAt }) => ({ surveyId, invitedAt })),
    );
  });

  it("should read a page of the chain's invitations, the first or one after a cursor, in index order without sorting", async () => {
    for (const [sortedAt, surveyId] of [
      [null, null],
      ['2025-11-02T12:00:00.000000Z', randomUUID()],
    ])
      expect(await app.stage.db.planOf(CHAIN_INVITATION_PAGE_SQL, ['sent', sortedAt, surveyId, 51])).toEqual({
        indexes: ['invitations_listed'],
        sorts: false,
      });
  });

  it('should refuse a cursor the list did not hand out, and a limit out of 1-1000, with a 400 naming it', async () => {
    const { nextCursor } = await app.invitationPage('propertyId=PAGE01&limit=1');
    expect(nextCursor).toEqual(expect.any(String));
    const [sortedAt, surveyId] = Buffer.from(nextCursor ?? '', 'base64url')
      .toString()
      .split('|');
    const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of [
      'nonsense',
      // Milliseconds would skip the invitations later in the same millisecond.
      cursorOf(`${new Date(sortedAt).toISOString()}|${surveyId}`),
      cursorOf(`2025-02-30T12:00:00.000000Z|${surveyId}`),
      cursorOf(`${sortedAt}|not-a-uuid`),
      `${nextCursor}${nextCursor}`,
    ])
      expect(await app.invitationPage(`cursor=${encodeURIComponent(cursor)}`)).toMatchObject({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          errors: [{ path: 'cursor', reason: 'cursor is not a Next-Cursor of this list' }],
        },
      });
    for (const limit of ['0', '1001'])
      expect(await app.invitationPage(`limit=${limit}`)).toMatchObject({
        status: 400,
        body: { errors: [{ path: 'limit', reason: 'limit must be a whole number from 1 to 1000' }] },
      });
  });

  it('should document the paging of the invitation list and the 201 of a published template', async () => {
    type Parameter = { name: string; schema: Record<string, unknown> };
    type Operation = { parameters: Parameter[]; responses: Record<string, { headers?: object }> };
    const docs = await app.http<{ paths: Record<string, Record<string, Operation>> }>('GET', '/docs-json');
    const list = docs.body.paths['/invitations'].get;
    const parameter = (name: string) => list.parameters.find((p) => p.name === name)?.schema;
    expect(parameter('limit')).toMatchObject({ minimum: 1, maximum: 1000, default: 100 });
    expect(parameter('cursor')).toMatchObject({ type: 'string', maxLength: 86 });
    expect(list.responses['200'].headers).toHaveProperty('Next-Cursor');
    expect(Object.keys(docs.body.paths['/templates'].post.responses)).toContain('201');
    expect(docs.body.paths['/templates'].post.responses).not.toHaveProperty('200');
  });

  it('should refuse an asOf that is no instant with a 400 naming asOf', async () => {
    for (const asOf of [
      '2025-13-45T10:00:00Z',
      '2025-W23',
      '2025-06-01T10',
      '2025-06-01T10:00',
      '0000-01-01T00:00:00Z',
    ])
      expect(await app.http('POST', `/invitations/send-due?asOf=${asOf}`)).toMatchObject({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          errors: [
            {
              path: 'asOf',
              reason:
                'asOf must be an ISO-8601 instant in the years 1900 to 2199, a time with Z or an offset',
            },
          ],
        },
      });
  });

  it('should refuse a service token limited to some properties with a 403 when it asks to send what is due', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId, {
      propertyId: 'SCOPE01',
      checkedOutAt: '2025-10-01T08:00:00Z',
    });
    await app.feed(guest, stay);
    // It would send every property's due invitations, not only those of its own property.
    const scoped = await app.http('POST', '/invitations/send-due?asOf=2025-10-03T12:00:00Z', {
      roles: ['service'],
      properties: ['SCOPE01'],
    });
    expect(scoped).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });

    const chainWide = await app.http('POST', '/invitations/send-due?asOf=2025-10-03T12:00:00Z', {
      roles: ['service'],
    });
    expect(chainWide.status).toBe(200);
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'sent' });
  });

  it('should refuse asOf with a 400 and send at its own time without it when NODE_ENV is production', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId, { propertyId: 'PROD01', checkedOutAt: '2025-10-05T08:00:00Z' });
    await app.feed(guest, stay);
    // Set on the running service: a production start would refuse the secret the test tokens are signed with.
    const production = jest.replaceProperty(app.service.app.get(SurveysConfig), 'NODE_ENV', 'production');
    try {
      expect(await app.http('POST', '/invitations/send-due?asOf=2025-10-06T12:00:00Z')).toMatchObject({
        status: 400,
        body: { code: 'AS_OF_NOT_ALLOWED' },
      });
      expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });

      app.setClock(at('2025-10-07T12:00:00Z'));
      expect((await app.http('POST', '/invitations/send-due')).status).toBe(200);
      expect(await app.invitation(stay.data.stayId)).toMatchObject({
        state: 'sent',
        invited_at: at('2025-10-07T12:00:00Z'),
      });
    } finally {
      production.restore();
    }
  });
});
