import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ValidatedEvent } from '@loyalty/contracts';
import { EventContext } from '@loyalty/messaging';
import { Clock } from '@loyalty/platform';
import {
  ASPECT_OF_CATEGORY,
  CATEGORY_OF_ASPECT,
  ComplaintError,
  ComplaintErrorCode,
  severityOfDetractor,
} from '../domain';
import { GuestFacts } from '../guests/guest-facts.store';
import { GuestLifecycle } from '../guests/guest-lifecycle.service';
import { announceFromHandler } from './announce';
import { ComplaintIntake } from './complaint-intake.service';
import { SYSTEM_ACTOR } from './complaint-record';

/** Rethrows every error but the refusal to open a complaint about an erased guest. */
function unlessGuestErased(error: unknown): void {
  if (error instanceof ComplaintError && error.code === ComplaintErrorCode.GUEST_ERASED) return;
  throw error;
}

/** An aspect scored this or lower, of 5, is one the guest was unhappy with. */
const LOW_ASPECT_SCORE = 3;

/** Thin adapters from the event backbone: each writes only through `ctx.manager`. */
@Controller()
export class ComplaintsConsumer {
  constructor(
    private readonly intake: ComplaintIntake,
    private readonly facts: GuestFacts,
    private readonly lifecycle: GuestLifecycle,
    private readonly clock: Clock,
  ) {}

  /**
   * A detractor opens a service-recovery case at the stay's property, filed under the worst-scored aspect
   * when the guest scored it low (the service as a whole when they scored none low: a case filed under the
   * front desk they rated 5 of 5 would send recovery where it did not hurt), owned by the property's front desk. Its SLA runs
   * from the guest's answer (`identifiedAt`), not from when this service got to it: a lag or an outage
   * here leaves the guest waiting all the same. A guest erased since answering gets none: nobody is left
   * to recover, and the case would be about them.
   */
  @EventPattern('detractor-identified')
  async onDetractor(
    @Payload() event: ValidatedEvent<'detractor-identified'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const { guestId, surveyId, stay, lowestDimensions, identifiedAt } = event.data;
    const aspect = lowestDimensions.find((scored) => scored.score <= LOW_ASPECT_SCORE)?.dimension;
    const category = aspect ? CATEGORY_OF_ASPECT[aspect] : 'service-quality';
    await this.intake
      .open(
        ctx.manager,
        {
          guestId,
          propertyId: stay.propertyId,
          stay,
          channel: 'survey',
          category,
          aspect: aspect ?? ASPECT_OF_CATEGORY['service-quality'],
          severity: severityOfDetractor(event.data),
          surveyId,
          ownerRole: 'front-desk',
          receivedAt: new Date(identifiedAt),
        },
        SYSTEM_ACTOR,
        announceFromHandler(ctx),
        this.clock.now(),
      )
      .catch(unlessGuestErased);
  }

  /** Stays count the complaint rate and whether a complaining guest came back after recovery. */
  @EventPattern('stay-recorded', { batch: true })
  async onStaysRecorded(
    @Payload() events: ValidatedEvent<'stay-recorded'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordStays(
      ctx.manager,
      events.map((event) => event.data),
    );
  }

  /** The guest's tier picks the SLA policy of their next complaint. */
  @EventPattern('tier-changed', { batch: true })
  async onTierChanged(
    @Payload() events: ValidatedEvent<'tier-changed'>[],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordTiers(
      ctx.manager,
      events.map(({ data }) => ({ guestId: data.guestId, tier: data.to, changedAt: data.changedAt })),
    );
  }

  @EventPattern('guest-merged')
  async onGuestMerged(
    @Payload() event: ValidatedEvent<'guest-merged'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.lifecycle.merge(ctx.manager, event.data.survivorId, event.data.mergedId, this.clock.now());
  }

  @EventPattern('guest-erased')
  async onGuestErased(
    @Payload() event: ValidatedEvent<'guest-erased'>,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.lifecycle.erase(ctx.manager, event.data.guestId, this.clock.now());
  }
}
