import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { sampleEventData } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { workingTimeOf, type BusinessCalendar } from '../src/domain';
import { SlaScanner } from '../src/sla/sla-scanner.service';
import { ComplaintsStage, weekdayCalendar } from './complaints-stage';

interface TimerView {
  kind: string;
  state: string;
  target: string;
  breachedAt: string | null;
  remainingMinutes: number | null;
  withinSla: boolean;
  differenceMinutes: number | null;
}

describe('complaints: durable SLA timers across restarts and instances (real broker and Postgres)', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_sla');
    await c.startInstance();
  });

  afterAll(() => c?.close());

  const timers = async (id: string) =>
    (await c.http<{ timers: TimerView[] }>('GET', `/complaints/${id}`)).body.timers;
  /** Runs every instance's scanner once at the shared clock, as their intervals would. */
  const scanAll = () => Promise.all(c.instances.map((service) => service.app.get(SlaScanner).scan(c.now())));

  it('should escalate a deadline that passed while no instance ran, once the service is back', async () => {
    const id = await c.open({ severity: 'critical' });
    await c.stopInstance(c.instances[0]);
    c.advanceClock(20);
    await c.startInstance();
    const [escalated] = await c.awaitPublished('complaint-escalated', 1, id);
    expect(escalated).toMatchObject({
      level: 1,
      reason: 'sla-breached',
      breachedTimer: 'acknowledgement',
      notifyRole: 'property-manager',
    });
    await scanAll();
    expect(c.published('complaint-escalated', id)).toHaveLength(1);

    await c.act(id, 'acknowledge');
    const [acknowledged] = await c.awaitPublished('complaint-acknowledged', 1, id);
    expect(acknowledged.withinSla).toBe(false);
    const [acknowledgement] = await timers(id);
    expect(acknowledgement).toMatchObject({ kind: 'acknowledgement', state: 'done', withinSla: false });
    expect(acknowledgement.differenceMinutes).toBeGreaterThanOrEqual(5);
  });

  it('should run the SLA of a complaint logged after the guest raised it from when it was raised', async () => {
    const raised = new Date(c.now().getTime() - 90 * 60_000);
    const id = await c.open({ severity: 'high', receivedAt: raised.toISOString() });
    const loggedAt = c.now();

    const [opened] = await c.awaitPublished('complaint-opened', 1, id);
    expect(opened.openedAt).toBe(raised.toISOString());
    // The high policy: acknowledged within the hour (half an hour ago), resolved within a day.
    expect(opened.sla).toEqual({
      acknowledgeBy: new Date(raised.getTime() + 60 * 60_000).toISOString(),
      resolveBy: new Date(raised.getTime() + 24 * 3_600_000).toISOString(),
    });
    await scanAll();
    const [escalated] = await c.awaitPublished('complaint-escalated', 1, id);
    expect(escalated).toMatchObject({ reason: 'sla-breached', breachedTimer: 'acknowledgement' });
    const audit = await c.http<{ entries: { action: string; at: string }[] }>(
      'GET',
      `/complaints/${id}/audit`,
    );
    const [logged] = audit.body.entries;
    expect(logged.action).toBe('open');
    expect(Math.abs(Date.parse(logged.at) - loggedAt.getTime())).toBeLessThan(60_000);
  });

  it.each([
    ['in the future', 10, 422, 'is in the future'],
    ['more than 30 days ago', -31 * 24 * 60, 422, 'more than 30 days ago'],
  ])(
    'should refuse a complaint said to be received %s, opening nothing',
    async (_, minutes, status, says) => {
      const guestId = randomUUID();
      const receivedAt = new Date(c.now().getTime() + minutes * 60_000).toISOString();
      const answer = await c.request({ guestId, receivedAt });
      expect(answer).toMatchObject({
        status,
        body: { code: 'INVALID_ARGUMENT', field: 'receivedAt', message: expect.stringContaining(says) },
      });
      const listed = await c.http<{ items: unknown[] }>('GET', `/complaints?guestId=${guestId}`);
      expect(listed.body.items).toEqual([]);
    },
  );

  it('should answer a retry with the first complaint when its receivedAt has since passed 30 days', async () => {
    const key = `T-${randomUUID()}`;
    const body = {
      guestId: randomUUID(),
      receivedAt: new Date(c.now().getTime() - 29 * 86_400_000).toISOString(),
    };
    const first = await c.request(body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const twoDaysOn = new Date(c.now().getTime() + 2 * 86_400_000).toISOString();
    const retried = await c.withClockAt(twoDaysOn, () =>
      c.request(body, { headers: { 'idempotency-key': key } }),
    );
    expect(retried).toMatchObject({ status: 201, body: { id: first.body.id } });
  });

  it('should refuse a receivedAt that is not a UTC instant, naming the field', async () => {
    const answer = await c.request({ receivedAt: '2026-03-06 10:00' });
    expect(answer).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'receivedAt' })] },
    });
  });

  it('should time a staff action once it holds the complaint, so one that waited out the deadline is late', async () => {
    const id = await c.open({ severity: 'critical' });
    c.advanceClock(14); // a minute before the 15-minute acknowledgement target
    // Another transaction holds the complaint, as the SLA scanner does while it records a breach.
    const holder = new Client({ connectionString: c.stage.db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from complaints where id = $1 for update', [id]);
      const acknowledging = c.act(id, 'acknowledge');
      await waitUntil('the acknowledgement to wait for the complaint', async () => {
        // Asked outside the holder's transaction, which sees the sessions as they were when it first looked.
        const waiting = await c.stage.db.query(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return waiting.length > 0;
      });
      c.advanceClock(2); // the deadline passes while it waits
      await holder.query('commit');
      expect((await acknowledging).status).toBe(200);
    } finally {
      await holder.end();
    }
    const [acknowledged] = await c.awaitPublished('complaint-acknowledged', 1, id);
    expect(acknowledged.withinSla).toBe(false);
  });

  it('should fire each due timer exactly once when two instances scan at the same time', async () => {
    await c.startInstance();
    expect(c.instances).toHaveLength(2);
    const ids = await Promise.all(Array.from({ length: 8 }, () => c.open({ severity: 'critical' })));
    // Past both the 15-minute acknowledgement and the 4-hour resolution targets.
    c.advanceClock(5 * 60);
    await Promise.all([scanAll(), scanAll()]);
    for (const id of ids) {
      const escalations = await c.awaitPublished('complaint-escalated', 2, id);
      expect(escalations.map((event) => [event.level, event.breachedTimer]).sort()).toEqual([
        [1, 'acknowledgement'],
        [2, 'resolution'],
      ]);
    }
    await scanAll();
    for (const id of ids) expect(c.published('complaint-escalated', id)).toHaveLength(2);
    const audit = await c.http<{ entries: { action: string }[] }>('GET', `/complaints/${ids[0]}/audit`);
    expect(audit.body.entries.map((entry) => entry.action)).toEqual([
      'open',
      'acknowledgement-sla-breached',
      'resolution-sla-breached',
    ]);
  });

  it('should stop the resolution clock while awaiting the guest and restart it with the time left', async () => {
    const id = await c.open({ severity: 'high' });
    await c.act(id, 'acknowledge');
    await c.act(id, 'start');
    c.advanceClock(60);
    await c.act(id, 'await-guest');
    const paused = (await timers(id))[1];
    expect(paused.state).toBe('paused');
    c.advanceClock(48 * 60);
    await scanAll();
    expect(c.published('complaint-escalated', id)).toHaveLength(0);

    const resumedAt = c.now().getTime();
    await c.act(id, 'resume');
    const resumed = (await timers(id))[1];
    // 24 h target, 1 h used before the pause: 23 h left from the resume. The clock runs on between the
    // requests, so each step lands some milliseconds late: either way by less than a minute.
    expect(Math.abs(new Date(resumed.target).getTime() - resumedAt - 23 * 3_600_000)).toBeLessThan(60_000);
    c.advanceClock(24 * 60);
    await scanAll();
    expect((await c.awaitPublished('complaint-escalated', 1, id))[0]).toMatchObject({
      breachedTimer: 'resolution',
    });
  });

  it('should close a resolved complaint whose follow-up got no answer in time as unresolved', async () => {
    const id = await c.open({ severity: 'low' });
    await c.act(id, 'acknowledge');
    await c.act(id, 'start');
    await c.act(id, 'resolve', { resolution: 'apology', note: 'Apologised by phone.' });
    c.advanceClock(8 * 24 * 60);
    await scanAll();
    const [closed] = await c.awaitPublished('complaint-closed', 1, id);
    // The guest never confirmed the answer settled it.
    expect(closed).toMatchObject({ outcome: 'unresolved' });
    expect(closed).not.toHaveProperty('satisfaction');
    expect(closed).not.toHaveProperty('guestSatisfied');
    expect((await c.http('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'closed' });
  });

  it('should count business hours of the property’s calendar for policies that use them', async () => {
    const calendar = weekdayCalendar('Asia/Tokyo', '09:00', '18:00');
    const bad = await c.http('PUT', '/properties/TYO01/calendar', {
      body: { ...calendar, timeZone: 'Tokyo' },
      roles: ['property-manager'],
    });
    expect(bad).toMatchObject({ status: 422, body: { code: 'INVALID_CALENDAR' } });
    // Stored, an opening time given as a list would fail every business-hours timer at the property.
    const listedTime = await c.http('PUT', '/properties/TYO01/calendar', {
      body: { ...calendar, hours: { mon: { opens: ['09:00'], closes: '18:00' } } },
      roles: ['property-manager'],
    });
    expect(listedTime).toMatchObject({
      status: 422,
      body: { code: 'INVALID_CALENDAR', message: expect.stringContaining('hours.mon') },
    });
    expect(
      (await c.http('PUT', '/properties/TYO01/calendar', { body: calendar, roles: ['property-manager'] }))
        .status,
    ).toBe(200);
    const id = await c.open({ propertyId: 'TYO01', severity: 'medium' });
    const [opened] = await c.awaitPublished('complaint-opened', 1, id);
    // Four working hours of Tokyo's office from the opening, not four hours of the clock.
    const office = workingTimeOf(calendar as BusinessCalendar);
    const openedAt = new Date(opened.openedAt);
    expect(opened.sla.acknowledgeBy).toBe(office.add(openedAt, 240).toISOString());
    expect(opened.sla.resolveBy).toBe(office.add(openedAt, 72 * 60).toISOString());
  });

  it('should show a paused timer’s working minutes left and the earliest it can be due, not the target it had before the pause', async () => {
    const property = `PAUSE${randomUUID().slice(0, 4).toUpperCase()}`;
    const calendar = weekdayCalendar('Europe/Amsterdam', '09:00', '17:00');
    await c.setCalendar(property, calendar);
    const office = workingTimeOf(calendar as BusinessCalendar);
    // Opened on Monday 7 January 2030 at 10:00 CET (medium: 72 working hours to resolve), awaiting the
    // guest from 12:00 with two working hours used.
    const id = await c.withClockAt('2030-01-07T09:00:00Z', async () => {
      const opened = await c.open({ propertyId: property, severity: 'medium' });
      await c.act(opened, 'acknowledge');
      await c.act(opened, 'start');
      return opened;
    });
    await c.withClockAt('2030-01-07T11:00:00Z', () => c.act(id, 'await-guest'));
    const before = (await timers(id))[1];
    expect(before).toMatchObject({ kind: 'resolution', state: 'paused', breachedAt: null, withinSla: true });
    // The stage's clock runs on from each instant it is set to, so the opening and the pause each land a
    // few milliseconds after theirs: either may be the later, by less than a minute.
    expect(Math.abs((before.remainingMinutes ?? 0) - 70 * 60)).toBeLessThan(1);

    // Asked on Saturday 2 February, past the target it had before the pause (18 January): due 70 working
    // hours from Monday's opening, were the guest to answer now.
    const saturday = '2030-02-02T12:00:00Z';
    const paused = (await c.withClockAt(saturday, () => timers(id)))[1];
    expect(paused).toMatchObject({
      kind: 'resolution',
      state: 'paused',
      breachedAt: null,
      withinSla: true,
      remainingMinutes: before.remainingMinutes,
      target: office.add(new Date(saturday), before.remainingMinutes ?? 0).toISOString(),
    });
    expect(Date.parse(paused.target)).toBeGreaterThan(Date.parse('2030-02-04T08:00:00Z'));
    // Running and met timers show their targets as before; only a paused one has minutes left.
    expect((await timers(id))[0]).toMatchObject({
      kind: 'acknowledgement',
      state: 'done',
      remainingMinutes: null,
    });

    // As `complaint-reclassified` reports the deadline of a paused timer.
    await c.withClockAt(saturday, () =>
      c.act(id, 'reclassify', { severity: 'low', reason: 'Minor after all.' }),
    );
    const [reclassified] = await c.awaitPublished('complaint-reclassified', 1, id);
    const retimed = (await c.withClockAt(saturday, () => timers(id)))[1];
    expect(retimed).toMatchObject({ state: 'paused' });
    expect(retimed.target).toBe(reclassified.resolveBy);
  });

  it('should open a low-severity complaint, and a detractor’s case, at a property open two hours a week', async () => {
    await c.watch(c.stage.topic('detractor-identified.dlq'));
    const property = `SPARSE${randomUUID().slice(0, 4).toUpperCase()}`;
    const calendar = {
      timeZone: 'Europe/Amsterdam',
      hours: { mon: { opens: '09:00', closes: '11:00' } },
      holidays: ['2026-12-28'],
    };
    await c.setCalendar(property, calendar);
    const mondays = workingTimeOf(calendar as BusinessCalendar);

    const id = await c.open({ propertyId: property, severity: 'low' });
    const [opened] = await c.awaitPublished('complaint-opened', 1, id);
    const openedAt = new Date(opened.openedAt);
    // A week of working time is 84 Mondays, beyond the 400 days the search for it once stopped at.
    expect(opened.sla).toEqual({
      acknowledgeBy: mondays.add(openedAt, 24 * 60).toISOString(),
      resolveBy: mondays.add(openedAt, 7 * 24 * 60).toISOString(),
    });
    expect(Date.parse(opened.sla.resolveBy) - openedAt.getTime()).toBeGreaterThan(500 * 86_400_000);

    // A low-severity detractor (NPS 6) at the property: a case, not a dead letter.
    const guestId = randomUUID();
    const detractor = c.event('detractor-identified', {
      guestId,
      surveyId: randomUUID(),
      stay: { ...sampleEventData('detractor-identified').stay, propertyId: property },
      nps: 6,
      csat: 3,
      identifiedAt: c.now().toISOString(),
    });
    await c.send(detractor);
    await c.caughtUp('detractor-identified');
    const listed = await c.http<{ items: Record<string, unknown>[] }>(
      'GET',
      `/complaints?guestId=${guestId}`,
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ propertyId: property, severity: 'low', channel: 'survey' }),
    ]);
    const dead = c.stage.probe.seen(c.stage.topic('detractor-identified.dlq'));
    expect(dead.map((record) => record.json<{ id: string }>().id)).not.toContain(detractor.id);
  });

  it('should refuse any wrong calendar with 422 naming the field, store only its fields, and record each change', async () => {
    const property = `CAL${randomUUID().slice(0, 4).toUpperCase()}`;
    const path = `/properties/${property}/calendar`;
    const first = {
      timeZone: 'Europe/Lisbon',
      hours: { mon: { opens: '09:00', closes: '17:00' } },
      holidays: ['2026-12-25'],
    };
    const [alice, bob] = [
      { roles: ['property-manager' as const], sub: 'manager-alice', properties: [property] },
      { roles: ['property-manager' as const], sub: 'manager-bob', properties: [property] },
    ];
    for (const [body, field] of [
      [{ ...first, timeZone: 42 }, 'timeZone'],
      [{ ...first, colour: 'blue' }, 'colour'],
      [{ ...first, hours: { mon: { opens: '09:00', closes: '17:00', lunch: '12:00' } } }, 'hours.mon.lunch'],
      [{ ...first, holidays: Array.from({ length: 367 }, () => '2026-12-25') }, 'holidays'],
    ] as const) {
      expect(await c.http('PUT', path, { body, ...alice })).toMatchObject({
        status: 422,
        body: { code: 'INVALID_CALENDAR', field },
      });
    }
    expect((await c.http('GET', path, alice)).status).toBe(404);

    expect(await c.http('PUT', path, { body: first, ...alice })).toEqual({
      status: 200,
      body: { propertyId: property, ...first },
    });
    const second = { ...first, hours: { tue: { opens: '10:00', closes: '16:00' } }, holidays: [] };
    await c.http('PUT', path, { body: second, ...bob });
    expect((await c.http('GET', path, alice)).body).toEqual(second);

    const changes = await c.http<{ items: unknown[] }>('GET', `${path}/changes`, alice);
    expect(changes).toMatchObject({
      status: 200,
      body: {
        items: [
          { actor: 'manager-alice', actorRoles: ['property-manager'], before: null, after: first },
          { actor: 'manager-bob', actorRoles: ['property-manager'], before: first, after: second },
        ],
        nextCursor: null,
      },
    });
    expect(changes.body.items[1]).toMatchObject({ at: expect.any(String) });
    // The property's managers read them; the front desk and other properties' managers do not.
    expect((await c.http('GET', `${path}/changes`, { properties: [property] })).status).toBe(403);
    expect(
      (await c.http('GET', `${path}/changes`, { roles: ['property-manager'], properties: ['AMS01'] })).status,
    ).toBe(403);
  });

  it('should refuse, with 400 naming propertyId, a calendar for a property id no event can name, and store nothing', async () => {
    const chainAdmin = { roles: ['chain-admin' as const], properties: ['*'] };
    const calendar = { timeZone: 'Europe/Paris', hours: { mon: { opens: '09:00', closes: '17:00' } } };
    const put = await c.http('PUT', '/properties/Grand%20Paris/calendar', { body: calendar, ...chainAdmin });
    expect(put).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ path: 'propertyId' }] },
    });
    const stored = await c.stage.db.query(
      "select 1 from property_calendars where property_id = 'Grand Paris'",
    );
    expect(stored).toEqual([]);
  });

  it('should list a calendar’s changes a page at a time, oldest first, and refuse a cursor of another list', async () => {
    const property = `PAGE${randomUUID().slice(0, 4).toUpperCase()}`;
    const path = `/properties/${property}/calendar`;
    const manager = { roles: ['property-manager' as const], properties: [property] };
    const opening = ['08:00', '09:00', '10:00'];
    for (const opens of opening) {
      const calendar = { timeZone: 'Europe/Rome', hours: { mon: { opens, closes: '17:00' } }, holidays: [] };
      expect((await c.http('PUT', path, { body: calendar, ...manager })).status).toBe(200);
    }
    type Changes = { items: { after: { hours: { mon: { opens: string } } } }[]; nextCursor: string | null };
    const pageAfter = async (cursor?: string) => {
      const query = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await c.http<Changes>('GET', `${path}/changes${query}`, manager);
      expect(page.status).toBe(200);
      return {
        opens: page.body.items.map((change) => change.after.hours.mon.opens),
        next: page.body.nextCursor,
      };
    };
    const first = await pageAfter();
    expect(first).toEqual({ opens: opening.slice(0, 2), next: expect.any(String) });
    expect(await pageAfter(first.next ?? undefined)).toEqual({ opens: opening.slice(2), next: null });
    await c.open();
    await c.open();
    const complaints = await c.http<{ nextCursor: string }>('GET', '/complaints?limit=1');
    for (const refused of [complaints.body.nextCursor, 'nonsense']) {
      const answer = await c.http<{ errors: { path: string }[] }>(
        'GET',
        `${path}/changes?cursor=${refused}`,
        manager,
      );
      expect(answer).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(answer.body.errors.map((error) => error.path)).toEqual(['cursor']);
    }
    expect((await c.http('GET', `${path}/changes?limit=0`, manager)).status).toBe(400);
  });

  it('should set aside a timer that cannot fire, saying why, and escalate the ones due after it', async () => {
    const refused = await c.open({ severity: 'critical' });
    const after = await c.open({ severity: 'critical' });
    const setAside = async () => {
      const [timer] = await c.stage.db.query<{
        scan_attempts: number;
        scan_failure: string | null;
        scan_retry_at: Date | null;
        breached_at: Date | null;
      }>(
        `select scan_attempts, scan_failure, scan_retry_at, breached_at from sla_timers
         where complaint_id = $1 and kind = 'acknowledgement'`,
        [refused],
      );
      return timer;
    };
    // Postgres refuses the first complaint's escalation, as it would a row gone wrong.
    await c.stage.db.query(
      `alter table complaints add constraint refuses_escalating check (id <> '${refused}' or escalation_level = 0) not valid`,
    );
    try {
      c.advanceClock(20);
      await c.awaitPublished('complaint-escalated', 1, after);
      const failed = await setAside();
      expect(failed).toMatchObject({
        scan_attempts: 1,
        scan_failure: expect.stringContaining('refuses_escalating'),
        breached_at: null,
      });
      const waitMs = failed.scan_retry_at!.getTime() - c.now().getTime();
      expect(waitMs).toBeGreaterThan(50_000);
      expect(waitMs).toBeLessThanOrEqual(60_000);
      // Not claimed again before it is due to be tried.
      await scanAll();
      expect((await setAside()).scan_attempts).toBe(1);
    } finally {
      await c.stage.db.query('alter table complaints drop constraint refuses_escalating');
    }

    c.advanceClock(2);
    const [escalated] = await c.awaitPublished('complaint-escalated', 1, refused);
    expect(escalated).toMatchObject({ level: 1, breachedTimer: 'acknowledgement' });
    expect(await setAside()).toMatchObject({
      scan_attempts: 0,
      scan_failure: null,
      scan_retry_at: null,
      breached_at: expect.any(Date),
    });
  });

  it('should count a timer breached by an instance whose clock ran ahead as missed, though met before its target', async () => {
    const property = `FAST${randomUUID().slice(0, 4).toUpperCase()}`;
    const id = await c.open({ propertyId: property, severity: 'critical' });
    // The scanning instance's clock runs 20 minutes ahead: it breaches the 15-minute target early.
    c.advanceClock(20);
    await c.awaitPublished('complaint-escalated', 1, id);
    c.advanceClock(-20);
    await c.act(id, 'acknowledge');
    expect((await c.awaitPublished('complaint-acknowledged', 1, id))[0].withinSla).toBe(false);
    const [acknowledgement] = await timers(id);
    expect(acknowledgement).toMatchObject({ kind: 'acknowledgement', state: 'done', withinSla: false });
    expect(acknowledgement.differenceMinutes).toBeLessThan(0);

    const sla = await c.http('GET', `/insights/sla?propertyId=${property}`, { roles: ['analyst'] });
    expect(sla.body).toMatchObject({ acknowledgementCompliancePercent: 0 });
  });

  it('should count an acknowledgement after its target as missed when no scan had marked the breach yet', async () => {
    // With the scanners off, nothing records the breach between the deadline and the acknowledgement.
    for (const service of [...c.instances]) await c.stopInstance(service);
    await c.startInstance({ COMPLAINTS_SLA_SCAN_INTERVAL_MS: '0' });
    const property = `LATE${randomUUID().slice(0, 4).toUpperCase()}`;
    const id = await c.open({ propertyId: property, severity: 'critical' });
    c.advanceClock(16);
    await c.act(id, 'acknowledge');
    expect((await c.awaitPublished('complaint-acknowledged', 1, id))[0].withinSla).toBe(false);
    expect((await timers(id))[0]).toMatchObject({
      kind: 'acknowledgement',
      breachedAt: null,
      withinSla: false,
    });

    const sla = await c.http('GET', `/insights/sla?propertyId=${property}`, { roles: ['analyst'] });
    expect(sla.body).toMatchObject({ acknowledgementCompliancePercent: 0 });
  });
});
