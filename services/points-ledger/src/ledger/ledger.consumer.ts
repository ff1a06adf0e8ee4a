import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventData, EventType, ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { Clock } from '@loyalty/platform';
import type { PublishNow } from './ledger-announcements';
import { LedgerEventsService } from './ledger-events.service';
import { StayAdjustmentService } from './stay-adjustment.service';
import { StayEarningService } from './stay-earning.service';

/** Thin adapters from the event backbone to the ledger: each writes only through `ctx.manager`. */
@Controller()
export class LedgerConsumer {
  constructor(
    private readonly earning: StayEarningService,
    private readonly adjustments: StayAdjustmentService,
    private readonly ledger: LedgerEventsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Credits each recorded stay once (by property and reservation) and announces `points-earned`, then
   * applies the adjustments that arrived before it.
   */
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(
    @Payload() events: ValidatedEvent<'stay-recorded'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.earning.creditStays(ctx.manager, events, this.clock.now(), (event) =>
      publisher(ctx, event, event.data.propertyId),
    );
  }

  /**
   * Reverses or tops up a credited stay's points when its qualifying revenue changes; one that arrives
   * before its stay waits for it. Adjustments that waited are published as caused by themselves.
   */
  @EventPattern('stay-adjusted')
  async onStayAdjusted(
    @Payload() event: ValidatedEvent<'stay-adjusted'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.adjustments.adjustStay(ctx.manager, event, this.clock.now(), (adjustment) =>
      publisher(ctx, adjustment, adjustment.data.propertyId),
    );
  }

  @EventPattern('compensation-granted')
  async onCompensationGranted(
    @Payload() event: ValidatedEvent<'compensation-granted'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.ledger.compensate(ctx.manager, event, this.clock.now(), publisher(ctx, event));
  }

  @EventPattern('guest-merged')
  async onGuestMerged(
    @Payload() event: ValidatedEvent<'guest-merged'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.ledger.merge(ctx.manager, event, this.clock.now(), publisher(ctx, event));
  }

  @EventPattern('guest-erased')
  async onGuestErased(
    @Payload() event: ValidatedEvent<'guest-erased'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.ledger.erase(ctx.manager, event, this.clock.now());
  }
}

/** Publishes as a consequence of `cause`; guest events take their subject (and key) from the payload. */
function publisher(ctx: EventContext, cause: ValidatedEvent, propertyId?: string): PublishNow {
  return <T extends EventType>(type: T, data: EventData<T>) => {
    ctx.publish(type, data, { causedBy: cause, ...(propertyId ? { propertyId } : {}) });
  };
}
