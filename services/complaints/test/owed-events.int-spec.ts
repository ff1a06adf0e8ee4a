import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EventData } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { DataSource } from 'typeorm';
import { OwedEvents } from '../src/complaints/owed-events';
import { DuplicatesOfCancelledOriginals1760000005200 } from '../src/migrations/1760000005200-duplicates-of-cancelled-originals';
import { TakeUpsToAnnounce1760000005300 } from '../src/migrations/1760000005300-take-ups-to-announce';
import { ComplaintsStage } from './complaints-stage';

interface OwedRow {
  id: string;
  attempts: number;
  failure: string | null;
  retry_at: Date | null;
}

describe('complaints: events owed by migrations (real broker and Postgres)', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_owed_events');
    await c.startInstance();
  });

  afterAll(() => c?.close());

  /**
   * A complaint's reopen as migration 1760000005300 owes it, with `data` changed by `change`: as if its
   * resolution timer had been started by the reopen.
   */
  async function owe(change: Record<string, unknown> = {}): Promise<{ id: string; complaintId: string }> {
    const complaintId = await c.open();
    const [{ guestId, startedAt, targetAt }] = await c.stage.db.query<{
      guestId: string;
      startedAt: Date;
      targetAt: Date;
    }>(
      `select c.guest_id as "guestId", t.started_at as "startedAt", t.target_at as "targetAt"
       from complaints c join sla_timers t on t.complaint_id = c.id and t.kind = 'resolution' where c.id = $1`,
      [complaintId],
    );
    const data = {
      guestId,
      complaintId,
      from: 'closed',
      reopenedBy: 'complaints',
      reopenedAt: startedAt.toISOString(),
      resolveBy: targetAt.toISOString(),
      ...change,
    };
    const [{ id }] = await c.stage.db.query<{ id: string }>(
      `insert into complaint_events_owed (event_type, guest_id, property_id, data)
       values ('complaint-reopened', $1, 'AMS01', $2) returning id`,
      [guestId, JSON.stringify(data)],
    );
    return { id, complaintId };
  }

  const owedRow = async (id: string): Promise<OwedRow | undefined> =>
    (
      await c.stage.db.query<OwedRow>(
        'select id, attempts, failure, retry_at from complaint_events_owed where id = $1',
        [id],
      )
    )[0];

  it('should wait quietly, when migration 1760000005300 has not run yet, then publish what it owes on a later tick', async () => {
    const runner = c.instances[0].app.get(DataSource).createQueryRunner();
    const migration = new TakeUpsToAnnounce1760000005300();
    const complained = jest.spyOn(Logger.prototype, 'error');
    try {
      await migration.down(runner);
      // Ticks every 200 ms: several go by with no table to read.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await c.instances[0].app.get(OwedEvents).publishOwed(c.now())).toBe(0);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(complained.mock.calls.filter(([message]) => String(message).includes('owed'))).toEqual([]);
    complained.mockRestore();

    const { complaintId } = await owe();
    expect(await c.awaitPublished('complaint-reopened', 1, complaintId)).toHaveLength(1);
  });

  it('should publish, on the SLA scan’s tick, events owed while the service runs, once', async () => {
    const { id, complaintId } = await owe();

    const [reopened] = await c.awaitPublished('complaint-reopened', 1, complaintId);
    expect(reopened).toMatchObject({ complaintId, from: 'closed', reopenedBy: 'complaints' });
    await waitUntil('the owed event to be gone', async () => (await owedRow(id)) === undefined);
    expect(await c.instances[0].app.get(OwedEvents).publish(c.now())).toBe(0);
    expect(c.published('complaint-reopened', complaintId)).toHaveLength(1);
  });

  it('should keep an owed event that fails its contract, saying why, and publish the ones after it', async () => {
    const complained = jest.spyOn(Logger.prototype, 'error');
    // Reopened from where no complaint-reopened can say.
    const invalid = await owe({ from: 'opened' });
    const valid = await owe();

    await c.awaitPublished('complaint-reopened', 1, valid.complaintId);
    const kept = await waitUntil('the invalid event to be kept', async () => {
      const row = await owedRow(invalid.id);
      return row?.failure ? row : undefined;
    });
    expect(kept).toMatchObject({ attempts: 1, failure: expect.stringContaining('data.from') });
    expect(kept.retry_at!.getTime() - c.now().getTime()).toBeGreaterThan(50_000);
    const reported = complained.mock.calls.map(([message]) => String(message));
    expect(reported.filter((message) => message.includes(`owed event ${invalid.id} `))).toEqual([
      expect.stringContaining(`complaint ${invalid.complaintId}) could not be published, attempt 1; kept`),
    ]);
    complained.mockRestore();

    // Not tried on every tick, but again a minute later.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await owedRow(invalid.id)).toMatchObject({ attempts: 1 });
    c.advanceClock(2);
    await waitUntil('a second attempt', async () => (await owedRow(invalid.id))?.attempts === 2);
    expect(c.published('complaint-reopened', invalid.complaintId)).toEqual([]);
  });

  it('should keep an owed reopen whose complaint has no resolution timer started at the reopen, saying so', async () => {
    const reopenedAt = new Date(Date.now() - 3_600_000).toISOString();
    const { id, complaintId } = await owe({ reopenedAt });

    const kept = await waitUntil('the event to be kept', async () => {
      const row = await owedRow(id);
      return row?.failure ? row : undefined;
    });
    expect(kept).toMatchObject({
      attempts: 1,
      failure: `complaint ${complaintId} has no resolution timer started at ${reopenedAt}`,
    });
    expect(c.published('complaint-reopened', complaintId)).toEqual([]);
  });

  it('should keep an owed event mended by hand into no complaint id or no instant, naming the field', async () => {
    const noId = await owe({ complaintId: 'C-1042' });
    const noInstant = await owe({ reopenedAt: 'yesterday' });

    const failures = await waitUntil('both events to be kept', async () => {
      const rows = [await owedRow(noId.id), await owedRow(noInstant.id)];
      return rows.every((row) => row?.failure) ? rows.map((row) => row!.failure) : undefined;
    });
    expect(failures).toEqual([
      'data.complaintId is not a complaint id: "C-1042"',
      'data.reopenedAt is not an instant: "yesterday"',
    ]);
    expect(c.published('complaint-reopened', noInstant.complaintId)).toEqual([]);
  });
});

