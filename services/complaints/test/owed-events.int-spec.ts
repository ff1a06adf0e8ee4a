import { Logger } from '@nestjs/common';
import { waitUntil } from '@loyalty/testing';
import { DataSource } from 'typeorm';
import { OwedEvents } from '../src/complaints/owed-events';
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

  /** A complaint's reopen as migration 1760000005300 owes it, with `data` changed by `change`. */
  async function owe(change: Record<string, unknown> = {}): Promise<{ id: string; complaintId: string }> {
    const complaintId = await c.open();
    const { guestId } = (await c.http<{ guestId: string }>('GET', `/complaints/${complaintId}`)).body;
    const reopenedAt = new Date(Date.now() - 60_000);
    const data = {
      guestId,
      complaintId,
      from: 'closed',
      reopenedBy: 'complaints',
      reopenedAt: reopenedAt.toISOString(),
      resolveBy: new Date(reopenedAt.getTime() + 4 * 3_600_000).toISOString(),
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
    // Due before it was reopened: no complaint-reopened can say that.
    const invalid = await owe({ resolveBy: new Date(Date.now() - 3_600_000).toISOString() });
    const valid = await owe();

    await c.awaitPublished('complaint-reopened', 1, valid.complaintId);
    const kept = await waitUntil('the invalid event to be kept', async () => {
      const row = await owedRow(invalid.id);
      return row?.failure ? row : undefined;
    });
    expect(kept).toMatchObject({ attempts: 1, failure: expect.stringContaining('resolveBy') });
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
});
