import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { GuestDirectory } from './guest-directory';
import { GuestPrivacy } from './guest-privacy';

/** Profiles' guest events, kept as far as surveys needs them; every write goes through `ctx.manager`. */
@Controller()
export class GuestsConsumer {
  @EventPattern('guest-registered')
  async onRegistered(@Payload() event: ValidatedEvent<'guest-registered'>, @Ctx() ctx: EventContext) {
    await GuestDirectory.remember(ctx.manager, event.data.guestId, event.data.attributes);
  }

  @EventPattern('guest-updated')
  async onUpdated(@Payload() event: ValidatedEvent<'guest-updated'>, @Ctx() ctx: EventContext) {
    await GuestDirectory.remember(ctx.manager, event.data.guestId, event.data.changes);
  }

  @EventPattern('guest-merged')
  async onMerged(@Payload() event: ValidatedEvent<'guest-merged'>, @Ctx() ctx: EventContext) {
    await GuestPrivacy.merge(ctx.manager, event.data);
  }

  @EventPattern('guest-erased')
  async onErased(@Payload() event: ValidatedEvent<'guest-erased'>, @Ctx() ctx: EventContext) {
    await GuestPrivacy.erase(ctx.manager, event.data);
  }
}
