import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext, PermanentEventError } from '@loyalty/messaging';
import { SurveysError } from '../surveys-error';
import { InvitationPlanner } from './invitation-planner';
import { StayAdjustments } from './stay-adjustments';

@Controller()
export class InvitationsConsumer {
  constructor(
    private readonly planner: InvitationPlanner,
    private readonly adjustments: StayAdjustments,
  ) {}

  /** Schedules one invitation per recorded stay, in the same transaction as the inbox rows. */
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(@Payload() events: ValidatedEvent<'stay-recorded'>[], @Ctx() ctx: EventContext) {
    try {
      await this.planner.plan(ctx.manager, events);
    } catch (error) {
      // No retry makes Postgres know a zone: dead-lettered at once (the batch is replayed event by event
      // first, so only the stays of that zone are).
      if (error instanceof SurveysError) throw new PermanentEventError(error.code, error.message);
      throw error;
    }
  }

  /**
   * Withdraws the invitation of a stay adjusted to 0 nights (v2 `stay-adjusted`; one without nights, or v1,
   * changes nothing), and keeps the nights for a stay not recorded yet: keyed by reservation, an adjustment
   * often comes before its stay.
   */
  @EventPattern('stay-adjusted', { batch: true })
  async onStaysAdjusted(@Payload() events: ValidatedEvent<'stay-adjusted'>[], @Ctx() ctx: EventContext) {
    await this.adjustments.adjust(ctx.manager, events);
  }
}
