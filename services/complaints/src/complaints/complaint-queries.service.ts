import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { propertyScopeFilter, type Principal } from '@loyalty/auth';
import { Clock, pageOf, type Page } from '@loyalty/platform';
import { allowedActionsAt, timerOutcome } from '../domain';
import { ComplaintsConfig } from '../config/complaints.config';
import { SlaTimers } from '../sla/sla-timers.service';
import { TimerStore, type StoredTimer } from '../sla/timer-store';
import { AuditTrail } from './audit-trail';
import type { ComplaintRecord } from './complaint-record';
import { ComplaintStore, SELECT_COMPLAINTS } from './complaint-store';
import type { ListComplaintsDto } from './dto/list-complaints.dto';
import { decodeCursor } from './page';

/** One SLA timer as staff read it on the complaint (`GET /complaints/{id}`). */
export interface TimerView {
  kind: StoredTimer['kind'];
  state: StoredTimer['state'];
  /**
   * When it is due as it stands (`deadlineAt`): its target while it runs, its last once met or cancelled.
   * A paused timer has no target until its clock starts again: the earliest it can be due, were the guest
   * to answer now (`remainingMinutes` of working time from now), as `complaint-reclassified` says; paused
   * after a breach, the target it missed.
   */
  target: Date;
  actual: Date | null;
  breachedAt: Date | null;
  /** While paused (awaiting the guest): the working minutes left to it; null otherwise. */
  remainingMinutes: number | null;
  withinSla: boolean;
  differenceMinutes: number | null;
}

/** Reads for staff: one complaint with its timers and next actions, lists in the caller's scope, audit. */
@Injectable()
export class ComplaintQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ComplaintStore,
    private readonly timers: TimerStore,
    private readonly sla: SlaTimers,
    private readonly audit: AuditTrail,
    private readonly config: ComplaintsConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * The complaint with what staff may do next (a reopen once its window has passed is refused, so it is not
   * offered) and its timers as they stand now.
   */
  async get(complaintId: string, principal: Principal) {
    const complaint = await this.inScope(complaintId, principal);
    const manager = this.dataSource.manager;
    const now = this.clock.now();
    const timers: TimerView[] = [];
    for (const timer of await this.timers.ofComplaint(manager, complaintId)) {
      timers.push(await this.timerView(manager, complaint, timer, now));
    }
    return {
      ...complaint,
      allowedActions: allowedActionsAt(complaint, now, this.config.COMPLAINTS_REOPEN_DAYS),
      timers,
    };
  }

  async auditTrail(complaintId: string, principal: Principal) {
    await this.inScope(complaintId, principal);
    return { complaintId, entries: await this.audit.of(this.dataSource.manager, complaintId) };
  }

  async list(query: ListComplaintsDto, principal: Principal): Promise<Page<ComplaintRecord>> {
    const limit = query.limit ?? 50;
    const scope = propertyScopeFilter(principal);
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const conditions: string[] = [];
    if (scope !== 'all') conditions.push(`property_id = any(${param(scope)})`);
    if (query.propertyId) conditions.push(`property_id = ${param(query.propertyId)}`);
    if (query.status) conditions.push(`status = ${param(query.status)}`);
    if (query.guestId) conditions.push(`guest_id = ${param(query.guestId)}`);
    if (query.category) conditions.push(`category = ${param(query.category)}`);
    if (query.cursor) {
      const [openedAt, id] = decodeCursor(query.cursor, 'instant');
      conditions.push(`(opened_at, id) < (${param(openedAt)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: ComplaintRecord[] = await this.dataSource.query(
      `${SELECT_COMPLAINTS} ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
       order by opened_at desc, id desc limit ${limit + 1}`,
      params,
    );
    return pageOf(rows, limit, (row) => [row.openedAt.toISOString(), row.id]);
  }

  private async timerView(
    manager: EntityManager,
    complaint: ComplaintRecord,
    timer: StoredTimer,
    now: Date,
  ): Promise<TimerView> {
    const paused = timer.state === 'paused';
    return {
      kind: timer.kind,
      state: timer.state,
      // Only a paused timer's deadline moves with the clock, and needs the property's calendar to tell.
      target: paused ? await this.sla.deadline(manager, complaint, timer, now) : timer.targetAt,
      actual: timer.metAt,
      breachedAt: timer.breachedAt,
      remainingMinutes: paused ? (timer.remainingMinutes ?? 0) : null,
      ...timerOutcome(timer),
    };
  }

  private inScope(complaintId: string, principal: Principal): Promise<ComplaintRecord> {
    return this.store.getVisible(this.dataSource.manager, complaintId, propertyScopeFilter(principal));
  }
}
