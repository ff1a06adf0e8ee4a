import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext, PermanentEventError } from '@loyalty/messaging';
import { UnknownCurrencyError } from '../domain/currency';
import { IdentityResolver } from '../identity/identity-resolver';
import type { Publish } from '../identity/publisher';
import { ProfileCache } from '../guests/profile-cache';
import { PreferenceLearner } from './preference-learner';
import { programRevenue, totalMinor } from './stay-revenue';
import { StayRecordingRepository } from './stay-recording.repository';

type StayCompleted = ValidatedEvent<'stay-completed'>;

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
    const byReservation = new Map<string, StayCompleted>();
    for (const event of events) {
      const key = `${event.data.propertyId}:${event.data.reservationId}`;
      if (!byReservation.has(key)) byReservation.set(key, event);
    }
    const recorded = await this.repository.alreadyRecorded(
      ctx.manager,
      [...byReservation.values()].map((e) => e.data),
    );
    const fresh = [...byReservation.entries()].filter(([key]) => !recorded.has(key)).map(([, e]) => e);
    if (!fresh.length) return;

    const converted = fresh.map((event) => this.convert(event));
    const publish: Publish = (type, data, meta) => ctx.publish(type, data, meta);
    const guestIds = await this.resolver.resolveAll(
      ctx.manager,
      fresh.map((event) => ({
        ref: event.envelope.id,
        propertyId: event.data.propertyId,
        identity: event.data.guest,
        countryCode: event.data.guest.countryCode,
        preferredLanguage: event.data.guest.preferredLanguage,
        observedAt: event.data.checkedOutAt,
        source: `pms:${event.data.propertyId}`,
      })),
      publish,
    );
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
      const stayId = stayIds.get(`${event.data.propertyId}:${event.data.reservationId}`);
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
    await this.preferences.learnFor(ctx.manager, guestIds, new Date());
    ctx.afterCommit(() => this.cache.evict(...guestIds));
  }

  private convert(event: StayCompleted) {
    try {
      return programRevenue(event.data.revenue);
    } catch (error) {
      if (error instanceof UnknownCurrencyError) {
        throw new PermanentEventError('UNKNOWN_CURRENCY', `${error.message}: add it to the rate table`);
      }
      throw error;
    }
  }
}
