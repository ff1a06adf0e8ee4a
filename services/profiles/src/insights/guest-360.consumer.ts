import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { ProfileCache } from '../guests/profile-cache';

// The 360° view keeps what other services announce about a guest (an event about a merged-away id
// lands on the survivor). Each update applies only when it is
// newer than what is held, so a replayed older event changes nothing.

@Controller()
export class Guest360Consumer {
  constructor(private readonly cache: ProfileCache) {}

  @EventPattern('tier-changed')
  async onTierChanged(
    @Payload() event: ValidatedEvent<'tier-changed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.updateIfNewer(
      ctx,
      event.data.guestId,
      'tier',
      'tier_as_of',
      event.data.to,
      event.data.changedAt,
    );
  }

  @EventPattern('survey-completed')
  async onSurveyCompleted(
    @Payload() event: ValidatedEvent<'survey-completed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    // A skipped recommend question is left out of NPS everywhere, so it does not replace the last score.
    if (event.data.nps === undefined) return;
    await this.updateIfNewer(
      ctx,
      event.data.guestId,
      'last_survey_score',
      'last_survey_at',
      event.data.nps,
      event.data.completedAt,
    );
  }

  @EventPattern('complaint-opened')
  async onComplaintOpened(
    @Payload() event: ValidatedEvent<'complaint-opened'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const c = event.data;
    await ctx.manager.query(
      `insert into open_complaints (complaint_id, guest_id, property_id, severity, category, opened_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (complaint_id) do nothing`,
      [c.complaintId, c.guestId, c.propertyId, c.severity, c.category, c.openedAt],
    );
    await ctx.manager.query('update guests set updated_at = now() where id = $1', [c.guestId]);
    await this.cache.evict(c.guestId);
  }

  @EventPattern('complaint-closed')
  async onComplaintClosed(
    @Payload() event: ValidatedEvent<'complaint-closed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const c = event.data;
    // A close that overtakes its open still leaves a closed row, so the late open does not reopen it.
    await ctx.manager.query(
      `insert into open_complaints (complaint_id, guest_id, opened_at, closed_at) values ($1, $2, $3, $3)
       on conflict (complaint_id) do update set closed_at = excluded.closed_at`,
      [c.complaintId, c.guestId, c.closedAt],
    );
    await ctx.manager.query('update guests set updated_at = now() where id = $1', [c.guestId]);
    await this.cache.evict(c.guestId);
  }

  /** Sets one 360° field on the guest (or its survivor) unless what is held is newer. */
  private async updateIfNewer(
    ctx: EventContext,
    guestId: string,
    column: 'tier' | 'last_survey_score',
    asOfColumn: 'tier_as_of' | 'last_survey_at',
    value: unknown,
    asOf: string,
  ): Promise<void> {
    await ctx.manager.query(
      `update guests set ${column} = $2, ${asOfColumn} = $3, updated_at = now()
       where id = (select coalesce(merged_into, id) from guests where id = $1)
         and (${asOfColumn} is null or ${asOfColumn} <= $3)`,
      [guestId, value, asOf],
    );
    await this.cache.evict(guestId);
  }
}
