import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventData, EventType } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { Clock, PeriodicTask } from '@loyalty/platform';
import {
  addDays,
  catchUpYearEnds,
  endOfYear,
  isLocked,
  lastActivityDueBy,
  progressInWindow,
  yearEndReevaluation,
  type LedgerChange,
  type TierProgress,
} from '../domain';
import { PointsLedgerConfig } from '../config/points-ledger.config';
import { AccountStore } from './account-store';
import { AccountWork, workFor, writesOf } from './account-work';
import { announce, announceTier, type Publish } from './ledger-announcements';
import { claimOperation } from './ledger-events.service';
import { LEDGER_PROGRAM } from './ledger-program';
import { StayAdjustmentService } from './stay-adjustment.service';

export const LEDGER_JOBS = [
  'release-pending',
  'expire-holds',
  'expire-points',
  'expiring-soon',
  'year-end-tiers',
  'lapsed-tiers',
  'apply-parked-adjustments',
] as const;
export type LedgerJob = (typeof LEDGER_JOBS)[number];
type AccountJob = Exclude<LedgerJob, 'apply-parked-adjustments'>;

export type JobReport = {
  job: LedgerJob;
  period: string;
  /** False when this job already ran for the period: nothing was done again. */
  ran: boolean;
} & JobCounts;

/** What a run worked on, in the unit of its job. */
type JobCounts =
  | {
      /** Accounts worked on: every job but `apply-parked-adjustments`. */
      accounts: number;
    }
  | {
      /** `apply-parked-adjustments`: credited stays found with adjustments still parked, each tried once. */
      stays: number;
    };

const CHUNK = 500;

// A stay's qualifying year is its local departure date's, so the year's counts fill up until 31 December
// has ended at the westernmost properties (UTC-12, at 12:00 UTC on 1 January), and for the night audits
// that send its last stays after that.
const YEAR_END_FROM_UTC_HOUR_OF_1_JANUARY = 14;

/**
 * Whether the scheduler runs `job` at `now`: every job on every tick (each runs once a period), but the
 * year-end re-evaluation, which runs in January once the year ended everywhere. Run earlier, it would
 * downgrade on counts missing the last stays, and those stays would upgrade again.
 */
export function scheduledAt(job: LedgerJob, now: Date): boolean {
  if (job !== 'year-end-tiers') return true;
  return now.getUTCMonth() === 0 && !beforeTheYearEndedEverywhere(now);
}

/**
 * The last year whose counts are final: the year before `now`'s once it has ended everywhere, and until
 * then the one before it. Status that lapsed with a year is re-evaluated on that year's counts, by the
 * year-end run or, once a lock that held it back runs out, by `lapsed-tiers`, which must not take up the
 * year just ended before the year-end run may.
 */
export function lastYearEndedEverywhere(now: Date): number {
  return now.getUTCFullYear() - (beforeTheYearEndedEverywhere(now) ? 2 : 1);
}

function beforeTheYearEndedEverywhere(now: Date): boolean {
  return (
    now.getUTCMonth() === 0 &&
    now.getUTCDate() === 1 &&
    now.getUTCHours() < YEAR_END_FROM_UTC_HOUR_OF_1_JANUARY
  );
}

/**
 * The ledger's scheduled work. Every job is idempotent twice over: the domain does nothing to an account
 * that is already in the target state, and `job_runs` (job, period) records a finished daily or yearly
 * run, so re-running it for the same day or year does nothing. Accounts are processed in chunks, each in
 * its own transaction with its rows locked, events through the outbox. The clock is injectable and the
 * HTTP endpoint takes the instant to run "as of", which is how tests drive it.
 */
