import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { balancesAfterEachCredit, FLAT_POINTS_PER_STAY } from './flat-earning';
import { StayCreditsRepository } from './stay-credits.repository';

@Controller()
export class StayCreditsConsumer {
  constructor(private readonly repository: StayCreditsRepository) {}

  /** Credits every recorded stay once and announces it with `points-earned`. */
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(
    @Payload() events: ValidatedEvent<'stay-recorded'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const byStay = new Map(events.map((event) => [event.data.stayId, event]));
    const { credited, balances } = await this.repository.credit(
      ctx.manager,
      [...byStay.values()].map((event) => ({
        stayId: event.data.stayId,
        guestId: event.data.guestId,
        points: FLAT_POINTS_PER_STAY,
      })),
    );
    const balanceAfter = balancesAfterEachCredit(credited, balances);
    const occurredAt = new Date().toISOString();
    credited.forEach((credit, i) => {
      const cause = byStay.get(credit.stayId) as ValidatedEvent<'stay-recorded'>;
      ctx.publish(
        'points-earned',
        {
          guestId: credit.guestId,
          transactionId: credit.stayId,
          balanceAfter: balanceAfter[i],
          occurredAt,
          points: credit.points,
          source: { kind: 'stay', reference: credit.stayId, propertyId: cause.data.propertyId },
        },
        { subject: credit.guestId, propertyId: cause.data.propertyId, causedBy: cause },
      );
    });
  }
}
