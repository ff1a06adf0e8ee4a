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
    // A cancellation that came first left a placeholder: it is filled in and stays cancelled. Of the
    // same reservation twice in a batch (a resend under a new event id), the first is kept, as before.
    await ctx.manager.query(
      `insert into reservations (property_id, reservation_id, guest_id, arrival, departure, room_type)
       select distinct on (property_id, reservation_id)
              property_id, reservation_id, guest_id, arrival, departure, room_type
       from unnest($1::text[], $2::text[], $3::uuid[], $4::date[], $5::date[], $6::text[])
         with ordinality as r(property_id, reservation_id, guest_id, arrival, departure, room_type, n)
       order by property_id, reservation_id, n
       on conflict (property_id, reservation_id) do update set
         guest_id = excluded.guest_id, arrival = excluded.arrival, departure = excluded.departure,
         room_type = excluded.room_type
       where reservations.guest_id is null`,
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
    // The reservation may not have arrived yet (another topic): a placeholder keeps the cancellation.
    await ctx.manager.query(
      `insert into reservations (property_id, reservation_id, cancelled) values ($1, $2, true)
       on conflict (property_id, reservation_id) do update set cancelled = true`,
      [event.data.propertyId, event.data.reservationId],
    );
  }
}
