import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProfilesConfig } from '../config/profiles.config';
import { learnPreferences, parseRoomTypeTraits, type RoomTypeTraits } from '../domain/learned-preferences';

/**
 * Keeps each guest's learned preferences in step with their recent stays, in the caller's transaction.
 * A group the guest (or staff for them) stated is never touched: what a guest says beats what we infer.
 */
@Injectable()
export class PreferenceLearner {
  private readonly traits: RoomTypeTraits;

  constructor(config: ProfilesConfig) {
    this.traits = parseRoomTypeTraits(config.PROFILES_ROOM_TYPE_TRAITS);
  }

  async learnFor(manager: EntityManager, guestIds: readonly string[], observedAt: Date): Promise<void> {
    if (!guestIds.length) return;
    const rows: { guest_id: string; room_types: string[]; stated: string[] }[] = await manager.query(
      `select g as guest_id,
              array(select room_type from stays where guest_id = g and room_type is not null and nights > 0
                    order by departure desc limit 5) as room_types,
              array(select distinct grp from guest_preferences where guest_id = g and source <> 'learned') as stated
       from unnest($1::uuid[]) as g`,
      [[...new Set(guestIds)]],
    );
    const learned = rows.flatMap((row) =>
      learnPreferences(row.room_types, this.traits)
        .filter((preference) => !row.stated.includes(preference.group))
        .map((preference) => ({ guestId: row.guest_id, ...preference })),
    );
    // One statement: learned rows no longer learned go, the others are written as of now. The two
    // never meet the same row, and never a stated one: a stated group is not learned.
    await manager.query(
      `with learned as (
         select distinct * from unnest($2::uuid[], $3::text[], $4::text[]) as t (guest_id, grp, value)),
       forgotten as (
         delete from guest_preferences p
         where p.guest_id = any($1::uuid[]) and p.source = 'learned' and not exists (
           select 1 from learned l where (l.guest_id, l.grp, l.value) = (p.guest_id, p.grp, p.value)))
       insert into guest_preferences (guest_id, grp, value, source, recorded_at)
       select guest_id, grp, value, 'learned', $5::timestamptz from learned
       on conflict (guest_id, grp, value) do update set recorded_at = excluded.recorded_at
         where guest_preferences.source = 'learned'`,
      [
        rows.map((row) => row.guest_id),
        learned.map((p) => p.guestId),
        learned.map((p) => p.group),
        learned.map((p) => p.value),
        observedAt,
      ],
    );
  }
}
