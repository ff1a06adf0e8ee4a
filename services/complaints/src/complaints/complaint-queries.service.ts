import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { propertyScopeFilter, type Principal } from '@loyalty/auth';
import { pageOf, type Page } from '@loyalty/platform';
import { allowedActions, timerOutcome } from '../domain';
import { TimerStore } from '../sla/timer-store';
import { AuditTrail } from './audit-trail';
import type { ComplaintRecord } from './complaint-record';
import { ComplaintStore, SELECT_COMPLAINTS } from './complaint-store';
import type { ListComplaintsDto } from './dto/list-complaints.dto';
import { decodeCursor } from './page';

/** Reads for staff: one complaint with its timers and next actions, lists in the caller's scope, audit. */
@Injectable()
export class ComplaintQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ComplaintStore,
    private readonly timers: TimerStore,
    private readonly audit: AuditTrail,
  ) {}

  async get(complaintId: string, principal: Principal) {
    const complaint = await this.inScope(complaintId, principal);
    const timers = await this.timers.ofComplaint(this.dataSource.manager, complaintId);
    return {
      ...complaint,
      allowedActions: allowedActions(complaint),
      timers: timers.map((timer) => ({
        kind: timer.kind,
        state: timer.state,
        target: timer.targetAt,
        actual: timer.metAt,
        breachedAt: timer.breachedAt,
        ...timerOutcome(timer),
      })),
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

  private inScope(complaintId: string, principal: Principal): Promise<ComplaintRecord> {
    return this.store.getVisible(this.dataSource.manager, complaintId, propertyScopeFilter(principal));
  }
}