describe('complaints: take-ups owed while their complaints move on (real broker and Postgres)', () => {
  let c: ComplaintsStage;
  let owedEvents: OwedEvents;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_owed_take_ups');
    // No SLA scan: what the migration owes waits until a test publishes it.
    const instance = await c.startInstance({ COMPLAINTS_SLA_SCAN_INTERVAL_MS: '0' });
    owedEvents = instance.app.get(OwedEvents);
  });

  afterAll(() => c?.close());

  /**
   * For each guest, a critical complaint (round the clock: 4 hours to resolve) marked the duplicate of one
   * cancelled before that was refused, taken up again by migration 1760000005200, with its reopen owed by
   * 1760000005300; each with what the migration recorded of it.
   */
  async function takeUp(
    ...guestIds: string[]
  ): Promise<{ id: string; owed: EventData<'complaint-reopened'> }[]> {
    const critical = { severity: 'critical' };
    const [originals, duplicates]: string[][] = [[], []];
    for (const guestId of guestIds) {
      const [original, duplicate] = [await c.open(critical), await c.open({ ...critical, guestId })];
      await c.act(duplicate, 'mark-duplicate', { duplicateOf: original });
      originals.push(original);
      duplicates.push(duplicate);
    }
    await c.stage.db.query(
      `update complaints set status = 'cancelled', closed_at = now() where id = any($1::uuid[])`,
      [originals],
    );
    const runner = c.instances[0].app.get(DataSource).createQueryRunner();
    try {
      await new DuplicatesOfCancelledOriginals1760000005200().up(runner);
      await new TakeUpsToAnnounce1760000005300().down(runner);
      await new TakeUpsToAnnounce1760000005300().up(runner);
    } finally {
      await runner.release();
    }
    // Run again, the migration owes the take-ups of the tests before too: they were announced then.
    await c.stage.db.query(
      `delete from complaint_events_owed where data ->> 'complaintId' <> all($1::text[])`,
      [duplicates],
    );
    const owed = await c.stage.db.query<{ data: EventData<'complaint-reopened'> }>(
      `select data from complaint_events_owed order by array_position($1::text[], data ->> 'complaintId')`,
      [duplicates],
    );
    return owed.map(({ data }) => ({ id: data.complaintId, owed: data }));
  }

  const resolutionTimer = async (id: string) =>
    (
      await c.stage.db.query<{ target: Date; remainingMinutes: number | null }>(
        `select target_at as target, remaining_minutes as "remainingMinutes" from sla_timers
         where complaint_id = $1 and kind = 'resolution' and state in ('running', 'paused')`,
        [id],
      )
    )[0];

  it('should announce a take-up with the deadline its resolution timer has as the event goes out', async () => {
    const [resumed, paused] = await takeUp(randomUUID(), randomUUID());
    for (const { id } of [resumed, paused]) {
      for (const action of ['acknowledge', 'start', 'await-guest'])
        expect((await c.act(id, action)).status).toBe(200);
    }
    c.advanceClock(90);
    expect((await c.act(resumed.id, 'resume')).status).toBe(200);
    c.advanceClock(30);
    const now = c.now();

    expect(await owedEvents.publish(now)).toBe(2);
    // Resumed after 90 minutes awaiting the guest: its deadline moved on by as much.
    const moved = await resolutionTimer(resumed.id);
    expect(moved.target.getTime() - Date.parse(resumed.owed.resolveBy)).toBeGreaterThanOrEqual(90 * 60_000);
    expect(await c.awaitPublished('complaint-reopened', 1, resumed.id)).toEqual([
      { ...resumed.owed, resolveBy: moved.target.toISOString() },
    ]);
    // Still awaiting the guest: the deadline it would have if its clock started again as the event goes out.
    const stopped = await resolutionTimer(paused.id);
    expect(stopped.remainingMinutes).toBeGreaterThan(0);
    expect(await c.awaitPublished('complaint-reopened', 1, paused.id)).toEqual([
      {
        ...paused.owed,
        resolveBy: new Date(now.getTime() + stopped.remainingMinutes! * 60_000).toISOString(),
      },
    ]);
  });

  it('should wait for a command on the complaint still in flight, and announce the deadline it leaves', async () => {
    const [takenUp] = await takeUp(randomUUID());
    const owedTarget = Date.parse(takenUp.owed.resolveBy);

    // As a resume in flight holds the complaint, its timer moved on, until it commits.
    const published = await c.whileAnotherCommits(
      [
        ['select id from complaints where id = $1 for update', [takenUp.id]],
        [
          `update sla_timers set target_at = target_at + interval '1 hour'
           where complaint_id = $1 and kind = 'resolution' and state = 'running'`,
          [takenUp.id],
        ],
      ],
      () => owedEvents.publish(c.now()),
    );
    expect(published).toBe(1);
    expect(await c.awaitPublished('complaint-reopened', 1, takenUp.id)).toEqual([
      { ...takenUp.owed, resolveBy: new Date(owedTarget + 3_600_000).toISOString() },
    ]);
  });

  it('should announce an erased guest’s take-up as the complaint’s live events: under the guest it stands under now, with nothing else of them', async () => {
    const [erased, merged, survivor] = [randomUUID(), randomUUID(), randomUUID()];
    const [ofErased, ofMerged] = await takeUp(erased, merged);
    expect(ofMerged.owed.guestId).toBe(merged);
    // After the migration: the guest of one is erased, the other's merged into a guest erased since.
    await c.send(c.event('guest-merged', { survivorId: survivor, mergedId: merged }));
    await c.caughtUp('guest-merged');
    await c.send(
      c.event('guest-erased', { guestId: erased }),
      c.event('guest-erased', { guestId: survivor }),
    );
    await c.caughtUp('guest-erased');

    expect(await owedEvents.publish(c.now())).toBe(2);
    expect(await c.awaitPublished('complaint-reopened', 1, ofErased.id)).toEqual([ofErased.owed]);
    expect(await c.awaitPublished('complaint-reopened', 1, ofMerged.id)).toEqual([
      { ...ofMerged.owed, guestId: survivor },
    ]);
    const outbox = await c.stage.db.query<{ key: string; subject: string }>(
      `select partition_key as key, payload::jsonb ->> 'subject' as subject from messaging_outbox
       where event_type = 'complaint-reopened' and payload::jsonb -> 'data' ->> 'complaintId' = $1`,
      [ofMerged.id],
    );
    expect(outbox).toEqual([{ key: survivor, subject: survivor }]);
    // As the complaint's next live event is.
    for (const { id } of [ofErased, ofMerged]) expect((await c.act(id, 'acknowledge')).status).toBe(200);
    expect((await c.awaitPublished('complaint-acknowledged', 1, ofErased.id))[0].guestId).toBe(erased);
    expect((await c.awaitPublished('complaint-acknowledged', 1, ofMerged.id))[0].guestId).toBe(survivor);
  });
});
