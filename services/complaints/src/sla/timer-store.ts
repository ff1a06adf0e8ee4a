import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { timerOutcome, type SlaTimer, type TimerKind } from '../domain';

/** A timer as stored: which complaint, and whether it counts business hours or every minute. */
export interface StoredTimer extends SlaTimer {
  id: string;
  complaintId: string;
  businessHours: boolean;
  startedAt: Date;
}

/** A timer the scanner claimed, with how often it failed to fire before. */
export interface DueTimer extends StoredTimer {
  scanAttempts: number;
}

const COLUMNS = `t.id, t.complaint_id as "complaintId", t.kind, t.state, t.business_hours as "businessHours",
  t.started_at as "startedAt", t.target_at as "targetAt", t.remaining_minutes as "remainingMinutes",
  t.met_at as "metAt", t.breached_at as "breachedAt", t.waits`;
const SELECT = `select ${COLUMNS} from sla_timers t`;

/** SLA timers in Postgres: the deadlines survive restarts and any instance's scanner can claim them. */
@Injectable()
export class TimerStore {
  async ofComplaint(manager: EntityManager, complaintId: string): Promise<StoredTimer[]> {
    return manager.query(`${SELECT} where t.complaint_id = $1 order by t.started_at, t.kind`, [complaintId]);
  }

  /** The live (not done, not cancelled) timer of a kind, if any. */
  async live(manager: EntityManager, complaintId: string, kind: TimerKind): Promise<StoredTimer | undefined> {
    const timers = await this.ofComplaint(manager, complaintId);
    return timers.find(
      (timer) => timer.kind === kind && (timer.state === 'running' || timer.state === 'paused'),
    );
  }

  /** The timer of a kind started last, whatever became of it: a reopen starts a new resolution timer. */
  async latest(
    manager: EntityManager,
    complaintId: string,
    kind: TimerKind,
  ): Promise<StoredTimer | undefined> {
    const timers = await this.ofComplaint(manager, complaintId);
    return timers.filter((timer) => timer.kind === kind).at(-1);
  }

  /**
   * The complaint's timer of a kind started at `at`, known to the millisecond (as an event's instant is): the
   * one a take-up or a reopen started at its instant, whatever became of it since.
   */
  async startedAt(
    manager: EntityManager,
    complaintId: string,
    kind: TimerKind,
    at: string,
  ): Promise<StoredTimer | undefined> {
    const [timer]: StoredTimer[] = await manager.query(
      `${SELECT} where t.complaint_id = $1 and t.kind = $2
         and t.started_at between $3::timestamptz - interval '1 millisecond' and $3::timestamptz + interval '1 millisecond'
       order by t.started_at limit 1`,
      [complaintId, kind, at],
    );
    return timer;
  }

  async save(manager: EntityManager, timer: StoredTimer): Promise<void> {
    await manager.query(
      `insert into sla_timers (id, complaint_id, kind, state, business_hours, started_at, target_at,
         remaining_minutes, met_at, breached_at, difference_minutes, waits)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
       on conflict (id) do update set state = excluded.state, business_hours = excluded.business_hours,
         target_at = excluded.target_at, remaining_minutes = excluded.remaining_minutes, met_at = excluded.met_at,
         breached_at = excluded.breached_at, difference_minutes = excluded.difference_minutes,
         waits = excluded.waits`,
      [
        timer.id,
        timer.complaintId,
        timer.kind,
        timer.state,
        timer.businessHours,
        timer.startedAt,
        timer.targetAt,
        timer.remainingMinutes,
        timer.metAt,
        timer.breachedAt,
        timerOutcome(timer).differenceMinutes,
        // SQL null, not JSON's: a timer of unknown waits.
        timer.waits === null ? null : JSON.stringify(timer.waits),
      ],
    );
  }

  /**
   * Claims running timers whose target has passed, with their complaints, for this transaction only, but
   * for those set aside until later (`setAside`). `skip locked` leaves rows another instance (or an HTTP
   * command on the complaint) holds to them, so a due timer fires exactly once however many scanners run.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<DueTimer[]> {
    return manager.query(
      `select ${COLUMNS}, t.scan_attempts as "scanAttempts" from sla_timers t
       join complaints c on c.id = t.complaint_id
       where t.state = 'running' and t.breached_at is null and t.target_at <= $1
         and (t.scan_retry_at is null or t.scan_retry_at <= $1)
       order by t.target_at limit $2 for update of t, c skip locked`,
      [now, limit],
    );
  }

  /** Leaves a due timer that could not fire to the scans from `retryAt`, saying why. */
  async setAside(manager: EntityManager, timer: DueTimer, failure: string, retryAt: Date): Promise<void> {
    await manager.query(
      'update sla_timers set scan_attempts = $2, scan_failure = $3, scan_retry_at = $4 where id = $1',
      [timer.id, timer.scanAttempts + 1, failure, retryAt],
    );
  }

  /** Forgets the failures of a timer set aside before, now that it fired. */
  async fired(manager: EntityManager, timer: DueTimer): Promise<void> {
    if (timer.scanAttempts === 0) return;
    await manager.query(
      'update sla_timers set scan_attempts = 0, scan_failure = null, scan_retry_at = null where id = $1',
      [timer.id],
    );
  }
}
