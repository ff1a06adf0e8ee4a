import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventType, ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { lockSurvivors, setNewestGuestFacts, touchGuestFacts } from '../guests/newest-guest-facts';
import { ProfileCache } from '../guests/profile-cache';

// The 360° view keeps what other services announce about a guest. A complaint or survey about a merged-away
// id lands on the survivor; the ledger's balance or tier of a merged-away id is its own account's, and is
// dropped (see `setNewestGuestFacts`). Each update applies only when it is newer than what is held, so a
// replayed older event changes nothing.

const BALANCE_EVENT_TYPES = [
  'points-earned',
  'points-redeemed',
  'points-expired',
  'points-adjusted',
  'points-reversed',
] as const satisfies readonly EventType[];
type BalanceEventType = (typeof BALANCE_EVENT_TYPES)[number];

@Controller()
export class Guest360Consumer {
  constructor(private readonly cache: ProfileCache) {}

  /** Every ledger transaction says the balance after it: earning, redeeming, expiry, adjustment, reversal. */
  @EventPattern(BALANCE_EVENT_TYPES, { batch: true })
  async onLedgerTransactions(
    @Payload() events: ValidatedEvent<BalanceEventType>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const written = await setNewestGuestFacts(
      ctx.manager,
      'pointsBalance',
      events.map(({ data }) => ({
        guestId: data.guestId,
        value: data.balanceAfter,
        asOf: data.occurredAt,
        sequence: data.balanceSequence,
      })),
    );
    ctx.afterCommit(() => this.cache.evict(...written));
  }

  @EventPattern('tier-changed', { batch: true })
  async onTierChanged(
    @Payload() events: ValidatedEvent<'tier-changed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const written = await setNewestGuestFacts(
      ctx.manager,
      'tier',
      events.map(({ data }) => ({ guestId: data.guestId, value: data.to, asOf: data.changedAt })),
    );
    ctx.afterCommit(() => this.cache.evict(...written));
  }

  @EventPattern('survey-completed', { batch: true })
  async onSurveyCompleted(
    @Payload() events: ValidatedEvent<'survey-completed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    // A skipped recommend question is left out of NPS everywhere, so it does not replace the last score.
    const scored = events.filter((event) => event.data.nps !== undefined);
    const written = await setNewestGuestFacts(
      ctx.manager,
      'lastSurveyScore',
      scored.map(({ data }) => ({ guestId: data.guestId, value: data.nps, asOf: data.completedAt })),
    );
    ctx.afterCommit(() => this.cache.evict(...written));
  }

  @EventPattern('complaint-opened')
  async onComplaintOpened(
    @Payload() event: ValidatedEvent<'complaint-opened'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const c = event.data;
    // A close, a reopen or a reclassification handled first left a row without the complaint's details:
    // they are filled in, and its close, reopen or new severity and category stand.
    await this.recordComplaintTurn(
      ctx,
      c.guestId,
      `insert into open_complaints (complaint_id, guest_id, property_id, severity, category, opened_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (complaint_id) do update set property_id = excluded.property_id,
         severity = case when open_complaints.reclassified_at is null then excluded.severity
                         else open_complaints.severity end,
         category = case when open_complaints.reclassified_at is null then excluded.category
                         else open_complaints.category end,
         opened_at = excluded.opened_at`,
      [c.complaintId, c.propertyId, c.severity, c.category, c.openedAt],
    );
  }

  @EventPattern('complaint-closed')
  async onComplaintClosed(
    @Payload() event: ValidatedEvent<'complaint-closed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const c = event.data;
    // A close that overtakes its open still leaves a closed row, so the late open does not reopen it; a
    // reopen at or after it (handled first, on its own topic) stands, and so does a later close (handled
    // first: a complaint moved to a merge survivor publishes under another key, on another partition).
    await this.recordComplaintTurn(
      ctx,
      c.guestId,
      `insert into open_complaints (complaint_id, guest_id, opened_at, closed_at) values ($1, $2, $3, $3)
       on conflict (complaint_id) do update set closed_at = excluded.closed_at
       where (open_complaints.reopened_at is null or open_complaints.reopened_at < excluded.closed_at)
         and (open_complaints.closed_at is null or open_complaints.closed_at <= excluded.closed_at)`,
      [c.complaintId, c.closedAt],
    );
  }

  /** A complaint closed without the guest's answer and reopened is open again, unless closed since. */
  @EventPattern('complaint-reopened')
  async onComplaintReopened(
    @Payload() event: ValidatedEvent<'complaint-reopened'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const c = event.data;
    await this.recordComplaintTurn(
      ctx,
      c.guestId,
      `insert into open_complaints (complaint_id, guest_id, opened_at, reopened_at) values ($1, $2, $3, $3)
       on conflict (complaint_id) do update
       set reopened_at = greatest(open_complaints.reopened_at, excluded.reopened_at),
         closed_at = case when open_complaints.closed_at <= excluded.reopened_at then null
                          else open_complaints.closed_at end`,
      [c.complaintId, c.reopenedAt],
    );
  }

  /**
   * Staff corrected the complaint's severity or category: the later of two reclassifications stands. One
   * handled before its open leaves a row the open fills in; a closed complaint takes it too, as it was
   * reclassified while open (the export shows closed complaints).
   */
  @EventPattern('complaint-reclassified')
  async onComplaintReclassified(
    @Payload() event: ValidatedEvent<'complaint-reclassified'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const c = event.data;
    await this.recordComplaintTurn(
      ctx,
      c.guestId,
      `insert into open_complaints (complaint_id, guest_id, property_id, severity, category, opened_at,
         reclassified_at)
       values ($1, $2, $3, $4, $5, $6, $6)
       on conflict (complaint_id) do update set severity = excluded.severity, category = excluded.category,
         reclassified_at = excluded.reclassified_at
       where open_complaints.reclassified_at is null or open_complaints.reclassified_at < excluded.reclassified_at`,
      [c.complaintId, c.propertyId, c.to.severity, c.to.category, c.reclassifiedAt],
    );
  }

  /**
   * Runs `sql` on `open_complaints` with `$1` the complaint id, `$2` the profile it belongs to (the final
   * survivor of a merged-away id; a guest this service does not know yet keeps the id the complaint
   * names) and `$3…` the rest of `values`.
   */
  private async recordComplaintTurn(
    ctx: EventContext,
    named: string,
    sql: string,
    [complaintId, ...values]: unknown[],
  ): Promise<void> {
    const guestId = (await lockSurvivors(ctx.manager, [named])).get(named) ?? named;
    await ctx.manager.query(sql, [complaintId, guestId, ...values]);
    await touchGuestFacts(ctx.manager, guestId);
    ctx.afterCommit(() => this.cache.evict(guestId));
  }
}
