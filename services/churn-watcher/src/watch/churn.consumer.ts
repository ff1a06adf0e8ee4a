import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventData, EventType, ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { Clock } from '@loyalty/platform';
import { isDetractor, isDowngrade } from '../domain';
import { GuestHistoryService } from './guest-history.service';
import type { Publish } from './publish';
import { SignalStore } from './signal-store';

/** Thin adapters from the event backbone: each writes only through `ctx.manager`, publishing through its outbox. */
@Controller()
export class ChurnConsumer {
  constructor(
    private readonly history: GuestHistoryService,
    private readonly signals: SignalStore,
    private readonly clock: Clock,
  ) {}

  /** Many stays per transaction (a back-fill brings thousands); each is still recorded once, in order. */
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(
    @Payload() events: ValidatedEvent<'stay-recorded'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.history.recordStays(
      ctx.manager,
      events.map((event) => ({ stay: event.data, publish: publisher(ctx, event) })),
      this.clock.now(),
    );
  }

  @EventPattern('guest-merged')
  async onGuestMerged(
    @Payload() event: ValidatedEvent<'guest-merged'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.history.merge(ctx.manager, event.data, this.clock.now(), publisher(ctx, event));
  }

  @EventPattern('guest-erased')
  async onGuestErased(
    @Payload() event: ValidatedEvent<'guest-erased'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.history.erase(ctx.manager, event.data.guestId);
  }

  /** Only the last answer counts: a later promoter score clears an earlier detractor. */
  @EventPattern('survey-completed')
  async onSurveyCompleted(
    @Payload() event: ValidatedEvent<'survey-completed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { guestId, surveyId, nps, completedAt } = event.data;
    if (nps === undefined) return;
    await this.signals.clear(ctx.manager, guestId, 'detractor');
    if (isDetractor(nps)) await this.signals.record(ctx.manager, guestId, 'detractor', surveyId, completedAt);
  }

  @EventPattern('complaint-opened')
  async onComplaintOpened(
    @Payload() event: ValidatedEvent<'complaint-opened'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { guestId, complaintId, openedAt } = event.data;
    await this.signals.record(ctx.manager, guestId, 'complaint-opened', complaintId, openedAt);
  }

  /** A closed complaint stops counting, unless it closed unresolved. */
  @EventPattern('complaint-closed')
  async onComplaintClosed(
    @Payload() event: ValidatedEvent<'complaint-closed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { guestId, complaintId, outcome, closedAt } = event.data;
    await this.signals.clear(ctx.manager, guestId, 'complaint-opened', complaintId);
    if (outcome === 'unresolved') {
      await this.signals.record(ctx.manager, guestId, 'complaint-unresolved', complaintId, closedAt);
    }
  }

  @EventPattern('tier-changed')
  async onTierChanged(
    @Payload() event: ValidatedEvent<'tier-changed'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { guestId, from, to, changedAt } = event.data;
    if (isDowngrade(from, to)) {
      await this.signals.record(
        ctx.manager,
        guestId,
        'tier-downgrade',
        `${from}->${to}@${changedAt}`,
        changedAt,
      );
    }
  }
}

function publisher(ctx: EventContext, cause: ValidatedEvent): Publish {
  return <T extends EventType>(type: T, data: EventData<T>) => {
    ctx.publish(type, data, { causedBy: cause });
  };
}
