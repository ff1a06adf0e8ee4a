import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import { Clock } from '@loyalty/platform';
import { SurveysConfig } from '../config/surveys.config';
import { stayExclusion } from '../domain/eligibility';
import { invitationDueAt } from '../domain/invitation-timing';
import { skippedUnderUntilCommit } from '../guests/guest-keys';
import { PropertySettingsStore } from '../settings/property-settings';

/**
 * Turns recorded stays into scheduled invitations: one row per stay, by stay id and by reservation (a
 * redelivered or re-recorded stay finds its row and adds nothing). Stays excluded by their own facts are kept as skipped rows, with
 * the reason, so "why was this guest not surveyed" has an answer, under the guest the stay's guest id
 * stands for now (`skippedUnderUntilCommit`).
 */
@Injectable()
export class InvitationPlanner {
  private readonly excludedRatePlans: ReadonlySet<string>;

  constructor(
    config: SurveysConfig,
    private readonly clock: Clock,
  ) {
    this.excludedRatePlans = new Set(config.SURVEYS_EXCLUDED_RATE_PLANS.map((plan) => plan.toUpperCase()));
  }

  async plan(manager: EntityManager, events: ValidatedEvent<'stay-recorded'>[]): Promise<void> {
    const stays = events.map((event) => event.data);
    await PropertySettingsStore.observe(manager, new Map(stays.map((s) => [s.propertyId, s.timeZone])));
    const settings = await PropertySettingsStore.load(manager, [...new Set(stays.map((s) => s.propertyId))]);
    const rows = stays.map((stay) => {
      const property = settings.get(stay.propertyId);
      const skip = stayExclusion(stay, {
        excludedRatePlans: this.excludedRatePlans,
        samplingPercent: property?.samplingPercent ?? 100,
      });
      const due = invitationDueAt(new Date(stay.checkedOutAt), stay.timeZone, {
        delayDays: property?.delayDays ?? 1,
        sendHour: property?.sendHour ?? 10,
      });
      return { stay, skip, due };
    });
    // A skipped invitation is final: no sender decides it again. So it is written as a merge or erasure of
    // its guest, handled before (or while) it is recorded, would have left it. A scheduled one needs
    // nothing of its guest, whom the sender looks up when it is due: those are recorded without any lock.
    const skippedUnder = await skippedUnderUntilCommit(
      manager,
      rows.filter((r) => r.skip).map((r) => r.stay.guestId),
    );
    // When planned, as a stay back-filled after its invitation fell due waits for its guest from then.
    await manager.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, skip_reason, planned_at)
       select *, $11::timestamptz
       from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::date[], $7::date[],
                   $8::timestamptz[], $9::text[], $10::text[])
       on conflict do nothing`,
      [
        rows.map(() => randomUUID()),
        rows.map((r) => r.stay.stayId),
        rows.map((r) => (r.skip ? skippedUnder.get(r.stay.guestId) : r.stay.guestId)),
        rows.map((r) => r.stay.propertyId),
        rows.map((r) => r.stay.reservationId),
        rows.map((r) => r.stay.arrival),
        rows.map((r) => r.stay.departure),
        rows.map((r) => r.due),
        rows.map((r) => (r.skip ? 'skipped' : 'scheduled')),
        rows.map((r) => r.skip),
        this.clock.now(),
      ],
    );
  }
}
