import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { nightsPostingOf, type EventData, type EventType, type ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { Clock } from '@loyalty/platform';
import { GuestTombstones } from '@loyalty/persistence';
import {
  COMPLAINT_CLOSES,
  COMPLAINT_OPENS,
  COMPLAINT_REOPENS,
  profilingConsentNews,
  SURVEY_ANSWERS,
  TIER_CHANGES,
  type SignalFold,
} from '../domain';
import { GuestHistoryService } from './guest-history.service';
import { ProfilingConsentService } from './profiling-consent.service';
import type { Publish } from './publish';
import { SignalStore } from './signal-store';

/** Thin adapters from the event backbone: each writes only through `ctx.manager`, publishing through its outbox. */
@Controller()
export class ChurnConsumer {
  constructor(
    private readonly history: GuestHistoryService,
    private readonly consents: ProfilingConsentService,
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
      const posting = nightsPostingOf(event.data);
      return posting ? [{ ...posting, publish: publisher(ctx, event) }] : [];
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

  // Of profiles' news of a guest the watch keeps only whether they allow profiling (`profilingConsent`), as
  // of the news's instant; news saying nothing of it costs no statement. In batches: a back-fill registers
  // thousands of guests.

  @EventPattern('guest-registered', { batch: true })
  async onGuestsRegistered(
    @Payload() events: ValidatedEvent<'guest-registered'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const news = events.flatMap(({ data }) =>
      profilingConsentNews(data.guestId, data.attributes, data.enrolledAt),
    );
    await this.consents.hear(ctx.manager, news, this.clock.now());
  }

  @EventPattern('guest-updated', { batch: true })
  async onGuestsUpdated(
    @Payload() events: ValidatedEvent<'guest-updated'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const news = events.flatMap(({ data }) =>
      profilingConsentNews(data.guestId, data.changes, data.updatedAt),
    );
    await this.consents.hear(ctx.manager, news, this.clock.now());
  }

  // The signal handlers take a run of events in one transaction and apply them in order, each under the
  // guest it now belongs to (see `src/domain/signal-folds.ts` for what each does).

  @EventPattern('survey-completed', { batch: true })
  async onSurveysCompleted(
    @Payload() events: ValidatedEvent<'survey-completed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.fold(ctx, events, SURVEY_ANSWERS);
  }

  @EventPattern('complaint-opened', { batch: true })
  async onComplaintsOpened(
    @Payload() events: ValidatedEvent<'complaint-opened'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.fold(ctx, events, COMPLAINT_OPENS);
  }

  @EventPattern('complaint-closed', { batch: true })
  async onComplaintsClosed(
    @Payload() events: ValidatedEvent<'complaint-closed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.fold(ctx, events, COMPLAINT_CLOSES);
  }

  @EventPattern('complaint-reopened', { batch: true })
  async onComplaintsReopened(
    @Payload() events: ValidatedEvent<'complaint-reopened'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.fold(ctx, events, COMPLAINT_REOPENS);
  }

  @EventPattern('tier-changed', { batch: true })
  async onTiersChanged(
    @Payload() events: ValidatedEvent<'tier-changed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.fold(ctx, events, TIER_CHANGES);
  }

  /**
   * Applies the events to their guests' signals in a constant number of statements whatever the run's
   * length: the rows are read in one, changed in memory event by event, and written back in one per kind
   * of write. Each event's guest is the final survivor of its id; an erased guest's events are dropped,
   * so a signal arriving after the erasure or merge neither brings the guest back nor keeps a merged id
   * alive. The guests' keys, taken by `GuestTombstones`, are held until the commit, a few statements later.
   */
  private async fold<D extends { readonly guestId: string }>(
    ctx: EventContext,
    events: readonly { readonly data: D }[],
    fold: SignalFold<D>,
  ): Promise<void> {
    const living = await this.tombstones.follow(
      ctx.manager,
      events.map((event) => event.data),
    );
    if (living.length === 0) return;
    const signals = await this.signals.read(
      ctx.manager,
      living.map((event) => event.guestId),
      fold.kinds,
    );
    fold.apply(signals, living);
    await this.signals.write(ctx.manager, signals.changes());
  }
}

function publisher(ctx: EventContext, cause: ValidatedEvent): Publish {
  return <T extends EventType>(type: T, data: EventData<T>) => {
    ctx.publish(type, data, { causedBy: cause });
  };
}
