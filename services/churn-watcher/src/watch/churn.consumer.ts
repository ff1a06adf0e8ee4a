import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventData, EventType, ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { Clock } from '@loyalty/platform';
import { GuestTombstones } from '@loyalty/persistence';
import {
  downgradeStands,
  isDetractor,
  isDowngrade,
  isNewestAnswer,
  isNewestTurn,
  isUpgrade,
} from '../domain';
import { GuestHistoryService } from './guest-history.service';
import type { Publish } from './publish';
import {
  COMPLAINT_CLOSED,
  COMPLAINT_REOPENED,
  NEWEST,
  SignalStore,
  SURVEY_ANSWERED,
  TIER_RAISED,
} from './signal-store';

/** Thin adapters from the event backbone: each writes only through `ctx.manager`, publishing through its outbox. */
@Controller()
export class ChurnConsumer {
  constructor(
    private readonly history: GuestHistoryService,
    private readonly signals: SignalStore,
    private readonly tombstones: GuestTombstones,
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

  /**
   * Nights a stay was adjusted to (v2 `stay-adjusted`; one without nights, or v1, changes no visit): a stay
   * at 0 nights is no visit, and one given nights again is. Keyed by reservation, an adjustment often comes
   * before its stay: it is kept until the stay is recorded.
   */
  @EventPattern('stay-adjusted', { batch: true })
  async onStaysAdjusted(
    @Payload() events: ValidatedEvent<'stay-adjusted'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const postings = events.flatMap((event) => {
      const { data } = event;
      const nights = 'nights' in data ? data.nights : undefined;
      if (nights === undefined) return [];
      const { propertyId, reservationId, adjustmentId, adjustedAt } = data;
      const adjustmentKey = `${propertyId}/${adjustmentId}`;
      return [
        { propertyId, reservationId, adjustmentKey, nights, adjustedAt, publish: publisher(ctx, event) },
      ];
    });
    await this.history.adjustNights(ctx.manager, postings, this.clock.now());
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
    await this.history.erase(ctx.manager, event.data);
  }

  // The signal handlers take a run of events in one transaction and apply them in order, each under the
  // guest it now belongs to.

  /**
   * Only the newest answer by `completedAt` counts: a later promoter score clears an earlier detractor,
   * and an older answer handled after a newer one changes nothing.
   */
  @EventPattern('survey-completed', { batch: true })
  async onSurveysCompleted(
    @Payload() events: ValidatedEvent<'survey-completed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    for (const { guestId, surveyId, nps, completedAt } of await this.living(ctx, events)) {
      if (nps === undefined) continue;
      // A detractor row is at its answer: a guest answered before the marker existed is judged by it.
      const newest = await this.signals.newest(ctx.manager, guestId, [SURVEY_ANSWERED, 'detractor']);
      if (!isNewestAnswer(new Date(completedAt), newest)) continue;
      await this.signals.record(ctx.manager, guestId, SURVEY_ANSWERED, NEWEST, completedAt);
      await this.signals.clear(ctx.manager, guestId, 'detractor');
      if (isDetractor(nps))
        await this.signals.record(ctx.manager, guestId, 'detractor', surveyId, completedAt);
    }
  }

  /** A complaint whose close was handled first is not open: its open records nothing. */
  @EventPattern('complaint-opened', { batch: true })
  async onComplaintsOpened(
    @Payload() events: ValidatedEvent<'complaint-opened'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    for (const { guestId, complaintId, openedAt } of await this.living(ctx, events)) {
      await this.signals.recordOpenUnlessClosed(ctx.manager, guestId, complaintId, openedAt);
    }
  }

  /**
   * A closed complaint stops counting, unless it closed unresolved. The close is remembered, as it can be
   * handled before its open (another topic); a reopen newer than it, handled first, keeps it open.
   */
  @EventPattern('complaint-closed', { batch: true })
  async onComplaintsClosed(
    @Payload() events: ValidatedEvent<'complaint-closed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    for (const { guestId, complaintId, outcome, closedAt } of await this.living(ctx, events)) {
      const turns = await this.signals.turns(ctx.manager, guestId, complaintId);
      await this.signals.record(ctx.manager, guestId, COMPLAINT_CLOSED, complaintId, closedAt);
      if (!isNewestTurn('closed', new Date(closedAt), turns)) continue;
      await this.signals.clear(ctx.manager, guestId, 'complaint-opened', complaintId);
      // The newest close's outcome stands: an earlier unresolved close (a merge may bring one) no longer.
      if (outcome === 'unresolved') {
        await this.signals.record(ctx.manager, guestId, 'complaint-unresolved', complaintId, closedAt);
      } else {
        await this.signals.clear(ctx.manager, guestId, 'complaint-unresolved', complaintId);
      }
    }
  }

  /**
   * A reopened complaint counts as open again, as of the reopen, unless a newer close was handled first.
   * The reopen is remembered, as an older close can be handled after it (another topic).
   */
  @EventPattern('complaint-reopened', { batch: true })
  async onComplaintsReopened(
    @Payload() events: ValidatedEvent<'complaint-reopened'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    for (const { guestId, complaintId, reopenedAt } of await this.living(ctx, events)) {
      const turns = await this.signals.turns(ctx.manager, guestId, complaintId);
      await this.signals.record(ctx.manager, guestId, COMPLAINT_REOPENED, complaintId, reopenedAt);
      if (!isNewestTurn('reopened', new Date(reopenedAt), turns)) continue;
      await this.signals.record(ctx.manager, guestId, 'complaint-opened', complaintId, reopenedAt);
      // Open again, it no longer stands as closed unresolved.
      await this.signals.clear(ctx.manager, guestId, 'complaint-unresolved', complaintId);
    }
  }

  /**
   * A downgrade counts until the guest moves up again: an upgrade clears the downgrades before it, and a
   * downgrade older than the newest upgrade, handled after it, records nothing.
   */
  @EventPattern('tier-changed', { batch: true })
  async onTiersChanged(
    @Payload() events: ValidatedEvent<'tier-changed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    for (const { guestId, from, to, changedAt } of await this.living(ctx, events)) {
      if (isUpgrade(from, to)) {
        await this.signals.record(ctx.manager, guestId, TIER_RAISED, NEWEST, changedAt);
        await this.signals.clearUntil(ctx.manager, guestId, 'tier-downgrade', changedAt);
      } else if (isDowngrade(from, to)) {
        const raisedAt = await this.signals.newest(ctx.manager, guestId, [TIER_RAISED]);
        if (!downgradeStands(new Date(changedAt), raisedAt)) continue;
        const reference = `${from}->${to}@${changedAt}`;
        await this.signals.record(ctx.manager, guestId, 'tier-downgrade', reference, changedAt);
      }
    }
  }

  /**
   * The events' data, each for the final survivor of its guest; an erased guest's are dropped, so a signal
   * arriving after the erasure or merge neither brings the guest back nor keeps a merged id alive.
   */
  private living<D extends { readonly guestId: string }>(
    ctx: EventContext,
    events: readonly { readonly data: D }[],
  ): Promise<D[]> {
    return this.tombstones.follow(
      ctx.manager,
      events.map((event) => event.data),
    );
  }
}

function publisher(ctx: EventContext, cause: ValidatedEvent): Publish {
  return <T extends EventType>(type: T, data: EventData<T>) => {
    ctx.publish(type, data, { causedBy: cause });
  };
}
