import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { InvitationPlanner } from './invitation-planner';

@Controller()
export class InvitationsConsumer {
  constructor(private readonly planner: InvitationPlanner) {}

  /** Schedules one invitation per recorded stay, in the same transaction as the inbox rows. */
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(@Payload() events: ValidatedEvent<'stay-recorded'>[], @Ctx() ctx: EventContext) {
    await this.planner.plan(ctx.manager, events);
  }
}
