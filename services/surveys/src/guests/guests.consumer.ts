import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { erasureKeyOf, SurveysConfig } from '../config/surveys.config';
import { GuestDirectory } from './guest-directory';
import { GuestPrivacy } from './guest-privacy';

/** Profiles' guest events, kept as far as surveys needs them; every write goes through `ctx.manager`. */
@Controller()
export class GuestsConsumer {
  constructor(private readonly config: SurveysConfig) {}

  // In batches: a back-fill registers thousands of guests, and one transaction each would dominate.
  @EventPattern('guest-registered', { batch: true })
  async onRegistered(@Payload() events: ValidatedEvent<'guest-registered'>[], @Ctx() ctx: EventContext) {
    await GuestDirectory.remember(
      ctx.manager,
      events.map(({ data }) => ({
        guestId: data.guestId,
        attributes: data.attributes,
        asOf: new Date(data.enrolledAt),
      })),
      'registration',
    );
  }

  @EventPattern('guest-updated', { batch: true })
  async onUpdated(@Payload() events: ValidatedEvent<'guest-updated'>[], @Ctx() ctx: EventContext) {
    await GuestDirectory.remember(
      ctx.manager,
      events.map(({ data }) => ({
        guestId: data.guestId,
        attributes: data.changes,
        asOf: new Date(data.updatedAt),
      })),
      'update',
    );
  }

  @EventPattern('guest-merged')
  async onMerged(@Payload() event: ValidatedEvent<'guest-merged'>, @Ctx() ctx: EventContext) {
    await GuestPrivacy.merge(ctx.manager, event.data, erasureKeyOf(this.config));
  }

  @EventPattern('guest-erased')
  async onErased(@Payload() event: ValidatedEvent<'guest-erased'>, @Ctx() ctx: EventContext) {
    await GuestPrivacy.erase(ctx.manager, event.data, erasureKeyOf(this.config));
  }
}
