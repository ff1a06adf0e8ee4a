import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { IdentityResolver } from '../identity/identity-resolver';
import type { Publish } from '../identity/publisher';

/** Upcoming arrivals for the front-desk brief: the booker resolved to a guest like a completed stay. */
@Controller()
export class ReservationsConsumer {
  constructor(private readonly resolver: IdentityResolver) {}

  @EventPattern('reservation-created', { batch: true })
  async onReservationsCreated(
    @Payload() events: ValidatedEvent<'reservation-created'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const publish: Publish = (type, data, meta) => ctx.publish(type, data, meta);
    const guestIds = await this.resolver.resolveAll(
      ctx.manager,
      events.map((e) => ({
        ref: e.envelope.id,
        propertyId: e.data.propertyId,
        identity: e.data.guest,
        countryCode: e.data.guest.countryCode,
        preferredLanguage: e.data.guest.preferredLanguage,
        observedAt: e.data.bookedAt,
        source: `pms:${e.data.propertyId}`,
      })),
      publish,
    );
    await ctx.manager.query(
      `insert into reservations (property_id, reservation_id, guest_id, arrival, departure, room_type)
       select * from unnest($1::text[], $2::text[], $3::uuid[], $4::date[], $5::date[], $6::text[])
       on conflict (property_id, reservation_id) do nothing`,
      [
        events.map((e) => e.data.propertyId),
        events.map((e) => e.data.reservationId),
        guestIds,
        events.map((e) => e.data.arrival),
        events.map((e) => e.data.departure),
        events.map((e) => e.data.roomType),
      ],
    );
  }

  @EventPattern('reservation-cancelled')
  async onReservationCancelled(
    @Payload() event: ValidatedEvent<'reservation-cancelled'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await ctx.manager.query(
      'update reservations set cancelled = true where property_id = $1 and reservation_id = $2',
      [event.data.propertyId, event.data.reservationId],
    );
  }
}
