import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventPublisher } from '@loyalty/messaging';
import { Clock, PeriodicTask } from '@loyalty/platform';
import { announceWith } from '../complaints/announce';
import { ComplaintWorkflow } from '../complaints/complaint-workflow.service';
import { OwedEvents, retryDelayMs } from '../complaints/owed-events';
import { ComplaintsConfig } from '../config/complaints.config';
import { Escalation } from './escalation.service';
import { TimerStore, type DueTimer } from './timer-store';

const BATCH = 100;

/**
 * Fires SLA timers whose target has passed, on every instance. Each batch is one transaction that
 * claims its timers (`for update skip locked`), escalates or closes, and puts the events in the outbox,
 * so a crash before commit leaves the timers due for the next scan and two instances never fire one twice.
 * A timer that cannot fire (its complaint or event refused) is set aside with the reason, logged, and tried
 * again after a minute, then twice as long each time up to an hour, as owed events are; the others fire.
 * Each tick then publishes what migrations owe (`OwedEvents`): a migration job may run while instances are
 * up, and should not wait for a restart to be announced.
 */
@Injectable()
export class SlaScanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SlaScanner.name);
  private readonly task = new PeriodicTask('SLA scan', () => this.tick(this.clock.now()), this.logger);

  constructor(
    private readonly dataSource: DataSource,
    private readonly timers: TimerStore,
    private readonly escalation: Escalation,
    private readonly workflow: ComplaintWorkflow,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly config: ComplaintsConfig,
    private readonly owed: OwedEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.COMPLAINTS_SLA_SCAN_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One tick: the timers due, then the events owed, also when the scan failed. */
  private async tick(now: Date): Promise<void> {
    try {
      await this.scan(now);
    } finally {
      await this.owed.publishOwed(now);
    }
  }

  /** Fires every timer due at `now`; returns how many this instance fired. */
  async scan(now: Date): Promise<number> {
    let fired = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const due = await this.timers.claimDue(manager, now, BATCH);
        let firedNow = 0;
        for (const timer of due) {
          // Each in its own savepoint: one that fails leaves no part of itself behind, nor the others
          // unfired, and is set aside so the next scans do not claim it first again.
          await manager.query('savepoint sla_timer');
          try {
            await this.fire(manager, timer, now);
            await manager.query('release savepoint sla_timer');
            firedNow++;
          } catch (error) {
            await manager.query('rollback to savepoint sla_timer');
            await this.setAside(manager, timer, error, now);
          }
        }
        return { claimed: due.length, fired: firedNow };
      });
      fired += batch.fired;
      if (batch.claimed < BATCH) return fired;
    }
  }

  private async fire(manager: EntityManager, timer: DueTimer, now: Date): Promise<void> {
    const announce = announceWith(this.publisher, manager);
    if (timer.kind === 'follow-up') {
      await this.timers.save(manager, { ...timer, state: 'done', breachedAt: now });
      await this.workflow.followUpTimedOut(manager, timer.complaintId, announce, now);
    } else {
      await this.escalation.breach(manager, timer, announce, now);
    }
    await this.timers.fired(manager, timer);
  }

  private async setAside(manager: EntityManager, timer: DueTimer, error: unknown, now: Date): Promise<void> {
    const attempts = timer.scanAttempts + 1;
    const retryAt = new Date(now.getTime() + retryDelayMs(attempts));
    const failure = error instanceof Error ? error.message : String(error);
    await this.timers.setAside(manager, timer, failure, retryAt);
    this.logger.error(
      `SLA timer ${timer.id} (${timer.kind}, complaint ${timer.complaintId}) could not fire, attempt ` +
        `${attempts}; set aside, to be tried again from ${retryAt.toISOString()}: ${failure}`,
    );
  }
}
