import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { TimerWaitsFromAudit1760000005700 } from '../src/migrations/1760000005700-timer-waits-from-audit';
import { ComplaintsStage, weekdayCalendar } from './complaints-stage';

interface TimerView {
  kind: string;
  state: string;
  target: string;
  breachedAt: string | null;
  withinSla: boolean;
}

interface AuditView {
  entries: { at: string; actor: string; actorRoles: string[]; action: string; reason?: string }[];
}

const MINUTE = 60_000;

describe('complaints: reclassifying a complaint and its SLA timers (real broker and Postgres)', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_reclassify');
    await c.startInstance();
  });

  afterAll(() => c?.close());

  const complaint = async (id: string) =>
    (await c.http<{ openedAt: string; status: string; timers: TimerView[] }>('GET', `/complaints/${id}`))
      .body;
  const timerOf = async (id: string, kind: string) =>
    (await complaint(id)).timers.find((timer) => timer.kind === kind && timer.state !== 'cancelled');
  const audit = async (id: string) =>
    (await c.http<AuditView>('GET', `/complaints/${id}/audit`)).body.entries;
  const minutesAfter = (instant: string, minutes: number) =>
    new Date(Date.parse(instant) + minutes * MINUTE).toISOString();

  it('should move the SLA timers to the new policy’s targets from their start, with an audit line of who, when, what and why', async () => {
    const id = await c.open({ severity: 'medium', category: 'cleanliness' });
    const { openedAt } = await complaint(id);
    const reason = 'The guest has asthma: the mould is urgent.';
    const answer = await c.act(id, 'reclassify', { severity: 'critical', reason }, { sub: 'desk-7' });
    expect(answer).toMatchObject({
      status: 200,
      body: { severity: 'critical', category: 'cleanliness', aspect: 'cleanliness', policyId: 'critical' },
    });
    expect(await timerOf(id, 'acknowledgement')).toMatchObject({
      state: 'running',
      target: minutesAfter(openedAt, 15),
    });
    expect(await timerOf(id, 'resolution')).toMatchObject({
      state: 'running',
      target: minutesAfter(openedAt, 4 * 60),
    });
    // Critical complaints run round the clock: pauses and resumes now count every minute.
    const counted = await c.stage.db.query<{ business_hours: boolean }>(
      'select distinct business_hours from sla_timers where complaint_id = $1',
      [id],
    );
    expect(counted).toEqual([{ business_hours: false }]);
    const line = (await audit(id)).at(-1);
    expect(line).toMatchObject({
      actor: 'desk-7',
      actorRoles: ['front-desk'],
      action: 'reclassify',
      before: { severity: 'medium', category: 'cleanliness', policyId: 'medium' },
      after: { severity: 'critical', category: 'cleanliness', policyId: 'critical' },
      reason,
    });
    expect(Date.parse(line?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(openedAt));

    // A new category brings its aspect, and the policy that goes with it: noise is answered the same night.
    const recategorised = await c.act(id, 'reclassify', {
      severity: 'low',
      category: 'noise',
      reason: 'It was the party next door, not the room.',
    });
    expect(recategorised.body).toMatchObject({ category: 'noise', aspect: 'noise', policyId: 'noise' });
    expect(await timerOf(id, 'resolution')).toMatchObject({ target: minutesAfter(openedAt, 12 * 60) });
  });

  it('should announce the classifications before and after and the deadlines they give, keyed by the guest, without the reason', async () => {
    const id = await c.open({ severity: 'medium', category: 'cleanliness' });
    const { openedAt, guestId } = (
      await c.http<{ openedAt: string; guestId: string }>('GET', `/complaints/${id}`)
    ).body;
    const reason = 'The guest could not sleep: it is the noise, and it is urgent.';
    await c.act(id, 'reclassify', { severity: 'critical', category: 'noise', reason }, { sub: 'desk-7' });
    const [raised] = await c.awaitPublished('complaint-reclassified', 1, id);
    expect(raised).toEqual({
      guestId,
      complaintId: id,
      propertyId: 'AMS01',
      from: { severity: 'medium', category: 'cleanliness', complaintCategory: 'cleanliness' },
      to: { severity: 'critical', category: 'noise', complaintCategory: 'noise' },
      reclassifiedBy: 'desk-7',
      reclassifiedAt: (await audit(id)).at(-1)?.at,
      acknowledgeBy: minutesAfter(openedAt, 15),
      resolveBy: minutesAfter(openedAt, 4 * 60),
    });
    const [record] = c.stage.probe
      .seen(c.stage.topic('complaint-reclassified'))
      .filter((seen) => seen.json<{ data: { complaintId: string } }>().data.complaintId === id);
    expect(record.key).toBe(guestId);
    expect(record.value?.toString()).not.toContain('urgent');

    // Acknowledged, it has no acknowledgement deadline left; `other` keeps the aspect of the stay.
    await c.act(id, 'acknowledge');
    await c.act(id, 'reclassify', { severity: 'low', category: 'other', reason: 'Quiet since.' });
    const [, lowered] = await c.awaitPublished('complaint-reclassified', 2, id);
    expect(lowered).toMatchObject({
      from: { severity: 'critical', category: 'noise', complaintCategory: 'noise' },
      to: { severity: 'low', category: 'noise', complaintCategory: 'other' },
      resolveBy: minutesAfter(openedAt, 7 * 24 * 60),
    });
    expect(lowered).not.toHaveProperty('acknowledgeBy');
  });

  it('should escalate at the next scan a timer whose new target has passed, and leave a breach as it was', async () => {
    const late = await c.open({ severity: 'medium' });
    const breached = await c.open({ severity: 'critical' });
    c.advanceClock(20);
    await c.awaitPublished('complaint-escalated', 1, breached);
    const missed = await timerOf(breached, 'acknowledgement');
    expect(missed).toMatchObject({ breachedAt: expect.any(String), withinSla: false });

    // Critical from the start, the first was due 15 minutes after it was opened: 5 minutes ago.
    await c.act(late, 'reclassify', { severity: 'critical', reason: 'A guest was hurt.' });
    const [escalated] = await c.awaitPublished('complaint-escalated', 1, late);
    expect(escalated).toMatchObject({ reason: 'sla-breached', breachedTimer: 'acknowledgement' });

    // Low now, the second keeps the target it missed and its breach; its resolution moves to 7 days.
    await c.act(breached, 'reclassify', { severity: 'low', reason: 'Not urgent after all.' });
    expect(await timerOf(breached, 'acknowledgement')).toEqual(missed);
    const { openedAt } = await complaint(breached);
    expect(await timerOf(breached, 'resolution')).toMatchObject({
      target: minutesAfter(openedAt, 7 * 24 * 60),
    });
    await c.act(breached, 'acknowledge');
    expect((await c.awaitPublished('complaint-acknowledged', 1, breached))[0].withinSla).toBe(false);
  });

  it('should keep the time awaiting the guest out of the new resolution target', async () => {
    const id = await c.open({ severity: 'medium' });
    await c.act(id, 'acknowledge');
    await c.act(id, 'start');
    c.advanceClock(60);
    await c.act(id, 'await-guest');
    c.advanceClock(120);
    // High: 24 hours round the clock, of which about one was used before the guest was asked.
    await c.act(id, 'reclassify', { severity: 'high', reason: 'The guest is leaving tomorrow.' });
    expect(await timerOf(id, 'resolution')).toMatchObject({ state: 'paused' });
    c.advanceClock(30);
    await c.act(id, 'resume');
    const resumedAt = (await audit(id)).at(-1)?.at ?? '';
    const { target } = (await timerOf(id, 'resolution')) as TimerView;
    const left = (Date.parse(target) - Date.parse(resumedAt)) / MINUTE;
    expect(Math.abs(left - 23 * 60)).toBeLessThan(1);
  });

  /**
   * A medium complaint (business hours) at `propertyId`, open weekdays 09:00-17:00 in Amsterdam: opened
   * Friday 1 May 10:00 there (08:00 UTC), the guest asked at 12:00 and answering on Monday at 09:00: 5 office
   * hours, 69 hours of the clock. `beforeReclassifying` runs after the answer.
   */
  const weekendAwaitingTheGuest = async (
    propertyId: string,
    beforeReclassifying?: (id: string) => Promise<void>,
  ) => {
    await c.setCalendar(propertyId, weekdayCalendar('Europe/Amsterdam', '09:00', '17:00'));
    const id = await c.withClockAt('2026-05-01T08:00:00Z', async () => {
      const opened = await c.open({ propertyId, severity: 'medium' });
      await c.act(opened, 'acknowledge');
      await c.act(opened, 'start');
      return opened;
    });
    await c.withClockAt('2026-05-01T10:00:00Z', () => c.act(id, 'await-guest'));
    await c.withClockAt('2026-05-04T07:00:00Z', () => c.act(id, 'resume'));
    await beforeReclassifying?.(id);
    // High: 24 hours round the clock, plus the 69 hours waited (not the 5 the office counted).
    await c.withClockAt('2026-05-04T08:00:00Z', () =>
      c.act(id, 'reclassify', { severity: 'high', reason: 'The guest checks out on Tuesday.' }),
    );
    const { target } = (await timerOf(id, 'resolution')) as TimerView;
    return target;
  };

  it('should count a weekend awaiting the guest in every minute once the complaint runs round the clock', async () => {
    const target = await weekendAwaitingTheGuest('CAL03');
    expect(Math.abs(Date.parse(target) - Date.parse('2026-05-05T05:00:00Z'))).toBeLessThan(MINUTE);
  });

  describe('timers stored before their waits were kept', () => {
    /** The resolution timer's waits as stored. */
    const waitsOf = async (id: string) =>
      (
        await c.stage.db.query<{ waits: unknown }>(
          `select waits from sla_timers where complaint_id = $1 and kind = 'resolution'`,
          [id],
        )
      )[0].waits;
    /** As a version that kept no waits stored them. */
    const forgetWaits = (id: string) =>
      c.stage.db.query(`update sla_timers set waits = null where complaint_id = $1`, [id]);
    const migrate = () => new TimerWaitsFromAudit1760000005700().up(c.stage.db as unknown as QueryRunner);

    it('should read a weekend awaiting the guest from the audit trail, so a reclassification counts it in full', async () => {
      // The example above, with the timer stored before the waits were kept.
      const target = await weekendAwaitingTheGuest('CAL04', async (id) => {
        await forgetWaits(id);
        await migrate();
        const [wait] = (await waitsOf(id)) as { from: string; to: string }[];
        expect(Math.abs(Date.parse(wait.from) - Date.parse('2026-05-01T10:00:00Z'))).toBeLessThan(MINUTE);
        expect(Math.abs(Date.parse(wait.to) - Date.parse('2026-05-04T07:00:00Z'))).toBeLessThan(MINUTE);
      });
      expect(Math.abs(Date.parse(target) - Date.parse('2026-05-05T05:00:00Z'))).toBeLessThan(MINUTE);
    });

    it('should keep a paused timer’s wait open, and leave one whose complaint was reclassified since without waits', async () => {
      const paused = await c.open({ severity: 'medium' });
      const reclassified = await c.open({ severity: 'medium' });
      for (const id of [paused, reclassified]) {
        await c.act(id, 'acknowledge');
        await c.act(id, 'start');
        await c.act(id, 'await-guest');
      }
      await c.act(reclassified, 'reclassify', { severity: 'low', reason: 'A detail, the guest says.' });
      await forgetWaits(paused);
      await forgetWaits(reclassified);
      const [{ at: askedAt }] = (await audit(paused)).filter((entry) => entry.action === 'await-guest');

      await migrate();
      expect(await waitsOf(paused)).toEqual([{ from: new Date(askedAt).toISOString(), to: null }]);
      expect(await waitsOf(reclassified)).toBeNull();
    });
  });

  it('should refuse a closed complaint, and record nothing for a reclassification that changes nothing', async () => {
    const cancelled = await c.open();
    await c.act(cancelled, 'cancel', { reason: 'Logged by mistake.' });
    expect(await c.act(cancelled, 'reclassify', { severity: 'high', reason: 'Too late.' })).toMatchObject({
      status: 409,
      body: { code: 'ILLEGAL_TRANSITION', status: 'cancelled', action: 'reclassify' },
    });

    const id = await c.open({ severity: 'medium', category: 'cleanliness' });
    const before = await complaint(id);
    const same = await c.act(id, 'reclassify', {
      severity: 'medium',
      category: 'cleanliness',
      reason: 'Checked again.',
    });
    expect(same).toMatchObject({ status: 200, body: { severity: 'medium', policyId: 'medium' } });
    expect((await audit(id)).map((entry) => entry.action)).toEqual(['open']);
    expect(await complaint(id)).toEqual(before);
    // Announced in order on the guest's partition: the one event is the later, real change's.
    await c.act(id, 'reclassify', { severity: 'high', reason: 'Checked once more.' });
    await c.awaitPublished('complaint-reclassified', 1, id);
    expect(c.published('complaint-reclassified', id)).toEqual([
      expect.objectContaining({ to: expect.objectContaining({ severity: 'high' }) }),
    ]);
  });

  it('should need a reason and a change, a handler’s role, and a complaint in the caller’s scope', async () => {
    const id = await c.open();
    const refusedOn = async (body: object) => {
      const answer = await c.http<{ errors: { path: string }[] }>('POST', `/complaints/${id}/reclassify`, {
        body,
      });
      expect(answer).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      return [...new Set(answer.body.errors.map((error) => error.path))];
    };
    expect(await refusedOn({ severity: 'high' })).toEqual(['reason']);
    expect(await refusedOn({ reason: 'Because.' })).toEqual(['category']);
    expect(await refusedOn({ severity: 'dire', reason: 'Because.' })).toEqual(['severity']);
    const change = { severity: 'high', reason: 'Because.' };
    expect((await c.act(id, 'reclassify', change, { roles: ['analyst'] })).status).toBe(403);
    const paris = await c.open({ propertyId: 'PAR01' });
    expect(await c.act(paris, 'reclassify', change, { properties: ['AMS01'] })).toMatchObject({
      status: 404,
      body: { code: 'COMPLAINT_NOT_FOUND' },
    });
    expect((await c.act(randomUUID(), 'reclassify', change)).status).toBe(404);
    expect((await audit(id)).map((entry) => entry.action)).toEqual(['open']);
  });

  it('should wait for a command in flight on the complaint, then judge it as that command left it', async () => {
    const id = await c.open();
    const answer = await c.whileAnotherCommits(
      [
        ['select id from complaints where id = $1 for update', [id]],
        [`update complaints set status = 'cancelled', closed_at = now() where id = $1`, [id]],
      ],
      () => c.act(id, 'reclassify', { severity: 'critical', reason: 'A guest was hurt.' }),
    );
    expect(answer).toMatchObject({ status: 409, body: { code: 'ILLEGAL_TRANSITION', status: 'cancelled' } });
    expect((await complaint(id)).status).toBe('cancelled');
  });
});
