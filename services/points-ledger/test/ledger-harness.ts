import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildEvent, sampleEventData, type EventEnvelope } from '@loyalty/contracts';
import { OnStage, ServiceProcess, TestStage, waitUntil } from '@loyalty/testing';

/** Points-ledger processes on a stage of their own (database, topics, probe) to feed and watch them. */
export class LedgerHarness extends OnStage {
  get groupId(): string {
    return `${this.prefix}points-ledger`;
  }
  readonly guests = Array.from({ length: 40 }, () => randomUUID());
  processes: ServiceProcess[] = [];

  private constructor(stage: TestStage) {
    super(stage);
  }

  static async create(label: string): Promise<LedgerHarness> {
    return new LedgerHarness(await TestStage.create(label));
  }

  async startLedger(extraEnv: Record<string, string> = {}, instance = 'a'): Promise<ServiceProcess> {
    const ledger = await ServiceProcess.create('points-ledger', this.stage.env(extraEnv), instance);
    this.processes.push(ledger);
    await ledger.start();
    return ledger;
  }

  stays(count: number): EventEnvelope<'stay-recorded'>[] {
    return Array.from({ length: count }, (_, i) => {
      const guestId = this.guests[i % this.guests.length];
      return buildEvent(
        'stay-recorded',
        // Distinct reservations: the ledger credits a stay once per property and reservation.
        {
          ...sampleEventData('stay-recorded'),
          guestId,
          stayId: randomUUID(),
          reservationId: `R-${randomUUID()}`,
        },
        { source: 'loyalty/profiles', subject: guestId },
      );
    });
  }

  async send(events: EventEnvelope<'stay-recorded'>[]): Promise<void> {
    for (let i = 0; i < events.length; i += 200) {
      await this.probe.produceJson(
        this.topic('stay-recorded'),
        events.slice(i, i + 200).map((event) => ({ key: event.subject, event })),
      );
    }
  }

  /** Sends in slices with a pause between them, like a live feed, so a test can act mid-stream. */
  async sendSteadily(
    events: EventEnvelope<'stay-recorded'>[],
    slice: number,
    pauseMs: number,
  ): Promise<void> {
    for (let i = 0; i < events.length; i += slice) {
      await this.send(events.slice(i, i + slice));
      await sleep(pauseMs);
    }
  }

  /**
   * Sends in slices, each only once the ledger has credited all but `ahead` of what was sent, so no
   * backlog builds up however slow the machine is; once `consuming` says the ledger has stopped, the
   * rest goes at once. A crash after a known number of events then always leaves work to redeliver.
   */
  async sendKeepingAhead(
    events: EventEnvelope<'stay-recorded'>[],
    { slice, ahead }: { slice: number; ahead: number },
    consuming: () => boolean,
  ): Promise<void> {
    for (let sent = 0; sent < events.length; sent += slice) {
      await waitUntil(
        `the ledger to credit all but ${ahead} of ${sent} stays`,
        async () => !consuming() || (await this.credits()) >= sent - ahead,
        { timeoutMs: 60_000 },
      );
      await this.send(events.slice(sent, sent + slice));
    }
  }

  async credits(): Promise<number> {
    return Number((await this.db.query<{ n: string }>('select count(*) as n from credited_stays'))[0].n);
  }

  /** Everything the ledger holds, checked against what was sent: each stay credited exactly once. */
  async assertExactlyOnce(sent: EventEnvelope<'stay-recorded'>[]): Promise<void> {
    await this.probe.awaitGroupCaughtUp(this.groupId, [this.topic('stay-recorded')], { timeoutMs: 120_000 });
    const [row] = await this.db.query<{
      credits: string;
      distinct_stays: string;
      points: string;
      entries: string;
      earn_entries: string;
      balances: string;
      inbox: string;
    }>(
      `select (select count(*) from credited_stays) as credits,
              (select count(distinct stay_id) from credited_stays) as distinct_stays,
              (select coalesce(sum(points), 0) from credited_stays) as points,
              (select coalesce(sum(points), 0) from ledger_entries) as entries,
              (select count(*) from ledger_entries where type = 'earn') as earn_entries,
              (select coalesce(sum(balance), 0) from accounts) as balances,
              (select count(*) from messaging_inbox) as inbox`,
    );
    expect(Number(row.credits)).toBe(sent.length);
    expect(Number(row.distinct_stays)).toBe(sent.length);
    expect(Number(row.earn_entries)).toBe(sent.length);
    expect(Number(row.balances)).toBe(Number(row.points));
    expect(Number(row.entries)).toBe(Number(row.points));
    expect(Number(row.inbox)).toBe(new Set(sent.map((e) => e.id)).size);
    const credited = await this.db.query<{ stay_id: string }>('select stay_id from credited_stays');
    expect(new Set(credited.map((r) => r.stay_id))).toEqual(new Set(sent.map((e) => e.data.stayId)));
  }

  async close(): Promise<void> {
    for (const process of this.processes) await process.kill();
    await this.stage.close();
  }
}
