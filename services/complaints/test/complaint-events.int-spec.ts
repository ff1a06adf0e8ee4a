import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { sampleEventData, type EventData } from '@loyalty/contracts';
import { waitUntil, zoneOnlyNodeKnows } from '@loyalty/testing';
import { ErasedGuestsText1760000004600 } from '../src/migrations/1760000004600-erased-guests-text';
import { ComplaintsStage } from './complaints-stage';

describe('complaints: cases from detractors, guests from profiles and the ledger, and insight (real broker and Postgres)', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_events');
    await c.startInstance();
    await c.watch(c.stage.topic('detractor-identified.dlq'));
  });

  afterAll(() => c?.close());

  const stayOf = (
    guestId: string,
    propertyId: string,
    arrival: string,
    departure: string,
    timeZone = sampleEventData('stay-recorded').timeZone,
  ) =>
    c.event('stay-recorded', {
      guestId,
      stayId: randomUUID(),
      propertyId,
      reservationId: `R-${randomUUID().slice(0, 6)}`,
      arrival,
      departure,
      timeZone,
      nights: 2,
    });

  it('should open one service-recovery case per detractor survey, at the stay’s property', async () => {
    const guestId = randomUUID();
    const surveyId = randomUUID();
    const stay = { ...sampleEventData('detractor-identified').stay, propertyId: 'PAR01' };
    const data = {
      guestId,
      surveyId,
      stay,
      nps: 1,
      lowestDimensions: [{ dimension: 'room' as const, score: 1 }],
    };
    // The same survey under two event ids (a re-send): one case.
    await c.send(c.event('detractor-identified', data), c.event('detractor-identified', data));
    await c.caughtUp('detractor-identified');
    const list = await c.http<{ items: Record<string, unknown>[] }>('GET', `/complaints?guestId=${guestId}`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      propertyId: 'PAR01',
      channel: 'survey',
      category: 'facilities-and-maintenance',
      aspect: 'room',
      severity: 'high',
      surveyId,
      status: 'opened',
    });
    const [opened] = await c.awaitPublished('complaint-opened', 1, String(list.body.items[0].id));
    expect(opened).toMatchObject({ surveyId, stay: { propertyId: 'PAR01' }, channel: 'survey' });
  });

  it('should file a detractor’s case under the service as a whole when the guest scored no aspect low', async () => {
    const caseOf = async (lowestDimensions: { dimension: 'room' | 'cleanliness'; score: number }[]) => {
      const guestId = randomUUID();
      await c.send(
        c.event('detractor-identified', { guestId, surveyId: randomUUID(), nps: 2, lowestDimensions }),
      );
      await c.caughtUp('detractor-identified');
      const list = await c.http<{ items: Record<string, unknown>[] }>(
        'GET',
        `/complaints?guestId=${guestId}`,
      );
      return list.body.items[0];
    };
    expect(
      await caseOf([
        { dimension: 'cleanliness', score: 5 },
        { dimension: 'room', score: 5 },
      ]),
    ).toMatchObject({ category: 'service-quality' });
    expect(
      await caseOf([
        { dimension: 'cleanliness', score: 2 },
        { dimension: 'room', score: 5 },
      ]),
    ).toMatchObject({ category: 'cleanliness', aspect: 'cleanliness' });
  });

  /** The `complaint-opened` of the case a detractor's survey opened. */
  const openedFor = (surveyId: string) =>
    waitUntil(`complaint-opened of survey ${surveyId}`, () =>
      c.published('complaint-opened').find((event) => event.surveyId === surveyId),
    );

  it('should run a service-recovery case’s SLA from the guest’s answer, not from when complaints got to it', async () => {
    const answeredAt = new Date(c.now().getTime() - 2 * 3_600_000);
    const surveyId = randomUUID();
    await c.send(
      c.event('detractor-identified', {
        guestId: randomUUID(),
        surveyId,
        nps: 1,
        lowestDimensions: [{ dimension: 'room', score: 1 }],
        identifiedAt: answeredAt.toISOString(),
      }),
    );
    await c.caughtUp('detractor-identified');
    const opened = await openedFor(surveyId);
    // A detractor's case is high: acknowledged within the hour, an hour ago.
    expect(opened).toMatchObject({
      severity: 'high',
      openedAt: answeredAt.toISOString(),
      sla: { acknowledgeBy: new Date(answeredAt.getTime() + 3_600_000).toISOString() },
    });
  });

  it('should take an answer a clock ahead of ours dates in the future as given now', async () => {
    const surveyId = randomUUID();
    const before = c.now().getTime();
    await c.send(
      c.event('detractor-identified', {
        guestId: randomUUID(),
        surveyId,
        nps: 1,
        lowestDimensions: [],
        identifiedAt: new Date(before + 3_600_000).toISOString(),
      }),
    );
    await c.caughtUp('detractor-identified');
    const opened = await openedFor(surveyId);
    expect(Date.parse(opened.openedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(opened.openedAt)).toBeLessThan(before + 60_000);
  });

  it('should dead-letter a detractor event that breaks its contract', async () => {
    const broken = c.event('detractor-identified', { guestId: randomUUID() });
    (broken.data as { nps?: unknown }).nps = 'very bad';
    await c.send(broken);
    const [dead] = await c.stage.probe.awaitRecords(
      c.stage.topic('detractor-identified.dlq'),
      1,
      (record) => record.json<{ id: string }>().id === broken.id,
    );
    expect(dead.headers['dlq-reason']).toBe('INVALID_DATA');
    expect(dead.headers['dlq-detail']).toContain('nps');
  });

  const tierChanged = (
    guestId: string,
    from: EventData<'tier-changed'>['from'],
    to: EventData<'tier-changed'>['to'],
    changedAt: string,
  ) => c.event('tier-changed', { guestId, from, to, changedAt });

  it('should choose the faster policy for a top-tier guest from tier-changed', async () => {
    const guestId = randomUUID();
    const at = (day: number) => `2026-0${day}-01T00:00:00.000Z`;
    // A run for one guest: the newest change counts, not the last to arrive.
    await c.send(
      c.event('tier-changed', { guestId, from: 'silver', to: 'gold', changedAt: at(2) }),
      c.event('tier-changed', { guestId, from: 'gold', to: 'platinum', changedAt: at(3) }),
      c.event('tier-changed', { guestId, from: 'member', to: 'silver', changedAt: at(1) }),
    );
    await c.caughtUp('tier-changed');
    const id = await c.open({ guestId, severity: 'high' });
    expect((await c.http('GET', `/complaints/${id}`)).body).toMatchObject({ policyId: 'high-top-tier' });
  });

  it("should take the survivor's own tier-changed, handled after a merge that brought the merged guest's newer one", async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await c.send(tierChanged(mergedId, 'member', 'gold', '2026-03-02T00:00:00.000Z'));
    await c.caughtUp('tier-changed');
    await c.send(c.event('guest-merged', { survivorId, mergedId }));
    await c.caughtUp('guest-merged');
    // The survivor's platinum, a day older, lagging on another partition; the ledger's merge keeps it.
    await c.send(tierChanged(survivorId, 'gold', 'platinum', '2026-03-01T00:00:00.000Z'));
    await c.caughtUp('tier-changed');
    expect(await c.stage.db.query('select tier from guest_tiers where guest_id = $1', [survivorId])).toEqual([
      { tier: 'platinum' },
    ]);
  });

  it('should move a merged guest’s complaints to the survivor and drop an erased guest’s text, saying so in the audit', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    const id = await c.open({
      guestId: mergedId,
      description: 'My name is Jane Doe and the room was dirty.',
    });
    await c.send(c.event('guest-merged', { survivorId, mergedId }));
    await c.caughtUp('guest-merged');
    expect((await c.http('GET', `/complaints/${id}`)).body).toMatchObject({ guestId: survivorId });
    await c.send(c.event('guest-erased', { guestId: survivorId }));
    await c.caughtUp('guest-erased');
    expect((await c.http('GET', `/complaints/${id}`)).body).toMatchObject({
      guestId: survivorId,
      description: null,
    });
    const audit = await c.http<{
      entries: { actor: string; action: string; before: object; after: { guestId: string } }[];
    }>('GET', `/complaints/${id}/audit`);
    expect(audit.body.entries.map((entry) => [entry.action, entry.after.guestId])).toEqual([
      ['open', mergedId],
      ['guest-merged', survivorId],
      ['guest-erased', survivorId],
    ]);
    const erased = audit.body.entries[2];
    expect(erased.actor).toBe('complaints');
    expect(erased.before).not.toHaveProperty('description');
    expect(erased.after).not.toHaveProperty('description');
  });

  it('should file a stay and detractor of a merged id that arrive after the merge under the survivor', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    await c.send(c.event('guest-merged', { survivorId, mergedId }));
    await c.caughtUp('guest-merged');
    const stay = stayOf(mergedId, 'AMS01', '2026-11-01', '2026-11-03');
    await c.send(stay);
    await c.caughtUp('stay-recorded');
    await c.send(
      c.event('detractor-identified', {
        guestId: mergedId,
        surveyId: randomUUID(),
        nps: 0,
        lowestDimensions: [{ dimension: 'room', score: 1 }],
      }),
    );
    await c.caughtUp('detractor-identified');

    expect(
      await c.stage.db.query('select guest_id from stays where stay_id = $1', [stay.data.stayId]),
    ).toEqual([{ guest_id: survivorId }]);
    const list = await c.http<{ items: Record<string, unknown>[] }>(
      'GET',
      `/complaints?guestId=${survivorId}`,
    );
    expect(list.body.items).toEqual([expect.objectContaining({ channel: 'survey', severity: 'high' })]);
    const opened = await c.open({ guestId: mergedId, severity: 'low' });
    expect((await c.http('GET', `/complaints/${opened}`)).body).toMatchObject({ guestId: survivorId });
  });

  it('should keep the survivor’s tier when a tier change of the merged id arrives after the merge', async () => {
    const [survivorId, mergedId] = [randomUUID(), randomUUID()];
    const policyOfHighComplaint = async () => {
      const id = await c.open({ guestId: survivorId, severity: 'high' });
      return (await c.http('GET', `/complaints/${id}`)).body.policyId;
    };
    await c.send(tierChanged(survivorId, 'silver', 'gold', '2026-01-01T00:00:00.000Z'));
    await c.caughtUp('tier-changed');
    await c.send(c.event('guest-merged', { survivorId, mergedId }));
    await c.caughtUp('guest-merged');
    // Keyed by the merged id, its change from before the merge can be handled after it. The ledger counted
    // it when it merged the accounts: the survivor's tier is what the ledger announces for the survivor.
    await c.send(tierChanged(mergedId, 'gold', 'platinum', '2026-02-01T00:00:00.000Z'));
    await c.caughtUp('tier-changed');
    expect(await policyOfHighComplaint()).toBe('high');
    await c.send(tierChanged(survivorId, 'gold', 'platinum', '2026-03-01T00:00:00.000Z'));
    await c.caughtUp('tier-changed');
    expect(await policyOfHighComplaint()).toBe('high-top-tier');
  });

  it('should move a merged id’s complaints to the final survivor when its merge is handled after the survivor’s own', async () => {
    const [firstId, secondId, survivorId] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await c.open({ guestId: firstId });
    // Keyed by survivor, the later merge can be handled first.
    await c.send(c.event('guest-merged', { survivorId, mergedId: secondId }));
    await c.caughtUp('guest-merged');
    await c.send(c.event('guest-merged', { survivorId: secondId, mergedId: firstId }));
    await c.caughtUp('guest-merged');
    expect((await c.http('GET', `/complaints/${id}`)).body).toMatchObject({ guestId: survivorId });
  });

  it('should drop the text of complaints a merge brings to a guest erased before it was handled, saying so in the audit', async () => {
    const [firstId, secondId, survivorId] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await c.open({
      guestId: firstId,
      description: 'My name is John Roe and the lift was broken.',
    });
    const survivorsOwn = await c.open({ guestId: survivorId });
    await c.send(c.event('guest-merged', { survivorId, mergedId: secondId }));
    await c.caughtUp('guest-merged');
    await c.send(c.event('guest-erased', { guestId: survivorId }));
    await c.caughtUp('guest-erased');
    await c.send(c.event('guest-merged', { survivorId: secondId, mergedId: firstId }));
    await c.caughtUp('guest-merged');
    expect((await c.http('GET', `/complaints/${id}`)).body).toMatchObject({
      guestId: survivorId,
      description: null,
    });
    const actionsOf = async (complaintId: string) =>
      (
        await c.http<{ entries: { actor: string; action: string; after: object }[] }>(
          'GET',
          `/complaints/${complaintId}/audit`,
        )
      ).body.entries.map((entry) => [entry.actor, entry.action]);
    expect(await actionsOf(id)).toEqual([
      ['staff-1', 'open'],
      ['complaints', 'guest-merged'],
      ['complaints', 'guest-erased'],
    ]);
    // Erased once: the merge that brought more does not erase it again.
    expect(await actionsOf(survivorsOwn)).toEqual([
      ['staff-1', 'open'],
      ['complaints', 'guest-erased'],
    ]);
  });

  /** A complaint in progress whose description names the guest. */
  const inProgress = async (guestId: string) => {
    const id = await c.open({ guestId, description: 'Jane Doe in 412 says the shower is cold.' });
    await c.act(id, 'acknowledge');
    await c.act(id, 'start');
    return id;
  };
  const resolveWithNote = (id: string) =>
    c.act(id, 'resolve', { resolution: 'service-recovery', note: 'Called Jane Doe on +31 6 1234 5678.' });
  const offerWithNote = (id: string) =>
    c.http('POST', `/complaints/${id}/compensations`, {
      body: { kind: 'upgrade-voucher', note: 'Jane Doe prefers a sea view.' },
    });
  const textOf = (id: string) =>
    c.stage.db.query(
      `select description, resolution_note, (select array_agg(note) from compensations where complaint_id = $1) as notes
       from complaints where id = $1`,
      [id],
    );
  const NO_TEXT = [{ description: null, resolution_note: null, notes: [null] }];

  it('should keep no text written about a guest after their erasure, and open no complaint about them', async () => {
    const guestId = randomUUID();
    const id = await inProgress(guestId);
    await c.send(c.event('guest-erased', { guestId }));
    await c.caughtUp('guest-erased');

    expect((await resolveWithNote(id)).body).toMatchObject({ status: 'resolved', resolutionNote: null });
    expect((await offerWithNote(id)).status).toBe(201);
    expect(await textOf(id)).toEqual(NO_TEXT);

    expect(await c.request({ guestId })).toMatchObject({
      status: 409,
      body: { code: 'GUEST_ERASED', guestId },
    });
    // A survey answered before the erasure and handled after it: no case, and no dead letter either.
    const detractor = c.event('detractor-identified', { guestId, surveyId: randomUUID() });
    await c.send(detractor);
    await c.caughtUp('detractor-identified');
    const list = await c.http<{ items: { id: string }[] }>('GET', `/complaints?guestId=${guestId}`);
    expect(list.body.items.map((item) => item.id)).toEqual([id]);
    const dead = c.stage.probe.seen(c.stage.topic('detractor-identified.dlq'));
    expect(dead.map((record) => record.json<{ id: string }>().id)).not.toContain(detractor.id);
  });

  it('should keep the reason given for a reopen or a cancel beside its audit line, and blank it on erasure', async () => {
    const guestId = randomUUID();
    const [reopened, cancelled] = [await inProgress(guestId), await inProgress(guestId)];
    await resolveWithNote(reopened);
    await c.act(reopened, 'reopen', { reason: 'Jane Doe called: the shower is cold again.' });
    const reasonsOf = async (id: string) => {
      const { body } = await c.http<{ entries: { action: string; reason?: string | null }[] }>(
        'GET',
        `/complaints/${id}/audit`,
      );
      return body.entries.filter((entry) => 'reason' in entry).map((entry) => [entry.action, entry.reason]);
    };
    expect(await reasonsOf(reopened)).toEqual([['reopen', 'Jane Doe called: the shower is cold again.']]);

    await c.send(c.event('guest-erased', { guestId }));
    await c.caughtUp('guest-erased');
    expect(await reasonsOf(reopened)).toEqual([['reopen', null]]);
    // Given after the erasure, a reason is not kept at all.
    await c.act(cancelled, 'cancel', { reason: 'Jane Doe withdrew it.' });
    expect(await reasonsOf(cancelled)).toEqual([['cancel', null]]);
  });

  it('should drop, when migrating, the text that writes after a guest’s erasure kept before they kept none', async () => {
    const guestId = randomUUID();
    const id = await inProgress(guestId);
    await resolveWithNote(id);
    await offerWithNote(id);
    // As such a write left it: the guest's tombstone says erased, the text is still there.
    const erasedAt = new Date('2026-01-01T00:00:00Z');
    await c.stage.db.query('insert into guest_tombstones (guest_id, erased_at) values ($1, $2)', [
      guestId,
      erasedAt,
    ]);

    await new ErasedGuestsText1760000004600().up(c.stage.db as unknown as QueryRunner);
    expect(await textOf(id)).toEqual(NO_TEXT);
    expect(await c.stage.db.query('select erased_at from complaints where id = $1', [id])).toEqual([
      { erased_at: erasedAt },
    ]);
  });

  it('should report complaints per 100 stays, the Pareto, SLA compliance, repeats and the recovery rate', async () => {
    const property = `INS${randomUUID().slice(0, 4).toUpperCase()}`;
    const [repeater, returner, other] = [randomUUID(), randomUUID(), randomUUID()];
    const stays = Array.from({ length: 10 }, () =>
      stayOf(randomUUID(), property, '2026-11-01', '2026-11-03'),
    );
    await c.send(...stays, stayOf(returner, property, '2026-11-05', '2026-11-07'));
    await c.caughtUp('stay-recorded');
    const noise = await c.open({
      propertyId: property,
      guestId: repeater,
      category: 'noise',
      severity: 'low',
    });
    await c.open({ propertyId: property, guestId: repeater, category: 'noise', severity: 'low' });
    const dirty = await c.open({
      propertyId: property,
      guestId: other,
      category: 'cleanliness',
      severity: 'low',
    });
    // The same problem logged again, and one withdrawn: neither counts.
    const again = await c.open({
      propertyId: property,
      guestId: other,
      category: 'cleanliness',
      severity: 'low',
    });
    await c.act(again, 'mark-duplicate', { duplicateOf: dirty });
    const withdrawn = await c.open({
      propertyId: property,
      guestId: repeater,
      category: 'noise',
      severity: 'low',
    });
    await c.act(withdrawn, 'cancel', { reason: 'Logged by mistake.' });
    const resolved = await c.open({
      propertyId: property,
      guestId: returner,
      category: 'price-and-billing',
      severity: 'low',
    });
    for (const id of [noise, resolved]) await c.act(id, 'acknowledge');
    await c.act(resolved, 'start');
    await c.act(resolved, 'resolve', { resolution: 'refund', note: 'Refunded the minibar.' });
    // The guest comes back after the resolution.
    await c.send(stayOf(returner, property, '2099-01-10', '2099-01-12'));
    await c.caughtUp('stay-recorded');

    const analyst = { roles: ['analyst' as const] };
    const window = `propertyId=${property}&from=2026-10-01&to=2100-01-01`;
    const rate = await c.http<{ properties: Record<string, unknown>[] }>(
      'GET',
      `/insights/complaint-rate?${window}`,
      analyst,
    );
    expect(rate.body.properties).toEqual([
      {
        propertyId: property,
        stays: 12,
        complaints: 4,
        per100Stays: 33.3,
        byCategory: [
          { category: 'cleanliness', complaints: 1, per100Stays: 8.3 },
          { category: 'noise', complaints: 2, per100Stays: 16.7 },
          { category: 'price-and-billing', complaints: 1, per100Stays: 8.3 },
        ],
      },
    ]);
    const pareto = await c.http<{ categories: { category: string; vitalFew: boolean }[] }>(
      'GET',
      `/insights/pareto?${window}`,
      analyst,
    );
    expect(pareto.body.categories.map((row) => [row.category, row.vitalFew])).toEqual([
      ['noise', true],
      ['cleanliness', true],
      // 2 + 1 make 75 %: the third is still needed to reach 80 %.
      ['price-and-billing', true],
    ]);
    const sla = await c.http('GET', `/insights/sla?${window}`, analyst);
    expect(sla.body).toMatchObject({
      acknowledgementCompliancePercent: 100,
      resolutionCompliancePercent: 100,
      compliancePercent: 100,
    });
    expect(sla.body.meanMinutesToAcknowledge).toEqual(expect.any(Number));
    const repeats = await c.http<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      `/insights/repeat-complainants?${window}&limit=1`,
      analyst,
    );
    expect(repeats.body).toEqual({
      items: [{ guestId: repeater, complaints: 2, lastOpenedAt: expect.any(String) }],
      nextCursor: null,
    });
    const recovery = await c.http('GET', `/insights/recovery-rate?${window}`, analyst);
    expect(recovery.body).toMatchObject({
      guestsWithResolvedComplaints: 1,
      guestsWhoStayedAgain: 1,
      recoveryRatePercent: 100,
    });
    const desk = await c.http('GET', `/insights/sla?${window}`, { roles: ['front-desk'] });
    expect(desk.status).toBe(403);
  });

  it('should page repeat complainants as counted at the first page, whoever complains again meanwhile', async () => {
    const property = `REP${randomUUID().slice(0, 4).toUpperCase()}`;
    const [three, twoA, twoB] = [randomUUID(), randomUUID(), randomUUID()];
    const complain = async (guestId: string, times: number) => {
      for (let i = 0; i < times; i++)
        await c.open({ propertyId: property, guestId, category: 'noise', severity: 'low' });
    };
    await complain(three, 3);
    await complain(twoA, 2);
    await complain(twoB, 2);
    const analyst = { roles: ['analyst' as const] };
    type Ranking = { items: { guestId: string; complaints: number }[]; nextCursor: string | null };
    const page = (cursor?: string) =>
      c.http<Ranking>(
        'GET',
        `/insights/repeat-complainants?propertyId=${property}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        analyst,
      );

    const first = await page();
    expect(first.body.items).toEqual([{ guestId: three, complaints: 3, lastOpenedAt: expect.any(String) }]);
    // Whichever of the two not listed yet sorts first complains twice more: counted now, it would rank
    // above the cursor and never be listed.
    const [nextListed] = [twoA, twoB].sort().reverse();
    await complain(nextListed, 2);
    const listed = [...first.body.items];
    for (let cursor = first.body.nextCursor; cursor !== null;) {
      const next = await page(cursor);
      expect(next.status).toBe(200);
      listed.push(...next.body.items);
      cursor = next.body.nextCursor;
    }

    expect(listed.map(({ guestId, complaints }) => [guestId, complaints])).toEqual([
      [three, 3],
      [nextListed, 2],
      [nextListed === twoA ? twoB : twoA, 2],
    ]);
    expect((await page()).body.items).toEqual([
      { guestId: nextListed, complaints: 4, lastOpenedAt: expect.any(String) },
    ]);
  });

  it('should count a recovery in the window the complaint was resolved in, not the one it was opened in', async () => {
    const property = `INS${randomUUID().slice(0, 4).toUpperCase()}`;
    const guestId = randomUUID();
    await c.withClockAt('2026-01-30T10:00:00Z', async () => {
      const id = await c.open({ propertyId: property, guestId, severity: 'low' });
      await c.act(id, 'acknowledge');
      await c.act(id, 'start');
      c.advanceClock(3 * 24 * 60);
      const resolved = await c.act(id, 'resolve', { resolution: 'apology', note: 'Apologised by phone.' });
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolvedAt: expect.stringMatching(/^2026-02-02T/),
      });
    });
    await c.send(stayOf(guestId, property, '2026-02-20', '2026-02-22'));
    await c.caughtUp('stay-recorded');

    const recoveryIn = async (from: string, to: string) =>
      (
        await c.http('GET', `/insights/recovery-rate?propertyId=${property}&from=${from}&to=${to}`, {
          roles: ['analyst'],
        })
      ).body;
    expect(await recoveryIn('2026-02-01', '2026-03-01')).toMatchObject({
      guestsWithResolvedComplaints: 1,
      guestsWhoStayedAgain: 1,
      recoveryRatePercent: 100,
    });
    expect(await recoveryIn('2026-01-01', '2026-02-01')).toMatchObject({
      guestsWithResolvedComplaints: 0,
      guestsWhoStayedAgain: 0,
    });
  });

  it('should keep a stay in a zone Postgres does not know without the zone, and still answer the insights for the chain', async () => {
    const onlyNodeKnows = zoneOnlyNodeKnows('Mars/Olympus');
    try {
      const [mars, earth] = [`MARS${randomUUID().slice(0, 4)}`, `EARTH${randomUUID().slice(0, 4)}`];
      const marsStay = stayOf(randomUUID(), mars, '2026-08-02', '2026-08-04', 'Mars/Olympus');
      await c.send(marsStay, stayOf(randomUUID(), earth, '2026-08-02', '2026-08-04'));
      await c.caughtUp('stay-recorded');
      expect(
        await c.stage.db.query('select time_zone from stays where stay_id = $1', [marsStay.data.stayId]),
      ).toEqual([{ time_zone: null }]);
      await c.withClockAt('2026-08-03T12:00:00Z', () => c.open({ propertyId: mars, severity: 'low' }));

      const rate = await c.http<{ properties: { propertyId: string; stays: number; complaints: number }[] }>(
        'GET',
        '/insights/complaint-rate?from=2026-08-01&to=2026-08-31',
        { roles: ['analyst'] },
      );
      expect(rate.status).toBe(200);
      expect(rate.body.properties.filter((p) => [mars, earth].includes(p.propertyId))).toEqual([
        expect.objectContaining({ propertyId: earth, stays: 1, complaints: 0 }),
        expect.objectContaining({ propertyId: mars, stays: 1, complaints: 1 }),
      ]);
    } finally {
      onlyNodeKnows.mockRestore();
    }
  });

  describe('at a property in Chicago, where the evening is already the next day in UTC', () => {
    const CHICAGO = 'America/Chicago';
    const analyst = { roles: ['analyst' as const] };
    const chicagoProperty = () => `CHI${randomUUID().slice(0, 4).toUpperCase()}`;

    it('should count a guest arriving the local day after a resolution late in the evening as recovered', async () => {
      const property = chicagoProperty();
      const [nextDay, sameDay] = [randomUUID(), randomUUID()];
      // 19:30 on 10 March in Chicago (CDT, UTC-5) is 00:30 on 11 March in UTC.
      await c.withClockAt('2026-03-11T00:30:00Z', async () => {
        for (const guestId of [nextDay, sameDay]) {
          const id = await c.open({ propertyId: property, guestId, severity: 'low' });
          await c.act(id, 'acknowledge');
          await c.act(id, 'start');
          await c.act(id, 'resolve', { resolution: 'apology', note: 'Apologised at the desk.' });
        }
      });
      await c.send(
        stayOf(nextDay, property, '2026-03-11', '2026-03-13', CHICAGO),
        // Arrived on the day of the resolution: not a stay after it.
        stayOf(sameDay, property, '2026-03-10', '2026-03-12', CHICAGO),
      );
      await c.caughtUp('stay-recorded');

      const recovery = await c.http(
        'GET',
        `/insights/recovery-rate?propertyId=${property}&from=2026-03-01&to=2026-04-01`,
        analyst,
      );
      expect(recovery.body).toMatchObject({
        guestsWithResolvedComplaints: 2,
        guestsWhoStayedAgain: 1,
        recoveryRatePercent: 50,
      });
    });

    it('should read a stay kept without its zone in the zone its property’s other stays name', async () => {
      const property = chicagoProperty();
      const guestId = randomUUID();
      // 19:30 on 10 March in Chicago, 00:30 on 11 March in UTC.
      await c.withClockAt('2026-03-11T00:30:00Z', async () => {
        const id = await c.open({ propertyId: property, guestId, severity: 'low' });
        await c.act(id, 'acknowledge');
        await c.act(id, 'start');
        await c.act(id, 'resolve', { resolution: 'apology', note: 'Apologised at the desk.' });
      });
      const zoneless = stayOf(guestId, property, '2026-03-11', '2026-03-13', CHICAGO);
      await c.send(zoneless, stayOf(randomUUID(), property, '2026-02-01', '2026-02-03', CHICAGO));
      await c.caughtUp('stay-recorded');
      // As a stay kept before stays kept their zone, or in a zone Postgres did not know then, is.
      await c.stage.db.query('update stays set time_zone = null where stay_id = $1', [zoneless.data.stayId]);

      // Read in UTC, the arrival on 11 March would be the resolution's own day, not a later one.
      const recovery = await c.http(
        'GET',
        `/insights/recovery-rate?propertyId=${property}&from=2026-03-01&to=2026-04-01`,
        analyst,
      );
      expect(recovery.body).toMatchObject({ guestsWithResolvedComplaints: 1, guestsWhoStayedAgain: 1 });
    });

    it('should count a complaint-rate window’s stays by local departure and its complaints by local opened date', async () => {
      const property = chicagoProperty();
      await c.send(
        ...[
          ['2026-09-28', '2026-09-30'],
          ['2026-09-29', '2026-10-01'],
          ['2026-10-29', '2026-10-31'],
          ['2026-10-30', '2026-11-01'],
        ].map(([arrival, departure]) => stayOf(randomUUID(), property, arrival, departure, CHICAGO)),
      );
      await c.caughtUp('stay-recorded');
      const openAt = (instant: string, category: string) =>
        c.withClockAt(instant, () => c.open({ propertyId: property, category, severity: 'low' }));
      // 21:00 on 30 September in Chicago, 1 October in UTC: before the window.
      await openAt('2026-10-01T02:00:00Z', 'cleanliness');
      // 20:00 on 31 October in Chicago, 1 November in UTC: its last day.
      await openAt('2026-11-01T01:00:00Z', 'noise');

      const rate = await c.http<{ properties: unknown[] }>(
        'GET',
        `/insights/complaint-rate?propertyId=${property}&from=2026-10-01&to=2026-11-01`,
        analyst,
      );
      expect(rate.body.properties).toEqual([
        {
          propertyId: property,
          stays: 2,
          complaints: 1,
          per100Stays: 50,
          byCategory: [{ category: 'noise', complaints: 1, per100Stays: 50 }],
        },
      ]);
    });

    it('should refuse a window bound that is not a date, naming it', async () => {
      const refused = await c.http<{ code: string; errors: { path: string }[] }>(
        'GET',
        '/insights/complaint-rate?from=2026-10-01T00:00:00-05:00&to=2026-11-01',
        analyst,
      );
      expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(refused.body.errors.map((error) => error.path)).toEqual(['from']);
    });
  });
});
