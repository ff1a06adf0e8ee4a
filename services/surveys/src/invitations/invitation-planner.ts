import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ValidatedEvent } from '@loyalty/contracts';
import { PostgresTimeZones } from '@loyalty/persistence';
import { Clock } from '@loyalty/platform';
import { erasureKeyOf, SurveysConfig } from '../config/surveys.config';
import { erasedStayOf } from '../domain/erased-stay';
import { stayExclusion } from '../domain/eligibility';
import { invitationDueAt } from '../domain/invitation-timing';
import { stayKeyOf } from '../domain/stay-nights';
import { forgetStays } from '../guests/erased-stays';
import { skippedUnderUntilCommit } from '../guests/guest-keys';
import { PropertySettingsStore } from '../settings/property-settings';
import { SurveysError, SurveysErrorCode } from '../surveys-error';
import { StayNights } from './stay-nights';

const DAY_MS = 86_400_000;

/**
 * Turns recorded stays into scheduled invitations: one row per stay, by stay id and by reservation (a
 * redelivered or re-recorded stay finds its row and adds nothing). Stays excluded by their own facts are kept as skipped rows, with
 * the reason, so "why was this guest not surveyed" has an answer, under the guest the stay's guest id
 * stands for now (`skippedUnderUntilCommit`).
 */
@Injectable()
export class InvitationPlanner {
  private readonly excludedRatePlans: ReadonlySet<string>;
  private readonly erasureKey: string;
  private readonly maxAgeMs: number;

  constructor(
    config: SurveysConfig,
    private readonly clock: Clock,
    private readonly timeZones: PostgresTimeZones,
  ) {
    this.excludedRatePlans = new Set(config.SURVEYS_EXCLUDED_RATE_PLANS.map((plan) => plan.toUpperCase()));
    this.erasureKey = erasureKeyOf(config);
    this.maxAgeMs = config.SURVEYS_MAX_DAYS_AFTER_CHECKOUT * DAY_MS;
  }

  async plan(manager: EntityManager, events: ValidatedEvent<'stay-recorded'>[]): Promise<void> {
    const stays = events.map((event) => event.data);
    const zones = new Map(stays.map((s) => [s.propertyId, s.timeZone]));
    await this.refuseZonesPostgresDoesNotKnow(manager, zones);
    await PropertySettingsStore.observe(manager, zones);
    const settings = await PropertySettingsStore.load(manager, [...new Set(stays.map((s) => s.propertyId))]);
    const checkedOutSince = this.maxAgeMs > 0 ? new Date(this.clock.now().getTime() - this.maxAgeMs) : null;
    // Adjusted before it was recorded (the adjustment comes straight from the property). One committed
    // while this runs is not seen here: the sender reads the nights again when the invitation is due.
    const adjustedNights = await StayNights.of(manager, stays);
    const rows = stays.map((stay) => {
      const property = settings.get(stay.propertyId);
      const skip = stayExclusion(
        { ...stay, adjustedNights: adjustedNights.get(stayKeyOf(stay)) },
        {
          excludedRatePlans: this.excludedRatePlans,
          samplingPercent: property?.samplingPercent ?? 100,
          checkedOutSince,
        },
      );
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
    const erased = rows.map((r) => erasedStayOf(r.stay, this.erasureKey));
    // When planned, as a stay back-filled after its invitation fell due waits for its guest from then. A
    // stay of an erased guest recorded again finds its invitation by the ids the erasure left on it.
    const planned: { survey_id: string; guest_id: string | null; state: string }[] = await manager.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, skip_reason, planned_at)
       select s.survey_id, s.stay_id, s.guest_id, s.property_id, s.reservation_id, s.arrival, s.departure,
              s.due_at, s.state, s.skip_reason, $11::timestamptz
       from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::date[], $7::date[],
                   $8::timestamptz[], $9::text[], $10::text[], $12::uuid[], $13::text[])
         as s (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure, due_at, state,
               skip_reason, erased_stay_id, erased_reservation_id)
       where not exists (select from invitations i where i.stay_id = s.erased_stay_id)
         and not exists (select from invitations i
                         where i.property_id = s.property_id and i.reservation_id = s.erased_reservation_id)
       on conflict do nothing
       returning survey_id, guest_id, state`,
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
        erased.map((stay) => stay.stayId),
        erased.map((stay) => stay.reservationId),
      ],
    );
    // Skipped under no guest: its guest was erased, and so is what names the stay.
    await forgetStays(
      manager,
      planned.filter((row) => row.state === 'skipped' && row.guest_id === null).map((row) => row.survey_id),
      this.erasureKey,
    );
  }

  /**
   * Stored, a zone Postgres does not know would stop the sender for every property (it computes their
   * local hours in one statement); refused, it stops only the stays of that zone.
   */
  private async refuseZonesPostgresDoesNotKnow(manager: EntityManager, zones: Map<string, string>) {
    const [unknown] = await this.timeZones.unknownOf(manager, zones.values());
    if (unknown === undefined) return;
    const propertyId = [...zones].find(([, zone]) => zone === unknown)?.[0];
    throw new SurveysError(
      SurveysErrorCode.TIME_ZONE_UNKNOWN,
      `time zone ${unknown} of property ${propertyId} is unknown to Postgres (pg_timezone_names): ` +
        'update its time-zone data, then replay the stay',
      { timeZone: unknown, propertyId },
    );
  }
}
