import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { adjustmentKeyOf } from '../domain/stay-adjustment';
import { touchGuestFacts } from '../guests/newest-guest-facts';
import { IdentityResolver, resolutionRequestOf } from '../identity/identity-resolver';
import { publishFollowing } from '../identity/publisher';
import { ProfileCache } from '../guests/profile-cache';
import { PreferenceLearner } from './preference-learner';
import { applyPendingAdjustments, keepAdjustments } from './stay-adjustments';
import { programRevenueOfEvent, totalMinor } from './stay-revenue';
import { firstOfEachReservation, reservationKey, StayRecordingRepository } from './stay-recording.repository';

type StayCompleted = ValidatedEvent<'stay-completed'>;
type StayAdjusted = ValidatedEvent<'stay-adjusted'>;

@Controller()
export class StaysConsumer {
  constructor(
    private readonly repository: StayRecordingRepository,
    private readonly resolver: IdentityResolver,
    private readonly cache: ProfileCache,
    private readonly preferences: PreferenceLearner,
  ) {}

  /**
   * Completed stays become canonical `stay-recorded` events keyed by guest id, many per transaction.
   * The same reservation twice (also under a new event id) is recorded once.
   */
  @EventPattern('stay-completed', { batch: true })
  async onStaysCompleted(@Payload() events: StayCompleted[], @Ctx() ctx: EventContext): Promise<void> {
    const firsts = firstOfEachReservation(events);
    const { recorded, bookedByErased } = await this.repository.recordedOrBookedByErased(
      ctx.manager,
      firsts.map((e) => e.data),
    );
    const fresh = firsts.filter((e) => !recorded.has(reservationKey(e.data)));
    if (!fresh.length) return;

    const converted = fresh.map((event) => programRevenueOfEvent(event.data.revenue));
    const publish = publishFollowing(ctx, fresh);
    // A stay checked out before its guest was erased and handled after (a night batch, a replayed dead
    // letter) is kept under the erased guest who booked it, as its booking is: resolved, it would make a
    // new profile holding their personal data again. One checked out after the erasure is new business.
    const erasedGuests = fresh.map((event) => {
      const holder = bookedByErased.get(reservationKey(event.data));
      return holder && Date.parse(event.data.checkedOutAt) <= holder.erasedAt.getTime()
        ? holder.guestId
        : undefined;
    });
    const toResolve = fresh.filter((_, i) => erasedGuests[i] === undefined);
    const resolved = toResolve.length
      ? await this.resolver.resolveAll(
          ctx.manager,
          toResolve.map((event) => resolutionRequestOf(event, event.data.checkedOutAt)),
          publish,
        )
      : [];
    const resolvedGuests = resolved.values();
    const guestIds = erasedGuests.map((erased) => erased ?? (resolvedGuests.next().value as string));
    const stayIds = await this.repository.recordStays(
      ctx.manager,
      fresh.map((event, i) => ({
        ...event.data,
        guestId: guestIds[i],
        propertyRevenueMinor: totalMinor(event.data.revenue),
        propertyCurrency: event.data.revenue.room.currency,
        programRevenueMinor: totalMinor(converted[i]),
      })),
    );
    fresh.forEach((event, i) => {
      const stayId = stayIds.get(reservationKey(event.data));
      if (!stayId) return;
      const { guest: _identity, revenue, ...stayFields } = event.data;
      ctx.publish(
        'stay-recorded',
        {
          ...stayFields,
          guestId: guestIds[i],
          stayId,
          revenue: { property: revenue, program: converted[i] },
        },
        { subject: guestIds[i], propertyId: event.data.propertyId, causedBy: event },
      );
    });
    // Nothing is learned of an erased guest: their preferences went with the erasure.
    await this.preferences.learnFor(
      ctx.manager,
      guestIds.filter((_, i) => erasedGuests[i] === undefined),
      new Date(),
    );
    ctx.afterCommit(() => this.cache.evict(...guestIds));
  }

  /**
   * A stay's revenue (and from v2 its nights) changed after check-out. An adjustment applies once, however
   * often it arrives; one whose stay is not recorded yet (or is being recorded) waits, and the sweep
   * applies it once the stay is there (`AdjustmentSweep`): the stay's own path pays nothing for it.
   */
  @EventPattern('stay-adjusted', { batch: true })
  async onStaysAdjusted(@Payload() events: StayAdjusted[], @Ctx() ctx: EventContext): Promise<void> {
    const adjustments = events.map(({ data }) => ({
      adjustmentKey: adjustmentKeyOf(data),
      propertyId: data.propertyId,
      reservationId: data.reservationId,
      programRevenueDeltaMinor: totalMinor(programRevenueOfEvent(data.revenueDelta)),
      nights: 'nights' in data ? data.nights : undefined,
      adjustedAt: data.adjustedAt,
    }));
    await keepAdjustments(ctx.manager, adjustments);
    const guestIds = await applyPendingAdjustments(ctx.manager, adjustments);
    // A new profile version, so a view cached from before this commit is not served as current.
    await touchGuestFacts(ctx.manager, ...guestIds);
    ctx.afterCommit(() => this.cache.evict(...guestIds));
  }
}
