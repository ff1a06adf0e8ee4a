import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { StayRecordingRepository } from './stay-recording.repository';

@Controller()
export class StaysConsumer {
  constructor(private readonly repository: StayRecordingRepository) {}

  /** A property's completed stay becomes the canonical `stay-recorded`, keyed by the guest id. */
  @EventPattern('stay-completed')
  async onStayCompleted(
    @Payload() event: ValidatedEvent<'stay-completed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const stay = event.data;
    const guestId = await this.repository.resolveGuest(ctx.manager, {
      loyaltyNumber: stay.guest.loyaltyNumber,
      propertyId: stay.propertyId,
      externalProfileRef: stay.guest.externalProfileRef,
    });
    const stayId = await this.repository.recordStay(ctx.manager, { ...stay, guestId });
    if (!stayId) return; // the same reservation, sent again under a new event id
    const { guest: _identity, revenue, ...stayFields } = stay;
    ctx.publish(
      'stay-recorded',
      // Skeleton: the programme currency equals the property's until profiles converts with configured rates.
      { ...stayFields, guestId, stayId, revenue: { property: revenue, program: revenue } },
      { subject: guestId, propertyId: stay.propertyId },
    );
  }

  /** Keeps the guest's points balance for the single customer view. */
  @EventPattern('points-earned')
  async onPointsEarned(
    @Payload() event: ValidatedEvent<'points-earned'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.repository.updatePoints(
      ctx.manager,
      event.data.guestId,
      event.data.balanceAfter,
      event.data.occurredAt,
    );
  }
}
