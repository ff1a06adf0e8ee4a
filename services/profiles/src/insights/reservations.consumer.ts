import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import type { EntityManager } from 'typeorm';
import { IdentityResolver, resolutionRequestOf } from '../identity/identity-resolver';
import { publishFollowing } from '../identity/publisher';
import {
  firstOfEachReservation,
  reservationKey,
  StayRecordingRepository,
  type ReservationRef,
} from '../stays/stay-recording.repository';

/** Upcoming arrivals for the front-desk brief: the booker resolved to a guest like a completed stay. */
@Controller()
export class ReservationsConsumer {
  constructor(
    private readonly resolver: IdentityResolver,
    private readonly stays: StayRecordingRepository,
  ) {}

  /**
   * A reservation a guest already holds (booked, or stayed when its booking comes late) is not resolved
   * again, like a stay recorded before: once that guest is erased nothing would match, and its personal
   * data would come back as a new guest. For a live guest a resend changes nothing either way.
   */
  @EventPattern('reservation-created', { batch: true })
  async onReservationsCreated(
    @Payload() events: ValidatedEvent<'reservation-created'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    // Of the same reservation twice in a batch (a resend under a new event id), the first is kept, as before.
    const firsts = firstOfEachReservation(events);
    const held = await this.guestsHolding(
      ctx.manager,
      firsts.map((e) => e.data),
    );
    const fresh = firsts.filter((e) => !held.has(reservationKey(e.data)));
    const publish = publishFollowing(ctx, fresh);
    const resolved = fresh.length
      ? await this.resolver.resolveAll(
          ctx.manager,
          fresh.map((e) => resolutionRequestOf(e, e.data.bookedAt)),
          publish,
        )
      : [];
    fresh.forEach((e, i) => held.set(reservationKey(e.data), resolved[i]));
    // A cancellation that came first left a placeholder: it is filled in and stays cancelled. A booking
    // that came after its stay is kept under the stay's guest.
    await ctx.manager.query(
      `insert into reservations (property_id, reservation_id, guest_id, arrival, departure, room_type)
       select * from unnest($1::text[], $2::text[], $3::uuid[], $4::date[], $5::date[], $6::text[])
       on conflict (property_id, reservation_id) do update set
         guest_id = excluded.guest_id, arrival = excluded.arrival, departure = excluded.departure,
         room_type = excluded.room_type
       where reservations.guest_id is null`,
      [
        firsts.map((e) => e.data.propertyId),
        firsts.map((e) => e.data.reservationId),
        firsts.map((e) => held.get(reservationKey(e.data))),
        firsts.map((e) => e.data.arrival),
        firsts.map((e) => e.data.departure),
        firsts.map((e) => e.data.roomType),
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

  /** The guest holding each of these reservations, by `reservationKey`: its booking's, else its stay's. */
  private async guestsHolding(manager: EntityManager, refs: ReservationRef[]): Promise<Map<string, string>> {
    const held = await this.stays.alreadyRecorded(manager, refs);
    const booked: { property_id: string; reservation_id: string; guest_id: string }[] = await manager.query(
      `select property_id, reservation_id, guest_id from reservations
       where guest_id is not null
         and (property_id, reservation_id) in (select * from unnest($1::text[], $2::text[]))`,
      [refs.map((r) => r.propertyId), refs.map((r) => r.reservationId)],
    );
    for (const row of booked)
      held.set(
        reservationKey({ propertyId: row.property_id, reservationId: row.reservation_id }),
        row.guest_id,
      );
    return held;
  }
}