@Injectable()
export class LedgerJobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LedgerJobsService.name);
  private readonly task = new PeriodicTask(
    'scheduled ledger jobs',
    () => this.runAllDue(this.clock.now()),
    this.logger,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: AccountStore,
    private readonly adjustments: StayAdjustmentService,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly config: PointsLedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.LEDGER_JOB_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async runAllDue(now: Date): Promise<JobReport[]> {
    const reports: JobReport[] = [];
    for (const job of LEDGER_JOBS) {
      if (!scheduledAt(job, now)) continue;
      reports.push(await this.run(job, now));
    }
    return reports;
  }

  async run(job: LedgerJob, now: Date): Promise<JobReport> {
    const period = periodOf(job, now);
    const done: unknown[] = await this.dataSource.query(
      'select 1 from job_runs where job = $1 and period = $2',
      [job, period],
    );
    if (done.length > 0) return { job, period, ran: false, ...countsOf(job, 0) };
    const counts = countsOf(
      job,
      job === 'apply-parked-adjustments'
        ? await this.applyParkedAdjustments(now)
        : await this.runOnAccounts(job, now),
    );
    await this.dataSource.query(
      `insert into job_runs (job, period, result) values ($1, $2, $3::jsonb) on conflict do nothing`,
      [job, period, JSON.stringify({ ...counts, asOf: now.toISOString() })],
    );
    return { job, period, ran: true, ...counts };
  }

  private async runOnAccounts(job: AccountJob, now: Date): Promise<number> {
    const accountIds = await this.due(job, now);
    for (let i = 0; i < accountIds.length; i += CHUNK) {
      await this.dataSource.transaction((manager) =>
        this.apply(manager, job, accountIds.slice(i, i + CHUNK), now),
      );
    }
    return accountIds.length;
  }

  /**
   * Adjustments still parked for stays that are credited: parked while the stay's crediting transaction
   * ran, which could not see them, with no later adjustment of the stay to take them along; or refused by
   * a suspended account, whose reactivation applies them unless it was interrupted. Each stay in a
   * transaction of its own. Only stays of active accounts are taken: those of an account still suspended
   * wait for its reactivation, and those of a closed one never apply (the reconciliation reports them), so
   * neither is locked and refused again every run on every instance.
   */
  private applyParkedAdjustments(now: Date): Promise<number> {
    return this.adjustments.applyParkedOf(now);
  }

  private async due(job: AccountJob, now: Date): Promise<string[]> {
    const query = (sql: string, params: unknown[]): Promise<{ id: string }[]> =>
      this.dataSource.query(sql, params);
    const live = `a.status <> 'closed' and a.merged_into is null`;
    switch (job) {
      case 'release-pending':
        return ids(
          await query(
            `select distinct l.account_id as id from lots l where l.state = 'pending' and l.available_at <= $1`,
            [now],
          ),
        );
      case 'expire-holds':
        return ids(
          await query(
            `select distinct account_id as id from holds where state = 'open' and expires_at <= $1`,
            [now],
          ),
        );
      case 'expire-points':
      case 'expiring-soon': {
        const horizon = job === 'expiring-soon' ? addDays(now, LEDGER_PROGRAM.expiry.warningDays) : now;
        const inactivity = { months: LEDGER_PROGRAM.expiry.inactivity?.months ?? 10_000 };
        // Inverting the inactivity deadline is not exact, so the bound takes a few accounts too many: the
        // domain decides each one.
        return ids(
          await query(
            `select a.id from accounts a where ${live} and a.available + a.pending > 0 and (
               a.last_activity_at <= $2
               or exists (select 1 from lots l where l.account_id = a.id and l.state in ('pending', 'available')
                          and l.expires_at <= $1))`,
            [horizon, lastActivityDueBy(horizon, inactivity)],
          ),
        );
      }
      case 'year-end-tiers':
        return ids(
          await query(`select a.id from accounts a where ${live} and a.tier_id <> $1`, [
            LEDGER_PROGRAM.tiers[0].id,
          ]),
        );
      case 'lapsed-tiers':
        // Status that lapsed by the last year-end and whose lock, if any, has run out: the domain decides.
        return ids(
          await query(
            `select a.id from accounts a where ${live} and a.tier_valid_until <= $1 and (a.tier_lock is null
               or (a.tier_lock->>'until' is not null and (a.tier_lock->>'until')::timestamptz <= $2))`,
            [endOfYear(lastYearEndedEverywhere(now)), now],
          ),
        );
    }
  }

  private async apply(
    manager: EntityManager,
    job: AccountJob,
    accountIds: string[],
    now: Date,
  ): Promise<void> {
    const works = [...new Set(workFor(await this.store.lock(manager, accountIds)).values())];
    for (const work of works) {
      const publish: Publish = <T extends EventType>(type: T, data: EventData<T>) =>
        this.publisher.publish(manager, type, data, { subject: work.stored.guestId }).then(() => undefined);
      const announceChange = (change: LedgerChange): Promise<void> =>
        announce(publish, work.apply(change), { guestId: work.stored.guestId });
      switch (job) {
        case 'release-pending':
          await announceChange(work.account.releasePendingLots(now));
          break;
        case 'expire-holds':
          await announceChange(work.account.expireHolds(now));
          break;
        case 'expire-points':
          await announceChange(work.account.expireLots(now, work.tier.tierId, LEDGER_PROGRAM));
          break;
        case 'expiring-soon':
          await this.warn(manager, work, now, publish);
          break;
        case 'year-end-tiers':
          await this.reevaluate(manager, work, now, publish);
          break;
        case 'lapsed-tiers':
          await this.catchUpLapsed(work, lastYearEndedEverywhere(now), now, publish);
          break;
      }
    }
    await this.store.save(manager, writesOf(works));
  }

  /** One notice per account, reason and expiry instant, however often the job runs before it. */
  private async warn(manager: EntityManager, work: AccountWork, now: Date, publish: Publish): Promise<void> {
    const balance = work.account.balances().total;
    for (const notice of work.account.expiringSoon(
      now,
      LEDGER_PROGRAM.expiry.warningDays,
      work.tier.tierId,
      LEDGER_PROGRAM,
    )) {
      const key = `${work.id}|${notice.reason}|${notice.expiresAt.toISOString()}`;
      if (!(await claimOperation(manager, 'expiring-soon', key, work.id))) continue;
      await publish('points-expiring-soon', {
        guestId: work.stored.guestId,
        points: notice.points,
        expiresAt: notice.expiresAt.toISOString(),
        balance,
      });
    }
  }

  /**
   * Re-evaluates status for the year that ended before `now`, once per account and year, after any
   * year-end a lock held back (`catchUpLapsed`). A locked account is not claimed: its status is left as
   * it is, and the `lapsed-tiers` job re-evaluates it once the lock has run out.
   */
  private async reevaluate(
    manager: EntityManager,
    work: AccountWork,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    const yearEnded = now.getUTCFullYear() - 1;
    if (isLocked(work.tier, now)) return;
    if (!(await claimOperation(manager, 'year-end-tiers', `${work.id}|${yearEnded}`, work.id))) return;
    await this.catchUpLapsed(work, yearEnded - 1, now, publish);
    const evaluation = yearEndReevaluation(
      yearEndProgress(work, yearEnded),
      LEDGER_PROGRAM,
      work.tier,
      yearEnded,
      now,
    );
    work.tier = evaluation.status;
    await announceTier(publish, work.stored.guestId, evaluation.change);
  }

  /**
   * Re-evaluates, year by year, status that lapsed at a year-end which left it alone because it was
   * locked then. Re-evaluated status is valid beyond the year it lapsed in, so a second run does nothing.
   */
  private async catchUpLapsed(
    work: AccountWork,
    lastYearEnded: number,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    const caughtUp = catchUpYearEnds(
      (year) => yearEndProgress(work, year),
      LEDGER_PROGRAM,
      work.tier,
      lastYearEnded,
      now,
    );
    if (caughtUp.changes.length === 0) return;
    work.tier = caughtUp.status;
    for (const change of caughtUp.changes) await announceTier(publish, work.stored.guestId, change);
  }
}

