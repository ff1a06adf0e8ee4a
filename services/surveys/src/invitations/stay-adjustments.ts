import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { latestNightsPerStay, nightsPostingOf, type ValidatedEvent } from '@loyalty/contracts';
import { Clock } from '@loyalty/platform';
import { erasureKeyOf, SurveysConfig } from '../config/surveys.config';
import { invitationAdjustment, stayKeyOf } from '../domain/stay-nights';
import { forgetStays } from '../guests/erased-stays';
import { skippedUnderUntilCommit } from '../guests/guest-keys';
import { StayNights } from './stay-nights';

interface AdjustedRow {
  survey_id: string;
  guest_id: string | null;
  property_id: string;
  reservation_id: string;
  state: string;
  skip_reason: string | null;
  due_at: Date;
}

/**
 * Applies the nights `stay-adjusted` (v2) posts: kept per stay (`StayNights`), whether or not the stay is
 * recorded yet, for the planner to read when it is and the sender when its invitation is due. A stay's
 * invitation not sent yet is withdrawn at 0 nights, skipped as `adjusted-to-zero-nights`; one withdrawn so
 * is scheduled again, given nights before it is due (`invitationAdjustment`).
 *
 * Locks are taken in the order the others take them: the guests' keys, shared, as a batch of skipped stays
 * takes them (a withdrawn invitation is written under the guest `skippedUnderUntilCommit` names, as a
 * merge or erasure would have left it); then the invitations it may change (not sent), in survey id order, as
 * merges and erasures lock them; then the stays' nights, which an erasure deletes after its invitations
 * (`forgetStays`). The keys of the guests of sent invitations too: an erasure of one of them, which deletes
 * the nights, is then wholly before this (which keeps none for the erased stay) or after it.
 */
@Injectable()
export class StayAdjustments {
  private readonly erasureKey: string;

  constructor(
    config: SurveysConfig,
    private readonly clock: Clock,
  ) {
    this.erasureKey = erasureKeyOf(config);
  }

  async adjust(manager: EntityManager, events: readonly ValidatedEvent<'stay-adjusted'>[]): Promise<void> {
    const postings = latestNightsPerStay(events.flatMap(({ data }) => nightsPostingOf(data) ?? []));
    if (postings.length === 0) return;
    const stays = [postings.map((p) => p.propertyId), postings.map((p) => p.reservationId)];
    const seen: { guest_id: string }[] = await manager.query(
      `select distinct i.guest_id from invitations i
         join unnest($1::text[], $2::text[]) as s (property_id, reservation_id) using (property_id, reservation_id)
       where i.guest_id is not null`,
      stays,
    );
    const skippedUnder = await skippedUnderUntilCommit(
      manager,
      seen.map((row) => row.guest_id),
    );
    const invitations: AdjustedRow[] = await manager.query(
      `select i.survey_id, i.guest_id, i.property_id, i.reservation_id, i.state, i.skip_reason, i.due_at
       from invitations i
         join unnest($1::text[], $2::text[]) as s (property_id, reservation_id) using (property_id, reservation_id)
       where i.state in ('scheduled', 'skipped')
       order by i.survey_id for update of i`,
      stays,
    );
    const nights = await StayNights.keepLatest(manager, postings, this.erasureKey);
    const now = this.clock.now();
    const withdrawn: { surveyId: string; guestId: string | null }[] = [];
    const restored: string[] = [];
    for (const row of invitations) {
      const stayNights = nights.get(
        stayKeyOf({ propertyId: row.property_id, reservationId: row.reservation_id }),
      );
      if (stayNights === undefined) continue;
      const adjustment = invitationAdjustment(
        { state: row.state, skipReason: row.skip_reason, dueAt: row.due_at },
        stayNights,
        now,
      );
      if (adjustment === 'restore') restored.push(row.survey_id);
      // One a merge moved to a guest not keyed above, since it was read, is left scheduled: the sender
      // skips it when due, as it reads the stay's nights then.
      else if (adjustment === 'withdraw' && row.guest_id !== null && skippedUnder.has(row.guest_id))
        withdrawn.push({ surveyId: row.survey_id, guestId: skippedUnder.get(row.guest_id) ?? null });
    }
    if (withdrawn.length > 0)
      await manager.query(
        `update invitations i set state = 'skipped', skip_reason = 'adjusted-to-zero-nights', guest_id = w.guest_id
         from unnest($1::uuid[], $2::uuid[]) as w (survey_id, guest_id) where i.survey_id = w.survey_id`,
        [withdrawn.map((w) => w.surveyId), withdrawn.map((w) => w.guestId)],
      );
    if (restored.length > 0)
      await manager.query(
        `update invitations set state = 'scheduled', skip_reason = null where survey_id = any($1::uuid[])`,
        [restored],
      );
    // Under no guest: the guest was erased, and so is what names the stay.
    await forgetStays(
      manager,
      withdrawn.filter((w) => w.guestId === null).map((w) => w.surveyId),
      this.erasureKey,
    );
  }
}
