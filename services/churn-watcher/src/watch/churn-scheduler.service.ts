import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventPublisher } from '@loyalty/messaging';
import { Clock, PeriodicTask } from '@loyalty/platform';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';
import { LapseScanService } from './lapse-scan.service';
import { ModelFittingService } from './model-fitting.service';

export const CHURN_JOBS = ['refit', 'scan'] as const;
export type ChurnJob = (typeof CHURN_JOBS)[number];

export interface JobReport {
  readonly job: ChurnJob;
  /**
   * False when the job was not due, another instance holds it right now, or it had nothing to work on (a
   * scan without a model). A refit that saved no model ran: its result says so, and `nextRunAt` when it is
   * tried again.
   */
  readonly ran: boolean;
  readonly result?: Record<string, number>;
  readonly nextRunAt?: string;
}

const DAY_MS = 86_400_000;

/**
 * The durable schedule: one `churn_schedule` row per job with its next due time. An instance claims a
 * due row with `for update skip locked` and runs the job in that same transaction, then moves the due
 * time on. A second instance skips the locked row and then finds it no longer due (no double run); a
 * crash rolls the job back with the claim, so the next tick runs it again (no skipped run). A scan that
 * is late (the service was down) runs once, as of now: lapses are a state, not a day's event.
 */
@Injectable()
export class ChurnSchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChurnSchedulerService.name);
  private readonly task = new PeriodicTask(
    'scheduled churn jobs',
    () => this.runDue(this.clock.now()),
    this.logger,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly fitting: ModelFittingService,
    private readonly scanner: LapseScanService,
    private readonly clock: Clock,
    private readonly config: ChurnWatcherConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.CHURN_SCHEDULER_POLL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Runs every job that is due at `now`, refit first so a scan uses the newest models. */
  async runDue(now: Date): Promise<JobReport[]> {
    const reports: JobReport[] = [];
    for (const job of CHURN_JOBS) reports.push(await this.run(job, now, 'if-due'));
    return reports;
  }

  /**
   * Refits and scans now, whatever the schedule: an operator who has just loaded a history of stays
   * wants its lapses, not the ones of the last due run. A job another instance is running is waited
   * for, then run again; the due times move on as after a scheduled run.
   */
  async runNow(now: Date): Promise<JobReport[]> {
    const reports: JobReport[] = [];
    for (const job of CHURN_JOBS) reports.push(await this.run(job, now, 'now'));
    return reports;
  }

  private run(job: ChurnJob, now: Date, when: 'if-due' | 'now'): Promise<JobReport> {
    return this.dataSource.transaction(async (manager) => {
      const claimed: unknown[] =
        when === 'if-due'
          ? await manager.query(
              `select job from churn_schedule where job = $1 and next_run_at <= $2 for update skip locked`,
              [job, now],
            )
          : await manager.query(`select job from churn_schedule where job = $1 for update`, [job]);
      if (claimed.length === 0) return { job, ran: false };
      const result = await this.execute(job, manager, now);
      // No model to scan with yet: the scan stays due for the next tick, which costs it one query.
      if (!result) return { job, ran: false };
      const nextRunAt = this.nextRun(job, now, result);
      if (job === 'refit' && result.models === 0) {
        this.logger.warn(
          `refit saved no model: the stays cannot support a fit yet; next attempt at ${nextRunAt.toISOString()}`,
        );
      }
      await manager.query(
        `update churn_schedule set next_run_at = $2, last_run_at = $3, last_result = $4::jsonb where job = $1`,
        [job, nextRunAt, now, JSON.stringify(result)],
      );
      return { job, ran: true, result, nextRunAt: nextRunAt.toISOString() };
    });
  }

  private async execute(
    job: ChurnJob,
    manager: EntityManager,
    now: Date,
  ): Promise<Record<string, number> | undefined> {
    if (job === 'refit') {
      const models = await this.fitting.refit(manager, now);
      return { models: models.length };
    }
    const report = await this.scanner.scan(manager, now, (alerts) =>
      this.publisher.publishAll(
        manager,
        'visit-frequency-dropped',
        alerts.map((data) => ({ data })),
      ),
    );
    return report && { ...report };
  }

  /**
   * A refit that saved no model is tried again with the next scan, not at the next tick: it reads and fits
   * every guest, and stays that could not support a fit (a chain just onboarded) seldom can a minute later.
   * Tried just before the scan, a model it does save is used by that scan.
   */
  private nextRun(job: ChurnJob, now: Date, result: Record<string, number>): Date {
    if (job === 'scan' || result.models === 0) return this.nextScan(now);
    return new Date(now.getTime() + this.config.CHURN_REFIT_EVERY_DAYS * DAY_MS);
  }

  private nextScan(now: Date): Date {
    const next = new Date(now);
    next.setUTCHours(this.config.CHURN_SCAN_HOUR_UTC, 0, 0, 0);
    return next > now ? next : new Date(next.getTime() + DAY_MS);
  }
}