/**
 * The qualifying progress a year-end judges: that of `yearEnded`, from the account's yearly counters
 * (loaded under its lock), in the program's qualification window ending with that year.
 */
function yearEndProgress(work: AccountWork, yearEnded: number): TierProgress {
  return progressInWindow(
    work.stored.progress
      .filter((year) => year.year === yearEnded)
      .map((year) => ({
        at: new Date(Date.UTC(year.year, 6, 1)),
        nights: year.nights,
        stays: year.stays,
        basePoints: year.basePoints,
      })),
    LEDGER_PROGRAM.qualificationWindow,
    new Date(Date.UTC(yearEnded, 11, 31, 23, 59, 59)),
  );
}

function countsOf(job: LedgerJob, count: number): JobCounts {
  return job === 'apply-parked-adjustments' ? { stays: count } : { accounts: count };
}

function ids(rows: { id: string }[]): string[] {
  return rows.map((row) => row.id);
}

function periodOf(job: LedgerJob, now: Date): string {
  if (job === 'year-end-tiers') return String(now.getUTCFullYear() - 1);
  if (job === 'expire-points' || job === 'expiring-soon' || job === 'lapsed-tiers')
    return now.toISOString().slice(0, 10);
  // Holds and pending lots are re-checked often; the run record is an audit line per minute.
  return now.toISOString().slice(0, 16);
}
